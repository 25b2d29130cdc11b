"""Embedders. ``make_embedder`` picks one by name."""

from __future__ import annotations

from .base import Embedder
from .cache import CachedQueries

__all__ = ["CachedQueries", "Embedder", "make_embedder"]


def make_embedder(name: str, *, model: str = "", base_url: str | None = None,
                  api_key: str | None = None) -> Embedder:
    """An embedder by registered name: ``minilm`` (offline default), ``openai`` (any
    /v1/embeddings server), ``hash`` (tests) or a plugin's name (see :mod:`avatar.registry`).

    The model-backed embedders come wrapped in :class:`CachedQueries`: a repeated fan
    question is not embedded again.
    """
    from ..registry import embedders
    return embedders.create(name, model=model, base_url=base_url, api_key=api_key)
