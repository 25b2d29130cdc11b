"""Test doubles shipped with the library, for your tests and ours.

- :class:`ScriptedBackend` — replies from a queue (or a function), records every prompt.
- :class:`HashEmbedder` — deterministic bag-of-words vectors: no model, instant, and still
  "similar text -> similar vector", so retrieval tests mean something.
- :class:`FakeOpenAIServer` — a real HTTP server on 127.0.0.1 speaking the OpenAI API.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from datetime import datetime, timedelta, timezone
from typing import Any

from .embeddings.base import Embedder
from .llm.base import ChatBackend, Prompt

__all__ = ["ScriptedBackend", "HashEmbedder", "FakeOpenAIServer", "InMemoryStore", "FakeClock"]  # noqa: F822 (lazy)


class ScriptedBackend(ChatBackend):
    """Replies with the given texts in order (the last one repeats), or ``fn(prompt)``.

    A reply that is a list of strings is streamed chunk by chunk. An ``Exception`` instance
    in the queue is raised instead (or, inside a list, raised mid-stream).
    """

    name = "scripted"
    provider = "avatar.testing"

    def __init__(self, replies: Iterable[object] | Callable[[Prompt], object] = ("Hi!",),
                 model: str = "scripted-1") -> None:
        self.fn = replies if callable(replies) else None
        self.replies = [] if callable(replies) else list(replies)
        self.model = model
        self.prompts: list[Prompt] = []

    def stream(self, prompt: Prompt) -> Iterator[str]:
        self.prompts.append(prompt)
        out: Any = self.fn(prompt) if self.fn else self._next()
        if isinstance(out, BaseException):
            raise out
        for chunk in [out] if isinstance(out, str) else out:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk

    def _next(self) -> object:
        if not self.replies:
            return ""
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


_WORD = re.compile(r"\w+", re.UNICODE)


class HashEmbedder(Embedder):
    """Hashed bag of lowercase words (and character trigrams), L2-normalised."""

    name = "hash-256"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for feat in self._features(text.lower()):
            h = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "little")
            vec[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    @staticmethod
    def _features(text: str) -> Iterator[str]:
        for word in _WORD.findall(text):
            yield "w:" + word
            padded = f"#{word}#"
            for i in range(len(padded) - 2):
                yield "t:" + padded[i:i + 3]


class FakeClock:
    """A clock you move by hand: ``Avatar(..., clock=FakeClock())`` then ``clock.advance(minutes=61)``."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def __getattr__(name: str):  # lazy: the server pulls in http.server only when asked for
    if name == "InMemoryStore":
        from .stores.memory import InMemoryStore
        return InMemoryStore
    if name == "FakeOpenAIServer":
        from ._openai_fake_server import FakeOpenAIServer
        return FakeOpenAIServer
    raise AttributeError(name)
