import pytest

from avatar.errors import StoreError
from avatar.stores.chroma import PersonaStore, make_client
from avatar.testing import HashEmbedder
from avatar.types import Post

POSTS = [Post.create(t, platform="x") for t in
         ["squat depth and ankle mobility", "romanian deadlift is my favourite lift",
          "sleep and rest days matter", "protein basics for beginners"]]


def store(pid="store-test", emb=None, client=None):
    return PersonaStore(client or make_client(ephemeral=True), pid, emb or HashEmbedder())


def test_add_query_roundtrip(tmp_path):
    s = store(client=make_client(path=tmp_path / "db"))
    assert s.add(POSTS) == 4 and s.count() == 4
    hits = s.query("favourite deadlift", k=2)
    assert hits[0].post.text == POSTS[1].text and hits[0].score > hits[1].score
    assert hits[0].post.platform == "x"
    assert s.existing_ids([POSTS[0].id, "nope"]) == {POSTS[0].id}


def test_failed_add_leaves_store_unchanged(tmp_path, monkeypatch):
    import avatar.stores.chroma as mod
    monkeypatch.setattr(mod, "BATCH", 2)

    class Flaky(HashEmbedder):
        calls = 0

        def embed(self, texts):
            Flaky.calls += 1
            if Flaky.calls == 2:
                raise RuntimeError("embedder crashed")
            return super().embed(texts)
    s = store("flaky-store", emb=Flaky(), client=make_client(path=tmp_path / "db"))
    with pytest.raises(RuntimeError):
        s.add(POSTS)
    assert s.count() == 0


def test_embedder_mismatch_is_a_clear_error(tmp_path):
    client = make_client(path=tmp_path / "db")
    store("mismatch", HashEmbedder(256), client).add(POSTS[:1])
    with pytest.raises(StoreError, match="indexed with the embedder 'hash-256'"):
        store("mismatch", HashEmbedder(64), client)


def test_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="chroma run"):
        s = store("unreachable", client=make_client(url="http://127.0.0.1:9"))
        s.count()
