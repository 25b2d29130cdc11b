"""The Avatar facade: the only way to get a Reply.

``reply()`` and ``stream()`` share one pipeline:

    fan message ─► rate limit ─► input guardrails ─► truth check ─► boundaries
                       │               │ (crisis, escalation,  │            │
                       │               │  refusals → handoff)  │            │
                       └───────────────┴──── fixed template ◄──┴────────────┘
                                                    │
        retrieval (MMR) ─► prompt (token budget) ─► backend ─► sanitize (false claims, markup)
                                                    │         ─► output guardrails (sentences)
                                                    ▼         ─► cut to channel limit
            approval mode: draft → queue, fan gets a labelled "the creator will review" notice
                                                              ─► stamp label + notice
                                                              ─► sign record ─► audit log

The label and record are added by code after the model; a backend cannot remove them.
The creator side of the queues is :meth:`Avatar.approve`, :meth:`Avatar.rewrite` and
:meth:`Avatar.dismiss` (``av.queue.list(kind=..., status="open")`` to see them).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import policy
from . import prompt as prompt_mod
from . import truth
from ._sqlite import Database
from .audit import AuditLog
from .config import Persona, Settings, load_persona
from .disclosure import LabelPolicy, Stamper, Verification, compose, cut_to_fit, verify
from .embeddings import Embedder, make_embedder
from .errors import AvatarError, BackendError, ConfigError
from .guarded import GuardSteps
from .guardlog import RateLimiter, VerdictLog
from .importing import IngestReport
from .keys import PublicKey, SigningKey
from .llm import ChatBackend, Example, make_backend
from .memory import Memory, now
from .plan import Plan as _Plan
from .queues import Queue
from .review import CreatorReview
from .stores.chroma import PersonaStore, make_client, where_filter
from .style import StyleProfile, Voice
from .types import CHANNELS, Reply, ScoredPost


class Avatar(GuardSteps, CreatorReview):
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
        control = Database(persona.state_dir / "control.sqlite3")
        self.queue = Queue(control)
        self.verdicts = VerdictLog(control)
        self.limiter = RateLimiter(control, cfg.rate_limit.per_minute, cfg.rate_limit.per_day)
        self.rules = policy.Rules(creator_name=cfg.name, allow_advice=tuple(cfg.guardrails.allow_advice),
                                  never_invent=tuple(cfg.boundaries.never_invent), known_facts=cfg.bio,
                                  verbatim_words=cfg.guardrails.verbatim_words)
        self._style: StyleProfile | None = None
        self._voice: Voice | None = None
        bare = re.sub(r"^\W+", "", self.policy.label)      # "AI-generated · …" without the emoji
        self._label_copies = tuple(dict.fromkeys(c for c in (self.policy.label, bare) if c.strip()))
        self._lock = threading.Lock()
        # Thread safety (the app and the HTTP API call one Avatar from many threads): the
        # lazy backend and the cached style profile are built once; imports run one at a time.
        self._init_lock = threading.Lock()
        self._ingest_lock = threading.Lock()

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
        with self._init_lock:
            if self._backend is None:
                b, s = self.persona.config.backend, self.settings
                self._backend = make_backend(s.backend or b.name, model=s.model or b.model,
                                             base_url=s.base_url or b.base_url or None,
                                             api_key=s.api_key, temperature=b.temperature,
                                             threads=b.threads)
        return self._backend

    @property
    def public_key(self) -> PublicKey:
        return self.key.public

    # ---- creator side ---------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], format: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Read posts from files and add the new ones, scrubbed and chunked (see
        :mod:`avatar.importing`). All or nothing for the store."""
        with self._ingest_lock:
            return self._ingest(paths, format, progress)

    def _ingest(self, paths: Iterable[str | Path], format: str | None,
                progress: Callable[[int, int], None] | None) -> IngestReport:
        from .ingest import read_posts
        from .importing import prepare
        result = read_posts(paths, format=format)
        existing = self.store.existing_ids([p.id for p in result.posts])
        new = [p for p in result.posts if p.id not in existing]
        units, scrubbed = prepare(new, self.persona.config)
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], len(units))
        stored = self.store.add(units, progress=tick) if units else 0
        if stored:
            self._forget_style()
        skipped = len(existing) + result.duplicates_in_input
        return IngestReport(read=result.read, added=len(new) if stored else 0, skipped=skipped,
                            rejected=list(result.rejected), skipped_by_rule=dict(result.skipped),
                            scrubbed=dict(scrubbed), ignored_files=result.ignored_files, chunks=stored)

    def forget(self, *, ids: Iterable[str] | None = None, platform: str | None = None,
               since: Any = None, until: Any = None, dry_run: bool = False) -> int:
        """Remove the creator's posts matching every filter given; returns how many posts.

        ``ids`` are post ids (their chunks go too); ``platform`` e.g. ``"x"``; ``since`` /
        ``until`` a date or datetime (a bare ``until`` date includes that day). At least one
        filter is required. ``dry_run`` only counts. The cached style profile is rebuilt.
        """
        from .importing import matching_ids
        doomed = matching_ids(self.store.entries(), ids=ids, platform=platform, since=since, until=until)
        if doomed and not dry_run:
            self.store.delete(doomed)
            self._forget_style()
        return len({i.split("#", 1)[0] for i in doomed})

    def _forget_style(self) -> None:
        with self._init_lock:
            self._style = None
            self._voice = None
            self._style_path().unlink(missing_ok=True)
            self._voice_path().unlink(missing_ok=True)

    def profile(self) -> StyleProfile:
        """The style profile of all stored posts (cached next to the store)."""
        with self._init_lock:
            return self._profile()

    def _profile(self) -> StyleProfile:
        if self._style is None:
            self._style = _cached(self._style_path(), StyleProfile,
                                  lambda: StyleProfile.from_posts(self.store.all_posts()))
        return self._style

    def voice(self) -> Voice:
        """Per-platform/kind style profiles and exemplar replies for prompts (cached)."""
        with self._init_lock:
            if self._voice is None:
                self._voice = _cached(self._voice_path(), Voice,
                                      lambda: Voice.from_posts(self.store.all_posts()))
            return self._voice

    def _voice_path(self) -> Path:
        return self.persona.state_dir / f"voice-{self.persona.id}.json"

    def _style_path(self) -> Path:
        return self.persona.state_dir / f"style-{self.persona.id}.json"

    def verify(self, reply: Any, keys: Iterable[PublicKey] | None = None) -> Verification:
        return verify(reply, list(keys) if keys is not None else [self.public_key])

    # ---- fan side -------------------------------------------------------------------------
    def reply(self, message: str, *, channel: str = "dm", fan_id: str | None = None,
              minor: bool | None = None) -> Reply:
        """Answer one fan message. The returned text always carries the AI label.

        On a channel with ``approval = true`` the model's draft goes to the approval queue
        and the fan gets a labelled notice that the creator will review it: the returned
        Reply has ``pending`` set to the queue item id (``events`` holds "pending-approval").
        """
        plan = self._plan(message, channel, fan_id, minor)
        if plan.approval:
            self._hold_for_approval(plan)
        if plan.fixed_body is not None:
            body = self._clean(plan.fixed_body, plan)
        else:
            body = self._draft(plan)
        placement = self.policy.placement
        room = self._room(plan, placement)
        if len(body) > room:
            body = cut_to_fit(body, room)
            plan.events.append("truncated")
        shown = compose(body, self.policy.label, placement, plan.notice)
        return self._finish(plan, shown, body, placement, complete=True)

    def stream(self, message: str, *, channel: str = "dm", fan_id: str | None = None,
               minor: bool | None = None) -> "ReplyStream":
        """Like :meth:`reply`, but yields text pieces; the label is always the first piece.
        In approval mode the draft is made first and the stream carries the review notice."""
        plan = self._plan(message, channel, fan_id, minor)
        if plan.approval:
            self._hold_for_approval(plan)
        return ReplyStream(self, plan)

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
        if self._rate_limited(plan) or self._guard_input(plan):
            return plan
        if truth.asks_if_human(message, self.persona.name):
            plan.fixed_body = truth.truthful_answer(message, self.persona.name)
            plan.events.append("truthful-answer")
            return plan
        topic = self._avoided_topic(message)
        if topic:
            plan.fixed_body = self.persona.config.boundaries.avoid_reply
            plan.events.append(f"boundary:{topic}")
            return plan
        plan.retrieved, plan.prompt = self._prompt(plan)
        plan.approval = self.persona.config.channels[channel].approval
        return plan

    def _draft(self, plan: _Plan) -> str:
        """The model's reply, sanitised and guarded; a fixed line if nothing is left."""
        return self._or_fallback(self._guard_output(self._clean(self._generate(plan), plan), plan), plan)

    def _generate(self, plan: _Plan) -> str:
        try:
            return self.backend.complete(plan.prompt)
        except AvatarError:
            raise
        except Exception as exc:
            raise BackendError(f"the chat backend failed: {exc} — check the backend settings "
                               "(AVATAR_BACKEND, OPENAI_BASE_URL, AVATAR_MODEL)") from exc

    def retrieve(self, message: str, *, channel: str = "dm", k: int | None = None,
                 mmr: bool | None = None, vector: Any = None) -> list[ScoredPost]:
        """The creator's posts the avatar would use for ``message`` on ``channel``: the
        channel's ``k``, platform/kind filters and the ``[retrieval]`` MMR settings
        (``k``/``mmr`` override them; used by the evaluation script)."""
        return self.store.query(message, vector=vector, **self._retrieval(channel, k, mmr))

    def _retrieval(self, channel: str, k: int | None = None, mmr: bool | None = None) -> dict[str, Any]:
        ch, r = self.persona.config.channels[channel], self.persona.config.retrieval
        use_mmr = r.mmr if mmr is None else mmr
        return {"k": ch.k if k is None else k, "where": where_filter(ch.platforms, ch.kinds),
                "mmr_lambda": r.mmr_lambda if use_mmr else None, "fetch_k": r.fetch_k}

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
        args = self._retrieval(plan.channel)
        posts, found = self.store.retrieve(plan.message, args.pop("k"), cfg.prompt.examples, qvec,
                                           examples_where=where_filter(ch.platforms, has_context=True),
                                           **args)
        examples = [Example(fan=s.post.context or "", creator=s.post.text) for s in found]
        voice = self.voice()
        seen = {ex.creator for ex in examples}
        examples += [Example(fan=f, creator=c) for f, c in voice.exemplars
                     if c not in seen][:cfg.prompt.exemplars]
        platform = ch.platforms[0] if len(ch.platforms) == 1 else None
        history = self.memory.history(plan.fan_id, plan.channel, cfg.prompt.history_turns)
        parts = prompt_mod.PromptParts(
            name=cfg.name, handle=cfg.handle, bio=cfg.bio, style=voice.style_for(plan.channel, platform).prompt_text(),
            channel=plan.channel, tone=ch.tone, max_chars=ch.max_chars,
            avoid_topics=cfg.boundaries.avoid_topics, never_invent=cfg.boundaries.never_invent,
            never_discuss=cfg.boundaries.never_discuss,
            guard=[policy.ADVICE_NOTES[v.rule.split(":")[1]] for v in plan.verdicts
                   if v.action == "instruct" and v.rule.startswith("advice:")])
        built = prompt_mod.build(parts, message=plan.message, posts=posts, examples=examples,
                                 history=history, budget=cfg.prompt.token_budget,
                                 max_tokens=cfg.backend.max_tokens)
        if len(built.history) < len(history):
            plan.events.append("history-trimmed")
        return tuple(posts), built

    def _sanitize(self, text: str, plan: _Plan, replaced: bool = False) -> tuple[str, bool]:
        """Replace false claims and neutralise markup in model text (a whole reply or one
        streamed sentence). Returns the text and whether a claim has been replaced so far:
        a second claim right after a replaced one is dropped, not answered twice."""
        copied = [c for c in self._label_copies if c in text]
        for copy in copied:                  # a verbatim copy of our label is a forgery too
            text = text.replace(copy, " ")
        result = truth.sanitize_model_text(text, self.persona.name)
        if (result.changed or copied) and "sanitized" not in plan.events:
            plan.events.append("sanitized")
        if replaced and result.findings:
            return "", True
        return result.text, replaced or bool(result.findings)

    def _clean(self, raw: str, plan: _Plan) -> str:
        body, _ = self._sanitize(raw, plan)
        return re.sub(r"\n{3,}", "\n\n", body).strip()

    def _or_fallback(self, body: str, plan: _Plan) -> str:
        """A model that says nothing (or only markup) gets a fixed line, never a bare label."""
        if body.strip():
            return body
        plan.events.append("empty-output")
        return self._template("empty")

    def _room(self, plan: _Plan, placement: str) -> int:
        return self._room_for(plan.channel, self.policy.label, placement, plan.notice)

    def _room_for(self, channel: str, label: str, placement: str, notice: str | None) -> int:
        """Characters left for the body on ``channel`` once label and notice are laid out."""
        frame = compose("", label, placement, notice)
        return max(0, self.persona.config.channels[channel].max_chars - len(frame) - 1)

    def _finish(self, plan: _Plan, shown: str, body: str, placement: str, complete: bool) -> Reply:
        events = tuple(dict.fromkeys([*plan.events, *(v.event for v in plan.verdicts)]))
        reply = self.stamper.finish(shown=shown, body=body, channel=plan.channel, fan_id=plan.fan_id,
                                    backend=self._record_backend(plan), complete=complete,
                                    placement=placement, retrieved=plan.retrieved,
                                    events=events, created_at=plan.at)
        if plan.pending:
            reply = replace(reply, pending=plan.pending)
        with self._lock:
            self.verdicts.log(plan.verdicts, fan_session=self.stamper.fan_session(plan.fan_id),
                              channel=plan.channel, at=plan.at, reply_id=reply.reply_id)
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


def _cached(path: Path, cls: Any, build: Callable[[], Any]) -> Any:
    """Load ``cls`` from its JSON cache file, or build it and write the file."""
    if path.is_file():
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
    value = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value.to_dict(), ensure_ascii=False), encoding="utf-8")
    return value


class _Fixed:
    name = "template"
    provider = "avatar"
    model = "fixed-template"


_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])\s+")   # not at bare newlines: "I am\nhuman" is one claim


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
                if piece != sentence or sum(len(b) + 1 for b in body_parts) >= room:
                    plan.events.append("truncated")
                    break
            if not body_parts:
                body_parts.append(cut_to_fit(av._or_fallback("", plan), room))
                yield self._emit("\n" + body_parts[0])
            complete = True      # all the text is out; only the closing label remains
            if self.placement == "both":
                yield self._emit("\n" + av.policy.label)
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
            yield " ".join(av._sanitize(plan.fixed_body, plan)[0].split())
            return
        buf, replaced = "", False
        for chunk in av.backend.stream(plan.prompt):
            buf += chunk
            parts = _SENTENCE_END.split(buf)
            for done in parts[:-1]:
                clean, replaced = self._clean_once(done, replaced)
                clean = clean and av._guard_sentence(clean, plan)
                if clean:
                    yield clean
            buf = parts[-1]
        if buf.strip():
            clean, replaced = self._clean_once(buf, replaced)
            clean = clean and av._guard_sentence(clean, plan)
            if clean:
                yield clean
        tail = av._guard_tail(plan)
        if tail:
            yield tail

    def _clean_once(self, sentence: str, replaced: bool) -> tuple[str, bool]:
        clean, replaced = self.avatar._sanitize(sentence, self.plan, replaced)
        return " ".join(clean.split()), replaced

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
