"""PersonaStore on an on-disk Chroma. tests/test_chroma_server.py re-runs the store tests
below against a real ``chroma run`` server by overriding the ``new_client`` fixture."""

import uuid

import pytest

from avatar.errors import StoreError
from avatar.stores.chroma import PersonaStore, make_client
from avatar.testing import HashEmbedder
from avatar.types import Post

POSTS = [Post.create(t, platform="x") for t in
         ["squat depth and ankle mobility", "romanian deadlift is my favourite lift",
          "sleep and rest days matter", "protein basics for beginners"]]


@pytest.fixture
def new_client(tmp_path):
    """Makes clients that all open the same database (here: one folder)."""
    return lambda: make_client(path=tmp_path / "db")


@pytest.fixture
def pid():
    """A persona id of its own per test, so tests can share one server."""
    return f"store-{uuid.uuid4().hex[:8]}"


def store(pid="store-test", emb=None, client=None):
    return PersonaStore(client or make_client(ephemeral=True), pid, emb or HashEmbedder())


def test_add_query_roundtrip(new_client, pid):
    s = store(pid, client=new_client())
    assert s.add(POSTS) == 4 and s.count() == 4
    hits = s.query("favourite deadlift", k=2)
    assert hits[0].post.text == POSTS[1].text and hits[0].score > hits[1].score
    assert hits[0].post.platform == "x"
    assert s.existing_ids([POSTS[0].id, "nope"]) == {POSTS[0].id}


def test_second_client_sees_the_same_posts(new_client, pid):
    store(pid, client=new_client()).add(POSTS)
    other = store(pid, client=new_client())
    assert other.count() == 4
    assert {p.id for p in other.all_posts()} == {p.id for p in POSTS}
    assert other.query("sleep and rest", k=1)[0].post.text == POSTS[2].text


def test_failed_add_leaves_store_unchanged(new_client, pid, monkeypatch):
    import avatar.stores.chroma as mod
    monkeypatch.setattr(mod, "BATCH", 2)

    class Flaky(HashEmbedder):
        calls = 0

        def embed(self, texts):
            Flaky.calls += 1
            if Flaky.calls == 2:
                raise RuntimeError("embedder crashed")
            return super().embed(texts)
    s = store(pid, emb=Flaky(), client=new_client())
    with pytest.raises(RuntimeError):
        s.add(POSTS)
    assert s.count() == 0


def test_embedder_mismatch_is_a_clear_error(new_client, pid):
    client = new_client()
    store(pid, HashEmbedder(256), client).add(POSTS[:1])
    with pytest.raises(StoreError, match="indexed with the embedder 'hash-256'"):
        store(pid, HashEmbedder(64), new_client())


def test_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="chroma run"):
        s = store("unreachable", client=make_client(url="http://127.0.0.1:9"))
        s.count()
