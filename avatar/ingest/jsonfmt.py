"""JSON (a list of posts, or an object holding one under "posts"/"data"/"items") and JSONL.

JSON is parsed in one go; JSONL is read one line at a time, and a malformed line
rejects only itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..types import Post
from .base import FileProblem, Rejection, iter_lines, read_text
from .fields import TEXT_FIELDS, convert, normalise_keys

LIST_KEYS = ("posts", "data", "items")


def read_json(path: Path) -> Iterator[Post | Rejection]:
    """One item per element of the top-level list. A file that is really JSONL is read as such."""
    text = read_text(path)
    if not text.strip():
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from _read_lines(path, enumerate(text.split("\n"), start=1))
            return
        raise FileProblem(f"line {err.lineno}, column {err.colno}",
                          f"not valid JSON ({err.msg}); fix the file at that spot, "
                          "or pass --format jsonl if it holds one object per line") from None
    except RecursionError:
        raise FileProblem(None, "the JSON is nested too deeply to read; flatten it to a list of posts") from None
    for number, record in enumerate(_records(data), start=1):
        yield convert(path, f"record {number}", record)


def read_jsonl(path: Path) -> Iterator[Post | Rejection]:
    """One JSON object per line, read incrementally."""
    yield from _read_lines(path, iter_lines(path))


def _read_lines(path: Path, lines: Iterable[tuple[int, str]]) -> Iterator[Post | Rejection]:
    for number, line in lines:
        if line.strip():
            yield _parse_line(path, f"line {number}", line)


def _parse_line(path: Path, location: str, line: str) -> Post | Rejection:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return Rejection(str(path), location,
                         f"not valid JSON ({err.msg} at column {err.colno}); fix or delete this line")
    except RecursionError:
        return Rejection(str(path), location, "JSON nested too deeply; fix or delete this line")
    return convert(path, location, record)


def _records(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
        if any(name in normalise_keys(data) for name in TEXT_FIELDS):
            return [data]                            # a single post
        keys = ", ".join(list(map(str, data))[:10]) or "none"
        raise FileProblem(None, "expected a list of posts, or an object with a 'posts', 'data' or 'items' "
                                f"list; found an object with keys {keys}; move the posts into such a list")
    raise FileProblem(None, "expected a list of posts at the top of the file; "
                            "wrap the posts in [ ... ] or under a 'posts' key")
