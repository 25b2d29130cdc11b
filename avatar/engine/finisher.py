"""The one finisher: every text that reaches a fan ends here — a reply, a stream, a fixed
answer, an approved or rewritten queue item, a connector's post.

It lays the body out with the label (and any notice) within the channel's limit, signs
the provenance record over exactly the text shown, appends it to the audit chain, logs
the guardrail verdicts, and remembers the exchange in this fan's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..disclosure import Mode, Placement, compose, cut_to_fit
from ..types import Producer, Reply
from .assemble import Parts
from .turn import Turn

Listener = Callable[[Reply, Turn], None]


class Finisher:
    def __init__(self, parts: Parts) -> None:
        self.p = parts
        self._listeners: list[Listener] = []

    def on_finish(self, listener: Listener) -> None:
        """Call ``listener(reply, turn)`` after each reply is signed and stored (connectors
        use it to post approved queue items)."""
        self._listeners.append(listener)

    def room(self, channel: str, placement: Placement, notice: str | None,
             label: str | None = None) -> int:
        """Characters left for the body on ``channel`` once label and notice are laid out."""
        frame = compose("", label or self.p.policy.label, placement, notice)
        return max(0, self.p.config.channels[channel].max_chars - len(frame) - 1)

    def finish(self, turn: Turn, body: str, *, producer: Producer, mode: Mode = "ai-generated",
               label: str | None = None, notice: str | None = None) -> Reply:
        """Lay out a whole body (cut to fit, never the label), then :meth:`seal` it."""
        placement = self.p.policy.placement
        notice = turn.notice if notice is None else notice
        room = self.room(turn.channel, placement, notice, label)
        if len(body) > room:
            body = cut_to_fit(body, room)
            turn.events.append("truncated")
        shown = compose(body, label or self.p.policy.label, placement, notice)
        return self.seal(turn, shown=shown, body=body, placement=placement, complete=True,
                         producer=producer, mode=mode, label=label)

    def seal(self, turn: Turn, *, shown: str, body: str, placement: Placement, complete: bool,
             producer: Producer, mode: Mode = "ai-generated", label: str | None = None) -> Reply:
        """Sign ``shown`` (already laid out), then audit, log and remember it."""
        p = self.p
        reply = p.stamper.finish(shown=shown, body=body, channel=turn.channel, fan_id=turn.fan_id,
                                 backend=producer, mode=mode, complete=complete, placement=placement,
                                 retrieved=turn.retrieved, events=turn.event_list(),
                                 created_at=turn.at, label=label)
        if turn.pending:
            reply = replace(reply, pending=turn.pending)
        memory = p.state.memory
        with p.lock:
            p.state.verdicts.log(turn.verdicts, fan_session=p.fan_session(turn.fan_id),
                                 channel=turn.channel, at=turn.at, reply_id=reply.reply_id)
            if p.state.audit is not None:
                p.state.audit.append(reply.disclosure.to_dict())
            if turn.remember_message:
                memory.add(turn.fan_id, turn.channel, "fan", turn.message, turn.at)
            memory.add(turn.fan_id, turn.channel, "avatar", body, turn.at)
            memory.touch(turn.fan_id, turn.at, noticed=turn.notice is not None)
        for listener in self._listeners:
            listener(reply, turn)
        return reply
