"""The store contract: where the creator's embedded posts live.

A store holds posts with their vectors and answers nearest-neighbour queries under a
:class:`Filter`. Filters are neutral (platforms, kinds, "example exchanges only"): each
store turns them into its own query language, so no Chroma ``$and``/``$in`` leaks past
the store. :class:`avatar.stores.chroma.PersonaStore` (embedded or a ``chroma run``
server) and :class:`avatar.stores.memory.InMemoryStore` (tests, small personas)
implement it. Fans' messages never go into a store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..types import Post, ScoredPost

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Filter:
    """Which posts a query may return. Empty tuples mean "any"."""

    platforms: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    examples: bool = False        # only the creator's replies that answer a fan (context set)

    def matches(self, post: Post) -> bool:
        return ((not self.platforms or post.platform in self.platforms)
                and (not self.kinds or post.kind in self.kinds)
                and (not self.examples or bool(post.context)))


ANY = Filter()


@dataclass(frozen=True)
class Query:
    """One retrieval: ``k`` posts under ``filter`` and ``examples`` example exchanges under
    ``examples_filter``, for one query vector. ``mmr_lambda`` (0..1) picks the posts by
    maximal marginal relevance from the ``fetch_k`` closest; ``None`` = by relevance."""

    vector: Sequence[float]
    k: int = 4
    filter: Filter = ANY
    examples: int = 0
    examples_filter: Filter = Filter(examples=True)
    mmr_lambda: float | None = None
    fetch_k: int = 20


@runtime_checkable
class Store(Protocol):
    """What the avatar needs from a store. ``retrieve`` answers one :class:`Query` (posts
    and example exchanges) in one call, so a reply costs one store round trip."""

    persona_id: str

    def add(self, posts: Sequence[Post], vectors: Sequence[Sequence[float]] | None = None,
            progress: Progress | None = None) -> int: ...

    def retrieve(self, query: Query) -> tuple[list[ScoredPost], list[ScoredPost]]: ...

    def existing_ids(self, ids: Sequence[str]) -> set[str]: ...

    def delete(self, ids: Iterable[str]) -> None: ...

    def entries(self) -> list[tuple[str, dict[str, Any]]]: ...

    def all_posts(self) -> list[Post]: ...

    def count(self) -> int: ...


def mmr(query: Sequence[float] | np.ndarray, candidates: Sequence[Sequence[float]] | np.ndarray, k: int,
        lambda_: float) -> list[int]:
    """Indices of ``k`` candidates by maximal marginal relevance (cosine similarity):
    each pick maximises ``lambda_ * sim(query) - (1 - lambda_) * max sim(already picked)``."""
    cand = np.asarray(candidates, dtype=float)
    if len(cand) == 0:
        return []
    cand = cand / np.maximum(np.linalg.norm(cand, axis=1, keepdims=True), 1e-12)
    q = np.asarray(query, dtype=float)
    rel = cand @ (q / max(float(np.linalg.norm(q)), 1e-12))
    picked = [int(np.argmax(rel))]
    while len(picked) < min(k, len(cand)):
        redundancy = (cand @ cand[picked].T).max(axis=1)
        score = lambda_ * rel - (1 - lambda_) * redundancy
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return picked
