"""Per-fan conversation memory and disclosure timing, in SQLite.

Isolation is structural: every read takes a ``fan_id`` and filters on it; nothing here
is ever written to the persona's vector store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ._sqlite import Database
from .types import Message

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT, fan_id TEXT NOT NULL, channel TEXT NOT NULL,
  role TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_fan ON messages(fan_id, channel, id);
CREATE TABLE IF NOT EXISTS fans (
  fan_id TEXT PRIMARY KEY, minor INTEGER NOT NULL DEFAULT 0,
  last_message_at TEXT, last_notice_at TEXT);
"""


@dataclass(frozen=True)
class FanState:
    minor: bool = False
    last_message_at: datetime | None = None
    last_notice_at: datetime | None = None


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Memory:
    def __init__(self, path: str | Path = ":memory:") -> None:
        db = Database(path, _SCHEMA)
        self._db, self._lock = db._db, db.lock

    def history(self, fan_id: str, channel: str, limit: int) -> list[Message]:
        """This fan's last ``limit`` messages on ``channel``, oldest first."""
        if limit <= 0:
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT role, text, at FROM messages WHERE fan_id=? AND channel=? "
                "ORDER BY id DESC LIMIT ?", (fan_id, channel, limit)).fetchall()
        return [Message(role=r, text=t, at=_ts(a)) for r, t, a in reversed(rows)]

    def add(self, fan_id: str, channel: str, role: str, text: str, at: datetime) -> None:
        with self._lock:
            self._db.execute("INSERT INTO messages(fan_id, channel, role, text, at) VALUES (?,?,?,?,?)",
                             (fan_id, channel, role, text, at.isoformat()))

    def state(self, fan_id: str) -> FanState:
        with self._lock:
            row = self._db.execute("SELECT minor, last_message_at, last_notice_at FROM fans "
                                   "WHERE fan_id=?", (fan_id,)).fetchone()
        if not row:
            return FanState()
        return FanState(bool(row[0]), _ts(row[1]), _ts(row[2]))

    def touch(self, fan_id: str, at: datetime, noticed: bool) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO fans(fan_id) VALUES (?)", (fan_id,))
            self._db.execute("UPDATE fans SET last_message_at=? WHERE fan_id=?", (at.isoformat(), fan_id))
            if noticed:
                self._db.execute("UPDATE fans SET last_notice_at=? WHERE fan_id=?", (at.isoformat(), fan_id))

    def set_minor(self, fan_id: str, minor: bool = True) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO fans(fan_id) VALUES (?)", (fan_id,))
            self._db.execute("UPDATE fans SET minor=? WHERE fan_id=?", (int(minor), fan_id))

    def forget(self, fan_id: str) -> int:
        """Delete everything stored about a fan; return how many messages went."""
        with self._lock:
            n = self._db.execute("DELETE FROM messages WHERE fan_id=?", (fan_id,)).rowcount
            self._db.execute("DELETE FROM fans WHERE fan_id=?", (fan_id,))
        return n


def now() -> datetime:
    return datetime.now(timezone.utc)
