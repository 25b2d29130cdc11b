"""The creator's side of the queues: approve, edit, rewrite or dismiss what the avatar held.

:class:`CreatorReview` is mixed into :class:`avatar.avatar.Avatar`. A reply sent from the
queue is labelled and signed like any other, with the record's ``mode`` saying who wrote it:
``ai-generated`` (approved as drafted), ``ai-edited-by-creator`` (AI label plus an "edited
by" note) or ``human-written`` (the creator's own label, never the AI one).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import truth
from .disclosure import Mode, compose, cut_to_fit, human_label
from .errors import QueueError
from .plan import Plan
from .queues import QueueItem
from .types import Reply

if TYPE_CHECKING:  # pragma: no cover
    from .avatar import Avatar as _Base
else:
    _Base = object


class CreatorReview(_Base):
    """``approve`` / ``rewrite`` / ``dismiss`` / ``forget_fan`` (mixed into Avatar)."""

    def approve(self, item_id: str, edited_text: str | None = None) -> Reply:
        """Send an approval draft: as drafted (mode ``ai-generated``) or with the creator's
        edits (``ai-edited-by-creator``; still AI-labelled, plus an "edited by" note)."""
        item = self.queue.take_open(item_id, "approval")
        if edited_text is None or " ".join(edited_text.split()) == " ".join((item.draft or "").split()):
            return self._deliver(item, item.draft or "", "ai-generated", "approved")
        if not edited_text.strip():
            raise QueueError("the edited text is empty — pass the reply to send, or dismiss the item")
        plan = Plan(channel=item.channel, fan_id=item.fan_id, message=item.message, at=self.clock(),
                    notice=None)
        return self._deliver(item, self._clean(edited_text, plan), "ai-edited-by-creator", "edited")

    def rewrite(self, item_id: str, text: str) -> Reply:
        """Send the creator's own words for a queued item (approval or handoff). The reply is
        labelled as written by the creator (mode ``human-written``), never as AI."""
        item = self.queue.take_open(item_id)
        body = re.sub(r"\n{3,}", "\n\n", truth.strip_markup(text)).strip()
        if not body:
            raise QueueError("the rewritten text is empty — write the reply to send, or dismiss the item")
        return self._deliver(item, body, "human-written", "rewritten")

    def dismiss(self, item_id: str) -> QueueItem:
        """Close a queued item without sending anything."""
        item = self.queue.take_open(item_id)
        self.queue.resolve(item.id, "dismissed", self.clock())
        return self.queue.get(item.id)

    def forget_fan(self, fan_id: str) -> int:
        """Delete a fan's conversation, queue items and guardrail log; return messages deleted."""
        self.queue.forget(fan_id)
        self.verdicts.forget(self.stamper.fan_session(fan_id))
        return self.memory.forget(fan_id)

    def _deliver(self, item: QueueItem, body: str, mode: Mode, status: str) -> Reply:
        at = self.clock()
        label = human_label(self.persona.name, self.policy.language) if mode == "human-written" else None
        notice = (f"Reviewed and edited by {self.persona.name} before sending."
                  if mode == "ai-edited-by-creator" else None)
        placement = self.policy.placement
        body = cut_to_fit(body, self._room_for(item.channel, label or self.policy.label, placement, notice))
        shown = compose(body, label or self.policy.label, placement, notice)
        reply = self.stamper.finish(shown=shown, body=body, channel=item.channel, fan_id=item.fan_id,
                                    backend=_DraftedBy(self.queue.meta(item.id), mode), mode=mode,
                                    placement=placement, events=(f"queue:{item.kind}:{status}",),
                                    created_at=at, label=label)
        with self._lock:
            if self.audit:
                self.audit.append(reply.disclosure.to_dict())
            self.memory.add(item.fan_id, item.channel, "avatar", body, at)
            self.queue.resolve(item.id, status, at)
        return reply


class _DraftedBy:
    """The record's backend fields for a reply sent from the approval/handoff queue."""

    def __init__(self, meta: dict, mode: str) -> None:
        b = meta.get("backend") or {}
        if mode == "human-written" or not b:
            self.name, self.provider, self.model = "creator", "human", "none"
        else:
            self.name, self.provider, self.model = b.get("name"), b.get("provider"), b.get("model")
