"""OpenAI and any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LM Studio...).

    backend = make_openai_backend("llama3.2", "http://127.0.0.1:11434/v1", api_key=None)
    embedder = make_openai_embedder("nomic-embed-text", "http://127.0.0.1:11434/v1", None)

Settings arrive as explicit arguments: this module never reads the environment (the
project reads it in one place), so ``base_url=None`` means the official OpenAI API and
nothing else. Both factories go through :mod:`avatar.langchain_adapter`, which maps
connection, key and model errors to avatar errors with a fix in the message.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import SecretStr

from ..errors import MissingAPIKey
from ..langchain_adapter import LangChainChat, LangChainEmbedder

__all__ = ["OPENAI_BASE_URL", "OpenAIBackend", "make_openai_backend", "make_openai_embedder"]

OPENAI_BASE_URL = "https://api.openai.com/v1"
_OFFICIAL_HOST = "api.openai.com"
_PLACEHOLDER_KEY = "not-needed"  # local servers usually ignore the key but the SDK wants one
_NO_KEY = (
    "the OpenAI API needs a key: set OPENAI_API_KEY, or point OPENAI_BASE_URL at a local "
    "OpenAI-compatible server (Ollama, vLLM, llama.cpp), e.g. http://127.0.0.1:11434/v1, "
    "which needs none"
)


def is_official(base_url: str | None) -> bool:
    """True for the hosted OpenAI API (``None``, ``""`` or an api.openai.com address)."""
    return not base_url or urlsplit(base_url).hostname == _OFFICIAL_HOST


def provider_label(base_url: str | None) -> str:
    """``"openai"`` or ``"openai-compatible (host:port)"`` for the provenance record."""
    if is_official(base_url):
        return "openai"
    parts = urlsplit(base_url or "")
    host = parts.hostname or "?"
    return f"openai-compatible ({host}:{parts.port})" if parts.port else \
        f"openai-compatible ({host})"


def resolve_key(base_url: str | None, api_key: str | None) -> SecretStr:
    """The key to send: the given one, a placeholder for local servers, or MissingAPIKey."""
    if api_key:
        return SecretStr(api_key)
    if is_official(base_url):
        raise MissingAPIKey(_NO_KEY)
    return SecretStr(_PLACEHOLDER_KEY)


class OpenAIBackend(LangChainChat):
    """Chat through ``langchain_openai.ChatOpenAI`` against OpenAI or a compatible server.

    ``stream()`` makes a streaming (SSE) request, ``complete()`` one plain request.
    ``max_retries`` is small on purpose: an unreachable local server should fail in well
    under a second with a clear message, not after a minute of back-off.
    """

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, *,
                 temperature: float = 0.7, timeout: float = 60, max_retries: int = 1) -> None:
        url = base_url or OPENAI_BASE_URL
        chat = ChatOpenAI(
            model=model, base_url=url, api_key=resolve_key(base_url, api_key),
            temperature=temperature, timeout=timeout, max_retries=max_retries,
            # compatible servers speak /chat/completions, never the Responses API
            use_responses_api=None if is_official(base_url) else False,
        )
        super().__init__(chat, name="openai", provider=provider_label(base_url), model=model,
                         base_url=url)


def make_openai_backend(model: str, base_url: str | None, api_key: str | None,
                        temperature: float = 0.7, timeout: float = 60, *,
                        max_retries: int = 1) -> OpenAIBackend:
    """A chat backend for ``model`` on OpenAI (``base_url=None``) or a compatible server.

    Raises :class:`MissingAPIKey` at once when the official API is meant and no key is given.
    """
    return OpenAIBackend(model, base_url, api_key, temperature=temperature, timeout=timeout,
                         max_retries=max_retries)


def make_openai_embedder(model: str, base_url: str | None, api_key: str | None, *,
                         dim: int | None = None, timeout: float = 60,
                         max_retries: int = 1) -> LangChainEmbedder:
    """An embedder using ``/v1/embeddings`` on OpenAI or a compatible server.

    Texts are sent as plain strings (``check_embedding_ctx_length=False``): no tiktoken,
    which would try to download its BPE tables offline and would send token ids that
    non-OpenAI servers do not understand.
    """
    url = base_url or OPENAI_BASE_URL
    embeddings = OpenAIEmbeddings(  # type: ignore[call-arg]
        model=model, base_url=url, api_key=resolve_key(base_url, api_key),
        check_embedding_ctx_length=False, timeout=timeout, max_retries=max_retries,
    )
    return LangChainEmbedder(embeddings, name=f"openai:{model}", dim=dim, base_url=url,
                             model=model)
