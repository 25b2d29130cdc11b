"""The creator's side: what the avatar holds for review, and what the creator sends.

A channel with ``approval = true`` holds the model's draft in the approval queue and the
fan gets a labelled notice (:meth:`Review.hold`). The creator then approves it (mode
``ai-generated``), edits it (``ai-edited-by-creator``: AI label plus an "edited by" note),
rewrites it or answers a handoff in their own words (``human-written``: the creator's own
label, never the AI one), or dismisses it. Every sent item goes through the one finisher.
"""

from __future__ import annotations

import re

from .. import truth
from ..disclosure import cut_to_fit, human_label
from ..errors import QueueError
from ..policy import template
from ..queues import QueueItem
from ..types import CREATOR, Producer, Reply
from . import steps
from .assemble import Parts
from .finisher import Finisher
from .turn import Turn


class Review:
    def __init__(self, parts: Parts, finisher: Finisher) -> None:
        self.p, self.finisher = parts, finisher

    @property
    def queue(self):   # noqa: ANN201 - the Queue of the current state
        return self.p.state.queue

    def hold(self, turn: Turn) -> None:
        """Draft with the model, queue the draft for the creator, answer with the notice."""
        draft = steps.draft(turn, self.p)
        room = self.finisher.room(turn.channel, self.p.policy.placement, None)
        meta = {"backend": Producer.of(self.p.backend).to_dict(),
                "retrieved": [s.post.id for s in turn.retrieved]}
        item = self.queue.add("approval", fan_id=turn.fan_id, channel=turn.channel,
                              message=turn.message, reason=f"approval mode on {turn.channel}",
                              at=turn.at, draft=cut_to_fit(draft, room), meta=meta)
        turn.pending = item.id
        turn.decide(self.p.template("approval", self.p.config.guardrails.approval_reply), "pending-approval")

    def approve(self, item_id: str, edited_text: str | None = None) -> Reply:
        """Send an approval draft: as drafted (mode ``ai-generated``) or with the creator's
        edits (``ai-edited-by-creator``; still AI-labelled, plus an "edited by" note)."""
        item = self.queue.take_open(item_id, "approval")
        drafted = Producer(**self.queue.meta(item.id).get("backend") or CREATOR.to_dict())
        if edited_text is None or " ".join(edited_text.split()) == " ".join((item.draft or "").split()):
            return self._send(item, item.draft or "", drafted, "ai-generated", "approved")
        if not edited_text.strip():
            raise QueueError("the edited text is empty — pass the reply to send, or dismiss the item")
        turn = self._turn(item, "edited")
        body = steps.clean(edited_text, turn, self.p)
        return self._send(item, body, drafted, "ai-edited-by-creator", "edited", turn)

    def rewrite(self, item_id: str, text: str) -> Reply:
        """Send the creator's own words for a queued item (approval or handoff), labelled as
        written by the creator (mode ``human-written``), never as AI."""
        item = self.queue.take_open(item_id)
        body = re.sub(r"\n{3,}", "\n\n", truth.strip_markup(text)).strip()
        if not body:
            raise QueueError("the rewritten text is empty — write the reply to send, or dismiss the item")
        return self._send(item, body, CREATOR, "human-written", "rewritten")

    def dismiss(self, item_id: str) -> QueueItem:
        """Close a queued item without sending anything."""
        item = self.queue.take_open(item_id)
        self.queue.resolve(item.id, "dismissed", self.p.clock())
        return self.queue.get(item.id)

    def forget_fan(self, fan_id: str) -> int:
        """Delete a fan's conversation, queue items and guardrail log; return messages deleted."""
        s = self.p.state
        s.queue.forget(fan_id)
        s.verdicts.forget(self.p.fan_session(fan_id))
        return s.memory.forget(fan_id)

    def _turn(self, item: QueueItem, status: str) -> Turn:
        turn = Turn(channel=item.channel, fan_id=item.fan_id, message=item.message, at=self.p.clock(),
                    remember_message=False)
        turn.events.append(f"queue:{item.kind}:{status}")
        return turn

    def _send(self, item: QueueItem, body: str, producer: Producer, mode: str, status: str,
              turn: Turn | None = None) -> Reply:
        turn = turn or self._turn(item, status)
        cfg = self.p.config
        label = human_label(cfg.name, self.p.policy.language) if mode == "human-written" else None
        notice = (template("edited", self.p.policy.language).replace("{name}", cfg.name)
                  if mode == "ai-edited-by-creator" else "")
        reply = self.finisher.finish(turn, body, producer=producer, mode=mode,  # type: ignore[arg-type]
                                     label=label, notice=notice or None)
        self.queue.resolve(item.id, status, turn.at)
        from ..connectors.ledger import record_delivery   # a connector waiting for this item posts it
        record_delivery(self.p.persona.state_dir, item.id, reply)
        return reply
