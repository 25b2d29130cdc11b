"""What the guardrails decided, and how fast each fan writes — no message text stored.

:class:`VerdictLog` keeps one row per verdict: time, pseudonymous fan session, channel,
side, rule, action and the rule's fixed reason. :class:`RateLimiter` keeps the times of each
fan's accepted messages (under the same pseudonym) and answers "may this one go through?".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from ._sqlite import Database
from .policy import Verdict

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, fan_session TEXT NOT NULL,
  channel TEXT NOT NULL, side TEXT NOT NULL, rule TEXT NOT NULL, action TEXT NOT NULL,
  reason TEXT NOT NULL, reply_id TEXT);
CREATE INDEX IF NOT EXISTS verdicts_fan ON verdicts(fan_session, at);
CREATE TABLE IF NOT EXISTS rate (fan_session TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rate_fan ON rate(fan_session, at);
"""


class VerdictLog:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.add_schema(_SCHEMA)

    def log(self, verdicts: Iterable[Verdict], *, fan_session: str, channel: str, at: datetime,
            reply_id: str | None = None) -> None:
        for v in verdicts:
            self.db.run("INSERT INTO verdicts(at, fan_session, channel, side, rule, action, reason, "
                        "reply_id) VALUES (?,?,?,?,?,?,?,?)",
                        (at.isoformat(), fan_session, channel, v.side, v.rule, v.action, v.reason, reply_id))

    def hits(self, fan_session: str, since: datetime) -> int:
        """Guardrail hits (any verdict but ``instruct``) for this fan since ``since``."""
        return self.db.rows("SELECT COUNT(*) FROM verdicts WHERE fan_session=? AND at>=? "
                            "AND action!='instruct'", (fan_session, since.isoformat()))[0][0]

    def entries(self, fan_session: str | None = None) -> list[dict]:
        sql = "SELECT at, fan_session, channel, side, rule, action, reason, reply_id FROM verdicts"
        rows = self.db.rows(sql + (" WHERE fan_session=?" if fan_session else "") + " ORDER BY id",
                            (fan_session,) if fan_session else ())
        keys = ("at", "fan_session", "channel", "side", "rule", "action", "reason", "reply_id")
        return [dict(zip(keys, r)) for r in rows]

    def forget(self, fan_session: str) -> None:
        self.db.run("DELETE FROM verdicts WHERE fan_session=?", (fan_session,))
        self.db.run("DELETE FROM rate WHERE fan_session=?", (fan_session,))


class RateLimiter:
    """Sliding windows of one minute and one day per fan."""

    def __init__(self, db: Database, per_minute: int, per_day: int) -> None:
        self.db, self.per_minute, self.per_day = db, per_minute, per_day
        db.add_schema(_SCHEMA)

    def allow(self, fan_session: str, at: datetime) -> bool:
        """True (and the message is counted) unless a window is full."""
        minute = self._count(fan_session, at - timedelta(minutes=1))
        day = self._count(fan_session, at - timedelta(days=1))
        if minute >= self.per_minute or day >= self.per_day:
            return False
        self.db.run("INSERT INTO rate(fan_session, at) VALUES (?,?)", (fan_session, at.isoformat()))
        self.db.run("DELETE FROM rate WHERE fan_session=? AND at<?",
                    (fan_session, (at - timedelta(days=2)).isoformat()))
        return True

    def _count(self, fan_session: str, since: datetime) -> int:
        return self.db.rows("SELECT COUNT(*) FROM rate WHERE fan_session=? AND at>?",
                            (fan_session, since.isoformat()))[0][0]
