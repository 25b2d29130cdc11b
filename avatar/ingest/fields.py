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
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
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

LEADING_MENTIONS = re.compile(r"^(?:\.?@[\w.]*\w[\s,:]*)+")   # "@ana @ben_2 " opening a reply
_EPOCH = re.compile(r"-?\d+(\.\d+)?")
_EPOCH_MIN = 1e8                                     # 1973-03-03: anything smaller is not a timestamp
_HUMAN_DATES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


class RecordError(ValueError):
    """One record cannot become a post; ``str(err)`` is the reason shown to the user."""


def record_to_post(record: Any, *, default_kind: str = "post") -> Post:
    """Build a :class:`Post` from a mapping (or a bare string, read as the text)."""
    fields = normalise_keys(_as_mapping(record))
    return Post.create(
        _text(fields), source_id=_source_id(fields), platform=_platform(fields),
        created_at=_created_at(fields), kind=_kind(fields, default_kind),
        url=_string(fields, URL_FIELDS), metrics=_metrics(fields), context=_context(fields),
    )


def convert(path: Path, location: str, record: Any, *, default_kind: str = "post") -> Post | Rejection:
    """:func:`record_to_post`, with a bad record turned into a :class:`Rejection` at ``location``."""
    try:
        return record_to_post(record, default_kind=default_kind)
    except RecordError as err:
        return Rejection(str(path), location, str(err))


@lru_cache(maxsize=1024)
def normalise_key(name: str) -> str:
    """``" Full Text"`` -> ``"full_text"``."""
    return re.sub(r"[\s-]+", "_", str(name).strip().lower())


def normalise_keys(record: Mapping[Any, Any]) -> dict[str, Any]:
    """Normalised names -> values, leaving out empty values (None, "", whitespace)."""
    return {normalise_key(k): v for k, v in record.items() if _present(v)}


def parse_datetime(value: object) -> datetime:
    """ISO 8601 (with or without Z/offset, or date only), unix seconds or milliseconds,
    RFC 2822 / Twitter style, or "March 12, 2024". Returns an aware UTC datetime; raises ValueError.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = str(value).strip()
    if _EPOCH.fullmatch(text) and abs(float(text)) >= _EPOCH_MIN:
        return _from_epoch(float(text))
    try:
        return _as_utc(_from_string(text))
    except OverflowError as err:                     # 9999-12-31T23:00-05:00
        raise ValueError(text) from err


def _as_mapping(record: Any) -> Mapping[Any, Any]:
    if isinstance(record, str):
        return {"text": record}
    if not isinstance(record, (dict, Mapping)):      # dict first: the common, fast case
        raise RecordError(f"found {_kind_of(record)} where a post object was expected; "
                          "write each post as an object with a 'text' field")
    if len(record) == 1:                             # {"tweet": {...}} wrappers
        ((key, inner),) = record.items()
        if isinstance(inner, dict) and normalise_key(key) not in TEXT_FIELDS:
            return inner
    return record


def _text(fields: Mapping[str, Any]) -> str:
    name = next((n for n in TEXT_FIELDS if n in fields), None)
    if name is None:
        raise RecordError(f"no text: put the post's words under one of {', '.join(TEXT_FIELDS)}, "
                          "or remove this record")
    if isinstance(fields[name], (dict, list)):
        raise RecordError(f"field '{name}' holds {_kind_of(fields[name])}, not text; "
                          "put the post's words there as a string")
    return str(fields[name]).replace("\r\n", "\n").strip()


def _source_id(fields: Mapping[str, Any]) -> str | None:
    value = next((fields[n] for n in ID_FIELDS if n in fields), None)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if isinstance(value, (type(None), bool, dict, list)) else str(value).strip()


def _created_at(fields: Mapping[str, Any]) -> datetime | None:
    name = next((n for n in DATE_FIELDS if n in fields), None)
    if name is None:
        return None
    try:
        return parse_datetime(fields[name])
    except ValueError:
        raise RecordError(f"{name} {fields[name]!r} is not a date avatar can read; {DATE_HINT}") from None


def _platform(fields: Mapping[str, Any]) -> str:
    return (_string(fields, ("platform",)) or "generic").lower()


def _kind(fields: Mapping[str, Any], default: str) -> str:
    kind = (_string(fields, ("kind",)) or default).lower()
    if kind not in POST_KINDS:
        raise RecordError(f"kind {kind!r} is not one of {', '.join(POST_KINDS)}; "
                          f"use one of these or leave kind empty (it defaults to '{default}')")
    return kind


def _metrics(fields: Mapping[str, Any]) -> dict[str, float]:
    """A "metrics" object (or JSON text), then numeric columns such as likes or retweet_count."""
    raw = fields.get("metrics")
    if isinstance(raw, str):
        raw = _json_or_none(raw)
    found: dict[str, float] = {}
    if isinstance(raw, dict):
        found = {str(k): n for k, v in raw.items() if (n := _number(v)) is not None}
    for column, metric in METRIC_FIELDS.items():
        if column in fields and metric not in found and (n := _number(fields[column])) is not None:
            found[metric] = n
    return found


def _context(fields: Mapping[str, Any]) -> str | None:
    for name in (n for n in CONTEXT_FIELDS if n in fields):
        value = fields[name]
        if isinstance(value, dict):                  # {"in_reply_to": {"text": ...}}
            value = next((value[k] for k in TEXT_FIELDS if _present(value.get(k))), None)
        if isinstance(value, str):
            return value.strip()
    return None


def _string(fields: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` holding a plain value, as a stripped string."""
    value = next((fields[n] for n in names if n in fields and not isinstance(fields[n], (dict, list))), None)
    return None if value is None else str(value).strip()


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
    if abs(seconds) < _EPOCH_MIN:                    # 2024 is a year, not 1970-01-01T00:33:44
        raise ValueError(seconds)
    if abs(seconds) >= 1e11:                         # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
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
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _kind_of(value: Any) -> str:
    names = {list: "a list", dict: "an object", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
