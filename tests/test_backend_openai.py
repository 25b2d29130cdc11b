"""The OpenAI backend and embedder against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import openai
import pytest

from avatar._openai_fake_server import FakeOpenAIServer
from avatar.errors import BackendError, BackendUnavailable, EmbeddingError, MissingAPIKey
from avatar.llm.base import Example, Prompt
from avatar.llm.openai import OpenAIBackend, make_openai_backend, make_openai_embedder
from avatar.types import Message

PROMPT = Prompt(
    system="You are Mia, a baker. Keep it short.",
    message="what flour do you use?",
    creator_name="Mia",
    history=(Message("fan", "hi Mia"), Message("avatar", "hey!")),
    examples=(Example("do you sleep in?", "never on bake days"),),
    max_tokens=50,
)
REPLY = "Mostly bread flour, with a handful of rye for the starter."


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(replies=[REPLY, "second reply"],
                          models=["fake-model", "embed-model"]) as running:
        yield running


@pytest.fixture
def srv(server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The module's server, reset to its constructor settings for each test."""
    server.reset()
    return server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- replies ---------------------------------------------------------------------------------

def test_complete_makes_one_plain_request(srv: FakeOpenAIServer) -> None:
    backend = make_openai_backend("fake-model", srv.base_url, None)
    assert backend.complete(PROMPT) == REPLY
    (body,) = srv.chat_requests
    assert not body.get("stream")


def test_stream_yields_pieces(srv: FakeOpenAIServer) -> None:
    backend = make_openai_backend("fake-model", srv.base_url, None)
    pieces = list(backend.stream(PROMPT))
    assert len(pieces) > 3
    assert "".join(pieces) == REPLY
    assert srv.chat_requests[0]["stream"] is True


def test_request_carries_prompt_messages_model_and_settings(srv: FakeOpenAIServer) -> None:
    make_openai_backend("fake-model", srv.base_url, None, temperature=0.3).complete(PROMPT)
    body = srv.chat_requests[0]
    assert body["messages"] == PROMPT.to_messages()
    assert body["model"] == "fake-model"
    assert body["temperature"] == 0.3
    # langchain-openai 1.x sends the reply limit as max_completion_tokens
    assert body.get("max_completion_tokens", body.get("max_tokens")) == PROMPT.max_tokens


def test_replies_can_be_a_function_of_the_messages(srv: FakeOpenAIServer) -> None:
    srv.reset(replies=lambda msgs: msgs[-1]["content"].upper())
    backend = make_openai_backend("fake-model", srv.base_url, None)
    assert backend.complete(PROMPT) == PROMPT.message.upper()
    assert "".join(backend.stream(PROMPT)) == PROMPT.message.upper()


def test_any_model_is_served_when_no_list_is_given() -> None:
    with FakeOpenAIServer(replies=["ok"]) as server:
        assert make_openai_backend("whatever", server.base_url, None).complete(PROMPT) == "ok"


def test_key_is_sent_as_bearer_token(srv: FakeOpenAIServer) -> None:
    srv.api_key = "sk-local"
    assert make_openai_backend("fake-model", srv.base_url, "sk-local").complete(PROMPT) == REPLY
    assert srv.requests[0]["headers"]["authorization"] == "Bearer sk-local"


def test_local_server_needs_no_key(srv: FakeOpenAIServer) -> None:
    make_openai_backend("fake-model", srv.base_url, None).complete(PROMPT)
    assert srv.requests[0]["headers"]["authorization"].startswith("Bearer ")


def test_provenance_fields(srv: FakeOpenAIServer) -> None:
    backend = make_openai_backend("fake-model", srv.base_url, None)
    assert isinstance(backend, OpenAIBackend)
    assert backend.name == "openai"
    assert backend.provider == f"openai-compatible (127.0.0.1:{srv.port})"
    assert backend.model == "fake-model"
    official = make_openai_backend("gpt-4o-mini", None, "sk-test")  # no request is made
    assert (official.provider, official.model) == ("openai", "gpt-4o-mini")


# -- errors ----------------------------------------------------------------------------------

def test_server_not_running_is_unavailable() -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    backend = make_openai_backend("m", url, None, max_retries=0)
    with pytest.raises(BackendUnavailable) as info:
        list(backend.stream(PROMPT))
    assert url in str(info.value) and "OPENAI_BASE_URL" in str(info.value)
    with pytest.raises(BackendUnavailable):
        backend.complete(PROMPT)


def test_timeout_is_unavailable(srv: FakeOpenAIServer) -> None:
    srv.delay = 0.5
    backend = make_openai_backend("fake-model", srv.base_url, None, timeout=0.1, max_retries=0)
    with pytest.raises(BackendUnavailable, match="timed out"):
        backend.complete(PROMPT)


def test_wrong_key_is_missing_api_key(srv: FakeOpenAIServer) -> None:
    srv.api_key = "right"
    with pytest.raises(MissingAPIKey, match="OPENAI_API_KEY"):
        make_openai_backend("fake-model", srv.base_url, "wrong").complete(PROMPT)
    with pytest.raises(MissingAPIKey):
        list(make_openai_backend("fake-model", srv.base_url, None).stream(PROMPT))


def test_unknown_model_names_model_and_setting(srv: FakeOpenAIServer) -> None:
    with pytest.raises(BackendError) as info:
        make_openai_backend("no-such-model", srv.base_url, None).complete(PROMPT)
    assert type(info.value) is BackendError
    assert "no-such-model" in str(info.value) and "AVATAR_MODEL" in str(info.value)


def test_server_error_carries_server_message(srv: FakeOpenAIServer) -> None:
    srv.fail_with = 503
    with pytest.raises(BackendError, match="injected failure 503"):
        make_openai_backend("fake-model", srv.base_url, None, max_retries=0).complete(PROMPT)


def test_last_scripted_reply_repeats(srv: FakeOpenAIServer) -> None:
    backend = make_openai_backend("fake-model", srv.base_url, None)
    assert [backend.complete(PROMPT) for _ in range(3)] == [REPLY, "second reply", "second reply"]
    assert len(srv.chat_requests) == 3


def test_reply_given_as_exact_stream_pieces(srv: FakeOpenAIServer) -> None:
    srv.reset(replies=[["Fri", "days at ", "7pm!"]])
    backend = make_openai_backend("fake-model", srv.base_url, None)
    assert list(backend.stream(PROMPT)) == ["Fri", "days at ", "7pm!"]
    assert backend.complete(PROMPT) == "Fridays at 7pm!"


def test_no_scripted_replies_is_explained(srv: FakeOpenAIServer) -> None:
    srv.reset(replies=[])
    backend = make_openai_backend("fake-model", srv.base_url, None, max_retries=0)
    with pytest.raises(BackendError, match="no scripted replies"):
        backend.complete(PROMPT)


def test_connection_dropped_mid_stream(srv: FakeOpenAIServer) -> None:
    srv.drop_after = 3  # role chunk + two words, then the socket is cut
    got: list[str] = []
    with pytest.raises(BackendUnavailable, match="broke off"):
        for piece in make_openai_backend("fake-model", srv.base_url, None).stream(PROMPT):
            got.append(piece)
    assert "".join(got) == "Mostly bread "


def test_official_api_without_key_fails_at_once() -> None:
    with pytest.raises(MissingAPIKey) as info:
        make_openai_backend("gpt-4o-mini", None, None)
    assert "OPENAI_API_KEY" in str(info.value) and "OPENAI_BASE_URL" in str(info.value)
    with pytest.raises(MissingAPIKey):
        make_openai_backend("gpt-4o-mini", "https://api.openai.com/v1", "")
    with pytest.raises(MissingAPIKey):
        make_openai_backend("gpt-4o-mini", "", None)  # an empty setting means "not set"
    with pytest.raises(MissingAPIKey):
        make_openai_embedder("text-embedding-3-small", None, None)


# -- embeddings ------------------------------------------------------------------------------

def test_embeddings_match_server_vectors(srv: FakeOpenAIServer) -> None:
    embedder = make_openai_embedder("embed-model", srv.base_url, None)
    vectors = embedder.embed(["sourdough", "rye", "sourdough"])
    assert vectors == [srv.embedding_for(t) for t in ["sourdough", "rye", "sourdough"]]
    assert embedder.dim == srv.embedding_dim
    assert embedder.embed_query("rye") == srv.embedding_for("rye")
    assert embedder.name == "openai:embed-model"


def test_embeddings_send_plain_strings_not_token_ids(srv: FakeOpenAIServer) -> None:
    make_openai_embedder("embed-model", srv.base_url, None).embed(["a b c", "d"])
    (body,) = srv.embedding_requests
    assert body["input"] == ["a b c", "d"]
    assert body["model"] == "embed-model"


def test_embedding_errors_are_embedding_errors(srv: FakeOpenAIServer) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    with pytest.raises(EmbeddingError, match="OPENAI_BASE_URL"):
        make_openai_embedder("embed-model", url, None, max_retries=0).embed(["x"])
    srv.api_key = "right"
    with pytest.raises(EmbeddingError, match="OPENAI_API_KEY"):
        make_openai_embedder("embed-model", srv.base_url, "wrong").embed(["x"])


# -- the fake server speaks the protocol to the plain SDK too ------------------------------

def test_fake_server_with_plain_openai_sdk(srv: FakeOpenAIServer) -> None:
    client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
    assert [m.id for m in client.models.list()] == ["fake-model", "embed-model"]
    chat = client.chat.completions.create(model="fake-model", messages=PROMPT.to_messages())
    assert chat.choices[0].message.content == REPLY
    stream = client.chat.completions.create(model="fake-model", messages=PROMPT.to_messages(),
                                            stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "second reply"
    assert chunks[-1].usage is not None
    emb = client.embeddings.create(model="embed-model", input="rye", encoding_format="float")
    assert emb.data[0].embedding == srv.embedding_for("rye")
