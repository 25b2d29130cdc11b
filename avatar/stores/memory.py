"""A store in a NumPy matrix: for tests, examples and personas of a few thousand posts.

Same contract as the Chroma store (:class:`avatar.stores.base.Store`), no files, exact
cosine search. Nothing is persisted: build it again from the posts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..embeddings.base import Embedder
from ..types import Post, ScoredPost
from .base import Filter, Progress, Query, mmr


class InMemoryStore:
    """Posts and unit vectors in memory. Thread-safe; ``embedder`` embeds added posts."""

    def __init__(self, embedder: Embedder, persona_id: str = "memory") -> None:
        self.embedder = embedder
        self.persona_id = persona_id
        self._posts: dict[str, Post] = {}
        self._vecs: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def add(self, posts: Sequence[Post], vectors: Sequence[Sequence[float]] | None = None,
            progress: Progress | None = None) -> int:
        embs = list(vectors) if vectors is not None else self.embedder.embed([p.text for p in posts])
        with self._lock:
            for post, vec in zip(posts, embs):
                v = np.asarray(vec, dtype=float)
                self._posts[post.id] = post
                self._vecs[post.id] = v / max(float(np.linalg.norm(v)), 1e-12)
        if progress and posts:
            progress(len(posts))
        return len(posts)

    def retrieve(self, query: Query) -> tuple[list[ScoredPost], list[ScoredPost]]:
        posts = self._nearest(query.vector, query.k, query.filter, query.mmr_lambda, query.fetch_k)
        return posts, self._nearest(query.vector, query.examples, query.examples_filter, None, 0)

    def _nearest(self, vector: Sequence[float], k: int, where: Filter, mmr_lambda: float | None,
                 fetch_k: int) -> list[ScoredPost]:
        if k <= 0:
            return []
        with self._lock:
            ids = [i for i, p in self._posts.items() if where.matches(p)]
            if not ids:
                return []
            mat = np.stack([self._vecs[i] for i in ids])
            posts = [self._posts[i] for i in ids]
        q = np.asarray(vector, dtype=float)
        scores = mat @ (q / max(float(np.linalg.norm(q)), 1e-12))
        n = max(k, fetch_k) if mmr_lambda is not None else k
        order = list(np.argsort(-scores, kind="stable")[:n])
        hits = [ScoredPost(posts[i], float(scores[i])) for i in order]
        if mmr_lambda is None or len(hits) <= 1:
            return hits[:k]
        return [hits[i] for i in mmr(q, mat[order], k, mmr_lambda)]

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        with self._lock:
            return {i for i in ids if i in self._posts}

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock:
            for i in ids:
                self._posts.pop(i, None)
                self._vecs.pop(i, None)

    def entries(self) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            return [(i, _meta(p)) for i, p in self._posts.items()]

    def all_posts(self) -> list[Post]:
        with self._lock:
            return list(self._posts.values())

    def count(self) -> int:
        return len(self._posts)


def _meta(p: Post) -> dict[str, Any]:
    meta: dict[str, Any] = {"platform": p.platform, "kind": p.kind, "has_context": bool(p.context)}
    if p.created_at:
        meta["created_at"] = p.created_at.isoformat()
    return meta
