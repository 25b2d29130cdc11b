"""The one place avatar touches LangChain chat and embedding classes.

Any langchain-core ``BaseChatModel`` becomes a :class:`~avatar.llm.base.ChatBackend`
through :class:`LangChainChat`; any LangChain ``Embeddings`` becomes an
:class:`~avatar.embeddings.base.Embedder` through :class:`LangChainEmbedder`. Provider
failures are turned into avatar's own errors, each with a fix in its message:

    connection refused, timeout  -> BackendUnavailable  (check the server / OPENAI_BASE_URL)
    HTTP 401                     -> MissingAPIKey       (set OPENAI_API_KEY)
    HTTP 404 (unknown model)     -> BackendError        (set AVATAR_MODEL)
    any other API error          -> BackendError        (the server's own message)

Embedding failures all become :class:`~avatar.errors.EmbeddingError` with the same texts.
The rest of the project never imports LangChain message or model classes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import openai
from langchain_core import exceptions as lc_errors
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from .embeddings.base import Embedder
from .errors import (
    AvatarError,
    BackendError,
    BackendUnavailable,
    EmbeddingError,
    MissingAPIKey,
)
from .llm.base import ChatBackend, Prompt

__all__ = ["LangChainChat", "LangChainEmbedder", "split_text", "to_langchain_messages", "translate_error"]

_ROLES: dict[str, type[BaseMessage]] = {
    "system": SystemMessage,
    "user": HumanMessage,
    "assistant": AIMessage,
}


def to_langchain_messages(messages: Sequence[Mapping[str, str]]) -> list[BaseMessage]:
    """Turn OpenAI-style ``{"role", "content"}`` dicts into LangChain messages."""
    out: list[BaseMessage] = []
    for msg in messages:
        cls = _ROLES.get(msg["role"])
        if cls is None:
            raise BackendError(f"unknown chat role {msg['role']!r}; use system, user or assistant")
        out.append(cls(content=msg["content"]))
    return out


def translate_error(exc: BaseException, *, where: str | None, model: str) -> AvatarError | None:
    """Map a provider exception to an avatar error with a fix, or None if it is not one.

    ``where`` is the server address (base_url) used in messages, ``model`` the model id.
    """
    place = f"the model server at {where}" if where else "the model provider"
    if isinstance(exc, (openai.APIConnectionError, lc_errors.ModelConnectionError,
                        lc_errors.ModelTimeoutError)):
        return BackendUnavailable(_unreachable(exc, place))
    if isinstance(exc, (openai.AuthenticationError, lc_errors.ModelAuthenticationError)):
        return MissingAPIKey(
            f"{place} rejected the API key (401); set OPENAI_API_KEY to a key it accepts "
            "(or unset it for a local server that needs none)"
        )
    if isinstance(exc, (openai.NotFoundError, lc_errors.ModelNotFoundError)):
        return BackendError(
            f"{place} does not serve the model {model!r} (404); set AVATAR_MODEL to a model "
            "it has (its /models endpoint lists them)"
        )
    if isinstance(exc, (openai.APIError, lc_errors.ModelError)):
        return BackendError(f"{place} returned an error{_status(exc)}: {_server_message(exc)}")
    return None


def _unreachable(exc: BaseException, place: str) -> str:
    if isinstance(exc, (openai.APITimeoutError, lc_errors.ModelTimeoutError)):
        what = "timed out (is it overloaded or still loading the model?)"
    else:
        what = "could not be reached"
    return (f"{place} {what}; check that the server is running and that OPENAI_BASE_URL "
            "points at it (including the /v1 suffix)")


def _status(exc: BaseException) -> str:
    code = getattr(exc, "status_code", None)
    return f" (HTTP {code})" if code else ""


def _server_message(exc: BaseException) -> str:
    """The server's own explanation: ``error.message`` from the body when there is one."""
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and inner.get("message"):
            return str(inner["message"])
    return str(getattr(exc, "message", None) or exc)


def split_text(text: str, chunk_chars: int, overlap: int) -> list[str]:
    """Split a long post or transcript into pieces of at most ``chunk_chars`` characters.

    LangChain's ``RecursiveCharacterTextSplitter``: paragraphs first, then lines, sentences'
    spaces, and characters only as a last resort; neighbouring pieces share ``overlap``
    characters so a thought cut in two is still found.
    """
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_chars, chunk_overlap=min(overlap, chunk_chars // 2))
    return [piece for piece in splitter.split_text(text) if piece.strip()]


class LangChainChat(ChatBackend):
    """A LangChain chat model as a :class:`ChatBackend`.

    ``name``, ``provider`` and ``model`` go into the provenance record. ``base_url`` only
    improves error messages. ``max_tokens_param`` is the call keyword that limits the
    reply length (``None`` for models that take no such keyword).
    """

    def __init__(self, chat_model: BaseChatModel, *, name: str = "langchain",
                 provider: str = "langchain", model: str = "unknown",
                 base_url: str | None = None, max_tokens_param: str | None = "max_tokens") -> None:
        self.chat_model = chat_model
        self.name = name
        self.provider = provider
        self.model = model
        self.base_url = base_url
        self.max_tokens_param = max_tokens_param

    def stream(self, prompt: Prompt) -> Iterator[str]:
        """Yield text pieces as the model produces them (a streaming request)."""
        messages, kwargs = self._call_args(prompt)
        started = False
        try:
            with _translated(BackendError, where=self.base_url, model=self.model):
                for chunk in self.chat_model.stream(messages, **kwargs):
                    text = str(chunk.text)
                    if text:
                        started = True
                        yield text
        except BackendUnavailable as err:
            if not started:
                raise
            raise BackendUnavailable(
                f"the connection to {self.base_url or 'the model provider'} broke off in the "
                "middle of a reply; check the server's log (did it crash or restart?)"
            ) from err.__cause__

    def complete(self, prompt: Prompt) -> str:
        """The whole reply from one non-streaming request."""
        messages, kwargs = self._call_args(prompt)
        with _translated(BackendError, where=self.base_url, model=self.model):
            return str(self.chat_model.invoke(messages, **kwargs).text)

    def _call_args(self, prompt: Prompt) -> tuple[list[BaseMessage], dict[str, Any]]:
        kwargs: dict[str, Any] = {}
        if self.max_tokens_param:
            kwargs[self.max_tokens_param] = prompt.max_tokens
        return to_langchain_messages(prompt.to_messages()), kwargs

    def __repr__(self) -> str:
        return f"{type(self).__name__}(provider={self.provider!r}, model={self.model!r})"


class LangChainEmbedder(Embedder):
    """A LangChain ``Embeddings`` as an :class:`Embedder`.

    ``dim`` is discovered from the first vector when not given (reading it before any
    call embeds one short probe text).
    """

    def __init__(self, embeddings: Embeddings, *, name: str, dim: int | None = None,
                 base_url: str | None = None, model: str = "unknown") -> None:
        self.embeddings = embeddings
        self.name = name
        self._dim = dim
        self.base_url = base_url
        self.model = model

    @property
    def dim(self) -> int:  # type: ignore[override]
        """Vector length; embeds a probe text if no call has revealed it yet."""
        if self._dim is None:
            self.embed_query("dimension probe")
        return self._dim or 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed documents (``embed_documents``), one vector per text, same order."""
        if not texts:
            return []
        with _translated(EmbeddingError, where=self.base_url, model=self.model):
            vectors = self.embeddings.embed_documents(list(texts))
        if len(vectors) != len(texts):
            raise EmbeddingError(f"embedder {self.name!r} returned {len(vectors)} vectors for "
                                 f"{len(texts)} texts; check the embedding server")
        return [self._checked(v) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (``embed_query``; some models treat queries differently)."""
        with _translated(EmbeddingError, where=self.base_url, model=self.model):
            return self._checked(self.embeddings.embed_query(text))

    def _checked(self, vector: Sequence[float]) -> list[float]:
        out = [float(x) for x in vector]
        if self._dim is None:
            self._dim = len(out)
        elif len(out) != self._dim:
            raise EmbeddingError(f"embedder {self.name!r} returned a {len(out)}-d vector, "
                                 f"expected {self._dim}; re-index if the model changed")
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self._dim})"


@contextmanager
def _translated(kind: type[AvatarError], *, where: str | None, model: str) -> Iterator[None]:
    """Re-raise provider exceptions as avatar errors (``kind`` forces the error class)."""
    try:
        yield
    except AvatarError:
        raise
    except Exception as exc:
        err = translate_error(exc, where=where, model=model)
        if err is None:
            raise
        if not isinstance(err, kind):
            err = kind(str(err))
        raise err from exc
