"""The embedder contract: one required method, ``embed``.

``embed_query`` is derived; implementations may override it (e.g. to cache).
Vectors are plain lists of floats, L2-normalised where the model is meant for cosine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence


class Embedder(ABC):
    name: str = "embedder"   # stable id stored with the collection, e.g. "minilm-l6-v2"
    dim: int = 0

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed a batch of documents, one vector per text, same order."""

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0]
