"""The composition root: persona config + settings -> the parts a reply needs.

Nothing else builds stores, embedders, backends or state; everything else receives them.
``build`` takes what the caller passes and makes the rest from config (by registered
name, see :mod:`avatar.registry`), so tests swap any part (``Avatar.override``).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import policy
from .._sqlite import Database
from ..audit import AuditLog
from ..config import Persona, Settings
from ..disclosure import LabelPolicy, Stamper
from ..embeddings.base import Embedder
from ..guardlog import RateLimiter, VerdictLog
from ..keys import SigningKey
from ..llm.base import ChatBackend
from ..memory import Memory
from ..policy import Rules
from ..queues import Queue
from ..registry import backends, embedders, stores
from ..style import StyleProfile, Voice


@dataclass
class State:
    """Everything the avatar remembers besides the posts: fans' conversations and flags,
    queues, guardrail verdicts, rate limits and the audit chain."""

    memory: Memory
    queue: Queue
    verdicts: VerdictLog
    limiter: RateLimiter
    audit: AuditLog | None


def open_state(persona: Persona, key: SigningKey, *, audit: bool = True) -> State:
    """The embedded state: SQLite files and the audit log under ``<persona>/.avatar``."""
    cfg, folder = persona.config, persona.state_dir
    control = Database(folder / "control.sqlite3")
    return State(memory=Memory(folder / "fans.sqlite3"), queue=Queue(control),
                 verdicts=VerdictLog(control),
                 limiter=RateLimiter(control, cfg.rate_limit.per_minute, cfg.rate_limit.per_day),
                 audit=AuditLog(folder, key) if audit else None)


class VoiceCache:
    """The style profile and the voice (per-group profiles + exemplars), built once from the
    stored posts, cached as JSON next to the store, dropped after an import or forget."""

    def __init__(self, persona: Persona, store: Any) -> None:
        self.persona, self.store = persona, store
        self._style: StyleProfile | None = None
        self._voice: Voice | None = None
        self._lock = threading.Lock()

    @property
    def style_path(self) -> Path:
        return self.persona.state_dir / f"style-{self.persona.id}.json"

    @property
    def voice_path(self) -> Path:
        return self.persona.state_dir / f"voice-{self.persona.id}.json"

    def profile(self) -> StyleProfile:
        with self._lock:
            if self._style is None:
                self._style = _cached(self.style_path, StyleProfile,
                                      lambda: StyleProfile.from_posts(self.store.all_posts()))
            return self._style

    def voice(self) -> Voice:
        with self._lock:
            if self._voice is None:
                self._voice = _cached(self.voice_path, Voice,
                                      lambda: Voice.from_posts(self.store.all_posts()))
            return self._voice

    def invalidate(self) -> None:
        with self._lock:
            self._style = self._voice = None
            self.style_path.unlink(missing_ok=True)
            self.voice_path.unlink(missing_ok=True)


def _cached(path: Path, cls: Any, build: Callable[[], Any]) -> Any:
    """Load ``cls`` from its JSON cache file, or build it and write the file."""
    if path.is_file():
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
    value = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value.to_dict(), ensure_ascii=False), encoding="utf-8")
    return value


@dataclass
class Parts:
    """What the steps, the finisher and the review service share. Built by :func:`build`."""

    persona: Persona
    settings: Settings
    key: SigningKey
    embedder: Embedder
    store: Any
    state: State
    clock: Callable[[], datetime]
    backend_factory: Callable[[], ChatBackend]
    voice: VoiceCache
    lock: threading.Lock = field(default_factory=threading.Lock)   # one finisher write at a time
    _backend: ChatBackend | None = None
    _backend_lock: threading.Lock = field(default_factory=threading.Lock)
    _derived: tuple[Any, ...] | None = None

    # ---- things derived from the persona file (follow studio edits) -------------------------
    @property
    def config(self) -> Any:
        return self.persona.config

    def _derive(self) -> tuple[LabelPolicy, Stamper, Rules, tuple[str, ...]]:
        cfg = self.persona.config
        if self._derived is None or self._derived[0] is not cfg:
            label = LabelPolicy.resolve(cfg.disclosure, cfg.name, cfg.handle)
            stamper = Stamper(self.persona.id, cfg.name, cfg.handle, label, self.key)
            rules = Rules(creator_name=cfg.name, allow_advice=tuple(cfg.guardrails.allow_advice),
                                 never_invent=tuple(cfg.boundaries.never_invent), known_facts=cfg.bio,
                                 verbatim_words=cfg.guardrails.verbatim_words)
            bare = re.sub(r"^\W+", "", label.label)      # "AI-generated · …" without the emoji
            copies = tuple(dict.fromkeys(c for c in (label.label, bare) if c.strip()))
            self._derived = (cfg, label, stamper, rules, copies)
        return self._derived[1:]    # type: ignore[return-value]

    @property
    def policy(self) -> LabelPolicy:
        return self._derive()[0]

    @property
    def stamper(self) -> Stamper:
        return self._derive()[1]

    @property
    def rules(self) -> Rules:
        return self._derive()[2]

    @property
    def label_copies(self) -> tuple[str, ...]:
        """The label as a model might copy it (with and without its emoji): a forgery."""
        return self._derive()[3]

    @property
    def backend(self) -> ChatBackend:
        """Built on first use, so import, profile and fixed answers never load a model."""
        with self._backend_lock:
            if self._backend is None:
                self._backend = self.backend_factory()
            return self._backend

    def template(self, kind: str, override: str | None = None) -> str:
        """A fixed reply (:data:`avatar.policy.TEMPLATES`) with the creator's name filled in."""
        cfg = self.persona.config
        return policy.template(kind, cfg.language, override).replace("{name}", cfg.name)

    def fan_session(self, fan_id: str) -> str:
        return self.stamper.fan_session(fan_id)


def build(persona: Persona, *, settings: Settings | None = None, backend: ChatBackend | None = None,
          embedder: Embedder | None = None, store: Any = None, state: State | None = None,
          clock: Callable[[], datetime], audit: bool = True) -> Parts:
    """Make every part not given from the persona file and ``settings`` (flags/environment,
    already read by the caller: see :meth:`avatar.config.Settings.from_env`)."""
    settings = settings or Settings()
    cfg = persona.config
    key = SigningKey.load_or_create(persona.state_dir / "keys")
    if embedder is None:
        embedder = embedders.create(settings.embedder or cfg.store.embedder, model=cfg.store.embedding_model,
                                    base_url=settings.base_url, api_key=settings.api_key)
    if store is None:
        store = stores.create(cfg.store.kind, persona=persona, embedder=embedder,
                              url=settings.chroma_url or cfg.store.chroma_url or None)

    def make_backend() -> ChatBackend:
        b = cfg.backend
        return backends.create(settings.backend or b.name, model=settings.model or b.model,
                               base_url=settings.base_url or b.base_url or None,
                               api_key=settings.api_key, temperature=b.temperature, threads=b.threads)

    parts = Parts(persona=persona, settings=settings, key=key, embedder=embedder, store=store,
                  state=state or open_state(persona, key, audit=audit), clock=clock,
                  backend_factory=make_backend, voice=VoiceCache(persona, store))
    parts._backend = backend
    parts._derive()      # refuses a label that does not disclose, before any reply
    return parts
