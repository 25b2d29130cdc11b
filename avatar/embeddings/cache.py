"""A bounded LRU cache in front of an embedder's ``embed_query``.

Fans ask the same things ("how many days a week?"), and a MiniLM query embedding costs
15-20 ms on a small CPU, most of a reply's overhead. ``CachedQueries`` keeps the vectors of
the last ``size`` distinct query texts (exact text as key); documents (``embed``) are never
cached: an import embeds each post once anyway. Each hit returns a fresh copy of the
list, so a caller that modifies its vector cannot poison the cache. Thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from .base import Embedder

DEFAULT_SIZE = 2048      # 2048 x 384 floats as Python lists: about 25 MB at most


class CachedQueries(Embedder):
    """Wraps ``inner``; same ``name`` and ``dim``, so stores see the same embedder."""

    def __init__(self, inner: Embedder, size: int = DEFAULT_SIZE) -> None:
        if size < 1:
            raise ValueError("the query cache size must be at least 1")
        self.inner = inner
        self.size = size
        self.hits = self.misses = 0
        self._cache: OrderedDict[str, tuple[float, ...]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.inner.name

    @property
    def dim(self) -> int:  # type: ignore[override]
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self.inner.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
                self.hits += 1
                return list(vec)
        fresh = tuple(self.inner.embed_query(text))   # not under the lock: may take a while
        with self._lock:
            self.misses += 1
            self._cache[text] = fresh
            self._cache.move_to_end(text)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return list(fresh)

    def __len__(self) -> int:
        return len(self._cache)

    def __repr__(self) -> str:
        return f"CachedQueries({self.inner!r}, size={self.size}, cached={len(self)})"
