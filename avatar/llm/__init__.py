"""Chat backends. ``make_backend`` picks one from resolved settings."""

from __future__ import annotations

from .base import ChatBackend, Example, FunctionBackend, Prompt

__all__ = ["ChatBackend", "Example", "FunctionBackend", "Prompt", "make_backend"]


def make_backend(name: str, *, model: str = "", base_url: str | None = None,
                 api_key: str | None = None, temperature: float = 0.6, threads: int = 1) -> ChatBackend:
    """A backend by registered name: ``local`` (embedded llama.cpp; ``model`` = any GGUF path,
    default SmolLM2), ``openai`` (any OpenAI-compatible server), or a plugin's name
    (see :mod:`avatar.registry`)."""
    from ..registry import backends
    return backends.create(name, model=model, base_url=base_url, api_key=api_key,
                           temperature=temperature, threads=threads)
