"""LangChainChat / LangChainEmbedder against langchain-core's shipped fakes (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import openai
import pytest
from langchain_core import exceptions as lc_errors
from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import Field

from avatar.errors import (
    BackendError,
    BackendUnavailable,
    EmbeddingError,
    MissingAPIKey,
)
from avatar.langchain_adapter import LangChainChat, LangChainEmbedder, to_langchain_messages
from avatar.llm.base import Example, Prompt
from avatar.types import Message

URL = "http://127.0.0.1:9/v1"

PROMPT = Prompt(
    system="You are Mia, a baker. Keep it short.",
    message="what flour do you use?",
    creator_name="Mia",
    history=(Message("fan", "hi Mia"), Message("avatar", "hey! 👋")),
    examples=(Example("do you sleep in?", "never on bake days"),),
    max_tokens=42,
)


class RecordingFake(GenericFakeChatModel):
    """GenericFakeChatModel that remembers the messages and keywords of each call."""

    calls: list[tuple[list[Any], dict[str, Any]]] = Field(default_factory=list)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[override]
        self.calls.append((list(messages), kwargs))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


class BreaksMidStream(GenericFakeChatModel):
    """Streams two pieces, then loses the connection."""

    def _stream(  # type: ignore[override]
        self, messages, stop=None, run_manager=None, **kwargs
    ) -> Iterator[ChatGenerationChunk]:
        yield ChatGenerationChunk(message=AIMessageChunk(content="half "))
        yield ChatGenerationChunk(message=AIMessageChunk(content="a reply"))
        raise openai.APIConnectionError(request=_request())


def _request() -> httpx2.Request:
    return httpx2.Request("POST", f"{URL}/chat/completions")


def _status(cls: type[openai.APIStatusError], code: int, message: str) -> openai.APIStatusError:
    response = httpx2.Response(code, request=_request(), json={"error": {"message": message}})
    return cls(f"Error code: {code}", response=response, body={"message": message})


def _raising(exc: BaseException) -> Iterator[str]:
    raise exc
    yield ""  # pragma: no cover - makes this a generator


def _chat(replies: list[str], **kwargs: Any) -> LangChainChat:
    model = RecordingFake(messages=iter(replies))
    return LangChainChat(model, name="fake", provider="langchain-core fake", model="fake-1",
                         base_url=URL, **kwargs)


# -- messages ------------------------------------------------------------------------------

def test_messages_keep_roles_and_order() -> None:
    converted = to_langchain_messages(PROMPT.to_messages())
    kinds = [type(m) for m in converted]
    assert kinds == [SystemMessage, HumanMessage, AIMessage, HumanMessage, AIMessage, HumanMessage]
    assert [m.content for m in converted] == [m["content"] for m in PROMPT.to_messages()]


def test_unknown_role_is_a_backend_error() -> None:
    with pytest.raises(BackendError, match="tool"):
        to_langchain_messages([{"role": "tool", "content": "x"}])


# -- chat ----------------------------------------------------------------------------------

def test_stream_yields_pieces_of_the_reply() -> None:
    backend = _chat(["Rye and a little spelt, always."])
    pieces = list(backend.stream(PROMPT))
    assert len(pieces) > 1
    assert "".join(pieces) == "Rye and a little spelt, always."


def test_complete_returns_the_whole_reply() -> None:
    assert _chat(["Just bread flour."]).complete(PROMPT) == "Just bread flour."


def test_model_receives_prompt_messages_and_max_tokens() -> None:
    backend = _chat(["ok"])
    backend.complete(PROMPT)
    (messages, kwargs), = backend.chat_model.calls  # type: ignore[attr-defined]
    assert [m.content for m in messages] == [m["content"] for m in PROMPT.to_messages()]
    assert kwargs["max_tokens"] == 42


def test_max_tokens_keyword_can_be_switched_off() -> None:
    backend = _chat(["ok"], max_tokens_param=None)
    backend.complete(PROMPT)
    assert "max_tokens" not in backend.chat_model.calls[0][1]  # type: ignore[attr-defined]


def test_provenance_fields() -> None:
    backend = _chat([])
    assert backend.name == "fake"
    assert backend.provider == "langchain-core fake"
    assert backend.model == "fake-1"


@pytest.mark.parametrize(("exc", "expected", "words"), [
    (openai.APIConnectionError(request=_request()), BackendUnavailable, [URL, "OPENAI_BASE_URL"]),
    (openai.APITimeoutError(request=_request()), BackendUnavailable, ["timed out", URL]),
    (_status(openai.AuthenticationError, 401, "bad key"), MissingAPIKey, ["OPENAI_API_KEY"]),
    (_status(openai.NotFoundError, 404, "no such model"), BackendError, ["fake-1", "AVATAR_MODEL"]),
    (_status(openai.InternalServerError, 500, "GPU on fire"), BackendError, ["GPU on fire", "500"]),
    (lc_errors.ModelConnectionError("down"), BackendUnavailable, ["OPENAI_BASE_URL"]),
    (lc_errors.ModelAuthenticationError("nope"), MissingAPIKey, ["OPENAI_API_KEY"]),
])
def test_provider_errors_become_avatar_errors(exc: Exception, expected: type,
                                              words: list[str]) -> None:
    backend = LangChainChat(GenericFakeChatModel(messages=_raising(exc)), model="fake-1",
                            base_url=URL)
    with pytest.raises(expected) as info:
        list(backend.stream(PROMPT))
    assert type(info.value) is expected
    assert all(w in str(info.value) for w in words), str(info.value)
    assert info.value.__cause__ is exc


def test_errors_also_translated_for_complete() -> None:
    exc = _status(openai.AuthenticationError, 401, "bad key")
    backend = LangChainChat(GenericFakeChatModel(messages=_raising(exc)), base_url=URL)
    with pytest.raises(MissingAPIKey):
        backend.complete(PROMPT)


def test_other_exceptions_pass_through_untouched() -> None:
    backend = LangChainChat(GenericFakeChatModel(messages=_raising(KeyError("bug"))))
    with pytest.raises(KeyError):
        list(backend.stream(PROMPT))


def test_connection_lost_mid_reply_says_so() -> None:
    backend = LangChainChat(BreaksMidStream(messages=iter([])), base_url=URL)
    got: list[str] = []
    with pytest.raises(BackendUnavailable, match="broke off"):
        for piece in backend.stream(PROMPT):
            got.append(piece)
    assert got == ["half ", "a reply"]


# -- embeddings ----------------------------------------------------------------------------

class FailingEmbeddings(Embeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise openai.APIConnectionError(request=_request())

    def embed_query(self, text: str) -> list[float]:
        raise _status(openai.AuthenticationError, 401, "bad key")


class CountingEmbeddings(DeterministicFakeEmbedding):
    calls: int = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return super().embed_documents(texts)


def test_embed_returns_one_float_list_per_text_in_order() -> None:
    fake = DeterministicFakeEmbedding(size=16)
    embedder = LangChainEmbedder(fake, name="fake-16")
    vectors = embedder.embed(["a", "b", "a"])
    assert len(vectors) == 3 and all(len(v) == 16 for v in vectors)
    assert vectors[0] == vectors[2] != vectors[1]
    assert all(isinstance(x, float) for x in vectors[0])
    assert embedder.embed_query("a") == fake.embed_query("a")


def test_dim_is_discovered_on_first_call() -> None:
    fake = CountingEmbeddings(size=12)
    embedder = LangChainEmbedder(fake, name="fake-12")
    embedder.embed(["x"])
    assert embedder.dim == 12
    assert fake.calls == 1


def test_dim_probe_when_read_before_any_call() -> None:
    assert LangChainEmbedder(DeterministicFakeEmbedding(size=7), name="f").dim == 7


def test_given_dim_is_checked() -> None:
    embedder = LangChainEmbedder(DeterministicFakeEmbedding(size=7), name="f", dim=8)
    assert embedder.dim == 8
    with pytest.raises(EmbeddingError, match="7-d"):
        embedder.embed(["x"])


def test_empty_batch_makes_no_call() -> None:
    fake = CountingEmbeddings(size=4)
    assert LangChainEmbedder(fake, name="f").embed([]) == []
    assert fake.calls == 0


def test_embedding_failures_are_embedding_errors_with_a_fix() -> None:
    embedder = LangChainEmbedder(FailingEmbeddings(), name="f", base_url=URL)
    with pytest.raises(EmbeddingError, match="OPENAI_BASE_URL"):
        embedder.embed(["x"])
    with pytest.raises(EmbeddingError, match="OPENAI_API_KEY"):
        embedder.embed_query("x")
