"""Read a creator's posts from files into :class:`~avatar.types.Post` objects.

    >>> result = read_posts(["exports/"])               # doctest: +SKIP
    >>> result.posts, result.rejected                   # doctest: +SKIP

Files may be JSON, JSONL, CSV, TXT or Markdown (see :data:`FORMATS`); directories are
read recursively, skipping hidden files. Bad input never raises: every record or file
that cannot be used comes back as a :class:`Rejection` saying where, what and how to fix
it. Only a missing path or an unknown ``format`` name raises :class:`~avatar.errors.IngestError`.
This module only parses; writing posts to the store happens elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..types import Post
from .base import FileProblem, Rejection
from .registry import FORMATS, Format, cannot_tell, get_format, guess, sniff

__all__ = ["FORMATS", "ReadResult", "Rejection", "read_posts", "sniff"]


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read_posts` found.

    ``posts`` are unique by id (the first one wins); ``read`` counts every record seen,
    including duplicates and rejected records; ``rejected`` also holds whole-file problems.
    """

    posts: list[Post] = field(default_factory=list)
    read: int = 0
    duplicates_in_input: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def summary(self) -> str:
        """One line for humans, e.g. "read 12 records: 10 posts, 1 duplicate, 1 rejected"."""
        return (f"read {self.read} records: {len(self.posts)} posts, "
                f"{self.duplicates_in_input} duplicate{'s' * (self.duplicates_in_input != 1)}, "
                f"{len(self.rejected)} rejected")


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
    for file in (f for root in roots for f in _files(root)):
        collector.read_file(file, chosen)
    return collector.result()


def _require_exists(path: Path) -> None:
    if not path.exists():
        raise IngestError(f"no such file: {path} — check the path")


def _files(root: Path) -> Iterator[Path]:
    """``root`` itself, or the visible files under it in name order (symlinked dirs not followed)."""
    if not root.is_dir():
        yield root
        return
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from _files(entry)
        elif entry.is_file():
            yield entry


class _Collector:
    """Accumulates posts across files: dedupes by id and counts what it saw."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.seen: set[str] = set()
        self.read = 0
        self.duplicates = 0
        self.rejected: list[Rejection] = []

    def read_file(self, path: Path, fmt: Format | None) -> None:
        fmt = fmt or _sniffed(path)
        if fmt is None:
            self.rejected.append(Rejection(str(path), None, cannot_tell(path)))
            return
        try:
            for item in fmt.read(path):
                self.add(item)
        except FileProblem as problem:
            self.rejected.append(Rejection(str(path), problem.location, problem.reason))
        except OSError as err:
            self.rejected.append(Rejection(str(path), None, f"cannot read the file ({err.strerror or err}); "
                                                            "check that it exists and you may read it"))

    def add(self, item: Post | Rejection) -> None:
        self.read += 1
        if isinstance(item, Rejection):
            self.rejected.append(item)
        elif item.id in self.seen:
            self.duplicates += 1
        else:
            self.seen.add(item.id)
            self.posts.append(item)

    def result(self) -> ReadResult:
        return ReadResult(self.posts, self.read, self.duplicates, self.rejected)


def _sniffed(path: Path) -> Format | None:
    name = guess(path)
    return get_format(name) if name else None
