"""What every reader shares: the :class:`Rejection` value, the reader contract, UTF-8 decoding.

A reader is a plain function ``read(path) -> Iterator[Post | Rejection | Skipped]`` that
yields one item per record it meets, so a bad record costs only itself. ``path`` is a
:class:`pathlib.Path` or a :class:`zipfile.Path` (a file inside a zip archive): readers only
call ``path.open("rb")`` and ``str(path)``. A problem with the whole file
(not UTF-8, not JSON at all, no text column) is raised as :class:`FileProblem`; ``read_posts``
turns it into a :class:`Rejection` and keeps whatever the file yielded before it.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..types import Post

_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class Rejection:
    """Input that did not become a post.

    ``location`` is e.g. ``"line 12"`` or ``"record 3"`` (None when it is the whole file);
    ``reason`` says what is wrong and what to do about it.
    """

    source: str
    location: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source} ({self.location})" if self.location else self.source
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Skipped:
    """A record left out on purpose by a rule, not because it is broken.

    ``rule`` names the rule, e.g. ``"retweet"`` (someone else's words) or ``"empty"``
    (a post with no text, such as a photo without a caption).
    """

    source: str
    location: str | None
    rule: str


Item = Post | Rejection | Skipped
Reader = Callable[[Path], Iterator[Item]]


class FileProblem(Exception):
    """Raised by a reader when the rest of the file cannot be read."""

    def __init__(self, location: str | None, reason: str) -> None:
        super().__init__(reason)
        self.location = location
        self.reason = reason


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` one line at a time, line endings kept, BOM dropped.

    Raises :class:`FileProblem` at the first byte that is not UTF-8.
    """
    with path.open("rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            start = _bom_length(raw) if number == 1 else 0
            yield number, _decode(raw[start:], offset + start, number)
            offset += len(raw)


def read_text(path: Path) -> str:
    """The whole file as text (for formats that must be parsed in one go)."""
    return "".join(line for _, line in iter_lines(path))


def _bom_length(first_line: bytes) -> int:
    for bom, name in _FOREIGN_BOMS:
        if first_line.startswith(bom):
            raise FileProblem("byte 0", f"the file is {name} text, not UTF-8; re-save the file as UTF-8")
    return len(codecs.BOM_UTF8) if first_line.startswith(codecs.BOM_UTF8) else 0


def _decode(raw: bytes, offset: int, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        at = offset + err.start
        raise FileProblem(
            f"byte {at}",
            f"byte 0x{raw[err.start]:02X} at byte offset {at} (line {line}) is not UTF-8; "
            "re-save the file as UTF-8",
        ) from None
