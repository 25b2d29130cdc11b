"""A tamper-evident audit log of every reply's signed record.

Each line of ``audit.jsonl`` is ``{"seq", "prev", "entry", "hash"}`` where
``hash = sha256(prev + canonical(entry))``: editing an entry breaks its hash, deleting one
breaks the chain. The newest ``(seq, hash)`` is also kept in ``audit.head``, signed with the
persona key, so cutting entries off the end is caught too.

Durability: each append is written and flushed to the OS under an exclusive ``flock`` (so
it survives the app crashing, and several processes can share a persona), without fsync.
The head is rewritten in place, padded with spaces so it never shrinks (JSON ignores the
padding), rather than written to a temporary file and renamed: the rename cost 0.6 ms of the
1.4 ms an append took. A power cut can lose the newest entries; ``avatar audit verify`` then
reports the log and the head out of step rather than passing silently.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from .disclosure import canonical
from .keys import PublicKey, SigningKey, b64, unb64

GENESIS = "0" * 64
HEAD_BYTES = 512     # the head file is padded to this size (or its largest size so far)


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    entries: int
    problem: str = ""
    line: int | None = None

    def __str__(self) -> str:
        if self.ok:
            return f"audit log OK: {self.entries} entries, chain and signed head intact"
        where = f" (line {self.line})" if self.line else ""
        return f"audit log BROKEN{where}: {self.problem}"


def _entry_hash(prev: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev.encode() + canonical(entry)).hexdigest()


class AuditLog:
    def __init__(self, folder: Path, key: SigningKey) -> None:
        self.path = folder / "audit.jsonl"
        self.head_path = folder / "audit.head"
        self.key = key
        self._lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)

    def append(self, entry: Mapping[str, Any]) -> int:
        """Append one entry (a disclosure dict); return its sequence number."""
        with self._lock, open(self.path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)   # several processes may share a persona
            try:
                seq, prev = self._tail()
                seq += 1
                digest = _entry_hash(prev, entry)
                fh.write(json.dumps({"seq": seq, "prev": prev, "entry": entry, "hash": digest},
                                    ensure_ascii=False, sort_keys=True) + "\n")
                fh.flush()
                self._write_head(seq, digest)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return seq

    def _tail(self) -> tuple[int, str]:
        if self.head_path.is_file():
            head = json.loads(self.head_path.read_text())
            return int(head["seq"]), str(head["hash"])
        return 0, GENESIS

    def _write_head(self, seq: int, digest: str) -> None:
        """Overwrite the head in place (called with the log's lock held)."""
        body = {"seq": seq, "hash": digest}
        head = {**body, "signature": b64(self.key.sign(canonical(body))), "key_id": self.key.public.id}
        data = json.dumps(head).encode()
        fd = os.open(self.head_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            os.pwrite(fd, data.ljust(max(size, HEAD_BYTES)), 0)
        finally:
            os.close(fd)

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.is_file():
            return
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)["entry"]

    def verify(self, public: PublicKey | None = None) -> AuditReport:
        return verify_log(self.path, self.head_path, public or self.key.public)


def verify_log(path: Path, head_path: Path, public: PublicKey) -> AuditReport:
    """Walk the chain; report the first broken line, then check the signed head."""
    prev, seq, count = GENESIS, 0, 0
    if path.is_file():
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    ok_shape = isinstance(row, dict) and {"seq", "prev", "entry", "hash"} <= row.keys()
                except json.JSONDecodeError:
                    ok_shape = False
                if not ok_shape:
                    return AuditReport(False, count, "not a valid log entry (edited by hand?)", lineno)
                if row["seq"] != seq + 1 or row["prev"] != prev:
                    return AuditReport(False, count, f"chain broken before entry {row['seq']}: an "
                                       "entry was deleted or reordered", lineno)
                if _entry_hash(prev, row["entry"]) != row["hash"]:
                    return AuditReport(False, count, f"entry {row['seq']} was edited", lineno)
                prev, seq, count = row["hash"], row["seq"], count + 1
    return _check_head(head_path, public, seq, prev, count)


def _check_head(head_path: Path, public: PublicKey, seq: int, prev: str, count: int) -> AuditReport:
    if not head_path.is_file():
        return AuditReport(count == 0, count, "" if count == 0 else "the signed head file is missing")
    head = json.loads(head_path.read_text())
    body = {"seq": head.get("seq"), "hash": head.get("hash")}
    if not public.verify(unb64(head.get("signature", "")), canonical(body)):
        return AuditReport(False, count, "the head's signature is wrong (head file forged?)")
    if body["seq"] != seq or body["hash"] != prev:
        return AuditReport(False, count, f"the log ends at entry {seq} but the signed head says "
                           f"{body['seq']}: entries were removed from the end")
    return AuditReport(True, count)
