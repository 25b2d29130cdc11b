"""The persona store: one Chroma collection per persona, with our own embeddings.

Chroma's results are dicts of parallel lists; this module turns them into typed
``ScoredPost`` objects so nothing past here knows about Chroma.

Client choice: ``HttpClient`` when a server URL is configured (``chroma run``), else a
``PersistentClient`` under the persona's state folder; ``EphemeralClient`` for tests.
We always pass vectors ourselves: Chroma's default embedding function would try to
download a model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
import numpy as np  # noqa: E402

from ..embeddings.base import Embedder  # noqa: E402
from ..errors import StoreError  # noqa: E402
from ..types import Post, ScoredPost  # noqa: E402

BATCH = 256


def make_client(*, path: str | Path | None = None, url: str | None = None,
                ephemeral: bool = False) -> Any:
    """A Chroma client: server (url), on-disk (path) or in-memory (ephemeral)."""
    try:
        if url:
            parts = urlparse(url if "://" in url else f"http://{url}")
            return chromadb.HttpClient(host=parts.hostname or "127.0.0.1", port=parts.port or 8000,
                                       ssl=parts.scheme == "https")
        if ephemeral:
            return chromadb.EphemeralClient()
        if path is None:
            raise StoreError("no Chroma location given — pass a persona folder or a server URL")
        Path(path).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path))
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants
        where = url or path or "memory"
        raise StoreError(f"cannot open the Chroma store at {where}: {exc} — check that the "
                         "server is running (`chroma run --path DIR`) or the folder is writable") from None


def collection_name(persona_id: str) -> str:
    return f"avatar-{persona_id}"[:63].rstrip("-._")


class PersonaStore:
    """The creator's posts, embedded, in one Chroma collection. Fans' messages never go here."""

    def __init__(self, client: Any, persona_id: str, embedder: Embedder) -> None:
        self.embedder = embedder
        self.persona_id = persona_id
        try:
            self._col = client.get_or_create_collection(
                collection_name(persona_id), embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": embedder.name, "persona": persona_id})
        except Exception as exc:
            raise StoreError(f"cannot open collection for persona '{persona_id}': {exc} — "
                             "check the Chroma server or folder") from None
        built_with = (self._col.metadata or {}).get("embedder")
        if built_with and built_with != embedder.name:
            raise StoreError(
                f"persona '{persona_id}' was indexed with the embedder '{built_with}', not "
                f"'{embedder.name}' — switch back (AVATAR_EMBEDDER / [store].embedder) or re-import "
                "into a fresh persona folder")

    def count(self) -> int:
        return self._col.count()

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 1000):
            found.update(self._col.get(ids=list(ids[start:start + 1000]), include=[])["ids"])
        return found

    def add(self, posts: Sequence[Post], vectors: Sequence[Sequence[float]] | None = None,
            progress=None) -> int:
        """Embed (unless ``vectors`` is given) and add posts, all or nothing.

        If any batch fails, the batches already written by this call are deleted again, so a
        failed import leaves the store as it was.
        """
        written: list[str] = []
        try:
            for start in range(0, len(posts), BATCH):
                batch = posts[start:start + BATCH]
                embs = (list(vectors[start:start + BATCH]) if vectors is not None
                        else self.embedder.embed([p.text for p in batch]))
                self._col.add(ids=[p.id for p in batch], embeddings=[list(map(float, v)) for v in embs],
                              documents=[p.text for p in batch], metadatas=[_meta(p) for p in batch])
                written += [p.id for p in batch]
                if progress:
                    progress(len(batch))
        except BaseException:
            if written:
                self._col.delete(ids=written)
            raise
        return len(written)

    def query(self, text: str, k: int = 4, where: dict | None = None,
              vector: Sequence[float] | None = None, mmr_lambda: float | None = None,
              fetch_k: int = 20) -> list[ScoredPost]:
        """The ``k`` posts closest to ``text``. With ``mmr_lambda`` (0..1) they are picked by
        maximal marginal relevance from the ``fetch_k`` closest: relevant but not repetitive."""
        if k <= 0 or self.count() == 0:
            return []
        vec = list(vector) if vector is not None else self.embedder.embed_query(text)
        n = max(k, fetch_k) if mmr_lambda is not None else k
        include = ["documents", "metadatas", "distances"] + (["embeddings"] if mmr_lambda is not None else [])
        res = self._col.query(query_embeddings=[vec], n_results=n, where=where, include=include)
        rows = zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        hits = [ScoredPost(_post(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows]
        if mmr_lambda is None or len(hits) <= 1:
            return hits[:k]
        order = mmr(vec, res["embeddings"][0], k, mmr_lambda)
        return [hits[i] for i in order]

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            self._col.delete(ids=ids)

    def entries(self) -> list[tuple[str, dict[str, Any]]]:
        """Every stored id with its metadata (no documents, no vectors)."""
        res = self._col.get(include=["metadatas"])
        return [(i, dict(m or {})) for i, m in zip(res["ids"], res["metadatas"])]

    def vectors(self) -> "np.ndarray":
        """Every stored post's embedding, one row per post (for evaluation and analysis)."""
        res = self._col.get(include=["embeddings"])
        return np.asarray(res["embeddings"], dtype=float).reshape(len(res["ids"]), -1)

    def all_posts(self) -> list[Post]:
        res = self._col.get(include=["documents", "metadatas"])
        return [_post(i, d, m) for i, d, m in zip(res["ids"], res["documents"], res["metadatas"])]


def mmr(query: Sequence[float], candidates: Sequence[Sequence[float]], k: int,
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


def where_filter(platforms: Sequence[str] = (), kinds: Sequence[str] = (),
                 **equals: Any) -> dict | None:
    """A Chroma ``where`` clause: platform in ``platforms``, kind in ``kinds``, key == value."""
    parts: list[dict] = [{key: value} for key, value in equals.items()]
    if platforms:
        parts.append({"platform": {"$in": list(platforms)}})
    if kinds:
        parts.append({"kind": {"$in": list(kinds)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _meta(p: Post) -> dict[str, Any]:
    meta: dict[str, Any] = {"platform": p.platform, "kind": p.kind,
                            "has_context": bool(p.context)}
    if p.created_at:
        meta["created_at"] = p.created_at.isoformat()
    if p.url:
        meta["url"] = p.url
    if p.metrics:
        meta["metrics"] = json.dumps(dict(p.metrics))
    if p.context:
        meta["context"] = p.context
    return meta


def _post(pid: str, text: str, meta: dict[str, Any] | None) -> Post:
    meta = meta or {}
    created = meta.get("created_at")
    return Post(id=pid, text=text, platform=meta.get("platform", "generic"),
                kind=meta.get("kind", "post"), url=meta.get("url"),
                created_at=datetime.fromisoformat(created) if created else None,
                metrics=json.loads(meta["metrics"]) if meta.get("metrics") else {},
                context=meta.get("context"))
