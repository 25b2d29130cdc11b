"""The persona file (``persona.toml``) and environment settings, read in one place.

Precedence for every setting that has several sources:
command-line flag > environment variable > persona file > built-in default.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

PERSONA_FILE = "persona.toml"
STATE_DIR = ".avatar"   # per-persona state (vector store, keys, audit log, sessions)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Boundaries(_Strict):
    avoid_topics: list[str] = []
    avoid_reply: str = "That's one I'd rather not get into here, sorry!"
    never_invent: list[str] = ["prices", "dates", "personal details"]
    never_discuss: list[str] = []


_NAME = r"^[a-z][a-z0-9_.-]{0,40}$"     # a registered backend/embedder/store name (plugins add names)


def _registered(kind: str, value: str) -> str:
    from . import registry
    known = getattr(registry, kind).names()
    if value not in known:
        raise ValueError(f"unknown name — use one of {', '.join(known)} (or install a plugin that adds it)")
    return value


class BackendSettings(_Strict):
    name: str = Field("local", pattern=_NAME)      # local | openai | a plugin's name

    @field_validator("name")
    @classmethod
    def _known(cls, v: str) -> str:
        return _registered("backends", v)
    model: str = ""
    base_url: str = ""
    temperature: float = Field(0.6, ge=0.0, le=2.0)
    max_tokens: int = Field(80, ge=8, le=4096)
    threads: int = Field(1, ge=1, le=64)


class DisclosureSettings(_Strict):
    """Wording and placement of the AI label. There is no switch to turn it off."""

    preset: Literal["EU", "CN", "US-CA", "CA-minor"] = "EU"
    label: str | None = None
    placement: Literal["start", "end", "both"] | None = None
    language: str | None = None
    first_contact: str | None = None
    reminder: str | None = None
    reminder_gap_minutes: int | None = Field(None, ge=1)
    reminder_every_minutes: int | None = Field(None, ge=1)
    propagator: str | None = None


class ChannelSettings(_Strict):
    max_chars: int = Field(ge=40, le=10000)
    k: int = Field(4, ge=0, le=50)
    tone: str = ""
    approval: bool = False          # drafts wait in the approval queue for the creator
    platforms: list[str] = []       # retrieve only posts from these platforms (empty: all)
    kinds: list[Literal["post", "comment", "reply", "caption", "transcript"]] = []


class GuardrailSettings(_Strict):
    """Built-in guardrails. They cannot be switched off; these keys tune them."""

    allow_advice: list[Literal["medical", "legal", "financial"]] = []
    escalate_after: int = Field(3, ge=1, le=100)   # guardrail hits per fan in 24 h -> handoff
    verbatim_words: int = Field(12, ge=5, le=200)  # words in a row copied from a post = a copy
    # Fixed replies; None = the built-in wording in the persona's language (en es fr de zh).
    # {name} is the creator's name.
    crisis_reply: str | None = None     # default: crisis resources (emergency, helplines)
    handoff_reply: str | None = None    # escalated: the creator will see it
    refuse_reply: str | None = None     # money, other apps, romance, impersonation
    unknown_reply: str | None = None    # an invented fact was dropped
    safe_reply: str | None = None       # every sentence of the model's text was dropped
    approval_reply: str | None = None   # approval mode: the creator reviews first


class RateLimitSettings(_Strict):
    per_minute: int = Field(6, ge=1, le=10_000)
    per_day: int = Field(200, ge=1, le=1_000_000)
    reply: str | None = None            # None = built-in wording in the persona's language


class RetrievalSettings(_Strict):
    mmr: bool = True                                   # maximal marginal relevance: diverse posts
    mmr_lambda: float = Field(0.9, ge=0.0, le=1.0)     # 1.0 = relevance only, 0.0 = diversity only
    fetch_k: int = Field(10, ge=1, le=200)             # candidates MMR picks from


def _default_channels() -> dict[Literal["dm", "comment", "live"], ChannelSettings]:
    return {
        "dm": ChannelSettings(max_chars=700, k=4, tone="Conversational and warm, like a DM."),
        "comment": ChannelSettings(max_chars=280, k=3, tone="Short and public: one or two sentences."),
        "live": ChannelSettings(max_chars=160, k=2, tone="Very short, for a fast live chat."),
    }


class StoreSettings(_Strict):
    kind: str = Field("chroma", pattern=_NAME)     # chroma | memory | a plugin's name
    chroma_url: str = ""
    embedder: str = Field("minilm", pattern=_NAME)   # minilm | openai | hash | a plugin's name

    @field_validator("kind")
    @classmethod
    def _known_store(cls, v: str) -> str:
        return _registered("stores", v)

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, v: str) -> str:
        return _registered("embedders", v)
    embedding_model: str = ""


class PromptSettings(_Strict):
    token_budget: int = Field(640, ge=200, le=100_000)
    history_turns: int = Field(6, ge=0, le=100)
    examples: int = Field(2, ge=0, le=10)        # the creator's replies most relevant to the message
    exemplars: int = Field(1, ge=0, le=10)       # plus replies that best show the voice (always the same)


class IngestSettings(_Strict):
    """How imported posts are prepared before they are embedded (see avatar/importing.py)."""

    scrub_handles: bool = False               # replace other accounts' @handles with @[user]
    keep_handles: list[str] = []              # never scrubbed (besides the persona's own handle)
    chunk_chars: int = Field(1200, ge=200, le=20_000)   # longer posts are split into chunks
    chunk_overlap: int = Field(150, ge=0, le=2_000)


class StudioSettings(_Strict):
    """The creator studio's login. Never the password itself: a hash from
    ``avatar studio hash-password`` (``AVATAR_STUDIO_PASSWORD`` wins over it)."""

    password_hash: str = ""

    @field_validator("password_hash")
    @classmethod
    def _check_hash(cls, v: str) -> str:
        from .passwords import is_password_hash
        if v and not is_password_hash(v):
            raise ValueError("not a password hash — run `avatar studio hash-password` and paste "
                             "its output (never put the password itself in this file)")
        return v


class PersonaConfig(_Strict):
    id: str | None = None
    name: str = Field(min_length=1)
    handle: str = Field(min_length=1)
    bio: str = ""
    language: str = "en"
    boundaries: Boundaries = Boundaries()
    backend: BackendSettings = BackendSettings()
    disclosure: DisclosureSettings = DisclosureSettings()
    channels: dict[Literal["dm", "comment", "live"], ChannelSettings] = Field(default_factory=_default_channels)
    store: StoreSettings = StoreSettings()
    prompt: PromptSettings = PromptSettings()
    ingest: IngestSettings = IngestSettings()
    guardrails: GuardrailSettings = GuardrailSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    studio: StudioSettings = StudioSettings()

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str | None) -> str | None:
        if v is not None and not _ID_RE.match(v):
            raise ValueError("use 3-64 lowercase letters, digits, '.', '_' or '-', e.g. 'mara-okafor'")
        return v

    @field_validator("channels", mode="before")
    @classmethod
    def _merge_channels(cls, v: Any) -> Any:
        merged = {k: c.model_dump() for k, c in _default_channels().items()}
        for key, value in (v or {}).items():
            if isinstance(value, Mapping) and key in merged:
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        return merged


_OFF_SWITCHES = {"enabled", "enable", "disabled", "disable", "off", "on", "show", "show_label",
                 "hide", "hide_label", "required", "mandatory", "visible"}


@dataclass(frozen=True)
class Persona:
    """A loaded persona: its folder, validated config and derived names."""

    root: Path
    config: PersonaConfig

    @property
    def id(self) -> str:
        return self.config.id or _slug(self.root.resolve().name)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._")
    return (slug + "---")[:3] if len(slug) < 3 else slug[:64]


def load_persona(folder: str | Path) -> Persona:
    """Read and validate ``<folder>/persona.toml``. Raises ConfigError naming file and field."""
    root = Path(folder)
    path = root / PERSONA_FILE
    if not root.is_dir():
        raise ConfigError(f"persona folder not found: {root} — pass --persona with a folder that "
                          f"holds a {PERSONA_FILE} (see persona_data/ for examples)")
    if not path.is_file():
        raise ConfigError(f"{path}: missing — create it (copy persona_data/mara-okafor/{PERSONA_FILE} "
                          "and change name, handle and bio)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text — re-save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}) — fix the syntax at that line") from None
    return Persona(root=root, config=parse_config(data, source=str(path)))


def parse_config(data: Mapping[str, Any], source: str = PERSONA_FILE) -> PersonaConfig:
    _refuse_label_switches(data, source)
    try:
        return PersonaConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, source)) from None


def _refuse_label_switches(data: Mapping[str, Any], source: str) -> None:
    disclosure = data.get("disclosure")
    if not isinstance(disclosure, Mapping):
        return
    for key in disclosure:
        if key.lower() in _OFF_SWITCHES:
            raise ConfigError(
                f"{source}: [disclosure].{key} — the AI label cannot be turned off or hidden; "
                "remove this key (you may change the label's wording, language and placement)")
    if "label" in disclosure and not str(disclosure["label"] or "").strip():
        raise ConfigError(f"{source}: [disclosure].label is empty — the AI label cannot be removed; "
                          "give a wording that says the reply is AI-generated, or delete the key "
                          "to use the preset's label")


def _explain(exc: ValidationError, source: str) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return f"{source}: unknown key '{where}' — check the spelling; see README 'Persona file' for the keys"
    if err["type"] == "missing":
        return f"{source}: '{where}' is required — add it"
    more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
    return f"{source}: '{where}': {err['msg']} — got {err.get('input')!r}{more}"


@dataclass(frozen=True)
class Settings:
    """Environment variables that override the persona file. Read only here."""

    backend: str | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    chroma_url: str | None = None
    embedder: str | None = None
    api_token: str | None = field(default=None, repr=False)          # AVATAR_API_TOKEN: bearer token for the HTTP API's write endpoints
    studio_password: str | None = field(default=None, repr=False)    # AVATAR_STUDIO_PASSWORD: the creator studio's login

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        get = lambda k: (env.get(k) or "").strip() or None  # noqa: E731
        return cls(backend=get("AVATAR_BACKEND"), model=get("AVATAR_MODEL"),
                   base_url=get("OPENAI_BASE_URL"), api_key=get("OPENAI_API_KEY"),
                   chroma_url=get("AVATAR_CHROMA_URL"), embedder=get("AVATAR_EMBEDDER"),
                   api_token=get("AVATAR_API_TOKEN"), studio_password=get("AVATAR_STUDIO_PASSWORD"))

    def merged(self, **flags: str | None) -> "Settings":
        """Command-line flags (non-None) win over the environment."""
        values = {k: (flags.get(k) if flags.get(k) is not None else getattr(self, k))
                  for k in self.__dataclass_fields__}
        return Settings(**values)
