"""The formats avatar can read, and how to tell which one a file is in.

Sniffing asks the platform formats first (X archive, Instagram, TikTok, YouTube Takeout):
each recognises its files by name and by their first few kilobytes. Then it goes by
extension; for an unknown extension it looks at the content: ``[`` means JSON, ``{`` means
JSON or JSONL (one object per line), and a first line naming a text column means CSV.

JSON is parsed in one go; JSONL, CSV, TXT and Markdown are read one line at a time,
so large exports do not have to fit in memory as text.
"""

from __future__ import annotations

import codecs
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError
from . import instagram, tiktok, xarchive, youtube
from .base import Reader
from .csvfmt import header_has_text, read_csv
from .jsonfmt import read_json, read_jsonl
from .textfmt import read_md, read_txt

_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Format:
    """A readable format: its name, the extensions that mean it, and its reader.

    ``claims(file_name, head)`` recognises a platform's files by name and first kilobytes;
    it is asked before the extension.
    """

    name: str
    extensions: tuple[str, ...]
    read: Reader
    claims: Callable[[str, str], bool] | None = None


REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("json", (".json",), read_json),
    Format("jsonl", (".jsonl", ".ndjson"), read_jsonl),
    Format("csv", (".csv",), read_csv),
    Format("txt", (".txt", ".text"), read_txt),
    Format("md", (".md", ".markdown"), read_md),
    Format("x", (), xarchive.read_x, xarchive.claims),
    Format("instagram", (), instagram.read_instagram, instagram.claims),
    Format("tiktok", (), tiktok.read_tiktok, tiktok.claims),
    Format("youtube", (), youtube.read_youtube, youtube.claims),
)}
FORMATS: tuple[str, ...] = tuple(REGISTRY)
PLATFORM_FORMATS: tuple[str, ...] = tuple(f.name for f in REGISTRY.values() if f.claims)
_ALIASES = {"ndjson": "jsonl", "markdown": "md", "text": "txt", "twitter": "x", "ig": "instagram",
            "takeout": "youtube"}
_EXTENSIONS = {ext: f.name for f in REGISTRY.values() for ext in f.extensions}


def get_format(name: str) -> Format:
    """The format called ``name`` (case and a leading dot ignored); IngestError if unknown."""
    key = name.strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in REGISTRY:
        raise IngestError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
    return REGISTRY[key]


def sniff(path: str | Path) -> str:
    """The format name of the file at ``path``; IngestError if it is missing or cannot be told."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"no such file: {path} — check the path")
    found = guess(path)
    if found is None:
        raise IngestError(cannot_tell(path))
    return found


def cannot_tell(path: Path) -> str:
    return f"cannot tell the format of {path}; pass --format {'|'.join(FORMATS)}"


def guess(path: Path) -> str | None:
    """:func:`sniff` without raising: None when the format cannot be told."""
    head = _head(path)
    return (claimed_by(path, head) or _EXTENSIONS.get(path.suffix.lower())
            or _guess_from_content(head))


def claimed_by(path: Path, head: str | None = None) -> str | None:
    """The platform format that recognises this file, if any."""
    head = _head(path) if head is None else head
    if head is None:
        return None
    return next((name for name in PLATFORM_FORMATS if REGISTRY[name].claims(path.name, head)), None)  # type: ignore[misc]


def _guess_from_content(head: str | None) -> str | None:
    text = (head or "").lstrip()
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return _json_or_jsonl(text)
    if text and header_has_text(text.splitlines()[0]):
        return "csv"
    return None


def _json_or_jsonl(text: str) -> str:
    """JSONL when the first line is a whole object and another object line follows."""
    first, _, rest = text.partition("\n")
    try:
        whole = isinstance(json.loads(first), dict)
    except ValueError:
        return "json"
    return "jsonl" if whole and rest.lstrip().startswith("{") else "json"


def _head(path: Path) -> str | None:
    """The first few KB as text, or None if unreadable. Bytes that are not UTF-8 become U+FFFD,
    so that a file in the wrong encoding is still recognised and its reader can say where."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(_SNIFF_BYTES)
        return codecs.getincrementaldecoder("utf-8-sig")(errors="replace").decode(raw, final=False)
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error, EOFError):
        return None
