"""Read a JSON file whose top level is a list one element at a time.

Platform exports are often one huge list (an X archive's ``tweets.js`` can be hundreds of
megabytes). :func:`iter_json` reads such a file in chunks of lines and decodes each element
as soon as it is complete, so memory holds one chunk, not the file. A file whose top level
is an object is parsed whole and yielded once.

A wrapper before the list (``window.YTD.tweets.part0 = [``) is allowed when the caller
passes a ``prefix`` pattern for it. Errors come back as :class:`FileProblem` naming the
record and line, so the records before the error are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import FileProblem, iter_lines

_CHUNK = 64 * 1024
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")


class _Lines:
    """Whole lines from the file, handed out in chunks of at least ``want`` characters."""

    def __init__(self, path: Path) -> None:
        self._lines = iter_lines(path)
        self.done = False

    def more(self, want: int = _CHUNK) -> str:
        parts: list[str] = []
        size = 0
        while size < want:
            item = next(self._lines, None)
            if item is None:
                self.done = True
                break
            parts.append(item[1])
            size += len(item[1])
        return "".join(parts)


def iter_json(path: Path, prefix: re.Pattern[str] | None = None) -> Iterator[tuple[int | None, Any]]:
    """Yield ``(record_number, element)`` for a top-level list, or ``(None, object)`` once.

    ``prefix`` must match (``fullmatch``) whatever stands before the opening ``[``; without
    it, only whitespace may. Raises :class:`FileProblem` with a location for bad JSON.
    """
    lines = _Lines(path)
    buf = lines.more()
    while not lines.done and not buf.strip():
        buf += lines.more()
    start = _SPACE.match(buf).end()                           # type: ignore[union-attr]
    if prefix is not None and (match := prefix.match(buf, start)):
        start = _SPACE.match(buf, match.end()).end()          # type: ignore[union-attr]
    if start >= len(buf):
        return
    if buf[start] == "{" and prefix is None:
        yield None, _whole(buf + "".join(iter(lines.more, "")), path)
        return
    if buf[start] != "[":
        raise FileProblem("line 1", _not_a_list(buf[start:start + 40], prefix))
    yield from _elements(buf, start + 1, buf.count("\n", 0, start + 1) + 1, lines)


def _elements(buf: str, pos: int, line: int, lines: _Lines) -> Iterator[tuple[int, Any]]:
    number, want_comma = 0, False
    while True:
        ws = _SPACE.match(buf, pos).end()                     # type: ignore[union-attr]
        line += buf.count("\n", pos, ws)
        pos = ws
        if pos >= len(buf):
            if lines.done:
                raise FileProblem(f"line {line}", "the file ends before the list is closed; the "
                                  "export is cut off — download it again")
            buf, pos = buf[pos:] + lines.more(), 0
            continue
        char = buf[pos]
        if char == "]":
            return
        if want_comma:
            if char != ",":
                raise FileProblem(f"record {number + 1}, line {line}",
                                  f"not valid JSON (expected ',' or ']' after record {number}); "
                                  "fix the file at that spot or export it again")
            pos, want_comma = pos + 1, False
            continue
        try:
            value, end = _DECODER.raw_decode(buf, pos)
        except json.JSONDecodeError as err:
            if err.pos >= len(buf.rstrip()) and not lines.done:   # element not complete yet
                buf, pos = buf[pos:] + lines.more(max(_CHUNK, 2 * (len(buf) - pos))), 0
                continue
            at = line + buf.count("\n", pos, err.pos)
            raise FileProblem(f"record {number + 1}, line {at}",
                              f"not valid JSON ({err.msg}); fix the file at that spot "
                              "or export it again") from None
        except RecursionError:
            raise FileProblem(f"record {number + 1}, line {line}",
                              "JSON nested too deeply; fix or delete this record") from None
        number += 1
        yield number, value
        line += buf.count("\n", pos, end)
        pos, want_comma = end, True
        if pos > _CHUNK:                                      # drop what is decoded
            buf, pos = buf[pos:], 0


def _whole(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        if err.pos >= len(text.rstrip()) or err.msg.startswith("Unterminated string"):
            raise FileProblem(f"line {err.lineno}", "the file ends too early: the export is cut off; "
                                                    "download it again") from None
        raise FileProblem(f"line {err.lineno}, column {err.colno}",
                          f"not valid JSON ({err.msg}); fix the file at that spot or export it again") from None
    except RecursionError:
        raise FileProblem(None, f"{path}: the JSON is nested too deeply to read") from None


def _not_a_list(head: str, prefix: re.Pattern[str] | None) -> str:
    if prefix is not None:
        return (f"expected an X archive file starting 'window.YTD.tweets.part0 = [', found "
                f"{head.strip()!r}; pass the tweets.js from the archive's data folder")
    return f"expected a JSON list or object, found {head.strip()!r}; check that this is the export file"
