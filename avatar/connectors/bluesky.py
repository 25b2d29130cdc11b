"""Bluesky: mentions of and replies to the account answer on channel ``comment`` (atproto).

Logs in with an app password (``createSession``), reads ``listNotifications`` (mentions and
replies, oldest first, from the stored ``indexedAt`` cursor, at most ``max_pages`` pages a
round) and posts each answer as a reply in the fan's thread (``reply.root`` kept,
``reply.parent`` = the fan's post) with ``createRecord``. The record link is a link facet.

Length: Bluesky counts 300 graphemes; we count code points, which is never fewer, so a
post that fits here fits there.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from ..errors import ConnectorError, PlatformError
from .base import Connector, Incoming
from .settings import redact, remember_secret

REASONS = ("mention", "reply")


def _import_atproto() -> tuple[Any, Any]:
    try:
        import atproto
        from atproto_client import exceptions
    except ImportError:   # pragma: no cover - depends on the extra
        raise ConnectorError("the Bluesky connector needs atproto — pip install 'avatar[connectors]'") from None
    return atproto, exceptions


def _retry_after(headers: dict[str, Any] | None) -> float | None:
    h = {str(k).lower(): v for k, v in (headers or {}).items()}
    if "retry-after" in h:
        return max(0.0, float(h["retry-after"]))
    if "ratelimit-reset" in h:
        return max(0.0, float(h["ratelimit-reset"]) - time.time())
    return None


class BlueskyConnector(Connector):
    platform = "bluesky"
    channel = "comment"
    limit = 300

    def __init__(self, avatar: Any, ledger: Any, *, handle: str, password: str,
                 pds_url: str = "https://bsky.social", max_pages: int = 5, **kwargs: Any) -> None:
        super().__init__(avatar, ledger, **kwargs)
        self.account, self._password = handle.lstrip("@"), remember_secret(password)
        self.pds_url, self.max_pages = pds_url.rstrip("/"), max_pages
        self._at, self._errors = _import_atproto()
        self._client: Any = None
        self._did: str | None = None

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        exc_mod = self._errors
        try:
            return fn(*args, **kwargs)
        except exc_mod.UnauthorizedError:
            if self._client is None or self._did is None:
                raise ConnectorError("Bluesky refused the login — check BLUESKY_HANDLE and "
                                     "BLUESKY_APP_PASSWORD (Settings → Privacy and security → App passwords)") from None
            raise PlatformError("Bluesky session expired") from None
        except exc_mod.BadRequestError as exc:
            raise PlatformError(f"Bluesky rejected the request: {redact(str(exc))}", retryable=False) from None
        except exc_mod.RequestErrorBase as exc:
            headers = exc.response.headers if exc.response is not None else None
            status = exc.response.status_code if exc.response is not None else None
            wait = _retry_after(headers) if status == 429 else None
            raise PlatformError(f"Bluesky {'says slow down' if status == 429 else 'failed'}: "
                                f"{redact(str(exc) or type(exc).__name__)}", retry_after=wait) from None

    def open(self) -> None:
        client = self._at.Client(base_url=f"{self.pds_url}/xrpc")
        self._client, self._did = client, None
        self._call(client.login, self.account, self._password)
        self._did = client.me.did if client.me else None

    def close(self) -> None:
        self._client, self._did = None, None

    def fetch(self) -> Iterable[Incoming]:
        since = self.ledger.cursor(self.platform) or ""
        fresh: list[Any] = []
        page_cursor = None
        for _ in range(self.max_pages):
            params: dict[str, Any] = {"limit": 50}
            if page_cursor:
                params["cursor"] = page_cursor
            page = self._call(self._client.app.bsky.notification.list_notifications, params=params)
            newer = [n for n in page.notifications if n.indexed_at >= since]
            fresh.extend(newer)
            page_cursor = page.cursor
            if len(newer) < len(page.notifications) or not page_cursor:
                break
        fresh.sort(key=lambda n: n.indexed_at)
        return [self._incoming(n) for n in fresh]

    def _incoming(self, n: Any) -> Incoming:
        text = getattr(n.record, "text", None)
        if n.reason not in REASONS or n.author.did == self._did or not isinstance(text, str):
            return Incoming(key=n.uri, user_id="", text=None, thread={}, cursor=n.indexed_at)
        reply = getattr(n.record, "reply", None)
        root = reply.root if reply is not None else None
        thread = {"uri": n.uri, "cid": n.cid, "root_uri": root.uri if root else n.uri,
                  "root_cid": root.cid if root else n.cid}
        question = text.replace("@" + self.account, " ").strip()
        return Incoming(key=n.uri, user_id=n.author.did, text=question or None, thread=thread,
                        cursor=n.indexed_at)

    def post(self, thread: dict[str, Any], text: str) -> None:
        m = self._at.models
        ref = m.AppBskyFeedPost.ReplyRef(
            parent=m.ComAtprotoRepoStrongRef.Main(uri=thread["uri"], cid=thread["cid"]),
            root=m.ComAtprotoRepoStrongRef.Main(uri=thread["root_uri"], cid=thread["root_cid"]))
        self._call(self._client.send_post, text=text, reply_to=ref, facets=self._link_facets(text))

    def _link_facets(self, text: str) -> list[Any]:
        """Make the record link clickable (facets index UTF-8 bytes)."""
        m = self._at.models
        start = text.rfind(self.link_sep) + len(self.link_sep)
        link = text[start:]
        begin = len(text[:start].encode())
        return [m.AppBskyRichtextFacet.Main(
            index=m.AppBskyRichtextFacet.ByteSlice(byte_start=begin, byte_end=begin + len(link.encode())),
            features=[m.AppBskyRichtextFacet.Link(uri=link)])]
