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
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..telemetry import disable as _no_telemetry

_no_telemetry()

import chromadb  # noqa: E402
import numpy as np  # noqa: E402

from ..embeddings.base import Embedder  # noqa: E402
from ..errors import StoreError  # noqa: E402
from ..types import Post, ScoredPost  # noqa: E402
from .base import ANY, Filter, Query, mmr  # noqa: E402

BATCH = 256
PAGE = 5000      # rows per get() when reading the whole collection


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


def examples_name(persona_id: str) -> str:
    return f"avatar-ex-{persona_id}"[:63].rstrip("-._")


_HAS_CONTEXT = {"has_context": True}    # the Chroma filter that selects example exchanges


class PersonaStore:
    """The creator's posts, embedded, in one Chroma collection. Fans' messages never go here.

    Posts that answer a fan (``context`` set: the example exchanges shown to the model) are
    also indexed in a small second collection, so finding the nearest examples is a plain
    vector query instead of a metadata-filtered one: Chroma's ``where`` query scans the
    matching rows (460 ms at 100k posts on 2 cores, against 2 ms unfiltered).
    """

    def __init__(self, client: Any, persona_id: str, embedder: Embedder) -> None:
        self.embedder = embedder
        self.persona_id = persona_id
        self._ex_cache: _ExampleIndex | None = None
        self._ex_lock = threading.Lock()
        self._col = self._open(client, collection_name(persona_id))
        self._ex = self._open(client, examples_name(persona_id))
        built_with = (self._col.metadata or {}).get("embedder")
        if built_with and built_with != embedder.name:
            raise StoreError(
                f"persona '{persona_id}' was indexed with the embedder '{built_with}', not "
                f"'{embedder.name}' — switch back (AVATAR_EMBEDDER / [store].embedder) or re-import "
                "into a fresh persona folder")
        if not (self._col.metadata or {}).get("examples_index"):
            self._build_examples_index()

    def _open(self, client: Any, name: str) -> Any:
        try:
            return client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": self.embedder.name, "persona": self.persona_id})
        except Exception as exc:
            raise StoreError(f"cannot open collection for persona '{self.persona_id}': {exc} — "
                             "check the Chroma server or folder") from None

    def _build_examples_index(self) -> None:
        """Stores made before the examples collection existed: copy their examples over once."""
        offset = 0
        while True:
            res = self._col.get(where=_HAS_CONTEXT, include=["embeddings", "documents", "metadatas"],
                                limit=PAGE, offset=offset)
            if res["ids"]:
                self._ex.upsert(ids=res["ids"], embeddings=res["embeddings"],
                                documents=res["documents"], metadatas=res["metadatas"])
            offset += len(res["ids"])
            if len(res["ids"]) < PAGE:
                break
        self._col.modify(metadata={**(self._col.metadata or {}), "examples_index": 1})

    def count(self) -> int:
        return self._col.count()

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), PAGE):     # 5000 ids a call: 1.6 -> 0.9 s for 100k
            found.update(self._col.get(ids=list(ids[start:start + PAGE]), include=[])["ids"])
        return found

    def add(self, posts: Sequence[Post], vectors: Sequence[Sequence[float]] | None = None,
            progress=None) -> int:
        """Embed (unless ``vectors`` is given) and add posts, all or nothing.

        If any batch fails, the batches already written by this call are deleted again, so a
        failed import leaves the store as it was.
        """
        written: list[str] = []
        if vectors is None:
            # Embed in length order: each batch then holds texts of similar length, so the
            # model pads little (as when it embeds one big list); the store ignores order.
            posts = sorted(posts, key=lambda p: len(p.text))
        try:
            for start in range(0, len(posts), BATCH):
                batch = posts[start:start + BATCH]
                embs = (list(vectors[start:start + BATCH]) if vectors is not None
                        else self.embedder.embed([p.text for p in batch]))
                embs = [list(map(float, v)) for v in embs]
                self._write(self._col, batch, embs)
                written += [p.id for p in batch]
                pairs = [(p, e) for p, e in zip(batch, embs) if p.context]
                if pairs:
                    self._write(self._ex, [p for p, _ in pairs], [e for _, e in pairs])
                if progress:
                    progress(len(batch))
        except BaseException:
            if written:
                self.delete(written)
            raise
        finally:
            self.refresh()
        return len(written)

    @staticmethod
    def _write(col: Any, posts: Sequence[Post], embs: list[list[float]]) -> None:
        col.add(ids=[p.id for p in posts], embeddings=embs, documents=[p.text for p in posts],
                metadatas=[_meta(p) for p in posts])

    def query(self, text: str, k: int = 4, filter: Filter = ANY,
              vector: Sequence[float] | None = None, mmr_lambda: float | None = None,
              fetch_k: int = 20) -> list[ScoredPost]:
        """The ``k`` posts closest to ``text`` (or ``vector``) under ``filter``. With
        ``mmr_lambda`` (0..1) they are picked by maximal marginal relevance from the
        ``fetch_k`` closest: relevant but not repetitive."""
        vec = list(vector) if vector is not None else self.embedder.embed_query(text)
        if filter.examples:
            return self._examples().nearest(vec, k, filter)
        return self._query(self._col, vec, k, _where(filter), mmr_lambda, fetch_k)

    @staticmethod
    def _query(col: Any, vec: list[float], k: int, where: dict | None, mmr_lambda: float | None,
               fetch_k: int) -> list[ScoredPost]:
        if k <= 0:    # no count() first: an empty collection simply returns no rows
            return []
        n = max(k, fetch_k) if mmr_lambda is not None else k
        include = ["documents", "metadatas", "distances"] + (["embeddings"] if mmr_lambda is not None else [])
        res = col.query(query_embeddings=[vec], n_results=n, where=where, include=include)
        rows = zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        hits = [ScoredPost(_post(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows]
        if mmr_lambda is None or len(hits) <= 1:
            return hits[:k]
        order = mmr(vec, res["embeddings"][0], k, mmr_lambda)
        return [hits[i] for i in order]

    def retrieve(self, query: Query) -> tuple[list[ScoredPost], list[ScoredPost]]:
        """The posts and the example exchanges for one :class:`Query`: one Chroma query for
        the posts; the examples come from an in-process copy of the (small) examples index,
        loaded once and dropped when this store adds or deletes posts."""
        vec = [float(x) for x in query.vector]
        posts = self._query(self._col, vec, query.k, _where(query.filter), query.mmr_lambda,
                            query.fetch_k)
        found = (self._examples().nearest(vec, query.examples, query.examples_filter)
                 if query.examples > 0 else [])
        return posts, found

    def _examples(self) -> "_ExampleIndex":
        with self._ex_lock:
            if self._ex_cache is None:
                self._ex_cache = _ExampleIndex.load(self._ex)
            return self._ex_cache

    def refresh(self) -> None:
        """Drop in-process copies (another process changed the store)."""
        with self._ex_lock:
            self._ex_cache = None

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), PAGE):
            self._col.delete(ids=ids[start:start + PAGE])
            self._ex.delete(ids=ids[start:start + PAGE])
        self.refresh()

    def entries(self) -> list[tuple[str, dict[str, Any]]]:
        """Every stored id with its metadata (no documents, no vectors)."""
        res = self._get_all(["metadatas"])
        return [(i, dict(m or {})) for i, m in zip(res["ids"], res["metadatas"])]

    def vectors(self) -> "np.ndarray":
        """Every stored post's embedding, one row per post (for evaluation and analysis)."""
        res = self._get_all(["embeddings"])
        return np.asarray(res["embeddings"], dtype=float).reshape(len(res["ids"]), -1)

    def _get_all(self, include: list[str]) -> dict[str, list]:
        """``get`` of the whole collection in pages (unpaged fails past ~32k posts)."""
        out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
        while True:
            res = self._col.get(include=include, limit=PAGE, offset=len(out["ids"]))
            for key in out:
                out[key] += list(res[key])
            if len(res["ids"]) < PAGE:
                return out

    def all_posts(self) -> list[Post]:
        """Every stored post, read in pages (one unpaged ``get`` fails past ~32k posts:
        "too many SQL variables")."""
        res = self._get_all(["documents", "metadatas"])
        return [_post(i, d, m) for i, d, m in zip(res["ids"], res["documents"], res["metadatas"])]


def _where(f: Filter) -> dict | None:
    """A neutral :class:`Filter` as a Chroma ``where`` clause (``examples`` is routed to the
    examples index by the caller, not filtered here)."""
    parts: list[dict] = []
    if f.platforms:
        parts.append({"platform": {"$in": list(f.platforms)}})
    if f.kinds:
        parts.append({"kind": {"$in": list(f.kinds)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


class _ExampleIndex:
    """The examples collection held in memory (unit vectors, float32): nearest examples for
    a reply without a second store round trip. Thousands of rows; a dot product each."""

    def __init__(self, posts: list[Post], vecs: np.ndarray) -> None:
        self.posts, self.vecs = posts, vecs

    @classmethod
    def load(cls, col: Any) -> "_ExampleIndex":
        posts: list[Post] = []
        rows: list[Any] = []
        while True:
            res = col.get(include=["documents", "metadatas", "embeddings"], limit=PAGE,
                          offset=len(posts))
            posts += [_post(i, d, m) for i, d, m in zip(res["ids"], res["documents"], res["metadatas"])]
            rows += list(res["embeddings"])
            if len(res["ids"]) < PAGE:
                break
        if not posts:
            return cls([], np.zeros((0, 0), dtype=np.float32))
        vecs = np.asarray(rows, dtype=np.float32).reshape(len(posts), -1)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return cls(posts, vecs)

    def nearest(self, vector: Sequence[float], k: int, where: Filter) -> list[ScoredPost]:
        if k <= 0 or not self.posts:
            return []
        q = np.asarray(vector, dtype=np.float32)
        scores = self.vecs @ (q / max(float(np.linalg.norm(q)), 1e-12))
        out: list[ScoredPost] = []
        for i in np.argsort(-scores, kind="stable"):
            if where.matches(self.posts[i]):
                out.append(ScoredPost(self.posts[i], float(scores[i])))
                if len(out) == k:
                    break
        return out


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
