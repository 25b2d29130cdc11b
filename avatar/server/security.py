"""What stands between the public internet and the avatar's web apps (``avatar.server.server`` wires it).

    client_ip          the connecting address (the only thing a client cannot choose freely)
    SlidingWindow      N events per key per window, bounded memory; the per-client limiters
    LoginGuard         the studio's login check: off the event loop, per-client backoff/lockout
    FanIdentity        a server-issued, signed fan cookie -> the fan_id; session-hash binding
    FanGate            pure ASGI middleware for the fan app: cookie, no uploads, no hash reuse

Addresses: ``client_ip`` is the TCP peer. Behind a reverse proxy every client has the proxy's
address; run uvicorn with ``--proxy-headers --forwarded-allow-ips <proxy>`` so the peer is the
real client, or the per-client limits apply to everyone at once.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import math
import os
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
from fastapi import HTTPException

from avatar.errors import AvatarError

Scope = dict[str, Any]


class ClientRefused(AvatarError):
    """A web request refused before it reaches the avatar: no valid fan cookie, a session
    that belongs to another browser, or too many messages from one address. The message says
    what to do (reload, allow cookies, wait)."""

CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("avatar_client_ip", default="unknown")


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class SlidingWindow:
    """At most ``limit`` events per ``window_s`` seconds per key. Keeps at most ``max_keys``
    keys (the least recently seen are forgotten first), so a flood of new keys costs bounded
    memory."""

    def __init__(self, limit: int, window_s: float, *, max_keys: int = 50_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self.max_keys, self.clock = limit, window_s, max_keys, clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def hit(self, key: str) -> float:
        """Record one event for ``key``: 0.0 if allowed, else the seconds until one is."""
        now = self.clock()
        hits = self._hits.pop(key, None) or deque()
        while hits and now - hits[0] >= self.window_s:
            hits.popleft()
        self._hits[key] = hits
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        if len(hits) >= self.limit:
            return self.window_s - (now - hits[0])
        hits.append(now)
        return 0.0


# ---- the studio login ----------------------------------------------------------------------

class LoginGuard:
    """The studio's login check; pass :meth:`check` (a coroutine function, so Gradio awaits
    it — an object with an async ``__call__`` would be called without awaiting and its
    coroutine taken as a yes) as Gradio's ``auth``.

    * The password check (scrypt for a stored hash) runs in a worker thread, at most
      ``parallel`` at a time, never on the event loop: a wrong guess slows nobody else.
    * Per client address: ``free`` wrong passwords, then a lockout that doubles with every
      further wrong one (1 s, 2 s, 4 s … up to ``max_lock_s``); a locked-out client gets 429
      with ``Retry-After`` without any password check. One check at a time per address, so
      parallel guesses do not slip past the count. A right password clears the record;
      records expire ``forget_s`` after the last failure.
    * Not defended: guessing spread over many addresses (each gets its own allowance).
    """

    def __init__(self, verify: Callable[[str, str], bool], *, free: int = 3,
                 max_lock_s: float = 900.0, forget_s: float = 3600.0, parallel: int = 2,
                 max_clients: int = 50_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.verify, self.free, self.max_lock_s, self.forget_s = verify, free, max_lock_s, forget_s
        self.max_clients, self.clock = max_clients, clock
        self._limiter = anyio.CapacityLimiter(parallel)
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # ip -> (count, last)
        self._busy: set[str] = set()

    def wait_s(self, ip: str) -> float:
        """Seconds until ``ip`` may try again (0.0: now)."""
        count, last = self._failures.get(ip, (0, 0.0))
        now = self.clock()
        if count and now - last > self.forget_s:
            self._failures.pop(ip, None)
            return 0.0
        if count < self.free:
            return 0.0
        return max(0.0, last + min(self.max_lock_s, 2.0 ** (count - self.free)) - now)

    async def check(self, username: str, password: str) -> bool:
        ip = CLIENT.get()
        wait = self.wait_s(ip)
        if wait > 0 or ip in self._busy:
            retry = max(1, math.ceil(wait))
            raise HTTPException(429, detail=f"Too many wrong passwords from your address — try again "
                                            f"in {retry} s.", headers={"Retry-After": str(retry)})
        self._busy.add(ip)
        try:
            ok = await anyio.to_thread.run_sync(self.verify, username or "", password or "",
                                                limiter=self._limiter)
        finally:
            self._busy.discard(ip)
        if ok:
            self._failures.pop(ip, None)
        else:
            self._fail(ip)
        return ok

    def _fail(self, ip: str) -> None:
        count, _ = self._failures.pop(ip, (0, 0.0))
        self._failures[ip] = (count + 1, self.clock())
        while len(self._failures) > self.max_clients:
            self._failures.popitem(last=False)


# ---- fan identity ---------------------------------------------------------------------------

COOKIE = "avatar_fan"
COOKIE_MAX_AGE_S = 365 * 24 * 3600
SECRET_FILE = "fan-cookie.key"


def load_or_create_secret(state_dir: Path) -> bytes:
    """The per-server cookie secret: ``<persona>/.avatar/fan-cookie.key`` (32 random bytes,
    mode 600), created on first use. Replicas behind one address share it by copying the file
    (like the signing key); deleting it signs every fan out."""
    path = state_dir / SECRET_FILE
    if path.is_file() and len(data := path.read_bytes()) >= 32:
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(32))
    return path.read_bytes()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FanIdentity:
    """Fans of the web chat are told apart by a cookie the server issues and signs:
    ``<random id>.<HMAC-SHA256(secret, id)>``. A client can drop its cookie (and becomes a new
    fan with no history), but cannot choose or forge another fan's. The fan_id given to the
    avatar is derived from the id with the secret, so neither logs nor the studio's queues
    reveal a usable cookie.

    A Gradio session hash is chosen by the browser; the first fan seen with it owns it, and
    the same hash under another fan's cookie is refused (``owns``)."""

    def __init__(self, secret: bytes, *, max_sessions: int = 100_000) -> None:
        self._secret = secret
        self._owner: OrderedDict[str, str] = OrderedDict()
        self.max_sessions = max_sessions

    def issue(self) -> str:
        ident = _b64(secrets.token_bytes(18))
        return f"{ident}.{self._mac('cookie', ident)}"

    def fan_id(self, cookie: str | None) -> str | None:
        """``web:<derived id>`` for a valid cookie, None for a missing or forged one."""
        ident, _, mac = (cookie or "").partition(".")
        if not ident or not hmac.compare_digest(mac.encode(), self._mac("cookie", ident).encode()):
            return None
        return "web:" + self._mac("fan", ident)[:24]

    def owns(self, session_hash: str | None, fan_id: str) -> bool:
        """True if ``fan_id`` may use ``session_hash`` (binding it on first use)."""
        if not session_hash:
            return True
        owner = self._owner.pop(session_hash, fan_id)
        self._owner[session_hash] = owner
        while len(self._owner) > self.max_sessions:
            self._owner.popitem(last=False)
        return hmac.compare_digest(owner.encode(), fan_id.encode())

    def _mac(self, purpose: str, ident: str) -> str:
        return _b64(hmac.new(self._secret, f"{purpose}:{ident}".encode(), hashlib.sha256).digest())


def request_cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001, S112 — a malformed Cookie header counts as none
                continue
            if name in jar:
                return jar[name].value
    return None


class FanGate:
    """Pure ASGI middleware in front of the fan app (every path not in ``skip``):

    * every request carries a valid fan cookie: one is issued when missing or forged, added
      to this request (so the handler sees it) and set on the response (HttpOnly,
      SameSite=Lax, Secure over https);
    * uploads (``/gradio_api/upload…``) are refused with 403: the fan chat takes no files;
    * a ``session_hash`` in the query (Gradio's result stream) that belongs to another fan's
      cookie is refused with 403, so a copied hash does not hand over another tab's replies.
    """

    def __init__(self, app: Any, identity: FanIdentity, skip: tuple[str, ...]) -> None:
        self.app, self.identity, self.skip = app, identity, skip

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            CLIENT.set(client_ip(scope))
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(self.skip):
            return await self.app(scope, receive, send)
        if path.startswith("/gradio_api/upload"):
            return await _plain(send, 403, "The fan chat takes no file uploads.")
        headers = list(scope.get("headers") or [])
        cookie = request_cookie(headers, COOKIE)
        fan = self.identity.fan_id(cookie)
        new_cookie = None
        if fan is None:
            new_cookie = self.identity.issue()
            fan = self.identity.fan_id(new_cookie)
            headers = [(k, v) for k, v in headers if k != b"cookie"]
            headers.append((b"cookie", f"{COOKIE}={new_cookie}".encode()))
            scope = {**scope, "headers": headers}
        assert fan is not None
        session = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_hash", [""])[0]
        if not self.identity.owns(session, fan):
            return await _plain(send, 403, "This chat session belongs to another browser — reload the page.")
        if new_cookie is None:
            return await self.app(scope, receive, send)
        await self.app(scope, receive, _with_cookie(send, new_cookie, scope.get("scheme") == "https"))


def _with_cookie(send: Any, value: str, secure: bool) -> Any:
    attrs = f"{COOKIE}={value}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax"
    header = (b"set-cookie", (attrs + ("; Secure" if secure else "")).encode())

    async def sender(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), header]}
        await send(message)
    return sender


async def _plain(send: Any, status: int, text: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": text.encode()})
