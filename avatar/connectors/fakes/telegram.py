"""A local stand-in for the Telegram Bot API (getMe, getUpdates, sendMessage), written from
the public Bot API reference: ``{"ok": true, "result": …}`` answers, ``update_id`` offsets
that confirm earlier updates, 429 with ``parameters.retry_after``, 4096-character messages."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from ._http import FakeHTTPServer

BOT = {"id": 7000001, "is_bot": True, "first_name": "Mara (AI avatar)", "username": "mara_avatar_bot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
_OBJECT_FIELDS = ("reply_parameters", "link_preview_options", "allowed_updates", "reply_markup")


class FakeTelegram(FakeHTTPServer):
    """``fan_says(...)`` queues an update; ``sent`` holds every sendMessage call."""

    def __init__(self, token: str, port: int = 0) -> None:
        super().__init__(self._route, port)
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self._next_update, self._next_message = 100, 1
        self._arrived = threading.Condition(self.lock)

    def fan_says(self, user_id: int, text: str, *, chat_type: str = "private", name: str = "Fan") -> dict:
        with self.lock:
            chat = {"id": user_id if chat_type == "private" else -1000 - user_id, "type": chat_type}
            update = {"update_id": self._next_update, "message": {
                "message_id": self._next_message, "date": int(time.time()), "chat": chat, "text": text,
                "from": {"id": user_id, "is_bot": False, "first_name": name}}}
            self._next_update += 1
            self._next_message += 1
            self.updates.append(update)
            self._arrived.notify_all()
        return update

    def redeliver(self, update: dict) -> None:
        """The same update again (as after a lost confirmation)."""
        with self.lock:
            self.updates.append(json.loads(json.dumps(update)))

    def _route(self, verb: str, path: str, params: dict[str, Any], headers: dict[str, str]):
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
        for name in _OBJECT_FIELDS:
            if isinstance(params.get(name), str):
                params[name] = json.loads(params[name])
        method = path[len(prefix):]
        if method == "getMe":
            return 200, {"ok": True, "result": BOT}, {}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}, {}
        if method == "sendMessage":
            return self._send(params)
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, {}

    def _get_updates(self, params: dict[str, Any]) -> list[dict]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 2.0)
        deadline = time.monotonic() + wait
        with self.lock:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._arrived.wait(deadline - time.monotonic())
            return list(self.updates)

    def _send(self, params: dict[str, Any]):
        text = str(params.get("text", ""))
        if len(text) > 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}, {}
        with self.lock:
            self.sent.append(params)
            mid = self._next_message
            self._next_message += 1
        sent = {"message_id": mid, "date": int(time.time()), "text": text,
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": {k: BOT[k] for k in ("id", "is_bot", "first_name", "username")}}
        return 200, {"ok": True, "result": sent}, {}
