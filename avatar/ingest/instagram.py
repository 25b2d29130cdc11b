"""Instagram's "Download your information" export, JSON format.

Read: posts (``content/posts_1.json``, a list of ``{"media": [...], "title", "creation_timestamp"}``),
reels and IGTV (``{"ig_reels_media": [...]}``, ``{"ig_igtv_media": [...]}``), archived posts,
and the creator's comments (``comments/post_comments_1.json`` and ``reels_comments.json``:
``{"string_map_data": {"Comment": {"value"}, "Time": {"timestamp"}}}``). Newer exports put
these folders under ``your_instagram_activity/``. Timestamps are unix seconds.

Instagram writes UTF-8 text as if each byte were a Latin-1 character (``"\\u00f0\\u009f\\u0092\\u00aa"``
for 💪). :func:`fix_mojibake` undoes that wherever the round trip works. The name of the
account whose post was commented on ("Media Owner") is never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..types import Post
from .base import Item, Rejection, Skipped
from .jsonstream import iter_json

MARKERS = ('"string_map_data"', '"ig_reels_media"', '"ig_igtv_media"', '"comments_media_comments"',
           '"comments_reels_comments"', '"ig_archived_post_media"')
_MEDIA_LISTS = ("ig_reels_media", "ig_igtv_media", "ig_archived_post_media")
_COMMENT_LISTS = ("comments_media_comments", "comments_reels_comments")


def claims(name: str, head: str) -> bool:
    """Instagram JSON: one of its wrapper keys, or a post list with ``creation_timestamp`` media."""
    if any(marker in head for marker in MARKERS):
        return True
    return head.lstrip().startswith("[") and '"creation_timestamp"' in head and '"media"' in head


def fix_mojibake(text: str) -> str:
    """``"caf\\u00c3\\u00a9"`` -> ``"café"``: undo UTF-8 read as Latin-1, when that round-trips."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def read_instagram(path: Path) -> Iterator[Item]:
    """One item per post, reel or comment; posts with no caption are skipped by rule."""
    source = str(path)
    for number, data in iter_json(path):
        if number is not None:
            yield _entry(source, f"record {number}", data)
            continue
        if not isinstance(data, dict):
            yield Rejection(source, None, "not an Instagram export file; pass the JSON files from "
                                          "your_instagram_activity/")
            return
        yield from _wrapped(source, data)


def _wrapped(source: str, data: dict[str, Any]) -> Iterator[Item]:
    found = False
    for key in (*_MEDIA_LISTS, *_COMMENT_LISTS):
        items = data.get(key)
        if isinstance(items, list):
            found = True
            for number, entry in enumerate(items, start=1):
                yield _entry(source, f"{key} record {number}", entry)
    if not found:
        keys = ", ".join(list(map(str, data))[:8]) or "none"
        yield Rejection(source, None, f"no posts, reels or comments in this Instagram file (keys: {keys}); "
                                      "pass the files from the content/ and comments/ folders")


def _entry(source: str, location: str, entry: Any) -> Item:
    if not isinstance(entry, dict):
        return Rejection(source, location, "not an Instagram post or comment object; export again")
    if "string_map_data" in entry:
        return _comment(source, location, entry["string_map_data"])
    return _media_post(source, location, entry)


def _media_post(source: str, location: str, entry: dict[str, Any]) -> Item:
    media = [m for m in entry.get("media") or [] if isinstance(m, dict)]
    first = media[0] if media else {}
    title = entry.get("title") or first.get("title") or ""
    stamp = entry.get("creation_timestamp") or first.get("creation_timestamp")
    if not isinstance(title, str):
        return Rejection(source, location, "the caption ('title') is not text; export again")
    text = fix_mojibake(title).strip()
    if not text:
        return Skipped(source, location, "no caption")
    created = _when(stamp)
    if created is False:
        return Rejection(source, location, f"creation_timestamp {stamp!r} is not unix seconds")
    return Post.create(text, platform="instagram", kind="caption", created_at=created or None)


def _comment(source: str, location: str, fields: Any) -> Item:
    fields = fields if isinstance(fields, dict) else {}
    value = (fields.get("Comment") or {}).get("value") if isinstance(fields.get("Comment"), dict) else None
    if not isinstance(value, str) or not value.strip():
        return Skipped(source, location, "no text")
    stamp = (fields.get("Time") or {}).get("timestamp") if isinstance(fields.get("Time"), dict) else None
    created = _when(stamp)
    if created is False:
        return Rejection(source, location, f"Time {stamp!r} is not unix seconds")
    return Post.create(fix_mojibake(value).strip(), platform="instagram", kind="comment",
                       created_at=created or None)


def _when(stamp: Any) -> datetime | None | bool:
    """An aware datetime, None when absent, False when present but unreadable."""
    if stamp in (None, "", 0):
        return None
    try:
        return datetime.fromtimestamp(float(stamp), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return False
