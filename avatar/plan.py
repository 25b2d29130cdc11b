"""The plan of one reply: everything the pipeline decides about a fan message, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .policy import Verdict
from .types import ScoredPost


@dataclass
class Plan:
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
    verdicts: list[Verdict] = field(default_factory=list)
    approval: bool = False           # the channel holds drafts for the creator
    pending: str | None = None       # the approval-queue id the fan's answer waits in
    kept: int = 0                    # output sentences shown so far (stream)
    unknown: bool = False            # an invented fact was dropped: say "I don't know"
