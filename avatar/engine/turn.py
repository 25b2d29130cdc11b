"""A Turn: one fan message on its way through the pipeline, and what the steps decided.

Each step (:mod:`avatar.engine.steps`) reads the Turn and adds to it — a notice, verdicts,
retrieved posts, a prompt, or a fixed body that ends the decision steps. The finisher
(:mod:`avatar.engine.finisher`) turns the result into a labelled, signed Reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..policy import Verdict
from ..types import Producer, ScoredPost


@dataclass
class Turn:
    """The message, the fan, and everything decided so far."""

    channel: str
    fan_id: str
    message: str
    at: datetime
    notice: str | None = None              # first-contact / reminder text shown with the label
    prompt: Any = None                     # the backend Prompt, once built
    fixed_body: str | None = None          # a decided answer (template, truthful answer, …)
    fixed_by: Producer | None = None       # who wrote the fixed body (template / creator)
    retrieved: tuple[ScoredPost, ...] = ()
    events: list[str] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    pending_verdicts: list[Verdict] = field(default_factory=list)   # input rails, not yet applied
    approval: bool = False                 # the channel holds drafts for the creator
    pending: str | None = None             # the approval-queue id the fan's answer waits in
    kept: int = 0                          # output sentences kept so far
    unknown: bool = False                  # an invented fact was dropped: say "I don't know"
    claim_replaced: bool = False           # a false claim was replaced (drop a second one)
    remember_message: bool = True          # the finisher stores the fan's message (not for queue deliveries)

    @property
    def decided(self) -> bool:
        """A fixed answer was chosen: the remaining decision steps and the model are skipped."""
        return self.fixed_body is not None

    def decide(self, body: str, event: str | None = None, by: Producer | None = None) -> None:
        """Answer with ``body`` (a template unless ``by`` says otherwise); no model call."""
        self.fixed_body = body
        self.fixed_by = by
        if event:
            self.events.append(event)

    def event_list(self) -> tuple[str, ...]:
        """Events plus the verdicts' events, each once, in order."""
        return tuple(dict.fromkeys([*self.events, *(v.event for v in self.verdicts)]))
