"""Map one record (a JSON object or a CSV row) onto a :class:`Post`, forgiving about names.

Field names are matched case-insensitively, with spaces and hyphens read as underscores.
Empty values count as missing. Anything wrong with a record raises :class:`RecordError`,
whose message says what is wrong and what to do.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..types import POST_KINDS, Post
from .base import Rejection

TEXT_FIELDS = ("text", "content", "body", "full_text", "caption", "message")
ID_FIELDS = ("id", "post_id", "tweet_id", "id_str")
DATE_FIELDS = ("created_at", "date", "timestamp", "published_at", "posted_at")
URL_FIELDS = ("url", "link", "permalink")
CONTEXT_FIELDS = ("context", "in_reply_to", "in_reply_to_text", "question")
METRIC_FIELDS = {
    "likes": "likes", "like_count": "likes", "favorite_count": "likes",
    "comments": "comments", "comment_count": "comments", "reply_count": "comments",
    "shares": "shares", "share_count": "shares",
    "views": "views", "view_count": "views",
    "reposts": "reposts", "repost_count": "reposts", "retweet_count": "reposts",
}
DATE_HINT = "use ISO 8601 such as 2024-03-12 or 2024-03-12T14:30:00Z, or unix seconds such as 1710253800"

_EPOCH = re.compile(r"-?\d+(\.\d+)?")
_HUMAN_DATES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


class RecordError(ValueError):
    """One record cannot become a post; ``str(err)`` is the reason shown to the user."""


def record_to_post(record: Any, *, default_kind: str = "post") -> Post:
    """Build a :class:`Post` from a mapping (or a bare string, read as the text)."""
    fields = normalise_keys(_as_mapping(record))
    platform = (_first_str(fields, ("platform",)) or "generic").lower()
    return Post.create(
        _text(fields), source_id=_source_id(fields), platform=platform,
        created_at=_created_at(fields), kind=_kind(fields, default_kind),
        url=_first_str(fields, URL_FIELDS), metrics=_metrics(fields), context=_context(fields),
    )


def convert(path: Path, location: str, record: Any, *, default_kind: str = "post") -> Post | Rejection:
    """:func:`record_to_post`, with a bad record turned into a :class:`Rejection` at ``location``."""
    try:
        return record_to_post(record, default_kind=default_kind)
    except RecordError as err:
        return Rejection(str(path), location, str(err))


def normalise_key(name: object) -> str:
    """``" Full Text"`` -> ``"full_text"``."""
    return re.sub(r"[\s-]+", "_", str(name).strip().lower())


def normalise_keys(record: Mapping[Any, Any]) -> dict[str, Any]:
    return {normalise_key(k): v for k, v in record.items()}


def parse_datetime(value: object) -> datetime:
    """ISO 8601 (with or without Z/offset, or date only), unix seconds or milliseconds,
    RFC 2822 / Twitter style, or "March 12, 2024". Returns an aware UTC datetime; raises ValueError.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = str(value).strip()
    if _EPOCH.fullmatch(text) and len(text) != 8:    # 8 digits is a basic ISO date: 20240312
        return _from_epoch(float(text))
    return _as_utc(_from_string(text))


def _as_mapping(record: Any) -> Mapping[Any, Any]:
    if isinstance(record, str):
        return {"text": record}
    if not isinstance(record, Mapping):
        raise RecordError(f"found {_kind_of(record)} where a post object was expected; "
                          "write each post as an object with a 'text' field")
    if len(record) == 1:                             # {"tweet": {...}} wrappers
        ((key, inner),) = record.items()
        if isinstance(inner, Mapping) and normalise_key(key) not in TEXT_FIELDS:
            return inner
    return record


def _text(fields: Mapping[str, Any]) -> str:
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if isinstance(value, (dict, list)):
            raise RecordError(f"field '{name}' holds {_kind_of(value)}, not text; "
                              "put the post's words there as a string")
        if _present(value):
            return str(value).replace("\r\n", "\n").strip()
    raise RecordError(f"no text: put the post's words under one of {', '.join(TEXT_FIELDS)}, "
                      "or remove this record")


def _source_id(fields: Mapping[str, Any]) -> str | None:
    for name in ID_FIELDS:
        value = fields.get(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if _present(value) and not isinstance(value, (bool, dict, list)):
            return str(value).strip()
    return None


def _created_at(fields: Mapping[str, Any]) -> datetime | None:
    for name in DATE_FIELDS:
        value = fields.get(name)
        if _present(value):
            try:
                return parse_datetime(value)
            except ValueError:
                raise RecordError(f"{name} {value!r} is not a date avatar can read; {DATE_HINT}") from None
    return None


def _kind(fields: Mapping[str, Any], default: str) -> str:
    kind = (_first_str(fields, ("kind",)) or default).lower()
    if kind not in POST_KINDS:
        raise RecordError(f"kind {kind!r} is not one of {', '.join(POST_KINDS)}; "
                          f"use one of these or leave kind empty (it defaults to '{default}')")
    return kind


def _metrics(fields: Mapping[str, Any]) -> dict[str, float]:
    raw = fields.get("metrics")
    if isinstance(raw, str):
        raw = _json_or_none(raw)
    found: dict[str, float] = {}
    if isinstance(raw, Mapping):
        found = {str(k): n for k, v in raw.items() if (n := _number(v)) is not None}
    for column, metric in METRIC_FIELDS.items():
        value = _number(fields.get(column))
        if value is not None and metric not in found:
            found[metric] = value
    return found


def _context(fields: Mapping[str, Any]) -> str | None:
    for name in CONTEXT_FIELDS:
        value = fields.get(name)
        if isinstance(value, Mapping):               # {"in_reply_to": {"text": ...}}
            value = next((value[k] for k in TEXT_FIELDS if _present(value.get(k))), None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _first_str(fields: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = fields.get(name)
        if _present(value) and not isinstance(value, (dict, list)):
            return str(value).strip()
    return None


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value.replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _from_epoch(seconds: float) -> datetime:
    if abs(seconds) >= 1e11:                         # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError) as err:
        raise ValueError(seconds) from err


def _from_string(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _HUMAN_DATES:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError) as err:
        raise ValueError(text) from err


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _kind_of(value: Any) -> str:
    names = {list: "a list", dict: "an object", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
