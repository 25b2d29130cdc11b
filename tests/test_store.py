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
        s.add(REPLIES + POSTS)
    assert s.count() == 0
    assert s.query("beginner", k=5, where=EXAMPLES) == []


def test_embedder_mismatch_is_a_clear_error(new_client, pid):
    client = new_client()
    store(pid, HashEmbedder(256), client).add(POSTS[:1])
    with pytest.raises(StoreError, match="indexed with the embedder 'hash-256'"):
        store(pid, HashEmbedder(64), new_client())


def test_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="chroma run"):
        s = store("unreachable", client=make_client(url="http://127.0.0.1:9"))
        s.count()


def test_query_on_an_empty_store_returns_nothing(new_client, pid):
    assert store(pid, client=new_client()).query("anything at all", k=4) == []


REPLIES = [Post.create("Start with three full-body sessions a week.", platform="x", kind="reply",
                       context="where should a beginner start?"),
           Post.create("See a physio before you train through knee pain.", platform="x", kind="reply",
                       context="my knee hurts when I squat")]
EXAMPLES = {"has_context": True}


def test_examples_come_from_their_own_index_and_match_a_filtered_query(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES)
    hits = s.query("knee pain when squatting", k=2, where=EXAMPLES)
    assert [h.post.id for h in hits] == [REPLIES[1].id, REPLIES[0].id]
    assert hits[0].post.context == "my knee hurts when I squat"
    vec = HashEmbedder().embed_query("knee pain when squatting")
    filtered = s._col.query(query_embeddings=[vec], n_results=2, where=EXAMPLES)
    assert filtered["ids"][0] == [h.post.id for h in hits]
    assert {h.post.id for h in s.query("knee pain", k=10)} >= {p.id for p in REPLIES}  # unfiltered: all


def test_deleted_posts_leave_both_indexes(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES)
    s.delete([REPLIES[0].id])
    assert [h.post.id for h in s.query("beginner", k=5, where=EXAMPLES)] == [REPLIES[1].id]
    assert s.count() == 5


def test_store_from_before_the_examples_index_is_upgraded_on_open(new_client, pid):
    from avatar.stores.chroma import _meta, collection_name
    client = new_client()
    old = client.get_or_create_collection(collection_name(pid), embedding_function=None,
                                          configuration={"hnsw": {"space": "cosine"}},
                                          metadata={"embedder": "hash-256", "persona": pid})
    emb = HashEmbedder()
    old.add(ids=[p.id for p in POSTS + REPLIES], embeddings=emb.embed([p.text for p in POSTS + REPLIES]),
            documents=[p.text for p in POSTS + REPLIES], metadatas=[_meta(p) for p in POSTS + REPLIES])
    s = store(pid, client=new_client())
    assert {h.post.id for h in s.query("knee", k=5, where=EXAMPLES)} == {p.id for p in REPLIES}
    assert s._col.metadata["examples_index"] == 1 and s._col.metadata["embedder"] == "hash-256"


def test_import_embeds_in_length_order_and_keeps_each_vector_with_its_post(new_client, pid, monkeypatch):
    import avatar.stores.chroma as mod
    monkeypatch.setattr(mod, "BATCH", 2)
    batches: list[list[str]] = []

    class Recording(HashEmbedder):
        def embed(self, texts):
            batches.append(list(texts))
            return super().embed(texts)
    s = store(pid, emb=Recording(), client=new_client())
    s.add(POSTS + REPLIES)
    lengths = [len(t) for b in batches for t in b]
    assert lengths == sorted(lengths) and len(lengths) == 6
    for p in POSTS + REPLIES:
        assert s.query(p.text, k=1)[0].post.id == p.id


def test_retrieve_runs_both_queries_and_matches_them_one_by_one(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES)
    posts, examples = s.retrieve("knee pain when squatting", 3, 1)
    assert posts == s.query("knee pain when squatting", k=3)
    assert examples == s.query("knee pain when squatting", k=1, where=EXAMPLES)
    assert examples[0].post.id == REPLIES[1].id
    assert s.retrieve("anything", 2, 0)[1] == [] and len(s.retrieve("anything", 2, 0)[0]) == 2
    kinds = {"kind": {"$in": ["post", "caption"]}}
    posts, examples = s.retrieve("squats and sleep", 2, 1, where=kinds, mmr_lambda=0.5, fetch_k=4)
    assert posts == s.query("squats and sleep", k=2, where=kinds, mmr_lambda=0.5, fetch_k=4)
    assert {p.post.kind for p in posts} <= {"post", "caption"}
    assert examples == s.query("squats and sleep", k=1, where=EXAMPLES)


def test_examples_with_more_clauses_use_the_examples_index_with_the_rest(new_client, pid):
    s = store(pid, client=new_client())
    other = Post.create("Film your squat from the side and send it to me.", platform="ig", kind="reply",
                        context="how do I know my squat depth is right?")
    s.add(POSTS + REPLIES + [other])
    only_ig = {"$and": [{"has_context": True}, {"platform": {"$in": ["ig"]}}]}
    assert [h.post.id for h in s.query("squat", k=5, where=only_ig)] == [other.id]
    three = {"$and": [{"has_context": True}, {"platform": {"$in": ["x"]}}, {"kind": {"$in": ["reply"]}}]}
    assert {h.post.id for h in s.query("squat", k=5, where=three)} == {p.id for p in REPLIES}
    assert s._route(only_ig) == (s._ex, {"platform": {"$in": ["ig"]}})
    assert s._route({"platform": "x"}) == (s._col, {"platform": "x"})
