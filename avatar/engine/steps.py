"""The steps of a reply, in order. Each takes the :class:`Turn` and the shared
:class:`Parts`, adds to the Turn and hands it on; none reaches into another's state.

Decision steps (:data:`BEFORE_MODEL`) run until one decides a fixed answer::

    notice ─► crisis ─► truth ─► rate limit ─► input rails ─► boundaries ─► retrieve ─► prompt

Safety (crisis) and truth ("are you a bot?") come before the rate limit, every template
and every queue: a fan in crisis always gets the resources. Then the model (``draft``):
generate ─► sanitize (false claims, label copies, markup) ─► output rails ─► fallback.
:mod:`avatar.engine.streaming` runs the same pieces sentence by sentence.
"""

from __future__ import annotations

import re
from datetime import timedelta

from .. import policy, prompt, truth
from ..errors import AvatarError, BackendError
from ..llm.base import Example
from ..stores.base import Filter, Query
from ..types import TEMPLATE, Producer
from .assemble import Parts
from .turn import Turn

# ---- decision steps ---------------------------------------------------------------------------


def notice(turn: Turn, p: Parts) -> None:
    """First DM of a conversation discloses in full; reminders after a gap or an interval
    (more often for known minors)."""
    if turn.channel != "dm":
        return
    label = p.policy
    state = p.state.memory.state(turn.fan_id)
    if state.last_message_at is None:
        turn.notice = label.first_contact
    else:
        gap, every = label.reminder_gap_minutes, label.reminder_every(state.minor)
        last = state.last_notice_at or state.last_message_at
        if (gap and turn.at - state.last_message_at >= timedelta(minutes=gap)) or \
                (every and turn.at - last >= timedelta(minutes=every)):
            turn.notice = label.reminder
    if turn.notice:
        turn.events.append("first-contact" if turn.notice == label.first_contact else "reminder")


def crisis(turn: Turn, p: Parts) -> None:
    """Run the input rails once; a crisis answers at once with resources and a handoff."""
    found = policy.check_input(turn.message, p.rules)
    if found and found[0].action == "crisis":
        turn.verdicts += found
        _handoff(turn, p, found[0].reason)
        g = p.config.guardrails
        turn.decide(policy.crisis_reply(turn.message, p.config.name, g.crisis_reply))
    else:
        turn.pending_verdicts = found


def truthful(turn: Turn, p: Parts) -> None:
    """Asked whether it is human, the avatar answers truthfully; the model is not asked."""
    if truth.asks_if_human(turn.message, p.config.name):
        turn.verdicts += turn.pending_verdicts      # still logged (escalation counts)
        turn.pending_verdicts = []
        turn.decide(truth.truthful_answer(turn.message, p.config.name), "truthful-answer")


def rate_limit(turn: Turn, p: Parts) -> None:
    """Over the per-fan limit: a polite fixed reply, no model call."""
    if not p.state.limiter.allow(p.fan_session(turn.fan_id), turn.at):
        turn.pending_verdicts = []
        turn.decide(p.template("rate", p.config.rate_limit.reply), "rate-limited")


def input_rails(turn: Turn, p: Parts) -> None:
    """Handoffs and refusals from the input rails; repeated hits hand over to the creator."""
    found, turn.pending_verdicts = turn.pending_verdicts, []
    turn.verdicts += found
    g = p.config.guardrails
    top = found[0] if found else None
    if top is not None and top.action == "escalate":
        _handoff(turn, p, top.reason)
        turn.decide(p.template("handoff", g.handoff_reply))
    elif top is not None and top.action == "refuse":
        turn.decide(p.template("refuse", g.refuse_reply))
    if "handoff" in turn.events:
        return
    earlier = p.state.verdicts.hits(p.fan_session(turn.fan_id), turn.at - timedelta(days=1))
    hits = earlier + sum(v.action != "instruct" for v in turn.verdicts)
    if hits >= g.escalate_after and not p.state.queue.has_open("handoff", turn.fan_id):
        _handoff(turn, p, f"repeated guardrail hits ({hits} in 24 h)")
        turn.decide(p.template("handoff", g.handoff_reply))


def boundaries(turn: Turn, p: Parts) -> None:
    """Topics the creator keeps offline get their fixed reply."""
    low = truth.normalize_for_detection(turn.message)
    b = p.config.boundaries
    for topic in [*b.avoid_topics, *b.never_discuss]:
        if topic and re.search(rf"\b{re.escape(topic.lower())}\b", low):
            turn.decide(b.avoid_reply, f"boundary:{topic}")
            return


def retrieve(turn: Turn, p: Parts) -> None:
    """One store round trip: the posts and example exchanges for the message (with the
    fan's previous message for a short follow-up), then the prompt within the budget."""
    cfg = p.config
    history = p.state.memory.history(turn.fan_id, turn.channel, prompt.history_window(cfg.prompt))
    text = prompt.retrieval_text(turn.message, history)
    vector = p.embedder.embed_query(text)
    posts, found = p.store.retrieve(retrieval_query(cfg, turn.channel, vector))
    turn.retrieved = tuple(posts)
    examples = [Example(fan=s.post.context or "", creator=s.post.text) for s in found]
    voice = p.voice.voice()
    seen = {ex.creator for ex in examples}
    examples += [Example(fan=f, creator=c) for f, c in voice.exemplars if c not in seen][:cfg.prompt.exemplars]
    ch = cfg.channels[turn.channel]
    platform = ch.platforms[0] if len(ch.platforms) == 1 else None
    parts = prompt.PromptParts(
        name=cfg.name, handle=cfg.handle, bio=cfg.bio,
        style=voice.style_for(turn.channel, platform).prompt_text(),
        channel=turn.channel, tone=ch.tone, max_chars=ch.max_chars,
        avoid_topics=cfg.boundaries.avoid_topics, never_invent=cfg.boundaries.never_invent,
        never_discuss=cfg.boundaries.never_discuss,
        guard=[policy.ADVICE_NOTES[v.rule.split(":")[1]] for v in turn.verdicts
               if v.action == "instruct" and v.rule.startswith("advice:")])
    built = prompt.build(parts, message=turn.message, posts=posts, examples=examples, history=history,
                         budget=cfg.prompt.token_budget, max_tokens=cfg.backend.max_tokens,
                         history_turns=cfg.prompt.history_turns)
    if len(built.history) < min(len(history), cfg.prompt.history_turns):
        turn.events.append("history-trimmed")
    turn.prompt = built
    turn.approval = ch.approval


def retrieval_query(cfg, channel: str, vector, k: int | None = None,
                    mmr: bool | None = None) -> Query:
    """The channel's retrieval: its ``k``, platform/kind filters and ``[retrieval]`` MMR
    (``k``/``mmr`` override them, e.g. for the evaluation script)."""
    ch, r = cfg.channels[channel], cfg.retrieval
    use_mmr = r.mmr if mmr is None else mmr
    return Query(vector=vector, k=ch.k if k is None else k,
                 filter=Filter(platforms=tuple(ch.platforms), kinds=tuple(ch.kinds)),
                 examples=cfg.prompt.examples,
                 examples_filter=Filter(platforms=tuple(ch.platforms), examples=True),
                 mmr_lambda=r.mmr_lambda if use_mmr else None, fetch_k=r.fetch_k)


BEFORE_MODEL = (notice, crisis, truthful, rate_limit, input_rails, boundaries, retrieve)


def _handoff(turn: Turn, p: Parts, reason: str) -> None:
    p.state.queue.add("handoff", fan_id=turn.fan_id, channel=turn.channel, message=turn.message,
                      reason=reason, at=turn.at)
    turn.events.append("handoff")


# ---- the model and what follows it ------------------------------------------------------------


def generate(turn: Turn, p: Parts) -> str:
    try:
        return p.backend.complete(turn.prompt)
    except AvatarError:
        raise
    except Exception as exc:
        raise BackendError(f"the chat backend failed: {exc} — check the backend settings "
                           "(AVATAR_BACKEND, OPENAI_BASE_URL, AVATAR_MODEL)") from exc


def sanitize(text: str, turn: Turn, p: Parts) -> str:
    """Replace false claims and label copies, neutralise markup (a whole reply or one
    streamed sentence). A second claim right after a replaced one is dropped, not answered
    twice."""
    copied = [c for c in p.label_copies if c in text]
    for copy in copied:                  # a verbatim copy of our label is a forgery too
        text = text.replace(copy, " ")
    result = truth.sanitize_model_text(text, p.config.name)
    if (result.changed or copied) and "sanitized" not in turn.events:
        turn.events.append("sanitized")
    if turn.claim_replaced and result.findings:
        return ""
    turn.claim_replaced = turn.claim_replaced or bool(result.findings)
    return result.text


def clean(text: str, turn: Turn, p: Parts) -> str:
    """``sanitize`` for a whole text, with runs of blank lines squeezed."""
    return re.sub(r"\n{3,}", "\n\n", sanitize(text, turn, p)).strip()


def guard_sentence(sentence: str, turn: Turn, p: Parts) -> str:
    """One sentence through the output rails: itself, or "" when a rail removed it."""
    check = policy.check_output(sentence, p.rules, [s.post.text for s in turn.retrieved])
    turn.verdicts += check.verdicts
    turn.unknown = turn.unknown or check.unknown
    if check.text.strip():
        turn.kept += 1
    return check.text


def guard_tail(turn: Turn, p: Parts) -> str:
    """What follows the kept sentences: nothing, "I don't know", or the safe line when the
    rails removed everything."""
    g = p.config.guardrails
    if turn.unknown:
        return p.template("unknown", g.unknown_reply)
    removed = any(v.side == "output" for v in turn.verdicts)
    return p.template("safe", g.safe_reply) if removed and turn.kept == 0 else ""


def output_rails(text: str, turn: Turn, p: Parts) -> str:
    kept = [s for s in (guard_sentence(text[a:b], turn, p) for a, b in policy.sentences(text)) if s]
    tail = guard_tail(turn, p)
    return " ".join(kept + [tail] if tail else kept)


def fallback(body: str, turn: Turn, p: Parts) -> str:
    """A model that says nothing (or only markup) gets a fixed line, never a bare label."""
    if body.strip():
        return body
    turn.events.append("empty-output")
    return p.template("empty")


def draft(turn: Turn, p: Parts) -> str:
    """The model's reply, sanitised and through the output rails; a fixed line if empty."""
    return fallback(output_rails(clean(generate(turn, p), turn, p), turn, p), turn, p)


def producer(turn: Turn, p: Parts) -> Producer:
    """Who writes the body: the model, or (for a decided answer) code or the creator."""
    if turn.decided:
        return turn.fixed_by or TEMPLATE
    return Producer.of(p.backend)


def body(turn: Turn, p: Parts) -> str:
    """The reply body: the decided answer (cleaned like model text) or the model's draft."""
    if turn.fixed_body is not None:
        return clean(turn.fixed_body, turn, p)
    return draft(turn, p)
