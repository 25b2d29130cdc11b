"""The Avatar facade: the only way to get a Reply.

A fan message becomes a :class:`~avatar.engine.turn.Turn` and runs down the steps of
:mod:`avatar.engine.steps` until one decides a fixed answer or the prompt is ready; then
the model drafts (or the creator's review holds the draft), and the one finisher lays
out the label, signs the record, appends the audit chain and remembers the exchange::

    notice → crisis → truth → rate limit → input rails → boundaries → retrieve → prompt
          → [approval: draft → queue] → generate → sanitize → output rails → finish

Parts (store, embedder, backend, state) come from :func:`avatar.engine.assemble.build`;
tests swap them with :meth:`Avatar.override`. The creator's side is :attr:`Avatar.review`
(``approve`` / ``rewrite`` / ``dismiss`` are shortcuts to it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from .config import Persona, Settings, load_persona
from .disclosure import Verification, verify
from .embeddings import Embedder
from .engine import steps
from .engine.assemble import State, build
from .engine.finisher import Finisher
from .engine.review import Review
from .engine.streaming import ReplyStream
from .engine.turn import Turn
from .errors import ConfigError
from .importing import IngestReport
from .keys import PublicKey
from .limits import check_message_length
from .llm import ChatBackend
from .memory import now
from .queues import QueueItem
from .style import StyleProfile, Voice
from .types import CHANNELS, Reply, ScoredPost

__all__ = ["Avatar", "IngestReport", "ReplyStream"]


class Avatar:
    """A creator's AI avatar. Build with :meth:`open` (a persona folder) or the constructor.

    ``settings`` are the flags and environment (``Settings.from_env()``); without them only
    the persona file and the defaults count — an Avatar never reads the environment itself.
    """

    def __init__(self, persona: Persona, *, backend: ChatBackend | None = None,
                 embedder: Embedder | None = None, store: Any = None, state: State | None = None,
                 settings: Settings | None = None, clock: Callable[[], datetime] = now,
                 audit: bool = True) -> None:
        self._parts = build(persona, settings=settings, backend=backend, embedder=embedder,
                            store=store, state=state, clock=clock, audit=audit)
        self.finisher = Finisher(self._parts)
        self.review = Review(self._parts, self.finisher)

    @classmethod
    def open(cls, folder: str | Path, **kwargs: Any) -> Avatar:
        return cls(load_persona(folder), **kwargs)

    # ---- the fan side: the pipeline ----------------------------------------------------------
    def reply(self, message: str, *, channel: str = "dm", fan_id: str | None = None,
              minor: bool | None = None) -> Reply:
        """Answer one fan message. The returned text always carries the AI label.

        On a channel with ``approval = true`` the draft waits for the creator and the fan
        gets a labelled notice: ``pending`` is the queue item id, ``events`` holds
        "pending-approval"."""
        turn = self._decide(message, channel, fan_id, minor)
        body = steps.body(turn, self._parts)
        return self.finisher.finish(turn, body, producer=steps.producer(turn, self._parts))

    def stream(self, message: str, *, channel: str = "dm", fan_id: str | None = None,
               minor: bool | None = None) -> ReplyStream:
        """Like :meth:`reply`, but yields text pieces; the label is always the first piece."""
        return ReplyStream(self._parts, self.finisher, self._decide(message, channel, fan_id, minor))

    def _decide(self, message: str, channel: str, fan_id: str | None, minor: bool | None) -> Turn:
        turn = self._turn(message, channel, fan_id, minor)
        for step in steps.BEFORE_MODEL:
            step(turn, self._parts)
            if turn.decided:
                break
        if turn.approval and not turn.decided:
            self.review.hold(turn)
        return turn

    def _turn(self, message: str, channel: str, fan_id: str | None, minor: bool | None) -> Turn:
        if channel not in CHANNELS:
            raise ConfigError(f"unknown channel '{channel}' — use one of {', '.join(CHANNELS)}")
        if not isinstance(message, str) or not message.strip():
            raise ConfigError("the fan message is empty — type something to reply to")
        check_message_length(message, "fan message")
        fan = fan_id or "anonymous"
        if minor is not None:
            self.memory.set_minor(fan, minor)
        return Turn(channel=channel, fan_id=fan, message=message, at=self._parts.clock())

    def retrieve(self, message: str, *, channel: str = "dm", k: int | None = None,
                 mmr: bool | None = None, vector: Any = None) -> list[ScoredPost]:
        """The creator's posts the avatar would use for ``message`` on ``channel`` (the
        channel's ``k``, filters and MMR; ``k``/``mmr`` override them)."""
        vec = vector if vector is not None else self.embedder.embed_query(message)
        q = steps.retrieval_query(self.persona.config, channel, vec, k=k, mmr=mmr)
        return self.store.retrieve(q)[0]

    # ---- the creator side --------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], format: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Read posts from files and add the new ones, scrubbed and chunked (see
        :mod:`avatar.importing`). All or nothing for the store."""
        from .importing import ingest
        report = ingest(self._parts, paths, format=format, progress=progress)
        if report.chunks:
            self._parts.voice.invalidate()
        return report

    def forget(self, *, ids: Iterable[str] | None = None, platform: str | None = None,
               since: Any = None, until: Any = None, dry_run: bool = False) -> int:
        """Remove the creator's posts matching every filter given; returns how many posts.
        ``dry_run`` only counts. The cached style profile is rebuilt."""
        from .importing import matching_ids
        doomed = matching_ids(self.store.entries(), ids=ids, platform=platform, since=since, until=until)
        if doomed and not dry_run:
            self.store.delete(doomed)
            self._parts.voice.invalidate()
        return len({i.split("#", 1)[0] for i in doomed})

    def profile(self) -> StyleProfile:
        """The style profile of all stored posts (cached next to the store)."""
        return self._parts.voice.profile()

    def voice(self) -> Voice:
        """Per-platform/kind style profiles and exemplar replies for prompts (cached)."""
        return self._parts.voice.voice()

    def approve(self, item_id: str, edited_text: str | None = None) -> Reply:
        return self.review.approve(item_id, edited_text)

    def rewrite(self, item_id: str, text: str) -> Reply:
        return self.review.rewrite(item_id, text)

    def dismiss(self, item_id: str) -> QueueItem:
        return self.review.dismiss(item_id)

    def forget_fan(self, fan_id: str) -> int:
        return self.review.forget_fan(fan_id)

    def verify(self, reply: Any, keys: Iterable[PublicKey] | None = None) -> Verification:
        return verify(reply, list(keys) if keys is not None else [self.public_key])

    # ---- parts -------------------------------------------------------------------------------
    @contextmanager
    def override(self, *, backend: ChatBackend | None = None, store: Any = None,
                 embedder: Embedder | None = None, clock: Callable[[], datetime] | None = None
                 ) -> Iterator[Avatar]:
        """Swap parts for the duration of a ``with`` block (tests), then put them back::

            with av.override(backend=ScriptedBackend(["hi!"])):
                av.reply("hello")
        """
        p = self._parts
        saved = (p._backend, p.store, p.embedder, p.clock, p.voice.store)
        if backend is not None:
            p._backend = backend
        if store is not None:
            p.store = p.voice.store = store
        if embedder is not None:
            p.embedder = embedder
        if clock is not None:
            p.clock = clock
        try:
            yield self
        finally:
            p._backend, p.store, p.embedder, p.clock, p.voice.store = saved

    @property
    def persona(self) -> Persona:
        return self._parts.persona

    @persona.setter
    def persona(self, persona: Persona) -> None:
        """A re-read persona file (studio edit): rules, label and prompt follow at once."""
        self._parts.persona = persona
        self._parts.voice.persona = persona

    @property
    def settings(self) -> Settings:
        return self._parts.settings

    @property
    def backend(self) -> ChatBackend:
        return self._parts.backend

    @property
    def embedder(self) -> Embedder:
        return self._parts.embedder

    @property
    def store(self) -> Any:
        return self._parts.store

    @property
    def policy(self) -> Any:
        return self._parts.policy

    @property
    def rules(self) -> Any:
        return self._parts.rules

    @property
    def stamper(self) -> Any:
        return self._parts.stamper

    @property
    def key(self) -> Any:
        return self._parts.key

    @property
    def public_key(self) -> PublicKey:
        return self._parts.key.public

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._parts.clock

    @property
    def state(self) -> State:
        return self._parts.state

    @property
    def memory(self) -> Any:
        return self._parts.state.memory

    @property
    def queue(self) -> Any:
        return self._parts.state.queue

    @property
    def verdicts(self) -> Any:
        return self._parts.state.verdicts

    @property
    def limiter(self) -> Any:
        return self._parts.state.limiter

    @property
    def audit(self) -> Any:
        return self._parts.state.audit
