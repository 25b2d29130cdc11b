"""A local stand-in for a Bluesky PDS (XRPC over HTTP), written from the public lexicons:
``com.atproto.server.createSession``, ``app.bsky.actor.getProfile``,
``app.bsky.notification.listNotifications`` (newest first, paged by cursor),
``app.bsky.feed.getPosts`` and ``com.atproto.repo.createRecord`` (300-grapheme posts,
counted here as code points). Calls need the session's bearer token."""

from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from ._http import FakeHTTPServer

POST = "app.bsky.feed.post"


def _jwt(sub: str, hours: int = 2) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    now = int(time.time())
    claims = {"sub": sub, "exp": now + hours * 3600, "iat": now, "scope": "com.atproto.appPass"}
    return f"{enc({'alg': 'ES256K', 'typ': 'at+jwt'})}.{enc(claims)}.c2ln"


def _error(status: int, name: str, message: str) -> tuple[int, Any, dict[str, str]]:
    return status, {"error": name, "message": message}, {}


class FakeBluesky(FakeHTTPServer):
    """``fan_posts(...)`` makes a fan mention or reply to the account; ``created`` holds the
    records the connector wrote."""

    def __init__(self, handle: str, password: str, port: int = 0) -> None:
        super().__init__(self._route, port)
        self.handle, self.password = handle, password
        self.did = "did:plc:avatar" + secrets.token_hex(6)
        self.posts: dict[str, dict[str, Any]] = {}      # uri -> {uri, cid, author, record, indexedAt}
        self.notifications: list[dict[str, Any]] = []   # oldest first
        self.created: list[dict[str, Any]] = []
        self._token = ""
        self._clock = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)

    def _tick(self) -> str:
        self._clock += timedelta(seconds=1)
        return self._clock.isoformat().replace("+00:00", "Z")

    def fan_posts(self, fan_did: str, text: str, *, reply_to: str | None = None,
                  reason: str = "mention") -> dict[str, Any]:
        """A fan's post that mentions the account (or replies to post ``reply_to``)."""
        with self.lock:
            record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": self._tick()}
            if reply_to:
                parent = self.posts[reply_to]
                root = parent["record"].get("reply", {}).get("root") or {"uri": parent["uri"], "cid": parent["cid"]}
                record["reply"] = {"root": root, "parent": {"uri": parent["uri"], "cid": parent["cid"]}}
                reason = "reply"
            post = self._store(fan_did, record)
            self.notifications.append({**post, "reason": reason, "isRead": False, "labels": []})
            return post

    def renotify(self, post: dict[str, Any]) -> None:
        """The same notification listed again (e.g. the connector restarted without a cursor)."""
        with self.lock:
            self.notifications.append({**post, "reason": "mention", "isRead": False, "labels": []})

    def _store(self, did: str, record: dict[str, Any]) -> dict[str, Any]:
        rkey = secrets.token_hex(7)
        post = {"uri": f"at://{did}/{POST}/{rkey}", "cid": "bafyrei" + secrets.token_hex(20),
                "author": {"did": did, "handle": did.rsplit(":", 1)[-1] + ".test"},
                "record": record, "indexedAt": record["createdAt"]}
        self.posts[post["uri"]] = post
        return post

    def _route(self, verb: str, path: str, params: dict[str, Any], headers: dict[str, str]):
        method = path.removeprefix("/xrpc/")
        if method == "com.atproto.server.createSession":
            return self._session(params)
        if headers.get("Authorization") != f"Bearer {self._token}" or not self._token:
            return _error(401, "AuthenticationRequired", "Authentication Required")
        with self.lock:
            if method == "app.bsky.actor.getProfile":
                return 200, {"did": self.did, "handle": self.handle, "displayName": "Mara (AI avatar)"}, {}
            if method == "app.bsky.notification.listNotifications":
                return 200, self._list(params), {}
            if method == "app.bsky.feed.getPosts":
                uris = params.get("uris") or []
                return 200, {"posts": [self._view(self.posts[u]) for u in ([uris] if isinstance(uris, str) else uris)
                                       if u in self.posts]}, {}
            if method == "com.atproto.repo.createRecord":
                return self._create(params)
        return _error(400, "MethodNotImplemented", f"{method} is not served by this fake")

    def _session(self, params: dict[str, Any]):
        if params.get("identifier") not in (self.handle, self.did) or params.get("password") != self.password:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        self._token = _jwt(self.did)
        return 200, {"did": self.did, "handle": self.handle, "accessJwt": self._token,
                     "refreshJwt": _jwt(self.did, 48), "active": True}, {}

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        newest = self.notifications[::-1]
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 50)
        page = newest[start:start + limit]
        out: dict[str, Any] = {"notifications": page}
        if start + limit < len(newest):
            out["cursor"] = str(start + limit)
        return out

    @staticmethod
    def _view(post: dict[str, Any]) -> dict[str, Any]:
        return {"uri": post["uri"], "cid": post["cid"], "author": post["author"], "record": post["record"],
                "indexedAt": post["indexedAt"]}

    def _create(self, params: dict[str, Any]):
        record = params.get("record") or {}
        if params.get("repo") != self.did or params.get("collection") != POST:
            return _error(400, "InvalidRequest", "repo must be the session's DID and collection a post")
        text = str(record.get("text", ""))
        if len(text) > 300:
            return _error(400, "InvalidRecord", "Record/text must not be longer than 300 graphemes")
        post = self._store(self.did, {**record, "createdAt": self._tick()})
        self.created.append(post)
        return 200, {"uri": post["uri"], "cid": post["cid"]}, {}
