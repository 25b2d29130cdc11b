"""Chat backends. ``make_backend`` picks one from resolved settings."""

from __future__ import annotations

from .base import ChatBackend, Example, FunctionBackend, Prompt

__all__ = ["ChatBackend", "Example", "FunctionBackend", "Prompt", "make_backend"]


def make_backend(name: str, *, model: str = "", base_url: str | None = None,
                 api_key: str | None = None, temperature: float = 0.6, threads: int = 1) -> ChatBackend:
    """``local`` (embedded SmolLM2, offline) or ``openai`` (any OpenAI-compatible server)."""
    from ..errors import ConfigError
    if name == "local":
        from .local import LocalBackend
        return LocalBackend(temperature=temperature, n_threads=threads, n_threads_batch=2)
    if name == "openai":
        from .openai import make_openai_backend
        return make_openai_backend(model or "gpt-4o-mini", base_url=base_url, api_key=api_key,
                                   temperature=temperature)
    raise ConfigError(f"unknown backend '{name}' — use 'local' (offline default) or 'openai' "
                      "(set AVATAR_BACKEND or [backend].name)")
