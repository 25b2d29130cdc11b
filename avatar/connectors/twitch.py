"""Twitch: live chat over IRC answers on channel ``live`` (a small socket client).

Twitch chat is IRC (``irc.chat.twitch.tv:6697``, TLS): ``CAP REQ`` for tags, ``PASS
oauth:<token>``, ``NICK``, ``JOIN #channel``; ``PING`` is answered with ``PONG``. By default
only messages that @-mention the bot are answered (a live chat moves fast); each answer is a
threaded reply (``@reply-parent-msg-id``). IRC messages are single lines, so each line of
the signed reply goes out as one message (label first), the record link after the last.
Twitch has no 429 for chat: we keep under 20 messages per 30 s ourselves, and a
``msg_ratelimit`` notice pauses sending for 30 s.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from collections import deque
from collections.abc import Iterable
from typing import Any

from ..errors import ConnectorError, PlatformError
from .base import Connector, Incoming
from .settings import remember_secret

_LINE = re.compile(r"^(?:@(?P<tags>\S+) )?(?::(?P<prefix>\S+) )?(?P<command>\S+)(?: (?P<params>.*))?$")
_UNESCAPE = {"s": " ", ":": ";", "\\": "\\", "r": "\r", "n": "\n"}


def parse_tags(raw: str) -> dict[str, str]:
    tags = {}
    for part in raw.split(";"):
        key, _, value = part.partition("=")
        tags[key] = re.sub(r"\\(.)", lambda m: _UNESCAPE.get(m.group(1), m.group(1)), value)
    return tags


def parse_line(line: str) -> tuple[dict[str, str], str, str, list[str]] | None:
    """(tags, prefix, command, params) of one IRC line; the trailing param keeps its spaces."""
    m = _LINE.match(line)
    if not m:
        return None
    rest, params = m.group("params") or "", []
    while rest:
        if rest.startswith(":"):
            params.append(rest[1:])
            break
        head, _, rest = rest.partition(" ")
        params.append(head)
    return parse_tags(m.group("tags") or ""), m.group("prefix") or "", m.group("command"), params


class TwitchConnector(Connector):
    platform = "twitch"
    channel = "live"
    limit = 500
    link_sep = " "
    drain_when_paused = True     # keep answering PING; what is said while paused goes unanswered

    def __init__(self, avatar: Any, ledger: Any, *, token: str, twitch_channel: str, nick: str,
                 address: str = "irc.chat.twitch.tv:6697", tls: bool | None = None,
                 answer_all: bool = False, per_30s: int = 20, **kwargs: Any) -> None:
        kwargs.setdefault("poll_interval", 0.2)
        super().__init__(avatar, ledger, **kwargs)
        host, _, port = address.rpartition(":")
        self.host, self.port = host or address, int(port or 6697)
        self.tls = self.port == 6697 if tls is None else tls
        self._token = remember_secret(token.removeprefix("oauth:"))
        self.twitch_channel, self.nick = twitch_channel.lstrip("#").lower(), nick.lower()
        self.answer_all, self.per_30s = answer_all, per_30s
        self._sock: socket.socket | None = None
        self._buf = b""
        self._sent: deque[float] = deque()
        self._hold_until = 0.0

    # ---- connection ----------------------------------------------------------------------------
    def open(self) -> None:
        try:
            raw = socket.create_connection((self.host, self.port), timeout=5)
        except OSError as exc:
            raise PlatformError(f"Twitch chat unreachable at {self.host}:{self.port} ({exc.strerror or exc})") from None
        self._sock = ssl.create_default_context().wrap_socket(raw, server_hostname=self.host) if self.tls else raw
        self._buf = b""
        self._write("CAP REQ :twitch.tv/tags twitch.tv/commands")
        self._write(f"PASS oauth:{self._token}")
        self._write(f"NICK {self.nick}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for line in self._read_lines(1.0):
                parsed = parse_line(line)
                if parsed and parsed[2] == "001":
                    self._write(f"JOIN #{self.twitch_channel}")
                    return
                if parsed and parsed[2] == "NOTICE" and "auth" in (parsed[3][-1] if parsed[3] else "").lower():
                    self.close()
                    raise ConnectorError("Twitch refused the login — check TWITCH_OAUTH_TOKEN (chat:read "
                                         "and chat:edit scopes) and TWITCH_NICK")
        raise PlatformError("Twitch chat did not welcome us within 10 s")

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    def _write(self, line: str) -> None:
        if self._sock is None:
            raise PlatformError("not connected to Twitch chat")
        try:
            self._sock.sendall((line.replace("\r", " ").replace("\n", " ") + "\r\n").encode())
        except OSError as exc:
            raise PlatformError(f"Twitch chat connection lost ({exc.strerror or exc})") from None

    def _read_lines(self, timeout: float) -> list[str]:
        if self._sock is None:
            raise PlatformError("not connected to Twitch chat")
        self._sock.settimeout(timeout)
        try:
            chunk = self._sock.recv(65536)
        except (socket.timeout, TimeoutError):
            chunk = None
        except OSError as exc:
            raise PlatformError(f"Twitch chat connection lost ({exc.strerror or exc})") from None
        if chunk == b"":
            raise PlatformError("Twitch chat closed the connection")
        self._buf += chunk or b""
        *lines, self._buf = self._buf.split(b"\r\n")
        return [ln.decode("utf-8", "replace") for ln in lines if ln]

    # ---- messages --------------------------------------------------------------------------------
    def fetch(self) -> Iterable[Incoming]:
        out = []
        for line in self._read_lines(0.5):
            parsed = parse_line(line)
            if parsed is None:
                continue
            tags, prefix, command, params = parsed
            if command == "PING":
                self._write("PONG :" + (params[-1] if params else "tmi.twitch.tv"))
            elif command == "RECONNECT":
                raise PlatformError("Twitch asked us to reconnect")
            elif command == "NOTICE" and tags.get("msg-id") == "msg_ratelimit":
                self._hold_until = time.monotonic() + 30
            elif command == "PRIVMSG" and len(params) == 2:
                msg = self._incoming(tags, prefix, params[1])
                if msg:
                    out.append(msg)
        return out

    def _incoming(self, tags: dict[str, str], prefix: str, text: str) -> Incoming | None:
        login = prefix.split("!", 1)[0].lower()
        msg_id, user_id = tags.get("id"), tags.get("user-id") or login
        if not msg_id or login == self.nick:
            return None
        mention = re.compile(rf"@{re.escape(self.nick)}\b[,:]?", re.I)
        if not (self.answer_all or mention.search(text)):
            return None
        question = mention.sub(" ", text).strip()
        return Incoming(key=msg_id, user_id=user_id, text=question or None,
                        thread={"channel": self.twitch_channel, "msg_id": msg_id})

    def length(self, text: str) -> int:
        """Each line is its own chat message: the longest line counts."""
        return max(len(line) for line in text.split("\n"))

    def post(self, thread: dict[str, Any], text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                self._throttle()
                self._write(f"@reply-parent-msg-id={thread['msg_id']} PRIVMSG #{thread['channel']} :{line}")

    def _throttle(self) -> None:
        now = time.monotonic()
        while self._sent and now - self._sent[0] > 30:
            self._sent.popleft()
        wait = max(self._hold_until - now, (30 - (now - self._sent[0])) if len(self._sent) >= self.per_30s else 0)
        if wait > 0 and self._stop.wait(wait):
            raise PlatformError("stopping")
        self._sent.append(time.monotonic())
