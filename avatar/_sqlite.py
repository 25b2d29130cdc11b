"""One small SQLite helper shared by the per-persona state files (memory, queues, logs)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any, Sequence


class Database:
    """A thread-safe connection in autocommit mode; WAL for files so readers don't block."""

    def __init__(self, path: str | Path = ":memory:", schema: str = "") -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()
        with self.lock:
            if str(path) != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                # synchronous=NORMAL: safe if the app crashes and no fsync per commit (1.4 ms
                # -> 0.03 ms a write); a power cut may lose the last writes, never corrupt.
                self._db.execute("PRAGMA synchronous=NORMAL")
            if schema:
                self._db.executescript(schema)

    def run(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self._db.execute(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.lock:
            return self._db.execute(sql, params).fetchall()

    def add_schema(self, schema: str) -> None:
        with self.lock:
            self._db.executescript(schema)
