"""The creator's queues: human handoff and reply approval, in SQLite per persona.

``handoff`` items are messages the avatar passed to the creator (crisis, legal threats,
business inquiries, "I want the real you", repeated guardrail hits). ``approval`` items are
drafts waiting for the creator on a channel with ``approval = true``. The fan's message is
kept here because the creator must read it to act; this file lives next to the fans'
conversations (``<persona>/.avatar/control.sqlite3``) and ``forget(fan_id)`` clears it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from ._sqlite import Database
from .errors import QueueError

KINDS = ("handoff", "approval")
STATUSES = ("open", "approved", "edited", "rewritten", "dismissed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, fan_id TEXT NOT NULL, channel TEXT NOT NULL,
  message TEXT NOT NULL, draft TEXT, reason TEXT NOT NULL, created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open', resolved_at TEXT, meta TEXT);
CREATE INDEX IF NOT EXISTS queue_open ON queue(kind, status, created_at);
"""
_COLS = "id, kind, fan_id, channel, message, draft, reason, created_at, status"


@dataclass(frozen=True)
class QueueItem:
    id: str
    kind: str
    fan_id: str
    channel: str
    message: str
    draft: str | None
    reason: str
    created_at: datetime
    status: str

    @classmethod
    def from_row(cls, row: tuple) -> "QueueItem":
        item_id, kind, fan_id, channel, message, draft, reason, created, status = row[:9]
        return cls(item_id, kind, fan_id, channel, message, draft, reason, datetime.fromisoformat(created), status)

    def to_dict(self) -> dict:
        return {**self.__dict__, "created_at": self.created_at.isoformat()}


class Queue:
    """Open items for the creator. Ids are short random strings (``q-…``)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.add_schema(_SCHEMA)

    def add(self, kind: str, *, fan_id: str, channel: str, message: str, reason: str,
            at: datetime, draft: str | None = None, meta: dict | None = None) -> QueueItem:
        """Queue one item. ``meta`` (JSON) holds what approval needs later: the drafting
        backend's name/provider/model and the retrieved post ids."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        item_id = "q-" + uuid.uuid4().hex[:12]
        self.db.run(f"INSERT INTO queue({_COLS}, meta) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (item_id, kind, fan_id, channel, message, draft, reason, at.isoformat(), "open",
                     json.dumps(meta or {})))
        return self.get(item_id)

    def list(self, kind: str | None = None, status: str | None = "open",
             fan_id: str | None = None) -> list[QueueItem]:
        """Items, oldest first. ``kind``/``status``/``fan_id`` of None mean any."""
        for value, allowed, what in ((kind, KINDS, "kind"), (status, STATUSES, "status")):
            if value is not None and value not in allowed:
                raise QueueError(f"unknown queue {what} '{value}' — use one of {', '.join(allowed)}")
        sql, args = f"SELECT {_COLS} FROM queue WHERE 1=1", []
        for col, value in (("kind", kind), ("status", status), ("fan_id", fan_id)):
            if value is not None:
                sql += f" AND {col}=?"
                args.append(value)
        return [QueueItem.from_row(r) for r in self.db.rows(sql + " ORDER BY created_at, rowid", args)]

    def get(self, item_id: str) -> QueueItem:
        rows = self.db.rows(f"SELECT {_COLS} FROM queue WHERE id=?", (item_id,))
        if not rows:
            raise QueueError(f"no queue item '{item_id}' — list them with `avatar queue list`")
        return QueueItem.from_row(rows[0])

    def meta(self, item_id: str) -> dict:
        rows = self.db.rows("SELECT meta FROM queue WHERE id=?", (item_id,))
        return json.loads(rows[0][0] or "{}") if rows else {}

    def take_open(self, item_id: str, kind: str | None = None) -> QueueItem:
        """The item, checked to be open (and of ``kind``), or a QueueError saying why not."""
        item = self.get(item_id)
        if kind and item.kind != kind:
            raise QueueError(f"queue item '{item_id}' is a {item.kind} item, not {kind} — "
                             "only approval drafts can be approved or rewritten")
        if item.status != "open":
            raise QueueError(f"queue item '{item_id}' is already {item.status} — nothing to do")
        return item

    def resolve(self, item_id: str, status: str, at: datetime) -> None:
        if status not in STATUSES[1:]:
            raise ValueError(f"status must be one of {STATUSES[1:]}")
        self.db.run("UPDATE queue SET status=?, resolved_at=? WHERE id=? AND status='open'",
                    (status, at.isoformat(), item_id))

    def has_open(self, kind: str, fan_id: str) -> bool:
        return bool(self.db.rows("SELECT 1 FROM queue WHERE kind=? AND fan_id=? AND status='open' "
                                 "LIMIT 1", (kind, fan_id)))

    def forget(self, fan_id: str) -> int:
        return self.db.run("DELETE FROM queue WHERE fan_id=?", (fan_id,)).rowcount
