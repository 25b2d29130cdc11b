"""Plain text and Markdown, read one line at a time.

TXT: one post per block of lines; blocks are separated by blank lines or rules (``---``).
Markdown: one post per section; sections start at ``#``/``##`` headings or ``---`` lines.
A heading becomes the first line of the post (without the ``#``), an italic date line
(``*2024-03-12*``) at the top of a section sets ``created_at``, YAML front matter is skipped,
and sections with no body text (a lone title) are structure, not posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..types import Post
from .base import Rejection, iter_lines
from .fields import parse_datetime

Line = tuple[int, str]

_RULE = re.compile(r"\s*([-*_=~])(\s*\1){2,}\s*")
_SECTION_HEADING = re.compile(r"#{1,2}\s+(.*?)[\s#]*")
_ANY_HEADING = re.compile(r"\s*#{1,6}\s+(.*?)[\s#]*")
_ITALIC = re.compile(r"\s*([*_]{1,2})(\S.*?)\1\s*")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_YAML_LINE = re.compile(r"\s*(-\s|[\w\"' -]+:(\s|$))")


def read_txt(path: Path) -> Iterator[Post | Rejection]:
    """One post per blank-line-separated block."""
    block: list[str] = []
    for _, line in iter_lines(path):
        if line.strip() and not _RULE.fullmatch(line):
            block.append(line.rstrip())
        elif block:
            yield Post.create("\n".join(block).strip())
            block = []
    if block:
        yield Post.create("\n".join(block).strip())


@dataclass
class _Section:
    start: int
    heading: str | None = None
    lines: list[Line] = field(default_factory=list)


def read_md(path: Path) -> Iterator[Post | Rejection]:
    """One post per section (kind "post")."""
    section, in_fence = _Section(start=1), False
    for number, raw in _after_front_matter(iter_lines(path)):
        line = raw.rstrip("\r\n")
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and (heading := _section_break(line)) is not None:
            yield from _finish(path, section)
            section = _Section(number, heading or None)
            continue
        section.lines.append((number, line if in_fence else _unhash(line)))
    yield from _finish(path, section)


def _section_break(line: str) -> str | None:
    """The heading text for a heading line, "" for a rule, None for anything else."""
    if match := _SECTION_HEADING.fullmatch(line):
        return match.group(1)
    return "" if _RULE.fullmatch(line) and line.strip()[0] in "-*_" else None


def _finish(path: Path, section: _Section) -> Iterator[Post | Rejection]:
    lines = _trim(section.lines)
    date = _date_text(lines[0][1]) if lines else None
    date_line = lines[0][0] if lines else section.start
    if date is not None:
        lines = _trim(lines[1:])
    if not lines:
        return                                       # a lone title or rule: not a post
    body = "\n".join(line for _, line in lines)
    text = f"{section.heading}\n\n{body}" if section.heading else body
    try:
        created = parse_datetime(date) if date is not None else None
    except ValueError:
        yield Rejection(str(path), f"line {date_line}",
                        f"date {date!r} is not a date avatar can read; "
                        "write it as an italic ISO date such as *2024-03-12*")
        return
    yield Post.create(text, kind="post", created_at=created)


def _date_text(line: str) -> str | None:
    """The date in an italic line like ``*2024-03-12*`` or ``_March 12, 2024_``, else None."""
    match = _ITALIC.fullmatch(line)
    if not match:
        return None
    candidate = match.group(2).strip()
    if _ISO_DATE.match(candidate):
        return candidate                             # looks like a date: a bad one is reported
    has_words_and_year = re.search(r"[^\W\d_]{3}", candidate) and re.search(r"\d{4}", candidate)
    return candidate if has_words_and_year and _parses(candidate) else None


def _parses(text: str) -> bool:
    try:
        parse_datetime(text)
    except ValueError:
        return False
    return True


def _trim(lines: list[Line]) -> list[Line]:
    """Drop blank lines at both ends."""
    kept = [i for i, (_, line) in enumerate(lines) if line.strip()]
    return lines[kept[0]:kept[-1] + 1] if kept else []


def _unhash(line: str) -> str:
    match = _ANY_HEADING.fullmatch(line)
    return match.group(1) if match else line


def _after_front_matter(lines: Iterable[Line]) -> Iterator[Line]:
    """Skip a ``---`` ... ``---`` block of YAML-ish lines at the very top of the file."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        return
    if first[1].strip() != "---":
        yield first
        yield from lines
        return
    held = [first]
    for item in lines:
        held.append(item)
        if item[1].strip() in ("---", "..."):
            yield from lines
            return
        if item[1].strip() and not _YAML_LINE.match(item[1]):
            break                                    # not front matter: a rule, then a post
    yield from held
    yield from lines
