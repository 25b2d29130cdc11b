"""Assemble the prompt within a token budget, most relevant material first.

Order of priority when the budget is tight: persona + rules + style (always), then the
retrieved posts in relevance order, then example exchanges, then the fan's recent
conversation (newest first). Older turns that do not fit are replaced by one line naming the
fan's most frequent topic words. Each piece is counted with tiktoken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import tokens
from .llm.base import Example, Prompt
from .types import Message, ScoredPost

MAX_POST_TOKENS = 120
MAX_MESSAGE_TOKENS = 300


@dataclass(frozen=True)
class PromptParts:
    name: str
    handle: str
    bio: str
    style: str
    channel: str
    tone: str
    max_chars: int
    avoid_topics: Sequence[str] = ()
    never_invent: Sequence[str] = ()
    never_discuss: Sequence[str] = ()
    guard: Sequence[str] = ()          # extra rule lines from the input guardrails


def header(p: PromptParts) -> str:
    words = max(5, p.max_chars // 6)
    lines = [
        f"You are the AI avatar of {p.name} ({p.handle}), replying to a fan's {_where(p.channel)}.",
        f"You are an AI, not {p.name}: never claim to be human or to be {p.name} in person.",
    ]
    if p.bio:
        lines.append(f"About {p.name}: {p.bio}")
    if p.style:
        lines.append(f"How {p.name} writes: {p.style}")
    lines.append(f"{p.tone} Keep the reply under {words} words.".strip())
    if p.never_invent:
        lines.append(f"If you do not know a fact ({', '.join(p.never_invent)}), say you don't know; never make it up.")
    if p.avoid_topics or p.never_discuss:
        lines.append("Do not discuss: " + ", ".join([*p.avoid_topics, *p.never_discuss]) + ".")
    lines.append("Never ask for money, gifts or payment, never move the fan to another app, "
                 "never flirt or say you miss them.")
    lines += list(p.guard)
    return "\n".join(lines)


def _where(channel: str) -> str:
    return {"dm": "direct message", "comment": "public comment", "live": "live-chat message"}.get(channel, channel)


def build(parts: PromptParts, *, message: str, posts: Sequence[ScoredPost] = (),
          examples: Sequence[Example] = (), history: Sequence[Message] = (),
          budget: int = 900, max_tokens: int = 80) -> Prompt:
    """A Prompt whose system text + examples + history + message fit in ``budget`` tokens."""
    message = tokens.truncate(message, MAX_MESSAGE_TOKENS)
    system = header(parts)
    left = budget - tokens.count(system) - tokens.count(message) - 8
    chosen_posts, left = _fit([tokens.truncate(" ".join(s.post.text.split()), MAX_POST_TOKENS)
                               for s in posts], left, per_item=3)
    if chosen_posts:
        system += f"\nPosts by {parts.name}, most relevant first:\n" + "\n".join(f"- {t}" for t in chosen_posts)
        left -= tokens.count(f"Posts by {parts.name}, most relevant first:")
    chosen_ex, left = _fit_examples(examples, left)
    chosen_hist, left = _fit_history(history, left)
    note = earlier_note(history[:len(history) - len(chosen_hist)])
    if note and tokens.count(note) + 2 <= left:
        system += "\n" + note
    return Prompt(system=system, message=message, creator_name=parts.name,
                  history=tuple(chosen_hist), examples=tuple(chosen_ex), max_tokens=max_tokens)


_STOP = frozenset("""about after again also been before being could does doing from have just like
make more much only really should some than that their them then there these they this those
very want what when where which while will with would your yours mine into over still thanks
thank hello okay""".split())


def earlier_note(dropped: Sequence[Message], words: int = 6) -> str:
    """A one-line summary of older turns that did not fit: the fan's most frequent topic
    words (this fan's own history only — the caller passes nothing else)."""
    counts: dict[str, int] = {}
    for msg in dropped:
        if msg.role != "fan":
            continue
        for w in re.findall(r"[^\W\d_]{4,}", msg.text.lower()):
            if w not in _STOP:
                counts[w] = counts.get(w, 0) + 1
    top = sorted(counts, key=lambda w: -counts[w])[:words]
    if not top:
        return ""
    return "Earlier in this conversation (older messages not shown) the fan talked about: " + ", ".join(top) + "."


def _fit(texts: Sequence[str], left: int, per_item: int) -> tuple[list[str], int]:
    out = []
    for text in texts:
        cost = tokens.count(text) + per_item
        if cost > left:
            continue   # a shorter, less relevant post may still fit
        out.append(text)
        left -= cost
    return out, left


def _fit_examples(examples: Sequence[Example], left: int) -> tuple[list[Example], int]:
    out = []
    for ex in examples:
        cost = tokens.count(ex.fan) + tokens.count(ex.creator) + 8
        if cost <= left:
            out.append(ex)
            left -= cost
    return out, left


def _fit_history(history: Sequence[Message], left: int) -> tuple[list[Message], int]:
    kept: list[Message] = []
    for msg in reversed(history):          # newest first
        cost = tokens.count(msg.text) + 4
        if cost > left:
            break
        kept.append(msg)
        left -= cost
    return list(reversed(kept)), left
