"""Plain value objects shared by every module. No behaviour beyond small derived helpers."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Mapping

PostKind = Literal["post", "comment", "reply", "caption", "transcript"]
POST_KINDS: tuple[str, ...] = ("post", "comment", "reply", "caption", "transcript")
Channel = Literal["dm", "comment", "live"]
CHANNELS: tuple[str, ...] = ("dm", "comment", "live")
Role = Literal["fan", "avatar"]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def stable_post_id(text: str, platform: str = "generic", source_id: str | None = None) -> str:
    """Same post -> same id, whatever file or run it came from.

    A platform's own id wins when the export has one; otherwise the id is a hash of the
    whitespace-normalised text, so re-ingesting the same file (or the same post in another
    generic file) adds nothing new.
    """
    if source_id:
        return f"{platform}:{source_id}"
    digest = hashlib.sha256(_norm(text).encode("utf-8")).hexdigest()[:20]
    return f"{platform}:h{digest}"


@dataclass(frozen=True)
class Post:
    """One thing the creator wrote. Only the creator's own words live in ``text``.

    ``context`` may hold the fan message a reply answered (other people's words): it is
    never embedded or profiled as the creator's voice, only shown to the model as an
    example exchange.
    """

    id: str
    text: str
    created_at: datetime | None = None
    platform: str = "generic"
    kind: PostKind = "post"
    url: str | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    context: str | None = None

    @classmethod
    def create(cls, text: str, *, source_id: str | None = None, platform: str = "generic",
               **fields: Any) -> "Post":
        return cls(id=stable_post_id(text, platform, source_id), text=text, platform=platform,
                   **fields)


@dataclass(frozen=True)
class ScoredPost:
    """A retrieval hit: the post and its similarity (higher is closer, 1.0 = identical)."""

    post: Post
    score: float


@dataclass(frozen=True)
class Message:
    """One turn of a conversation between a fan and the avatar."""

    role: Role
    text: str
    at: datetime | None = None


@dataclass(frozen=True)
class Producer:
    """Who produced a reply's text, as the provenance record names it."""

    name: str
    provider: str
    model: str

    @classmethod
    def of(cls, backend: Any) -> "Producer":
        """The producer fields of a chat backend (``unknown`` where it does not say)."""
        return cls(*(str(getattr(backend, k, "unknown")) for k in ("name", "provider", "model")))

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "provider": self.provider, "model": self.model}


TEMPLATE = Producer("template", "avatar", "fixed-template")   # fixed replies written in code
CREATOR = Producer("creator", "human", "none")                # the creator's own words


@dataclass(frozen=True)
class Disclosure:
    """The machine-readable half of the disclosure: a signed provenance record.

    ``record`` is the JSON object that was signed (canonical JSON, see
    :func:`avatar.disclosure.canonical`); ``signature`` is Ed25519 over it, base64url.
    """

    label: str
    record: Mapping[str, Any]
    signature: str
    key_id: str
    alg: str = "Ed25519"

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "record": dict(self.record), "signature": self.signature,
                "key_id": self.key_id, "alg": self.alg}


@dataclass(frozen=True)
class Reply:
    """What the avatar said. ``text`` is exactly what the fan sees, label included.

    The only way to get one is :meth:`avatar.Avatar.reply` / ``stream``: the label and the
    signed record are added there, in code, after the model has spoken.
    """

    text: str
    body: str
    disclosure: Disclosure
    channel: str
    fan_id: str | None = None
    retrieved: tuple[ScoredPost, ...] = ()
    events: tuple[str, ...] = ()
    pending: str | None = None   # approval mode: the queue id the real answer waits in

    @property
    def reply_id(self) -> str:
        return str(self.disclosure.record["reply_id"])

    @property
    def complete(self) -> bool:
        return bool(self.disclosure.record.get("complete", True))

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (what ``avatar reply --json`` prints and ``verify`` reads)."""
        return {"text": self.text, "disclosure": self.disclosure.to_dict(),
                "reply_id": self.reply_id, "channel": self.channel, "events": list(self.events),
                "pending": self.pending,
                "sources": [{"id": s.post.id, "score": round(s.score, 4)} for s in self.retrieved]}
