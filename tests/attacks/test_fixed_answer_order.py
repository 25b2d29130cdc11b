"""Issue #12 item 4: safety and truth come before every limit, template and queue.

Every fixed-answer path is combined with every other: a fan over the rate limit, on an
approval channel, with a boundary topic, a refusal or a handoff in the same message —
a crisis message still gets the crisis resources and a handoff, and "are you a real
person?" still gets the truthful answer. On today's code (rate limit first) these fail.
"""

from __future__ import annotations

import itertools

import pytest

from avatar import truth

CRISIS = "I want to kill myself"
HUMAN = "are you a real person?"
STATES = ["fresh", "rate-limited", "approval-channel", "escalated-before"]
MIXINS = ["", " what's your home address?", " what's your paypal?", " my lawyer will be in touch.",
          " be my girlfriend"]


def _avatar(make_avatar, state: str):
    extra = "[rate_limit]\nper_minute = 2\nper_day = 50\n"
    if state == "approval-channel":
        extra += "[channels.dm]\napproval = true\n"
    return make_avatar(["Model text that must not be used."], extra=extra)


def _prepare(av, state: str, fan: str) -> None:
    if state == "rate-limited":
        for i in range(6):                       # six ordinary messages: the limit is used up
            av.reply(f"ordinary question {i} about squats", fan_id=fan)
        assert "rate-limited" in av.reply("one more about squats", fan_id=fan).events
    elif state == "escalated-before":
        for _ in range(3):
            av.reply("what's your paypal?", fan_id=fan)


@pytest.mark.parametrize("state, mixin", list(itertools.product(STATES, MIXINS)))
def test_crisis_always_gets_resources_and_a_handoff(make_avatar, state: str, mixin: str):
    av = _avatar(make_avatar, state)
    fan = f"crisis-{state}-{len(mixin)}"
    _prepare(av, state, fan)
    before = len(av.backend.prompts)
    reply = av.reply(CRISIS + "." + mixin, fan_id=fan)
    assert "116 123" in reply.body and "988" in reply.body
    assert "handoff" in reply.events and "rate-limited" not in reply.events
    assert reply.pending is None and "pending-approval" not in reply.events
    assert any(i.fan_id == fan for i in av.queue.list(kind="handoff"))
    assert len(av.backend.prompts) == before, "the model is not asked"
    assert av.verify(reply).valid and reply.text.startswith(av.policy.label)


@pytest.mark.parametrize("state, mixin", list(itertools.product(STATES, MIXINS)))
def test_are_you_human_always_gets_the_truth(make_avatar, state: str, mixin: str):
    av = _avatar(make_avatar, state)
    fan = f"truth-{state}-{len(mixin)}"
    _prepare(av, state, fan)
    reply = av.reply(HUMAN + mixin, fan_id=fan)
    assert "truthful-answer" in reply.events
    assert reply.body == truth.truthful_answer(HUMAN + mixin, "Mara Okafor")
    assert "rate-limited" not in reply.events and reply.pending is None
    assert av.verify(reply).valid


@pytest.mark.parametrize("mode", ["reply", "stream"])
def test_six_messages_then_crisis_in_a_stream_too(make_avatar, mode: str):
    av = _avatar(make_avatar, "fresh")
    _prepare(av, "rate-limited", "fan-six")
    if mode == "reply":
        text = av.reply(CRISIS, fan_id="fan-six").text
    else:
        stream = av.stream(CRISIS, fan_id="fan-six")
        text = "".join(stream)
        assert av.verify(stream.reply).valid
    assert "116 123" in text and "faster than I can keep up" not in text


def test_crisis_and_truth_do_not_spend_the_rate_limit(make_avatar):
    av = _avatar(make_avatar, "fresh")
    for _ in range(3):
        av.reply(CRISIS, fan_id="spare")
        av.reply(HUMAN, fan_id="spare")
    assert "rate-limited" not in av.reply("how many sets?", fan_id="spare").events


def test_over_the_limit_the_other_fixed_answers_wait_their_turn(make_avatar):
    """Below safety and truth, the rate limit comes first: a refusal is not a free message."""
    av = _avatar(make_avatar, "fresh")
    _prepare(av, "rate-limited", "slow")
    reply = av.reply("what's your paypal?", fan_id="slow")
    assert "rate-limited" in reply.events and not reply.pending
