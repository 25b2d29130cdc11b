"""Pipeline steps around the model: rate limits, input/output guardrails, handoff, approval.

:class:`GuardSteps` is mixed into :class:`avatar.avatar.Avatar`; each step takes the reply's
:class:`~avatar.plan.Plan` and either leaves it alone or decides a fixed, labelled answer.
Rules themselves live in :mod:`avatar.policy`; verdicts are logged by ``Avatar._finish``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from . import policy
from .disclosure import cut_to_fit
from .plan import Plan

if TYPE_CHECKING:  # pragma: no cover
    from .avatar import Avatar as _Base
else:
    _Base = object


class GuardSteps(_Base):
    """The guard steps of the reply pipeline (mixed into Avatar)."""

    def _rate_limited(self, plan: Plan) -> bool:
        """Over the per-fan limit: a polite fixed reply, no model call."""
        if self.limiter.allow(self.stamper.fan_session(plan.fan_id), plan.at):
            return False
        plan.fixed_body = self._template("rate", self.persona.config.rate_limit.reply)
        plan.events.append("rate-limited")
        return True

    def _guard_input(self, plan: Plan) -> bool:
        """Run the input guardrails; True when a fixed reply was chosen (crisis, handoff,
        refusal). Repeated guardrail hits by the same fan also hand over to the creator."""
        g = self.persona.config.guardrails
        verdicts = policy.check_input(plan.message, self.rules)
        plan.verdicts += verdicts
        top = verdicts[0].action if verdicts else None
        if top == "crisis":
            self._handoff(plan, verdicts[0].reason)
            plan.fixed_body = policy.crisis_reply(plan.message, self.persona.name, g.crisis_reply)
        elif top == "escalate":
            self._handoff(plan, verdicts[0].reason)
            plan.fixed_body = self._template("handoff", g.handoff_reply)
        elif top == "refuse":
            plan.fixed_body = self._template("refuse", g.refuse_reply)
        hits = 0 if "handoff" in plan.events else self._repeated_hits(plan)
        if hits >= g.escalate_after and not self.queue.has_open("handoff", plan.fan_id):
            self._handoff(plan, f"repeated guardrail hits ({hits} in 24 h)")
            plan.fixed_body = self._template("handoff", g.handoff_reply)
        return plan.fixed_body is not None

    def _repeated_hits(self, plan: Plan) -> int:
        earlier = self.verdicts.hits(self.stamper.fan_session(plan.fan_id), plan.at - timedelta(days=1))
        return earlier + sum(v.action != "instruct" for v in plan.verdicts)

    def _handoff(self, plan: Plan, reason: str) -> None:
        self.queue.add("handoff", fan_id=plan.fan_id, channel=plan.channel, message=plan.message,
                       reason=reason, at=plan.at)
        plan.events.append("handoff")

    def _template(self, kind: str, override: str | None = None) -> str:
        """A fixed reply (see :data:`avatar.policy.TEMPLATES`) with the creator's name filled in."""
        return policy.template(kind, self.persona.config.language, override).replace("{name}", self.persona.name)

    def _hold_for_approval(self, plan: Plan) -> None:
        """Draft with the model, queue the draft for the creator, answer with the notice."""
        draft = self._draft(plan)
        room = self._room_for(plan.channel, self.policy.label, self.policy.placement, None)
        meta = {"backend": {k: getattr(self.backend, k, "unknown") for k in ("name", "provider", "model")},
                "retrieved": [s.post.id for s in plan.retrieved]}
        item = self.queue.add("approval", fan_id=plan.fan_id, channel=plan.channel, message=plan.message,
                              reason=f"approval mode on {plan.channel}", at=plan.at,
                              draft=cut_to_fit(draft, room), meta=meta)
        plan.pending = item.id
        plan.fixed_body = self._template("approval", self.persona.config.guardrails.approval_reply)
        plan.events.append("pending-approval")

    def _guard_output(self, text: str, plan: Plan) -> str:
        """Drop sentences that break a guardrail; say "I don't know" for dropped invented
        facts; a safe template when nothing is left."""
        kept = [s for s in (self._guard_sentence(text[a:b], plan) for a, b in policy.sentences(text)) if s]
        tail = self._guard_tail(plan)
        return " ".join(kept + [tail] if tail else kept)

    def _guard_sentence(self, sentence: str, plan: Plan) -> str:
        sources = [s.post.text for s in plan.retrieved]
        check = policy.check_output(sentence, self.rules, sources)
        plan.verdicts += check.verdicts
        plan.unknown = plan.unknown or check.unknown
        if check.text.strip():
            plan.kept += 1
        return check.text

    def _guard_tail(self, plan: Plan) -> str:
        """What to add after the sentences: nothing, "I don't know" or the safe template."""
        g = self.persona.config.guardrails
        if plan.unknown:
            return self._template("unknown", g.unknown_reply)
        removed = any(v.side == "output" for v in plan.verdicts)
        return self._template("safe", g.safe_reply) if removed and plan.kept == 0 else ""
