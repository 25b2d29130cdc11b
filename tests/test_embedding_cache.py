"""The query-embedding cache in front of the model-backed embedders."""

import threading

import pytest

from avatar.embeddings import CachedQueries, make_embedder
from avatar.testing import HashEmbedder


class Counting(HashEmbedder):
    def __init__(self):
        super().__init__(64)
        self.calls: list[str] = []

    def embed(self, texts):
        self.calls.extend(texts)
        return super().embed(texts)


def test_hit_returns_the_same_vector_without_calling_the_model():
    inner = Counting()
    cache = CachedQueries(inner, size=8)
    first = cache.embed_query("how many days a week?")
    second = cache.embed_query("how many days a week?")
    assert first == second == HashEmbedder(64).embed_query("how many days a week?")
    assert inner.calls == ["how many days a week?"]
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_caller_changing_its_vector_cannot_poison_the_cache():
    cache = CachedQueries(Counting(), size=8)
    vec = cache.embed_query("rest days")
    vec[0] = 99.0
    assert cache.embed_query("rest days")[0] != 99.0


def test_cache_is_bounded_and_evicts_the_least_recently_used():
    inner = Counting()
    cache = CachedQueries(inner, size=2)
    for text in ["a", "b", "a", "c"]:      # "b" is the least recently used when "c" arrives
        cache.embed_query(text)
    assert len(cache) == 2
    cache.embed_query("a")
    cache.embed_query("b")
    assert inner.calls == ["a", "b", "c", "b"]


def test_documents_are_not_cached_and_identity_passes_through():
    inner = Counting()
    cache = CachedQueries(inner)
    cache.embed(["x", "x"])
    cache.embed(["x"])
    assert inner.calls == ["x", "x", "x"] and len(cache) == 0
    assert (cache.name, cache.dim) == (inner.name, inner.dim)


def test_threads_share_one_cache():
    inner = Counting()
    cache = CachedQueries(inner, size=4)
    out: list[list[float]] = []
    threads = [threading.Thread(target=lambda: out.append(cache.embed_query("same"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 1 and all(v == out[0] for v in out)


def test_size_must_be_positive():
    with pytest.raises(ValueError):
        CachedQueries(HashEmbedder(), size=0)


def test_model_embedders_come_cached_and_keep_their_name():
    emb = make_embedder("minilm")             # the model is loaded lazily, not here
    assert isinstance(emb, CachedQueries) and emb.name == "all-MiniLM-L6-v2" and emb.dim == 384
    assert not isinstance(make_embedder("hash"), CachedQueries)
