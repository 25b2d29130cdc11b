"""TikTok's "Download your data" export, JSON format: ``user_data.json`` / ``user_data_tiktok.json``.

Read: the creator's video descriptions (``Post > Posts > VideoList``, older exports
``Video > Videos > VideoList``, the words under ``Title``) as captions, and the creator's
comments (``Comment > Comments > CommentsList``). Every other section (direct messages,
watch history, likes, profile) is never read. Dates are ``"2024-03-12 14:30:00"`` in UTC.

The file is one JSON object, parsed whole (TikTok exports are typically a few megabytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..types import Post
from .base import FileProblem, Item, Rejection, Skipped
from .fields import parse_datetime
from .jsonstream import iter_json

NAMES = ("user_data.json", "user_data_tiktok.json")
_VIDEO_PATHS = (("Post", "Posts", "VideoList"), ("Video", "Videos", "VideoList"))
_COMMENT_PATH = ("Comment", "Comments", "CommentsList")
_DESCRIPTION_KEYS = ("Title", "Desc", "Description", "VideoDescription")
_VIDEO_ID = re.compile(r"/(\d{6,})/?")


def claims(name: str, head: str) -> bool:
    return name.lower() in NAMES or '"VideoList"' in head or '"CommentsList"' in head


def read_tiktok(path: Path) -> Iterator[Item]:
    """Captions, then comments."""
    source = str(path)
    data = next((value for number, value in iter_json(path) if number is None), None)
    if not isinstance(data, dict):
        raise FileProblem(None, "expected TikTok's user_data.json (one JSON object); "
                                "request the export in JSON format")
    videos = next((v for p in _VIDEO_PATHS if (v := _at(data, p)) is not None), None)
    comments = _at(data, _COMMENT_PATH)
    if videos is None and comments is None:
        raise FileProblem(None, "no 'Post > Posts > VideoList' or 'Comment > Comments > CommentsList' "
                                "section; check that this is TikTok's user_data.json")
    for number, video in enumerate(videos or [], start=1):
        yield _video(source, f"VideoList record {number}", video)
    for number, comment in enumerate(comments or [], start=1):
        yield _comment(source, f"CommentsList record {number}", comment)


def _at(data: dict[str, Any], keys: tuple[str, ...]) -> list[Any] | None:
    """The list at ``keys``, matching names case-insensitively; None if absent."""
    node: Any = data
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = next((v for k, v in node.items() if str(k).lower() == key.lower()), None)
    return node if isinstance(node, list) else None


def _video(source: str, location: str, video: Any) -> Item:
    if not isinstance(video, dict):
        return Rejection(source, location, "not a video object; export again")
    text = next((video[k] for k in _DESCRIPTION_KEYS if isinstance(video.get(k), str) and video[k].strip()), "")
    if not text:
        return Skipped(source, location, "no caption")
    link = str(video.get("Link") or "")
    found = _VIDEO_ID.search(link)
    return _post(source, location, text, video.get("Date"), kind="caption",
                 source_id=found.group(1) if found else None, url=link or None,
                 metrics=_likes(video.get("Likes")))


def _comment(source: str, location: str, comment: Any) -> Item:
    if not isinstance(comment, dict):
        return Rejection(source, location, "not a comment object; export again")
    text = comment.get("Comment") or comment.get("comment")
    if not isinstance(text, str) or not text.strip():
        return Skipped(source, location, "no text")
    return _post(source, location, text, comment.get("Date"), kind="comment")


def _post(source: str, location: str, text: str, date: Any, **fields: Any) -> Item:
    try:
        created = parse_datetime(date) if date else None
    except ValueError:
        return Rejection(source, location, f"Date {date!r} is not a date; expected '2024-03-12 14:30:00'")
    return Post.create(text.strip(), platform="tiktok", created_at=created, **fields)


def _likes(value: Any) -> dict[str, float]:
    try:
        return {"likes": float(str(value).replace(",", ""))}
    except (TypeError, ValueError):
        return {}
