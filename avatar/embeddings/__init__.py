"""Embedders. ``make_embedder`` picks one by name."""

from __future__ import annotations

from .base import Embedder
from .cache import CachedQueries

__all__ = ["CachedQueries", "Embedder", "make_embedder"]


def make_embedder(name: str, *, model: str = "", base_url: str | None = None,
                  api_key: str | None = None) -> Embedder:
    """``minilm`` (offline default), ``openai`` (any /v1/embeddings server) or ``hash`` (tests).

    The model-backed embedders come wrapped in :class:`CachedQueries`: a repeated fan
    question is not embedded again.
    """
    from ..errors import ConfigError
    if name == "minilm":
        from .minilm import MiniLMEmbedder
        return CachedQueries(MiniLMEmbedder())
    if name == "openai":
        from ..llm.openai import make_openai_embedder
        return CachedQueries(make_openai_embedder(model or "text-embedding-3-small",
                                                  base_url=base_url, api_key=api_key))
    if name == "hash":
        from ..testing import HashEmbedder
        return HashEmbedder()
    raise ConfigError(f"unknown embedder '{name}' — use minilm, openai or hash "
                      "(AVATAR_EMBEDDER or [store].embedder)")
