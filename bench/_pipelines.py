"""The two pipelines the benchmarks compare, built over one shared Chroma collection.

- ours: ``avatar.Avatar`` with a ``ScriptedBackend`` (the model is not measured) — truth
  check, fan memory, retrieval (posts + example exchanges), prompt within a token budget,
  sanitising, label, Ed25519-signed record, audit log append, memory writes.
- baseline: a plain LangChain pipeline — ``langchain_chroma.Chroma`` retriever | format |
  ``ChatPromptTemplate`` | ``FakeListChatModel`` | ``StrOutputParser`` — over the same
  collection and the same embedder (wrapped as a LangChain ``Embeddings``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np
from _common import persona_folder
from langchain_core.embeddings import Embeddings

from avatar.embeddings.base import Embedder

REPLY = "Start light, three sessions a week, and be patient with yourself 💪"


class AsLangChain(Embeddings):
    """An avatar Embedder seen as a LangChain Embeddings (the baseline's side)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


class PrecomputedQueries(Embedder):
    """Query vectors looked up from a table computed beforehand (real MiniLM vectors), so
    a measurement excludes the query embedding. Same name as MiniLM: same vector space."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        # A short follow-up is retrieved together with the fan's previous message
        # ("previous\nmessage"); this mode excludes embedding time, so it takes the
        # message's own precomputed vector (a lookup either way).
        return [self.table[t] if t in self.table else self.table[t.rsplit("\n", 1)[-1]]
                for t in texts]


def shared_store(workdir: Path, pid: str, embedder: Embedder, posts, vectors: np.ndarray,
                 progress=None) -> Any:
    """A persistent Chroma holding ``posts`` with precomputed ``vectors``; returns the client."""
    from avatar.stores.chroma import PersonaStore, make_client
    client = make_client(path=workdir / f"chroma-{pid}")
    store = PersonaStore(client, pid, embedder)
    if store.count() < len(posts):
        store.add(posts, vectors=vectors, progress=progress)
    return client


def ours(workdir: Path, client: Any, pid: str, embedder: Embedder):
    from avatar.avatar import Avatar
    from avatar.config import load_persona
    from avatar.stores.chroma import PersonaStore
    from avatar.testing import ScriptedBackend
    persona = load_persona(persona_folder(workdir / f"persona-{pid}", pid))
    store = PersonaStore(client, pid, embedder)
    return Avatar(persona, backend=ScriptedBackend([REPLY]), embedder=embedder, store=store)


def baseline(client: Any, pid: str, embedder: Embedder, k: int = 4):
    """retriever | prompt | fake chat model | parser, as a LangChain tutorial builds it."""
    from langchain_chroma import Chroma
    from langchain_core.language_models import FakeListChatModel
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnablePassthrough

    from avatar.stores.chroma import collection_name
    vs = Chroma(client=client, collection_name=collection_name(pid),
                embedding_function=AsLangChain(embedder))
    retriever = vs.as_retriever(search_kwargs={"k": k})
    prompt = ChatPromptTemplate.from_messages([
        ("system", "You are the AI avatar of Mara Okafor (@mara.lifts), replying to a fan. "
                   "Write like her. Her posts, most relevant first:\n{context}"),
        ("human", "{question}")])

    def fmt(docs) -> str:
        return "\n".join(f"- {d.page_content}" for d in docs)
    model = FakeListChatModel(responses=[REPLY])
    return {"context": retriever | fmt, "question": RunnablePassthrough()} | prompt | model | StrOutputParser()


def bench_store(work: Path, posts: int):
    """The shared synthesised store of ``posts`` posts: (client, persona id, embedder, messages).

    The embedder looks up precomputed MiniLM vectors of the 200 benchmark fan messages.
    """
    from _common import minilm_vectors, questions, seed_posts, synth_posts, synth_vectors
    seeds = seed_posts()
    mix = synth_posts(posts, seeds)
    msgs = questions(200)
    pre = PrecomputedQueries(dict(zip(msgs, minilm_vectors(msgs).tolist())))
    pid = f"bench-{posts}"
    client = shared_store(work, pid, pre, [m[0] for m in mix],
                          synth_vectors(mix, minilm_vectors([p.text for p in seeds])))
    return client, pid, pre, msgs


def open_bench_store(work: Path, posts: int):
    """Like :func:`bench_store` for a store that exists, without synthesising anything."""
    from _common import minilm_vectors, questions

    from avatar.stores.chroma import make_client
    msgs = questions(200)
    pre = PrecomputedQueries(dict(zip(msgs, minilm_vectors(msgs).tolist())))
    return make_client(path=work / f"chroma-bench-{posts}"), f"bench-{posts}", pre, msgs
