"""Backends, embedders and stores, registered by name.

Built-in names are registered below; a plugin package adds its own through an entry point
(as ``llm``'s plugins do), without touching avatar::

    # the plugin's pyproject.toml
    [project.entry-points."avatar.backends"]
    mymodel = "my_plugin:make_backend"        # called with the keyword settings below

Factories are called with keyword arguments only:

* backends: ``model``, ``base_url``, ``api_key``, ``temperature``, ``threads``
* embedders: ``model``, ``base_url``, ``api_key``
* stores: ``persona`` (a :class:`avatar.config.Persona`), ``embedder``, ``url``

and must accept (and may ignore) any of them (``**kwargs``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from .errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """Factories by name; entry points of ``group`` are read once, on the first lookup."""

    def __init__(self, what: str, group: str, setting: str) -> None:
        self.what, self.group, self.setting = what, group, setting
        self._factories: dict[str, Callable[..., T]] = {}
        self._plugins_loaded = False

    def register(self, name: str, factory: Callable[..., T]) -> None:
        self._factories[name] = factory

    def names(self) -> list[str]:
        self._load_plugins()
        return sorted(self._factories)

    def create(self, name: str, **settings: Any) -> T:
        self._load_plugins()
        factory = self._factories.get(name)
        if factory is None:
            raise ConfigError(f"unknown {self.what} '{name}' — use one of {', '.join(self.names())} "
                              f"({self.setting}), or install a plugin that registers it")
        return factory(**settings)

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for ep in entry_points(group=self.group):
            if ep.name not in self._factories:
                self._factories[ep.name] = _lazy(ep)


def _lazy(ep: Any) -> Callable[..., Any]:
    def factory(**settings: Any) -> Any:
        try:
            make = ep.load()
        except Exception as exc:  # a broken plugin is a setup problem, not a bug here
            raise ConfigError(f"the plugin '{ep.name}' ({ep.value}) cannot be loaded: {exc} — "
                              "reinstall it or choose another name") from None
        return make(**settings)
    return factory


backends: Registry[Any] = Registry("backend", "avatar.backends", "AVATAR_BACKEND or [backend].name")
embedders: Registry[Any] = Registry("embedder", "avatar.embedders", "AVATAR_EMBEDDER or [store].embedder")
stores: Registry[Any] = Registry("store", "avatar.stores", "[store].kind")


# ---- built-ins ------------------------------------------------------------------------------

def _local(*, model: str = "", temperature: float = 0.6, threads: int = 1, **_: Any) -> Any:
    from .llm.local import LocalBackend
    return LocalBackend(model_path=model or None, temperature=temperature, n_threads=threads,
                        n_threads_batch=2)


def _openai(*, model: str = "", base_url: str | None = None, api_key: str | None = None,
            temperature: float = 0.6, **_: Any) -> Any:
    from .llm.openai import make_openai_backend
    return make_openai_backend(model or "gpt-4o-mini", base_url=base_url, api_key=api_key,
                               temperature=temperature)


def _minilm(**_: Any) -> Any:
    from .embeddings.cache import CachedQueries
    from .embeddings.minilm import MiniLMEmbedder
    return CachedQueries(MiniLMEmbedder())


def _openai_embedder(*, model: str = "", base_url: str | None = None, api_key: str | None = None,
                     **_: Any) -> Any:
    from .embeddings.cache import CachedQueries
    from .llm.openai import make_openai_embedder
    return CachedQueries(make_openai_embedder(model or "text-embedding-3-small", base_url=base_url,
                                              api_key=api_key))


def _hash(**_: Any) -> Any:
    from .testing import HashEmbedder
    return HashEmbedder()


def _chroma(*, persona: Any, embedder: Any, url: str | None = None, **_: Any) -> Any:
    from .stores.chroma import PersonaStore, make_client
    client = make_client(url=url, path=None if url else persona.state_dir / "chroma")
    return PersonaStore(client, persona.id, embedder)


def _memory_store(*, persona: Any, embedder: Any, **_: Any) -> Any:
    from .stores.memory import InMemoryStore
    return InMemoryStore(embedder, persona.id)


backends.register("local", _local)
backends.register("openai", _openai)
embedders.register("minilm", _minilm)
embedders.register("openai", _openai_embedder)
embedders.register("hash", _hash)
stores.register("chroma", _chroma)
stores.register("memory", _memory_store)
