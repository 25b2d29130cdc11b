"""The chat-backend contract: one required method, ``stream``.

A backend turns a :class:`Prompt` into text. It never sees or produces the AI label:
the label is stamped afterwards by :mod:`avatar.disclosure`, outside the model.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

from ..types import Message


@dataclass(frozen=True)
class Example:
    """A real exchange from the creator's history: a fan message and the creator's reply."""

    fan: str
    creator: str


@dataclass(frozen=True)
class Prompt:
    """Everything a backend needs, already trimmed to the token budget.

    ``system`` holds persona, style profile, rules and retrieved posts as one text;
    ``examples`` are few-shot exchanges; ``history`` is this fan's recent conversation
    (oldest first); ``message`` is the new fan message.
    """

    system: str
    message: str
    creator_name: str
    history: tuple[Message, ...] = ()
    examples: tuple[Example, ...] = ()
    max_tokens: int = 120

    def to_messages(self) -> list[dict[str, str]]:
        """OpenAI-style chat messages."""
        msgs = [{"role": "system", "content": self.system}]
        for ex in self.examples:
            msgs += [{"role": "user", "content": ex.fan}, {"role": "assistant", "content": ex.creator}]
        for m in self.history:
            msgs.append({"role": "user" if m.role == "fan" else "assistant", "content": m.text})
        msgs.append({"role": "user", "content": self.message})
        return msgs

    def to_transcript(self) -> str:
        """A plain completion transcript ending in ``<Name>:`` (for small base/instruct models)."""
        name = self.creator_name
        lines = [self.system.strip(), ""]
        for ex in self.examples:
            lines += [f"Fan: {_one_line(ex.fan)}", f"{name}: {_one_line(ex.creator)}"]
        for m in self.history:
            lines.append(f"Fan: {_one_line(m.text)}" if m.role == "fan" else f"{name}: {_one_line(m.text)}")
        lines += [f"Fan: {_one_line(self.message)}", f"{name}:"]
        return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ChatBackend(ABC):
    """Subclass and implement :meth:`stream`. ``complete`` is derived.

    Class attributes describe the backend for the provenance record.
    """

    name: str = "backend"        # e.g. "local", "openai", "scripted"
    provider: str = "unknown"    # who runs the model, e.g. "llama.cpp (in-process)", "openai"
    model: str = "unknown"       # model id as the provider names it

    @abstractmethod
    def stream(self, prompt: Prompt) -> Iterator[str]:
        """Yield pieces of the reply text as they are produced."""

    def complete(self, prompt: Prompt) -> str:
        return "".join(self.stream(prompt))


class FunctionBackend(ChatBackend):
    """Any plain function ``fn(prompt) -> str`` (or an iterator of str) as a backend."""

    name = "function"
    provider = "python"

    def __init__(self, fn, *, model: str = "function") -> None:
        self.fn = fn
        self.model = model

    def stream(self, prompt: Prompt) -> Iterator[str]:
        out = self.fn(prompt)
        if isinstance(out, str):
            yield out
        else:
            yield from out
