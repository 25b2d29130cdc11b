"""Between reading posts and storing them: privacy scrub, chunking, the import report,
and choosing what ``Avatar.forget`` removes.

    posts read ─► new ones only (ids not yet stored) ─► scrub personal data ─► chunk long
    posts (ids ``<post id>``, ``<post id>#2``, ...) ─► embed + store, all or nothing

A long post's first chunk keeps the post's own id, so "is this post stored already?" is one
id lookup and re-importing the same export embeds nothing.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from .config import PersonaConfig
from .errors import ConfigError
from .ingest.base import Rejection
from .ingest.fields import parse_datetime
from .scrub import Scrubber
from .types import Post

__all__ = ["IngestReport", "chunk_posts", "ingest", "matching_ids", "prepare"]

Splitter = Callable[[str, int, int], list[str]]


@dataclass(frozen=True)
class IngestReport:
    """What an import did. ``skipped`` is the number of duplicates (already stored, or twice
    in the input); ``skipped_by_rule`` counts records left out on purpose (``{"retweet": 4}``);
    ``scrubbed`` counts personal data removed from the added posts (``{"emails": 2}``);
    ``chunks`` is the number of pieces stored (a long post becomes several)."""

    read: int
    added: int
    skipped: int
    rejected: list[Rejection] = field(default_factory=list)
    skipped_by_rule: Mapping[str, int] = field(default_factory=dict)
    scrubbed: Mapping[str, int] = field(default_factory=dict)
    ignored_files: int = 0
    chunks: int = 0

    @property
    def duplicates(self) -> int:
        return self.skipped

    def summary(self) -> str:
        line = (f"read {self.read}, added {self.added}, skipped {self.skipped} (duplicates), "
                f"rejected {len(self.rejected)}")
        if self.skipped_by_rule:
            line += ", skipped by rule: " + format_counts(self.skipped_by_rule)
        if self.scrubbed:
            line += ", scrubbed: " + format_counts(self.scrubbed)
        if self.chunks and self.chunks != self.added:
            line += f", stored as {self.chunks} entries (long posts are split into chunks)"
        if self.ignored_files:
            line += f", {self.ignored_files} export files ignored (media, account data, messages)"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "added": self.added, "skipped": self.skipped, "duplicates": self.skipped,
                "skipped_by_rule": dict(self.skipped_by_rule), "scrubbed": dict(self.scrubbed),
                "ignored_files": self.ignored_files, "chunks": self.chunks,
                "rejected": [{"where": r.source + (f":{r.location}" if r.location else ""), "reason": r.reason}
                             for r in self.rejected]}


def format_counts(counts: Mapping[str, int]) -> str:
    """``{"email": 2, "phone": 1}`` -> ``"2 email, 1 phone"``."""
    return ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))


def prepare(posts: Sequence[Post], config: PersonaConfig,
            split: Splitter | None = None) -> tuple[list[Post], Counter[str]]:
    """Scrub and chunk ``posts``: the pieces to store, and what was scrubbed."""
    settings = config.ingest
    scrubber = Scrubber(handles=settings.scrub_handles, keep_handles=[config.handle, *settings.keep_handles])
    counts: Counter[str] = Counter()
    clean: list[Post] = []
    for post in posts:
        text, found = scrubber.scrub(post.text)
        context, in_context = scrubber.scrub(post.context) if post.context else (None, Counter())
        counts += found + in_context
        clean.append(replace(post, text=text, context=context))
    return chunk_posts(clean, settings.chunk_chars, settings.chunk_overlap, split), counts


def chunk_posts(posts: Iterable[Post], chunk_chars: int, overlap: int,
                split: Splitter | None = None) -> list[Post]:
    """Posts longer than ``chunk_chars`` become pieces ``id``, ``id#2``, ``id#3`` ..."""
    out: list[Post] = []
    for post in posts:
        if len(post.text) <= chunk_chars:
            out.append(post)
            continue
        if split is None:
            from .langchain_adapter import split_text
            split = split_text
        pieces = split(post.text, chunk_chars, overlap) or [post.text]
        out += [replace(post, id=post.id if n == 1 else f"{post.id}#{n}", text=piece)
                for n, piece in enumerate(pieces, start=1)]
    return out


def matching_ids(entries: Iterable[tuple[str, Mapping[str, Any]]], *, ids: Iterable[str] | None = None,
                 platform: str | None = None, since: Any = None, until: Any = None) -> list[str]:
    """Stored ids (chunks included) matching every filter given; ConfigError if none is given.

    ``since``/``until`` take a datetime, a date or a string such as ``2024-03-01``; a bare
    date as ``until`` includes that whole day. Posts without a date never match a date filter.
    """
    if not ids and platform is None and since is None and until is None:
        raise ConfigError("say what to forget: give post ids, a platform, or a date range (since/until)")
    wanted = {i for i in ids or ()}
    low = _moment(since, "since", end_of_day=False) if since is not None else None
    high = _moment(until, "until", end_of_day=True) if until is not None else None
    found = []
    for item_id, meta in entries:
        if wanted and item_id.split("#", 1)[0] not in wanted:
            continue
        if platform is not None and str(meta.get("platform", "")).lower() != platform.lower():
            continue
        if (low or high) and not _within(meta.get("created_at"), low, high):
            continue
        found.append(item_id)
    return found


def _within(created: Any, low: datetime | None, high: datetime | None) -> bool:
    if not created:
        return False
    moment = parse_datetime(created)
    return (low is None or moment >= low) and (high is None or moment < high)


def _moment(value: Any, name: str, *, end_of_day: bool) -> datetime:
    """A UTC datetime; a bare date means its start (``since``) or the next day's start (``until``)."""
    bare = isinstance(value, date) and not isinstance(value, datetime) or (
        isinstance(value, str) and len(value.strip()) == 10)
    try:
        moment = parse_datetime(value.isoformat() if isinstance(value, date) else value)
    except (ValueError, AttributeError):
        raise ConfigError(f"{name} {value!r} is not a date; use e.g. 2024-03-01 or 2024-03-01T12:00:00Z") from None
    return moment + timedelta(days=1) if bare and end_of_day else moment


_ingest_lock = threading.Lock()


def ingest(parts: Any, paths: Iterable[Any], *, format: str | None = None,
           progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Read posts from ``paths`` and add the new ones to ``parts.store``, scrubbed and
    chunked; all or nothing for the store. Imports in one process run one at a time."""
    from .ingest import read_posts
    with _ingest_lock:
        result = read_posts(paths, format=format)
        existing = parts.store.existing_ids([p.id for p in result.posts])
        new = [p for p in result.posts if p.id not in existing]
        units, scrubbed = prepare(new, parts.persona.config)
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], len(units))
        stored = parts.store.add(units, progress=tick) if units else 0
    skipped = len(existing) + result.duplicates_in_input
    return IngestReport(read=result.read, added=len(new) if stored else 0, skipped=skipped,
                        rejected=list(result.rejected), skipped_by_rule=dict(result.skipped),
                        scrubbed=dict(scrubbed), ignored_files=result.ignored_files, chunks=stored)
