"""What the connectors remember: messages answered, cursors, pause flags, approvals waiting.

:class:`Ledger` is the small protocol a connector needs; :class:`SQLiteLedger` keeps it in
``<persona>/.avatar/connectors.sqlite3`` (WAL, shared safely by several processes on one
machine). A PostgreSQL state layer can implement the same eight methods.

At most once: a connector :meth:`~Ledger.claim`\\ s a message key *before* it asks the avatar,
so two replicas (or a restart that sees the same update again) never both answer. The price:
a crash between the claim and the post loses that one answer rather than sending it twice.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from .._sqlite import Database

FILE = "connectors.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS processed (key TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS platform (name TEXT PRIMARY KEY, cursor TEXT, paused INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS waiting (queue_id TEXT PRIMARY KEY, platform TEXT NOT NULL,
                                    thread TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS waiting_platform ON waiting(platform);
CREATE TABLE IF NOT EXISTS outbox (queue_id TEXT PRIMARY KEY, reply TEXT NOT NULL, at TEXT NOT NULL);
"""


class Ledger(Protocol):
    """The state a connector keeps; every method is atomic on its own."""

    def claim(self, key: str) -> bool:
        """True for the first caller with ``key`` (ever, in any process); False after."""

    def cursor(self, platform: str) -> str | None: ...
    def set_cursor(self, platform: str, value: str) -> None: ...
    def paused(self, platform: str) -> bool: ...
    def set_paused(self, platform: str, paused: bool) -> None: ...

    def wait_for(self, queue_id: str, platform: str, thread: dict[str, Any]) -> None:
        """Remember where to post the creator's answer to queue item ``queue_id``."""

    def waiting(self, platform: str) -> list[tuple[str, dict[str, Any]]]:
        """(queue id, thread) pairs still waiting for the creator on ``platform``."""

    def put_outbox(self, queue_id: str, reply: dict[str, Any]) -> None:
        """Store a reply the creator sent from the queue (called by the review side)."""

    def take_outbox(self, queue_id: str) -> dict[str, Any] | None:
        """Remove and return the reply for ``queue_id`` (once: a second call gets None)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SQLiteLedger:
    """The embedded :class:`Ledger` in a persona's state folder."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = Database(self.path, _SCHEMA)

    @classmethod
    def for_persona(cls, state_dir: str | Path) -> "SQLiteLedger":
        return cls(Path(state_dir) / FILE)

    def claim(self, key: str) -> bool:
        return self.db.run("INSERT OR IGNORE INTO processed(key, at) VALUES (?, ?)", (key, _now())).rowcount == 1

    def cursor(self, platform: str) -> str | None:
        rows = self.db.rows("SELECT cursor FROM platform WHERE name=?", (platform,))
        return rows[0][0] if rows else None

    def set_cursor(self, platform: str, value: str) -> None:
        self.db.run("INSERT INTO platform(name, cursor) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET cursor=excluded.cursor", (platform, value))

    def paused(self, platform: str) -> bool:
        rows = self.db.rows("SELECT paused FROM platform WHERE name=?", (platform,))
        return bool(rows and rows[0][0])

    def set_paused(self, platform: str, paused: bool) -> None:
        self.db.run("INSERT INTO platform(name, paused) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET paused=excluded.paused", (platform, int(paused)))

    def wait_for(self, queue_id: str, platform: str, thread: dict[str, Any]) -> None:
        self.db.run("INSERT OR REPLACE INTO waiting(queue_id, platform, thread, at) VALUES (?,?,?,?)",
                    (queue_id, platform, json.dumps(thread), _now()))

    def waiting(self, platform: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.db.rows("SELECT queue_id, thread FROM waiting WHERE platform=? ORDER BY at", (platform,))
        return [(qid, json.loads(thread)) for qid, thread in rows]

    def put_outbox(self, queue_id: str, reply: dict[str, Any]) -> None:
        self.db.run("INSERT OR REPLACE INTO outbox(queue_id, reply, at) VALUES (?,?,?)",
                    (queue_id, json.dumps(reply, ensure_ascii=False), _now()))

    def take_outbox(self, queue_id: str) -> dict[str, Any] | None:
        rows = self.db.rows("DELETE FROM outbox WHERE queue_id=? RETURNING reply", (queue_id,))
        if not rows:
            return None
        self.db.run("DELETE FROM waiting WHERE queue_id=?", (queue_id,))
        return json.loads(rows[0][0])

    def status(self, platform: str) -> dict[str, Any]:
        """What ``avatar connectors status`` prints."""
        answered = self.db.rows("SELECT COUNT(*) FROM processed WHERE key LIKE ?", (platform + ":%",))[0][0]
        return {"platform": platform, "paused": self.paused(platform), "cursor": self.cursor(platform),
                "answered": answered, "waiting_for_creator": len(self.waiting(platform))}


def record_delivery(state_dir: Path, queue_id: str, reply: Any) -> None:
    """Review hook: a reply the creator sent from the queue goes to the outbox, if a connector
    is waiting for that queue item (in this process or another one)."""
    path = Path(state_dir) / FILE
    if not path.is_file():
        return
    try:
        ledger = SQLiteLedger(path)
        if ledger.db.rows("SELECT 1 FROM waiting WHERE queue_id=?", (queue_id,)):
            ledger.put_outbox(queue_id, reply.to_dict())
    except sqlite3.Error as exc:    # the reply is sent and audited; only the platform post is lost
        logging.getLogger("avatar.connectors").error(
            "queue item %s: could not hand the reply to the connectors (%s) — post it on the "
            "platform yourself", queue_id, exc)
