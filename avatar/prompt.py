"""Assemble the prompt within a token budget, most relevant material first.

Order of priority when the budget is tight: persona + rules + style (always) and the fan's
last exchanges (at least :data:`KEEP_EXCHANGES` fan messages and replies, each cut to
:data:`MAX_TURN_TOKENS`), then the retrieved posts in relevance order, then example
exchanges, then older turns while they fit. Turns that still do not fit are replaced by a
short note of the facts the fan gave about themselves (name, age, goals, constraints).
Each piece is counted with tiktoken.
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
MAX_TURN_TOKENS = 60      # a reserved history turn is cut to this many tokens
KEEP_EXCHANGES = 2        # the last two fan messages and replies always reach the model
FACT_WINDOW = 40          # older messages read for the facts note
FOLLOW_UP_WORDS = 8       # a message this short is retrieved together with the previous one


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


def history_window(settings: object) -> int:
    """How many of the fan's messages to read: the turns shown plus older ones for facts."""
    return int(getattr(settings, "history_turns", 6)) + FACT_WINDOW


def retrieval_text(message: str, history: Sequence[Message]) -> str:
    """What to retrieve for: a short follow-up ("and how heavy?") is read with the fan's
    previous message, so the posts match the topic, not the three words."""
    if len(message.split()) > FOLLOW_UP_WORDS and len(message) > 4 * FOLLOW_UP_WORDS:
        return message
    previous = next((m.text for m in reversed(history) if m.role == "fan"), "")
    return f"{previous}\n{message}" if previous else message


def build(parts: PromptParts, *, message: str, posts: Sequence[ScoredPost] = (),
          examples: Sequence[Example] = (), history: Sequence[Message] = (),
          budget: int = 900, max_tokens: int = 80, history_turns: int | None = None) -> Prompt:
    """A Prompt whose system text + examples + history + message fit in ``budget`` tokens.

    ``history`` is this fan's conversation on this channel, oldest first; at most
    ``history_turns`` of it (default: all) is shown, the rest feeds the facts note."""
    message = tokens.truncate(message, MAX_MESSAGE_TOKENS)
    system = header(parts)
    shown_max = len(history) if history_turns is None else history_turns
    recent = [Message(m.role, tokens.truncate(m.text, MAX_TURN_TOKENS), m.at)
              for m in history[len(history) - shown_max:]] if shown_max else []
    reserved = recent[-2 * KEEP_EXCHANGES:]
    older_all = history[:len(history) - len(reserved)]
    note_room = tokens.count(facts_note(older_all)) + 2 if older_all else 0
    left = budget - tokens.count(system) - tokens.count(message) - 8 - note_room
    left -= sum(tokens.count(m.text) + 4 for m in reserved)
    posts_header = f"Posts by {parts.name}, most relevant first:"
    header_cost = tokens.count(posts_header) + 1 if posts else 0
    chosen_posts, left = _fit([tokens.truncate(" ".join(s.post.text.split()), MAX_POST_TOKENS)
                               for s in posts], left - header_cost, per_item=3)
    if chosen_posts:
        system += f"\n{posts_header}\n" + "\n".join(f"- {t}" for t in chosen_posts)
    else:
        left += header_cost
    chosen_ex, left = _fit_examples(examples, left)
    older, left = _fit_history(recent[:len(recent) - len(reserved)], left)
    chosen_hist = older + reserved
    note = facts_note(history[:len(history) - len(chosen_hist)])
    if note and tokens.count(note) + 2 <= left + note_room:     # room was kept for it
        system += "\n" + note
    return Prompt(system=system, message=message, creator_name=parts.name,
                  history=tuple(chosen_hist), examples=tuple(chosen_ex), max_tokens=max_tokens)


# First-person statements worth keeping from older turns: who the fan is, what they want,
# what limits them (English, Spanish, French, German, Portuguese, Chinese).
_FACT = re.compile(
    r"\b(?:my name is|i'?m called|call me|i am \d+|i'?m \d+|i am a |i'?m a |i have |i'?ve got |"
    r"i had |my (?!god\b)\w+|i want to |i'?m trying to |i'?d like to |my goal|i can'?t |"
    r"i cannot |i don'?t |i'?m allergic|i'?m vegan|i'?m vegetarian|i work |i live |"
    r"me llamo|tengo \d+|mi \w+|je m'appelle|j'ai \d+|mon |ma |ich hei(?:ss|ß)e|ich bin \d+|"
    r"mein |meine |meu nome|eu tenho)|我叫|我是|我的|我想|我有|我不能",
    re.IGNORECASE)
_CLAUSE = re.compile(r"[^.!?;\n。！？；]+")


def facts_note(dropped: Sequence[Message], limit: int = 4, max_chars: int = 200) -> str:
    """A short note of what the fan said about themselves in older turns that are not shown
    (this fan's own history only — the caller passes nothing else). Newest facts first."""
    facts: list[str] = []
    for msg in reversed(dropped):
        if msg.role != "fan":
            continue
        for clause in _CLAUSE.findall(msg.text[:2000]):
            clause = " ".join(clause.split()).strip(" ,")
            if _FACT.search(clause) and clause.lower() not in (f.lower() for f in facts):
                facts.append(clause[:max_chars // 2])
        if len(facts) >= limit:
            break
    if not facts:
        return ""
    return "Earlier in this conversation (not shown) the fan said: " + "; ".join(facts[:limit]) + "."


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
