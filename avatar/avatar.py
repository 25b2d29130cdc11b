"""The Avatar facade: the only way to get a Reply.

``reply()`` and ``stream()`` share one pipeline:

    fan message ─► truth check ─► retrieval ─► prompt (token budget) ─► backend
                       │                                                   │
                       └──────── fixed truthful answer ◄──┐                 ▼
                                                          └─ sanitize (false claims, markup)
                                                                 ─► cut to channel limit
                                                                 ─► stamp label + notice
                                                                 ─► sign record ─► audit log

The label and record are added by code after the model; a backend cannot remove them.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import prompt as prompt_mod
from . import truth
from .audit import AuditLog
from .config import Persona, Settings, load_persona
from .disclosure import LabelPolicy, Stamper, Verification, compose, cut_to_fit, verify
from .embeddings import Embedder, make_embedder
from .errors import AvatarError, BackendError, ConfigError
from .keys import PublicKey, SigningKey
from .llm import ChatBackend, Example, make_backend
from .memory import Memory, now
from .stores.chroma import PersonaStore, make_client
from .style import StyleProfile
from .types import CHANNELS, Post, Reply, ScoredPost


@dataclass(frozen=True)
class IngestReport:
    read: int
    added: int
    skipped: int
    rejected: list = field(default_factory=list)

    def summary(self) -> str:
        return (f"read {self.read}, added {self.added}, skipped {self.skipped} (duplicates), "
                f"rejected {len(self.rejected)}")


@dataclass
class _Plan:
    """Everything decided before the model runs."""

    channel: str
    fan_id: str
    message: str
    at: datetime
    notice: str | None
    prompt: Any = None
    fixed_body: str | None = None
    retrieved: tuple[ScoredPost, ...] = ()
    events: list[str] = field(default_factory=list)


class Avatar:
    """A creator's AI avatar. Build with :meth:`open` (a persona folder) or the constructor."""

    def __init__(self, persona: Persona, *, backend: ChatBackend | None = None,
                 embedder: Embedder | None = None, store: PersonaStore | None = None,
                 memory: Memory | None = None, settings: Settings | None = None,
                 clock: Callable[[], datetime] = now, audit: bool = True) -> None:
        self.persona = persona
        cfg = persona.config
        self.settings = settings or Settings.from_env()
        self.clock = clock
        self.policy = LabelPolicy.resolve(cfg.disclosure, cfg.name, cfg.handle)
        self.key = SigningKey.load_or_create(persona.state_dir / "keys")
        self.stamper = Stamper(persona.id, cfg.name, cfg.handle, self.policy, self.key)
        self._backend = backend
        self.embedder = embedder or self._default_embedder()
        self.store = store or self._default_store()
        self.memory = memory or Memory(persona.state_dir / "fans.sqlite3")
        self.audit = AuditLog(persona.state_dir, self.key) if audit else None
        self._style: StyleProfile | None = None
        self._lock = threading.Lock()

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, **kwargs: Any) -> "Avatar":
        return cls(load_persona(folder), **kwargs)

    def _default_embedder(self) -> Embedder:
        s, st = self.settings, self.persona.config.store
        return make_embedder(s.embedder or st.embedder, model=st.embedding_model,
                             base_url=s.base_url, api_key=s.api_key)

    def _default_store(self) -> PersonaStore:
        url = self.settings.chroma_url or self.persona.config.store.chroma_url or None
        client = make_client(url=url, path=None if url else self.persona.state_dir / "chroma")
        return PersonaStore(client, self.persona.id, self.embedder)

    @property
    def backend(self) -> ChatBackend:
        """Resolved lazily so that ingest/profile never load a model."""
        if self._backend is None:
            b, s = self.persona.config.backend, self.settings
            self._backend = make_backend(s.backend or b.name, model=s.model or b.model,
                                         base_url=s.base_url or b.base_url or None,
                                         api_key=s.api_key, temperature=b.temperature, threads=b.threads)
        return self._backend

    @property
    def public_key(self) -> PublicKey:
        return self.key.public

    # ---- creator side ---------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], format: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Read posts from files and add the new ones. All or nothing for the store."""
        from .ingest import read_posts
        result = read_posts(paths, format=format)
        existing = self.store.existing_ids([p.id for p in result.posts])
        new = [p for p in result.posts if p.id not in existing]
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], len(new))
        added = self.store.add(new, progress=tick) if new else 0
        if added:
            self._style = None
            self._style_path().unlink(missing_ok=True)
        skipped = len(existing) + result.duplicates_in_input
        return IngestReport(read=result.read, added=added, skipped=skipped, rejected=list(result.rejected))

    def profile(self) -> StyleProfile:
        """The style profile of all stored posts (cached next to the store)."""
        if self._style is None:
            path = self._style_path()
            if path.is_file():
                self._style = StyleProfile.from_dict(json.loads(path.read_text(encoding="utf-8")))
            else:
                self._style = StyleProfile.from_posts(self.store.all_posts())
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(self._style.to_dict(), ensure_ascii=False), encoding="utf-8")
        return self._style

    def _style_path(self) -> Path:
        return self.persona.state_dir / f"style-{self.persona.id}.json"

    def verify(self, reply: Any, keys: Iterable[PublicKey] | None = None) -> Verification:
        return verify(reply, list(keys) if keys is not None else [self.public_key])

    # ---- fan side -------------------------------------------------------------------------
    def reply(self, message: str, *, channel: str = "dm", fan_id: str | None = None,
              minor: bool | None = None) -> Reply:
        """Answer one fan message. The returned text always carries the AI label."""
        plan = self._plan(message, channel, fan_id, minor)
        if plan.fixed_body is not None:
            raw = plan.fixed_body
        else:
            try:
                raw = self.backend.complete(plan.prompt)
            except AvatarError:
                raise
            except Exception as exc:
                raise BackendError(f"the chat backend failed: {exc} — check the backend settings "
                                   "(AVATAR_BACKEND, OPENAI_BASE_URL, AVATAR_MODEL)") from exc
        body = self._clean(raw, plan)
        placement = self.policy.placement
        room = self._room(plan, placement)
        if len(body) > room:
            body = cut_to_fit(body, room)
            plan.events.append("truncated")
        shown = compose(body, self.policy.label, placement, plan.notice)
        return self._finish(plan, shown, body, placement, complete=True)

    def stream(self, message: str, *, channel: str = "dm", fan_id: str | None = None,
               minor: bool | None = None) -> "ReplyStream":
        """Like :meth:`reply`, but yields text pieces; the label is always the first piece."""
        return ReplyStream(self, self._plan(message, channel, fan_id, minor))

    # ---- pipeline pieces --------------------------------------------------------------------
    def _plan(self, message: str, channel: str, fan_id: str | None, minor: bool | None) -> _Plan:
        if channel not in CHANNELS:
            raise ConfigError(f"unknown channel '{channel}' — use one of {', '.join(CHANNELS)}")
        if not isinstance(message, str) or not message.strip():
            raise ConfigError("the fan message is empty — type something to reply to")
        fan = fan_id or "anonymous"
        at = self.clock()
        if minor is not None:
            self.memory.set_minor(fan, minor)
        plan = _Plan(channel=channel, fan_id=fan, message=message, at=at,
                     notice=self._notice(fan, channel, at))
        if plan.notice:
            plan.events.append("first-contact" if plan.notice == self.policy.first_contact else "reminder")
        if truth.asks_if_human(message):
            plan.fixed_body = truth.truthful_answer(message, self.persona.name)
            plan.events.append("truthful-answer")
            return plan
        topic = self._avoided_topic(message)
        if topic:
            plan.fixed_body = self.persona.config.boundaries.avoid_reply
            plan.events.append(f"boundary:{topic}")
            return plan
        plan.retrieved, plan.prompt = self._prompt(plan)
        return plan

    def _notice(self, fan: str, channel: str, at: datetime) -> str | None:
        """First message of a conversation discloses in full; reminders after gaps/intervals."""
        if channel != "dm":
            return None
        state = self.memory.state(fan)
        if state.last_message_at is None:
            return self.policy.first_contact
        gap, every = self.policy.reminder_gap_minutes, self.policy.reminder_every(state.minor)
        if gap and at - state.last_message_at >= timedelta(minutes=gap):
            return self.policy.reminder
        last = state.last_notice_at or state.last_message_at
        if every and at - last >= timedelta(minutes=every):
            return self.policy.reminder
        return None

    def _avoided_topic(self, message: str) -> str | None:
        low = truth.normalize_for_detection(message)
        b = self.persona.config.boundaries
        for topic in [*b.avoid_topics, *b.never_discuss]:
            if topic and re.search(rf"\b{re.escape(topic.lower())}\b", low):
                return topic
        return None

    def _prompt(self, plan: _Plan) -> tuple[tuple[ScoredPost, ...], Any]:
        cfg = self.persona.config
        ch = cfg.channels[plan.channel]
        qvec = self.embedder.embed_query(plan.message)
        posts, found = self.store.retrieve(plan.message, ch.k, cfg.prompt.examples, vector=qvec)
        examples = [Example(fan=s.post.context or "", creator=s.post.text) for s in found]
        history = self.memory.history(plan.fan_id, plan.channel, cfg.prompt.history_turns)
        parts = prompt_mod.PromptParts(
            name=cfg.name, handle=cfg.handle, bio=cfg.bio, style=self.profile().prompt_text(),
            channel=plan.channel, tone=ch.tone, max_chars=ch.max_chars,
            avoid_topics=cfg.boundaries.avoid_topics, never_invent=cfg.boundaries.never_invent,
            never_discuss=cfg.boundaries.never_discuss)
        built = prompt_mod.build(parts, message=plan.message, posts=posts, examples=examples,
                                 history=history, budget=cfg.prompt.token_budget,
                                 max_tokens=cfg.backend.max_tokens)
        return tuple(posts), built

    def _clean(self, raw: str, plan: _Plan) -> str:
        result = truth.sanitize_model_text(raw, self.persona.name)
        if result.changed and "sanitized" not in plan.events:
            plan.events.append("sanitized")
        text = re.sub(r"\n{3,}", "\n\n", result.text).strip()
        return text

    def _room(self, plan: _Plan, placement: str) -> int:
        limit = self.persona.config.channels[plan.channel].max_chars
        frame = compose("", self.policy.label, placement, plan.notice)
        return max(0, limit - len(frame) - 1)

    def _finish(self, plan: _Plan, shown: str, body: str, placement: str, complete: bool) -> Reply:
        reply = self.stamper.finish(shown=shown, body=body, channel=plan.channel, fan_id=plan.fan_id,
                                    backend=self._record_backend(plan), complete=complete,
                                    placement=placement, retrieved=plan.retrieved,
                                    events=tuple(plan.events), created_at=plan.at)
        with self._lock:
            if self.audit:
                self.audit.append(reply.disclosure.to_dict())
            self.memory.add(plan.fan_id, plan.channel, "fan", plan.message, plan.at)
            self.memory.add(plan.fan_id, plan.channel, "avatar", body, plan.at)
            self.memory.touch(plan.fan_id, plan.at, noticed=plan.notice is not None)
        return reply

    def _record_backend(self, plan: _Plan) -> Any:
        if plan.fixed_body is not None:
            return _Fixed()
        return self.backend


class _Fixed:
    name = "template"
    provider = "avatar"
    model = "fixed-template"


_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])\s+|\n")


class ReplyStream:
    """Iterate to get text pieces; then read ``.reply`` for the signed record.

    The label (and any notice) is the first piece, sent before the model runs. If iteration
    stops early (fan left, ``close()``) or the backend fails midway, the record is still
    signed and logged, marked ``complete: false``, covering exactly the text already sent.
    """

    def __init__(self, avatar: Avatar, plan: _Plan) -> None:
        self.avatar = avatar
        self.plan = plan
        p = avatar.policy.placement
        self.placement = "start" if p == "start" else "both"
        self.sent: list[str] = []
        self.body_parts: list[str] = []
        self.reply: Reply | None = None
        self._gen: Iterator[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._gen is None:
            self._gen = self._run()
        return self._gen

    def close(self) -> None:
        if self._gen is not None:
            self._gen.close()
        elif self.reply is None:
            self._gen = self._run()
            self._gen.close()
            self._finalize(complete=False)

    def text(self) -> str:
        """Consume the rest of the stream and return the full labelled text."""
        for _ in self:
            pass
        assert self.reply is not None
        return self.reply.text

    def _emit(self, piece: str) -> str:
        self.sent.append(piece)
        return piece

    def _run(self) -> Iterator[str]:
        av, plan = self.avatar, self.plan
        complete = False
        error: BaseException | None = None
        try:
            yield self._emit(compose("", av.policy.label, "start", plan.notice))
            room = av._room(plan, self.placement)
            body_parts = self.body_parts
            for sentence in self._sentences():
                piece = self._fit(sentence, body_parts, room)
                if piece:
                    body_parts.append(piece)
                    yield self._emit(("\n" if len(body_parts) == 1 else " ") + piece)
                if sum(len(b) + 1 for b in body_parts) >= room:
                    plan.events.append("truncated")
                    break
            if self.placement == "both":
                yield self._emit("\n" + av.policy.label)
            complete = True
        except GeneratorExit:
            raise
        except Exception as exc:
            error = exc
        finally:
            self._finalize(complete)
        if error is not None:
            if isinstance(error, AvatarError):
                raise error
            raise BackendError(f"the chat backend failed mid-reply: {error} — the fan saw a "
                               "labelled partial reply; check the backend") from error

    def _sentences(self) -> Iterator[str]:
        plan, av = self.plan, self.avatar
        if plan.fixed_body is not None:
            yield av._clean(plan.fixed_body, plan)
            return
        buf, replaced = "", False
        for chunk in av.backend.stream(plan.prompt):
            buf += chunk
            parts = _SENTENCE_END.split(buf)
            for done in parts[:-1]:
                clean, replaced = self._clean_once(done, replaced)
                if clean:
                    yield clean
            buf = parts[-1]
        if buf.strip():
            clean, replaced = self._clean_once(buf, replaced)
            if clean:
                yield clean

    def _clean_once(self, sentence: str, replaced: bool) -> tuple[str, bool]:
        result = truth.sanitize_model_text(sentence, self.avatar.persona.name)
        if result.changed:
            if "sanitized" not in self.plan.events:
                self.plan.events.append("sanitized")
            if replaced and result.findings:
                return "", True
            return " ".join(result.text.split()), replaced or bool(result.findings)
        return " ".join(result.text.split()), replaced

    @staticmethod
    def _fit(sentence: str, body_parts: list[str], room: int) -> str:
        used = sum(len(b) + 1 for b in body_parts)
        return cut_to_fit(sentence, room - used) if used + len(sentence) + 1 > room else sentence

    def _finalize(self, complete: bool) -> None:
        if self.reply is not None:
            return
        shown = "".join(self.sent)
        placement = self.placement if complete else "start"
        body = " ".join(self.body_parts)
        if not shown:    # closed before the first piece: still send and sign the label
            shown = compose("", self.avatar.policy.label, "start", self.plan.notice)
        self.reply = self.avatar._finish(self.plan, shown, body, placement, complete=complete)
