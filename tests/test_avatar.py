"""The Avatar facade end to end on the shipped fakes: every path ends labelled and signed."""

import pytest

from avatar import truth
from avatar.disclosure import verify
from avatar.errors import BackendError, ConfigError


def assert_disclosed(av, reply):
    label = av.policy.label
    assert label in reply.text
    assert av.verify(reply).valid, av.verify(reply)
    assert not truth.find_false_claims(reply.body, av.persona.name)


@pytest.mark.parametrize("channel", ["dm", "comment", "live"])
def test_reply_is_labelled_signed_and_logged(make_avatar, channel):
    av = make_avatar(["Start with three sessions a week 💪"])
    r = av.reply("where do I start?", channel=channel, fan_id="f1")
    assert r.text.startswith(av.policy.label)
    assert r.body == "Start with three sessions a week 💪"
    assert r.disclosure.record["channel"] == channel
    assert_disclosed(av, r)
    assert av.audit.verify().ok and av.audit.verify().entries == 1


def test_retrieval_and_examples_reach_the_prompt(make_avatar):
    av = make_avatar(["ok"])
    av.reply("what is your favourite lift, the deadlift?", fan_id="f1")
    p = av.backend.prompts[-1]
    assert "Romanian deadlift" in p.system
    assert p.examples and all(ex.fan for ex in p.examples)
    assert "Uses" in p.system or "Writes" in p.system or "How Mara Okafor writes" in p.system


def test_reingest_adds_nothing(make_avatar, posts_file):
    av = make_avatar()
    again = av.ingest([posts_file])
    assert (again.added, again.skipped) == (0, 6)
    assert av.store.count() == 6


def test_first_contact_then_gap_reminder(make_avatar, clock):
    av = make_avatar(["hey"])
    first = av.reply("hi", fan_id="f1")
    assert av.policy.first_contact in first.text and "first-contact" in first.events
    clock.advance(minutes=5)
    second = av.reply("how are you", fan_id="f1")
    assert av.policy.first_contact not in second.text and not second.events
    clock.advance(minutes=61)
    third = av.reply("back again", fan_id="f1")
    assert av.policy.reminder in third.text and "reminder" in third.events
    for r in (first, second, third):
        assert_disclosed(av, r)


def test_minor_is_reminded_at_least_every_three_hours(make_avatar, clock):
    av = make_avatar(["hey"])
    av.reply("hi", fan_id="kid", minor=True)
    reminders = []
    for step in range(1, 13):               # a message every 20 minutes for 4 hours: no gap
        clock.advance(minutes=20)
        r = av.reply(f"message {step}", fan_id="kid")
        if "reminder" in r.events:
            reminders.append(step * 20)
    assert reminders and reminders[0] <= 180
    assert all(b - a <= 180 for a, b in zip([0, *reminders], reminders))


def test_adult_without_gap_gets_no_periodic_reminder_on_eu(make_avatar, clock):
    av = make_avatar(["hey"])
    av.reply("hi", fan_id="adult")
    events = []
    for _ in range(12):
        clock.advance(minutes=20)
        events += av.reply("more", fan_id="adult").events
    assert "reminder" not in events


def test_truthful_answer_whatever_the_model_says(make_avatar):
    av = make_avatar(["Yes, I'm a real human, it's really me!"])
    r = av.reply("be honest, are you a bot?", fan_id="f1")
    assert "truthful-answer" in r.events
    assert av.backend.prompts == []              # the model was not even asked
    assert "AI" in r.body and r.disclosure.record["model"] == "fixed-template"
    assert_disclosed(av, r)


def test_model_claiming_to_be_human_is_rewritten(make_avatar):
    av = make_avatar(["I'm a real person, not a bot! Anyway, squat deep."])
    r = av.reply("tips?", fan_id="f1")
    assert "sanitized" in r.events and "real person" not in r.text
    assert_disclosed(av, r)


def test_boundary_topic_gets_template(make_avatar):
    av = make_avatar(["my address is 1 Fake Street"])
    r = av.reply("what's your home address?", fan_id="f1")
    assert r.body == "That's one I keep offline, sorry!" and "boundary:home address" in r.events


@pytest.mark.parametrize("channel", ["dm", "comment", "live"])
def test_long_output_is_cut_never_the_label(make_avatar, channel):
    av = make_avatar(["word " * 800])
    r = av.reply("hi", channel=channel, fan_id="f1")
    limit = av.persona.config.channels[channel].max_chars
    assert len(r.text) <= limit and r.text.startswith(av.policy.label)
    assert "truncated" in r.events
    assert_disclosed(av, r)


def test_end_and_both_placements(make_avatar):
    for placement in ("end", "both"):
        av = make_avatar(["hello"], extra=f'placement = "{placement}"')
        r = av.reply("hi", channel="comment", fan_id="f")
        assert r.text.endswith(av.policy.label)
        assert r.text.startswith(av.policy.label) == (placement == "both")
        assert_disclosed(av, r)


def test_stream_sends_label_first_and_signs_what_was_sent(make_avatar):
    av = make_avatar([["Hello ", "there. ", "Three sessions ", "a week!"]])
    stream = av.stream("hi", fan_id="f1")
    pieces = list(stream)
    assert pieces[0].startswith(av.policy.label)
    assert "".join(pieces) == stream.reply.text
    assert stream.reply.complete
    assert_disclosed(av, stream.reply)


def test_cancelled_stream_is_labelled_and_marked_incomplete(make_avatar):
    av = make_avatar([["One. ", "Two. ", "Three. ", "Four. "]])
    stream = av.stream("hi", fan_id="f1")
    it = iter(stream)
    seen = [next(it), next(it)]
    stream.close()
    r = stream.reply
    assert r.text == "".join(seen) and not r.complete
    assert r.text.startswith(av.policy.label)
    v = av.verify(r)
    assert v.valid and "incomplete" in v.detail
    assert av.audit.verify().entries == 1


def test_backend_failing_midstream(make_avatar):
    av = make_avatar([["Partial answer. ", RuntimeError("server died")]])
    stream = av.stream("hi", fan_id="f1")
    with pytest.raises(BackendError, match="mid-reply"):
        for _ in stream:
            pass
    assert not stream.reply.complete and stream.reply.text.startswith(av.policy.label)
    assert av.verify(stream.reply).valid


def test_backend_failure_before_output_is_backend_error(make_avatar):
    av = make_avatar([RuntimeError("connection refused")])
    with pytest.raises(BackendError, match="chat backend failed"):
        av.reply("hi", fan_id="f1")


def test_stream_with_end_placement_still_starts_with_label(make_avatar):
    av = make_avatar([["hello there."]], extra='placement = "end"')
    stream = av.stream("hi", channel="comment", fan_id="f")
    pieces = list(stream)
    assert pieces[0].startswith(av.policy.label) and stream.reply.text.endswith(av.policy.label)
    assert av.verify(stream.reply).valid


def test_fans_are_isolated(make_avatar):
    av = make_avatar(["noted"])
    av.reply("my secret locker code is 4417", fan_id="alice")
    av.reply("what's new?", fan_id="bob")
    bob_prompt = av.backend.prompts[-1]
    assert "4417" not in bob_prompt.to_transcript()
    assert all("4417" not in p.text for p in av.store.all_posts())
    av.reply("remember my code?", fan_id="alice")
    assert "4417" in av.backend.prompts[-1].to_transcript()     # alice's own history is kept


def test_bad_channel_and_empty_message(make_avatar):
    av = make_avatar()
    with pytest.raises(ConfigError, match="unknown channel"):
        av.reply("hi", channel="email")
    with pytest.raises(ConfigError, match="empty"):
        av.reply("   ")


def test_cn_preset_labels_in_chinese(make_avatar):
    av = make_avatar(["你好"], preset="CN")
    r = av.reply("你好", fan_id="f")
    assert r.text.startswith("【AI生成】") and r.disclosure.record["aigc"]["Label"] == "1"
    assert verify(r, av.public_key).valid
