"""Read a creator's posts from files into :class:`~avatar.types.Post` objects.

    >>> result = read_posts(["exports/"])               # doctest: +SKIP
    >>> result.posts, result.rejected                   # doctest: +SKIP

Files may be JSON, JSONL, CSV, TXT, Markdown or a platform export (an X archive's
``tweets.js``, Instagram's JSON, TikTok's ``user_data.json``, YouTube Takeout CSVs; see
:data:`FORMATS`). Folders and ``.zip`` archives are read recursively, skipping hidden
files and ignoring what in an export is not the creator's posts (media, account data,
messages: see :mod:`avatar.ingest.walk`). Bad input never raises: every record or file
that cannot be used comes back as a :class:`Rejection` saying where, what and how to fix
it; records left out on purpose (retweets, photos without a caption) are counted by rule.
Only a missing path or an unknown ``format`` name raises :class:`~avatar.errors.IngestError`.
This module only parses; writing posts to the store happens elsewhere.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..types import Post
from .base import FileProblem, Item, Rejection, Skipped
from .registry import FORMATS, Format, cannot_tell, get_format, guess, sniff
from .walk import Entry, entries

__all__ = ["FORMATS", "ReadResult", "Rejection", "Skipped", "read_posts", "sniff"]


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read_posts` found.

    ``posts`` are unique by id (the first one wins); ``read`` counts every record seen,
    including duplicates, skipped and rejected records; ``rejected`` also holds whole-file
    problems; ``skipped`` counts records left out by rule (``{"retweet": 3}``);
    ``ignored_files`` counts export files that hold no posts (media, account data, messages).
    """

    posts: list[Post] = field(default_factory=list)
    read: int = 0
    duplicates_in_input: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: Mapping[str, int] = field(default_factory=dict)
    ignored_files: int = 0

    def summary(self) -> str:
        """One line for humans, e.g. "read 12 records: 10 posts, 1 duplicate, 1 rejected"."""
        line = (f"read {self.read} records: {len(self.posts)} posts, "
                f"{self.duplicates_in_input} duplicate{'s' * (self.duplicates_in_input != 1)}, "
                f"{len(self.rejected)} rejected")
        if self.skipped:
            line += ", skipped " + ", ".join(f"{n} {rule}" for rule, n in sorted(self.skipped.items()))
        return line


def read_posts(paths: Iterable[str | Path] | str | Path, format: str | None = None) -> ReadResult:
    """Read every post in ``paths`` (files or directories).

    ``format`` (a name from :data:`FORMATS`) overrides sniffing for every file read.
    Raises IngestError only for a path that does not exist or an unknown format name.
    """
    chosen = get_format(format) if format is not None else None
    roots = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    for root in roots:
        _require_exists(root)
    collector = _Collector()
    for entry in (e for root in roots for e in entries(root)):
        if isinstance(entry, Rejection):
            collector.rejected.append(entry)
        elif entry.ignored:
            collector.ignored += 1
        else:
            collector.read_file(entry, chosen)
    return collector.result()


def _require_exists(path: Path) -> None:
    if not path.exists():
        raise IngestError(f"no such file: {path} — check the path")


class _Collector:
    """Accumulates posts across files: dedupes by id and counts what it saw."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.seen: set[str] = set()
        self.read = 0
        self.duplicates = 0
        self.rejected: list[Rejection] = []
        self.skipped: Counter[str] = Counter()
        self.ignored = 0

    def read_file(self, entry: Entry, fmt: Format | None) -> None:
        path = entry.path
        fmt = fmt or _sniffed(path)                  # type: ignore[arg-type]
        if fmt is None:
            self.rejected.append(Rejection(str(path), None, cannot_tell(path)))  # type: ignore[arg-type]
            return
        try:
            for item in fmt.read(path):              # type: ignore[arg-type]
                self.add(item)
        except FileProblem as problem:
            self.rejected.append(Rejection(str(path), problem.location, problem.reason))
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            self.rejected.append(Rejection(str(path), None, f"this file in the zip is damaged ({err}); "
                                                            "download the export again"))
        except OSError as err:
            self.rejected.append(Rejection(str(path), None, f"cannot read the file ({err.strerror or err}); "
                                                            "check that it exists and you may read it"))

    def add(self, item: Item) -> None:
        self.read += 1
        if isinstance(item, Rejection):
            self.rejected.append(item)
        elif isinstance(item, Skipped):
            self.skipped[item.rule] += 1
        elif item.id in self.seen:
            self.duplicates += 1
        else:
            self.seen.add(item.id)
            self.posts.append(item)

    def result(self) -> ReadResult:
        return ReadResult(self.posts, self.read, self.duplicates, self.rejected, dict(self.skipped),
                          self.ignored)


def _sniffed(path: Path) -> Format | None:
    name = guess(path)
    return get_format(name) if name else None
