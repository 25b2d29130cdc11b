"""YouTube, from Google Takeout ("YouTube and YouTube Music").

Read:

- ``comments/comments.csv``: the creator's comments. ``Comment Text`` holds JSON pieces,
  ``{"text": "..."},{"text": "..."}`` (since mid 2024) or ``{"takeoutSegments": [...]}``
  (before), or plain text; a comment with a ``Parent Comment ID`` is a reply.
- ``video metadata/videos.csv``: each public video's title and description, as a caption.
  Private and unlisted videos are skipped by rule: they were never meant for fans.
- the same records as a JSON list of objects with those column names.

Only the English column names are understood; re-request Takeout in English otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..types import Post
from .base import FileProblem, Item, Rejection, Skipped
from .csvfmt import iter_rows
from .fields import LEADING_MENTIONS, normalise_key, parse_datetime
from .jsonstream import iter_json

_COMMENT_COLUMNS = {"comment_id", "comment_text"}
_VIDEO_COLUMNS = {"video_id", "video_description_(original)"}
_UTC_SUFFIX = re.compile(r"\s*UTC$")


def claims(name: str, head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    if head.lstrip().startswith("["):
        window = head[:4096]
        return '"Comment ID"' in window or '"Video Description (Original)"' in window
    columns = {normalise_key(c.strip().strip('"')) for c in first.split(",")}
    return _COMMENT_COLUMNS <= columns or _VIDEO_COLUMNS <= columns


def read_youtube(path: Path) -> Iterator[Item]:
    """Comments or video descriptions, from CSV or a JSON list."""
    source = str(path)
    if _starts_with_bracket(path):
        records: Iterator[tuple[str, Any]] = ((f"record {n}", r) for n, r in iter_json(path) if n is not None)
    else:
        records = iter_rows(path)
    for location, record in records:
        if not isinstance(record, Mapping):
            yield Rejection(source, location, "not a comment or video object; export again")
            continue
        row = {normalise_key(k): v for k, v in record.items()}
        yield _row(source, location, row)


def _starts_with_bracket(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _row(source: str, location: str, row: dict[str, Any]) -> Item:
    if "comment_id" in row or "comment_text" in row:
        return _comment(source, location, row)
    if "video_id" in row:
        return _video(source, location, row)
    raise FileProblem(location, "neither a comment (Comment ID, Comment Text) nor a video "
                                "(Video ID, Video Description (Original)) row; pass comments.csv or videos.csv")


def _comment(source: str, location: str, row: dict[str, Any]) -> Item:
    text = comment_text(str(row.get("comment_text") or ""))
    kind = "reply" if str(row.get("parent_comment_id") or "").strip() else "comment"
    if kind == "reply":
        text = LEADING_MENTIONS.sub("", text).strip()       # "@fan " addressing who is answered
    if not text:
        return Skipped(source, location, "no text")
    comment_id = str(row.get("comment_id") or "").strip() or None
    video = str(row.get("video_id") or "").strip()
    url = f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video and comment_id else None
    return _post(source, location, text, row.get("comment_create_timestamp"), "Comment Create Timestamp",
                 kind=kind, source_id=comment_id, url=url)


def _video(source: str, location: str, row: dict[str, Any]) -> Item:
    privacy = str(row.get("privacy") or "public").strip().lower()
    if privacy != "public":
        return Skipped(source, location, f"{privacy} video")
    title = str(row.get("video_title_(original)") or "").strip()
    description = str(row.get("video_description_(original)") or "").strip()
    if not description:
        return Skipped(source, location, "no description")
    text = f"{title}\n\n{description}" if title else description
    video = str(row.get("video_id") or "").strip() or None
    stamp = row.get("video_publish_timestamp") or row.get("video_create_timestamp")
    return _post(source, location, text, stamp, "Video Publish Timestamp", kind="caption", source_id=video,
                 url=f"https://www.youtube.com/watch?v={video}" if video else None)


def _post(source: str, location: str, text: str, stamp: Any, column: str, **fields: Any) -> Item:
    try:
        created = parse_datetime(_UTC_SUFFIX.sub("", str(stamp))) if stamp else None
    except ValueError:
        return Rejection(source, location, f"{column} {stamp!r} is not a date; expected ISO 8601 "
                                           "such as 2024-03-12T14:30:00+00:00")
    return Post.create(text, platform="youtube", created_at=created, **fields)


def comment_text(raw: str) -> str:
    """The words of a Takeout ``Comment Text`` cell, whichever of its three forms it is in."""
    raw = raw.strip()
    if not raw.startswith("{"):
        return raw
    try:
        pieces = json.loads(f"[{raw}]")
    except ValueError:
        return raw
    segments: list[Any] = []
    for piece in pieces:
        if isinstance(piece, dict) and isinstance(piece.get("takeoutSegments"), list):
            segments.extend(piece["takeoutSegments"])
        else:
            segments.append(piece)
    return "".join(s["text"] for s in segments if isinstance(s, dict) and isinstance(s.get("text"), str)).strip()
