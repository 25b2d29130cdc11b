"""avatar — an honest AI avatar for creators.

Every reply carries a visible AI-generated label and a signed, machine-readable provenance
record, stamped in code after the model has spoken::

    from avatar import Avatar
    av = Avatar.open("persona_data/mara-okafor")
    reply = av.reply("How often should I train?", channel="dm", fan_id="fan-42")
    print(reply.text)                 # starts with the AI label
    assert av.verify(reply).valid     # platforms verify with the public key only

Names are imported lazily so that ``avatar --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Avatar": "avatar.avatar", "ReplyStream": "avatar.engine.streaming",
    "IngestReport": "avatar.importing", "Store": "avatar.stores.base", "Filter": "avatar.stores.base",
    "InMemoryStore": "avatar.stores.memory", "Settings": "avatar.config",
    "Post": "avatar.types", "Reply": "avatar.types", "Disclosure": "avatar.types",
    "Message": "avatar.types", "ScoredPost": "avatar.types",
    "verify": "avatar.disclosure", "Verification": "avatar.disclosure", "PRESETS": "avatar.disclosure",
    "PublicKey": "avatar.keys", "load_persona": "avatar.config", "Persona": "avatar.config",
    "StyleProfile": "avatar.style", "ChatBackend": "avatar.llm.base", "Prompt": "avatar.llm.base",
    "FunctionBackend": "avatar.llm.base", "Embedder": "avatar.embeddings.base",
    "AvatarError": "avatar.errors", "ConfigError": "avatar.errors", "IngestError": "avatar.errors",
    "StoreError": "avatar.errors", "EmbeddingError": "avatar.errors", "BackendError": "avatar.errors",
    "BackendUnavailable": "avatar.errors", "MissingAPIKey": "avatar.errors",
    "DisclosureError": "avatar.errors", "VerificationError": "avatar.errors",
    "QueueError": "avatar.errors", "QueueItem": "avatar.queues", "Verdict": "avatar.policy",
}
__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'avatar' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from .avatar import Avatar  # noqa: F401
    from .config import Persona, Settings, load_persona  # noqa: F401
    from .engine.streaming import ReplyStream  # noqa: F401
    from .importing import IngestReport  # noqa: F401
    from .stores.base import Filter, Store  # noqa: F401
    from .stores.memory import InMemoryStore  # noqa: F401
    from .disclosure import PRESETS, Verification, verify  # noqa: F401
    from .embeddings.base import Embedder  # noqa: F401
    from .errors import *  # noqa: F401,F403
    from .keys import PublicKey  # noqa: F401
    from .llm.base import ChatBackend, FunctionBackend, Prompt  # noqa: F401
    from .policy import Verdict  # noqa: F401
    from .queues import QueueItem  # noqa: F401
    from .style import StyleProfile  # noqa: F401
    from .types import Disclosure, Message, Post, Reply, ScoredPost  # noqa: F401
