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
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
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


EXAMPLES = {"has_context": True}    # the filter that selects example exchanges


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
            res = self._col.get(where=EXAMPLES, include=["embeddings", "documents", "metadatas"],
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
        return len(written)

    @staticmethod
    def _write(col: Any, posts: Sequence[Post], embs: list[list[float]]) -> None:
        col.add(ids=[p.id for p in posts], embeddings=embs, documents=[p.text for p in posts],
                metadatas=[_meta(p) for p in posts])

    def query(self, text: str, k: int = 4, where: dict | None = None,
              vector: Sequence[float] | None = None, mmr_lambda: float | None = None,
              fetch_k: int = 20) -> list[ScoredPost]:
        """The ``k`` posts closest to ``text``. With ``mmr_lambda`` (0..1) they are picked by
        maximal marginal relevance from the ``fetch_k`` closest: relevant but not repetitive."""
        if k <= 0:    # no count() first: an empty collection simply returns no rows
            return []
        vec = list(vector) if vector is not None else self.embedder.embed_query(text)
        n = max(k, fetch_k) if mmr_lambda is not None else k
        include = ["documents", "metadatas", "distances"] + (["embeddings"] if mmr_lambda is not None else [])
        col, where = self._route(where)
        res = col.query(query_embeddings=[vec], n_results=n, where=where, include=include)
        rows = zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        hits = [ScoredPost(_post(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows]
        if mmr_lambda is None or len(hits) <= 1:
            return hits[:k]
        order = mmr(vec, res["embeddings"][0], k, mmr_lambda)
        return [hits[i] for i in order]

    def _route(self, where: dict | None) -> tuple[Any, dict | None]:
        """A filter that asks for example exchanges goes to the examples collection, without
        the ``has_context`` clause (any other clauses, e.g. platforms, still apply)."""
        if where == EXAMPLES:
            return self._ex, None
        parts = where.get("$and") if isinstance(where, dict) and len(where) == 1 else None
        if isinstance(parts, list) and EXAMPLES in parts:
            rest = [c for c in parts if c != EXAMPLES]
            return self._ex, (rest[0] if len(rest) == 1 else {"$and": rest} if rest else None)
        return self._col, where

    def retrieve(self, text: str, k: int, examples: int, vector: Sequence[float] | None = None, *,
                 where: dict | None = None, examples_where: dict | None = EXAMPLES,
                 mmr_lambda: float | None = None, fetch_k: int = 20
                 ) -> tuple[list[ScoredPost], list[ScoredPost]]:
        """The ``k`` posts for ``text`` (filters and MMR as in :meth:`query`) and the
        ``examples`` nearest example exchanges, the two Chroma queries run side by side
        (Chroma releases the GIL: 7.0 -> 4.4 ms at 100k posts)."""
        vec = list(vector) if vector is not None else self.embedder.embed_query(text)
        posts_query = partial(self.query, text, k, where, vec, mmr_lambda, fetch_k)
        if examples <= 0 or k <= 0:
            return posts_query(), self.query(text, examples, examples_where, vec)
        pending = _pool().submit(self.query, text, examples, examples_where, vec)
        try:
            posts = posts_query()
        finally:
            found = pending.result()
        return posts, found

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), PAGE):
            self._col.delete(ids=ids[start:start + PAGE])
            self._ex.delete(ids=ids[start:start + PAGE])

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


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """Threads shared by all stores for the second query of :meth:`PersonaStore.retrieve`."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="avatar-store")
        return _executor


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
