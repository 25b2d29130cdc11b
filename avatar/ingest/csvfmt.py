"""CSV with a header row, read one row at a time.

The header must name a text column (``text``, ``content``, ``body``...); the other columns
are matched by the same forgiving names as JSON fields. Comma-separated, or
semicolon-separated when the header has semicolons and no commas (spreadsheet exports).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..types import Post
from .base import FileProblem, Rejection, iter_lines
from .fields import TEXT_FIELDS, convert, normalise_key


def read_csv(path: Path) -> Iterator[Post | Rejection]:
    """One item per non-empty data row; locations are the row's first line in the file."""
    lines = (line for _, line in iter_lines(path))
    first = next(lines, None)
    if first is None:
        return
    reader = csv.reader(itertools.chain([first], lines), delimiter=guess_delimiter(first))
    header = _header(reader)
    yield from _rows(path, reader, [normalise_key(name) for name in header])


def iter_rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``(location, row)`` for every non-empty data row, keyed by the header's names as written.

    For readers of platform CSVs whose columns are known (no text-column check here).
    """
    lines = (line for _, line in iter_lines(path))
    first = next(lines, None)
    if first is None:
        return
    reader = csv.reader(itertools.chain([first], lines), delimiter=guess_delimiter(first))
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as err:
        raise FileProblem("line 1", f"malformed CSV header ({err}); fix the first line") from None
    for location, row in _raw_rows(reader):
        yield location, dict(zip(header, row, strict=False))


def guess_delimiter(header_line: str) -> str:
    return ";" if ";" in header_line and "," not in header_line else ","


def header_has_text(header_line: str) -> bool:
    """Does this first line look like a CSV header naming a text column?"""
    names = next(csv.reader([header_line], delimiter=guess_delimiter(header_line)), [])
    return any(normalise_key(name) in TEXT_FIELDS for name in names)


def _header(reader: Any) -> list[str]:
    """The column names as written; FileProblem unless one of them is a text column."""
    try:
        header: list[str] = next(reader, [])
    except csv.Error as err:
        raise FileProblem("line 1", f"malformed CSV header ({err}); fix the first line") from None
    if not any(normalise_key(name) in TEXT_FIELDS for name in header):
        found = ", ".join(name.strip() or "(blank)" for name in header) or "none"
        raise FileProblem("line 1", f"no text column: found columns {found}; rename the column holding "
                                    f"the post's words to one of {', '.join(TEXT_FIELDS)}")
    return header


def _rows(path: Path, reader: Any, header: list[str]) -> Iterator[Post | Rejection]:
    for location, row in _raw_rows(reader):
        yield convert(path, location, dict(zip(header, row, strict=False)))


def _raw_rows(reader: Any) -> Iterator[tuple[str, list[str]]]:
    """Non-empty rows of a ``csv.reader``, with the line each one starts on (``line_num``)."""
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise FileProblem(f"line {start}", f"malformed CSV ({err}); fix the quoting on that line") from None
        if any(cell.strip() for cell in row):
            yield f"line {start}", row
        start = reader.line_num + 1
