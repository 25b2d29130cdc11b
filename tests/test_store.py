"""PersonaStore on an on-disk Chroma. tests/test_chroma_server.py re-runs the store tests
below against a real ``chroma run`` server by overriding the ``new_client`` fixture."""

import uuid

import pytest

from avatar.errors import StoreError
from avatar.stores.base import Filter, Query
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
    assert s.query("beginner", k=5, filter=EXAMPLES) == []


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
EXAMPLES = Filter(examples=True)


def test_examples_come_from_their_own_index_and_match_a_filtered_query(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES)
    hits = s.query("knee pain when squatting", k=2, filter=EXAMPLES)
    assert [h.post.id for h in hits] == [REPLIES[1].id, REPLIES[0].id]
    assert hits[0].post.context == "my knee hurts when I squat"
    vec = HashEmbedder().embed_query("knee pain when squatting")
    filtered = s._col.query(query_embeddings=[vec], n_results=2, where={"has_context": True})
    assert filtered["ids"][0] == [h.post.id for h in hits]
    assert {h.post.id for h in s.query("knee pain", k=10)} >= {p.id for p in REPLIES}  # unfiltered: all


def test_deleted_posts_leave_both_indexes(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES)
    s.delete([REPLIES[0].id])
    assert [h.post.id for h in s.query("beginner", k=5, filter=EXAMPLES)] == [REPLIES[1].id]
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
    assert {h.post.id for h in s.query("knee", k=5, filter=EXAMPLES)} == {p.id for p in REPLIES}
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


def test_retrieve_answers_posts_and_examples_in_one_call_matching_the_single_queries(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES)
    vec = HashEmbedder().embed_query("knee pain when squatting")
    posts, examples = s.retrieve(Query(vector=vec, k=3, examples=1))
    assert posts == s.query("knee pain when squatting", k=3)
    assert examples == s.query("knee pain when squatting", k=1, filter=EXAMPLES)
    assert examples[0].post.id == REPLIES[1].id
    anything = HashEmbedder().embed_query("anything")
    assert s.retrieve(Query(vector=anything, k=2))[1] == []
    assert len(s.retrieve(Query(vector=anything, k=2))[0]) == 2
    kinds = Filter(kinds=("post", "caption"))
    vec = HashEmbedder().embed_query("squats and sleep")
    posts, examples = s.retrieve(Query(vector=vec, k=2, filter=kinds, examples=1, mmr_lambda=0.5, fetch_k=4))
    assert posts == s.query("squats and sleep", k=2, filter=kinds, mmr_lambda=0.5, fetch_k=4)
    assert {p.post.kind for p in posts} <= {"post", "caption"}
    assert examples == s.query("squats and sleep", k=1, filter=EXAMPLES)


def test_example_filters_with_platforms_and_kinds(new_client, pid):
    s = store(pid, client=new_client())
    other = Post.create("Film your squat from the side and send it to me.", platform="ig", kind="reply",
                        context="how do I know my squat depth is right?")
    s.add(POSTS + REPLIES + [other])
    only_ig = Filter(platforms=("ig",), examples=True)
    assert [h.post.id for h in s.query("squat", k=5, filter=only_ig)] == [other.id]
    three = Filter(platforms=("x",), kinds=("reply",), examples=True)
    assert {h.post.id for h in s.query("squat", k=5, filter=three)} == {p.id for p in REPLIES}


def test_a_new_import_reaches_the_in_process_examples_index(new_client, pid):
    s = store(pid, client=new_client())
    s.add(POSTS + REPLIES[:1])
    vec = HashEmbedder().embed_query("knee pain when squatting")
    assert [h.post.id for h in s.retrieve(Query(vector=vec, k=1, examples=5))[1]] == [REPLIES[0].id]
    s.add(REPLIES[1:])
    assert REPLIES[1].id in {h.post.id for h in s.retrieve(Query(vector=vec, k=1, examples=5))[1]}


@pytest.mark.parametrize("kind", ["chroma", "memory"])
def test_every_store_keeps_the_same_contract(kind, new_client, pid):
    from avatar.stores.base import Store
    from avatar.stores.memory import InMemoryStore
    s = store(pid, client=new_client()) if kind == "chroma" else InMemoryStore(HashEmbedder(), pid)
    assert isinstance(s, Store)
    assert s.add(POSTS + REPLIES) == len(POSTS + REPLIES)
    assert s.existing_ids([POSTS[0].id, "nope"]) == {POSTS[0].id}
    vec = HashEmbedder().embed_query(POSTS[2].text)
    posts, examples = s.retrieve(Query(vector=vec, k=1, examples=1))
    assert posts[0].post.id == POSTS[2].id and examples[0].post.context
    assert s.retrieve(Query(vector=vec, k=5, filter=Filter(platforms=("ig",))))[0] == []
    replies = s.retrieve(Query(vector=vec, k=5, filter=Filter(kinds=("reply",))))[0]
    assert {h.post.id for h in replies} == {p.id for p in REPLIES}
    s.delete([REPLIES[0].id])
    assert s.count() == len(POSTS + REPLIES) - 1
    assert {i for i, _ in s.entries()} == {p.id for p in POSTS + REPLIES[1:]}
    assert {p.id for p in s.all_posts()} == {p.id for p in POSTS + REPLIES[1:]}
