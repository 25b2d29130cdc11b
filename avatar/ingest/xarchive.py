"""X (Twitter) archive: ``data/tweets.js`` (older archives: ``tweet.js``) and its split parts.

Each file is ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]``. What is kept:

- ``full_text`` with ``t.co`` links expanded from ``entities.urls`` and links to attached
  photos/videos dropped; HTML entities (``&amp;``) decoded.
- a reply (``in_reply_to_status_id``) becomes kind ``reply``, without the ``@handles`` it
  starts with; a reply with no leading handle continues the creator's own thread: ``post``.
- retweets (``RT @...`` or ``retweeted``) are someone else's words: skipped by rule.

The archive never holds the text of the tweet being replied to or quoted, and anything
like it in other dumps (``quoted_status``, ``retweeted_status``) is never read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..types import Post
from .base import FileProblem, Item, Rejection, Skipped
from .fields import LEADING_MENTIONS, parse_datetime
from .jsonstream import iter_json

NAME = re.compile(r"tweets?(-part\d+)?\.js", re.IGNORECASE)
HEAD = re.compile(r"\s*window\.YTD\.tweets?\.part\d+\s*=")
_YTD = re.compile(r"window\.YTD\.[\w.]+\s*=\s*")
_TWITTER_DATE = "%a %b %d %H:%M:%S %z %Y"


def claims(name: str, head: str) -> bool:
    """A tweets file: its name (``tweets-part1.js``) or its ``window.YTD.tweets`` wrapper."""
    return bool(HEAD.match(head)) or (NAME.fullmatch(name) is not None and "window.YTD" in head)


def read_x(path: Path) -> Iterator[Item]:
    """One item per tweet in the file, read as a stream."""
    for number, record in iter_json(path, prefix=_YTD):
        if number is None:
            raise FileProblem(None, "expected a list of tweets ('window.YTD.tweets.part0 = [...]'); "
                                    "pass data/tweets.js from the X archive")
        yield tweet_to_item(str(path), f"record {number}", record)


def tweet_to_item(source: str, location: str, record: Any) -> Item:
    """A :class:`Post`, or :class:`Skipped` for retweets and empty tweets, or a :class:`Rejection`."""
    tweet = record.get("tweet", record) if isinstance(record, dict) else None
    if not isinstance(tweet, dict):
        return Rejection(source, location, "not a tweet object; export the archive again")
    raw = tweet.get("full_text") or tweet.get("text")
    if not isinstance(raw, str):
        return Rejection(source, location, "the tweet has no full_text; export the archive again")
    if _is_retweet(tweet, raw):
        return Skipped(source, location, "retweet")
    text, is_reply = _own_words(tweet, raw)
    if not text:
        return Skipped(source, location, "no text")
    try:
        created = _created(tweet.get("created_at"))
    except ValueError:
        return Rejection(source, location, f"created_at {tweet.get('created_at')!r} is not X's date "
                                           "format ('Wed Oct 10 20:19:24 +0000 2018')")
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "").strip() or None
    return Post.create(text, source_id=tweet_id, platform="x", kind="reply" if is_reply else "post",
                       created_at=created, metrics=_metrics(tweet),
                       url=f"https://x.com/i/web/status/{tweet_id}" if tweet_id else None)


def _is_retweet(tweet: dict[str, Any], text: str) -> bool:
    return text.startswith("RT @") or tweet.get("retweeted") in (True, "true") or "retweeted_status" in tweet


def _own_words(tweet: dict[str, Any], raw: str) -> tuple[str, bool]:
    """The creator's text (links expanded, leading reply handles removed) and whether it is a reply."""
    text = _expand_links(raw, tweet.get("entities"), tweet.get("extended_entities"))
    text = html.unescape(text)
    is_reply = False
    if tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"):
        stripped = LEADING_MENTIONS.sub("", text)
        is_reply = stripped != text             # no leading @handle: the creator's own thread
        text = stripped
    return text.strip(), is_reply


def _expand_links(text: str, entities: Any, extended: Any) -> str:
    for url in _list(entities, "urls"):
        short, full = url.get("url"), url.get("expanded_url")
        if isinstance(short, str) and isinstance(full, str) and short:
            text = text.replace(short, full)
    for media in _list(entities, "media") + _list(extended, "media"):
        short = media.get("url")
        if isinstance(short, str) and short:
            text = text.replace(short, "")
    return text


def _list(holder: Any, key: str) -> list[dict[str, Any]]:
    items = holder.get(key) if isinstance(holder, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _created(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.strptime(text, _TWITTER_DATE).astimezone(UTC)
    except ValueError:
        return parse_datetime(text)                  # ISO 8601 in some third-party dumps


def _metrics(tweet: dict[str, Any]) -> dict[str, float]:
    found: dict[str, float] = {}
    for key, name in (("favorite_count", "likes"), ("retweet_count", "reposts")):
        try:
            found[name] = float(tweet[key])
        except (KeyError, TypeError, ValueError):
            continue
    return found
