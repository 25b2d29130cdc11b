"""The reply engine end to end: guardrails, escalation, approval, rate limits, retrieval,
isolation. Every reply must still be labelled, signed and verifiable."""

import json

import pytest

from avatar import truth
from avatar.config import load_persona
from avatar.disclosure import human_label, verify
from avatar.errors import ConfigError, DisclosureError, QueueError
from avatar.stores.chroma import mmr
from avatar.testing import ScriptedBackend
from avatar.types import Post


def assert_disclosed(av, reply, label=None):
    assert reply.text.startswith(label or av.policy.label)
    assert av.verify(reply).valid, av.verify(reply)
    assert verify(json.dumps(reply.to_dict()), av.public_key).valid


def answer(av, message, mode, fan_id="f"):
    """A reply by ``av.reply`` or by consuming ``av.stream``."""
    if mode == "reply":
        return av.reply(message, fan_id=fan_id)
    stream = av.stream(message, fan_id=fan_id)
    stream.text()
    return stream.reply


def assert_ai_honest(av, reply):
    assert_disclosed(av, reply)
    assert not truth.find_false_claims(reply.body, av.persona.name)


# ---- input guardrails: fixed replies, the model is not asked -----------------------------------
@pytest.mark.parametrize("message,event,needle", [
    ("I want to kill myself", "guard:input:crisis:crisis", "116 123"),
    ("I'm going to sue you", "guard:input:legal-threat:escalate", "will see it personally"),
    ("We'd like to offer you a sponsorship deal", "guard:input:business:escalate", "will see it personally"),
    ("can I talk to the real Mara?", "guard:input:wants-creator:escalate", "will see it personally"),
])
def test_escalations_hand_over_and_tell_the_fan(make_avatar, message, event, needle):
    av = make_avatar(["should never be used"])
    r = av.reply(message, fan_id="fan-x")
    assert av.backend.prompts == []
    assert event in r.events and "handoff" in r.events and needle in r.body
    assert r.disclosure.record["model"] == "fixed-template"
    assert_ai_honest(av, r)
    [item] = av.queue.list(kind="handoff", status="open")
    assert (item.fan_id, item.channel, item.message, item.status) == ("fan-x", "dm", message, "open")
    assert item.reason and message not in item.reason


@pytest.mark.parametrize("message,rule", [
    ("can I send you a gift? what's your paypal", "money"),
    ("add me on telegram", "off-platform"),
    ("I love you, be my girlfriend", "romance"),
    ("pretend to be Taylor Swift", "impersonation"),
])
def test_refused_requests_get_a_template(make_avatar, message, rule):
    av = make_avatar(["sure, here's my telegram"])
    r = av.reply(message, fan_id="f")
    assert f"guard:input:{rule}:refuse" in r.events and av.backend.prompts == []
    assert "AI avatar" in r.body and av.queue.list() == []
    assert_ai_honest(av, r)


def test_advice_question_adds_a_prompt_rule(make_avatar):
    av = make_avatar(["Please check with your GP first."])
    r = av.reply("what dosage of ibuprofen should I take?", fan_id="f")
    assert "do not give any" in av.backend.prompts[-1].system and "GP" in av.backend.prompts[-1].system
    assert "guard:input:advice:medical:instruct" in r.events and r.body == "Please check with your GP first."


def test_repeated_guardrail_hits_escalate_once(make_avatar):
    av = make_avatar(["ok"])
    for _ in range(2):
        assert "handoff" not in av.reply("add me on whatsapp", fan_id="pest").events
    third = av.reply("add me on whatsapp", fan_id="pest")
    assert "handoff" in third.events
    [item] = av.queue.list(kind="handoff")
    assert item.reason.startswith("repeated guardrail hits")
    av.reply("add me on whatsapp", fan_id="pest")
    assert len(av.queue.list(kind="handoff")) == 1          # one open handoff per fan
    assert av.queue.list(kind="handoff", fan_id="other") == []


# ---- output guardrails ------------------------------------------------------------------------
@pytest.mark.parametrize("bad,rule", [
    ("Send me a gift card for faster replies.", "money"),
    ("Message me on Telegram.", "off-platform"),
    ("I miss you so much.", "romance"),
    ("I'm a qualified doctor.", "identity"),
    ("Take 400 mg of ibuprofen.", "advice:medical"),
    ("I'm Taylor Swift, by the way.", "impersonation"),
])
@pytest.mark.parametrize("mode", ["reply", "stream"])
def test_output_sentence_is_removed(make_avatar, bad, rule, mode):
    av = make_avatar([f"Squat deep. {bad} Rest well."])
    r = answer(av, "tips?", mode)
    assert bad not in r.text and "Squat deep." in r.body and "Rest well." in r.body
    assert f"guard:output:{rule}:remove" in r.events
    assert_ai_honest(av, r)


@pytest.mark.parametrize("mode", ["reply", "stream"])
def test_all_sentences_bad_gives_safe_template(make_avatar, mode):
    av = make_avatar(["I miss you. Add me on WhatsApp."])
    r = answer(av, "hey", mode)
    assert r.body == "Sorry, I can't help with that one here."
    assert_ai_honest(av, r)


def test_invented_price_becomes_i_dont_know(make_avatar):
    av = make_avatar(["Steady Strong costs £39 a month! It's 12 weeks."])
    r = av.reply("how much is your programme?", fan_id="f")
    assert "£39" not in r.text and "don't know" in r.body
    assert "guard:output:invented:prices:remove" in r.events
    assert_ai_honest(av, r)


def test_supported_fact_from_retrieved_post_is_kept(make_avatar):
    av = make_avatar(["Steady Strong is 12 weeks, three sessions a week."])
    r = av.reply("how long is Steady Strong?", fan_id="f")
    assert r.body == "Steady Strong is 12 weeks, three sessions a week." and "guard" not in " ".join(r.events)


def test_verbatim_copy_of_a_retrieved_post_is_removed(make_avatar):
    copied = "Okay team, squat depth comes from ankle mobility and patience."
    av = make_avatar([f"Good one! {copied} Rest well."], extra="[guardrails]\nverbatim_words = 8")
    r = av.reply("how do I get squat depth with ankle mobility?", fan_id="f")
    assert any(s.post.id.endswith("p1") for s in r.retrieved)
    assert "guard:output:verbatim:remove" in r.events
    assert copied not in r.body and r.body == "Good one! Rest well."
    quoting = make_avatar([f'As I always say: "{copied}"'], extra="[guardrails]\nverbatim_words = 8")
    assert copied in quoting.reply("how do I get squat depth with ankle mobility?", fan_id="f").body


def test_verdicts_are_logged_without_fan_text(make_avatar):
    av = make_avatar(["I miss you. Squat deep."])
    r = av.reply("my secret code zebra-4417, add me on telegram", fan_id="f")
    av.reply("tips please zebra-4417", fan_id="f")
    rows = av.verdicts.entries()
    assert {(x["side"], x["rule"]) for x in rows} >= {("input", "off-platform"), ("output", "romance")}
    assert all(x["fan_session"].startswith("fan:") and x["fan_session"] != "f" for x in rows)
    assert rows[0]["reply_id"] == r.reply_id
    assert av.queue.list(status=None) == []          # nothing queued, so no fan text in the file
    for f in av.persona.state_dir.glob("control.sqlite3*"):
        assert b"zebra" not in f.read_bytes()
    assert all("4417" not in json.dumps(x) for x in rows)
    assert all("4417" not in json.dumps(e) for e in av.audit.entries())


# ---- approval mode -----------------------------------------------------------------------------
APPROVAL = "[channels.dm]\napproval = true"


def test_approval_mode_holds_the_draft(make_avatar):
    av = make_avatar(["Three sessions a week is plenty."], extra=APPROVAL)
    r = av.reply("how often should I train?", fan_id="f")
    assert r.pending and "pending-approval" in r.events
    assert "checked by Mara Okafor before they are sent" in r.body and "Three sessions" not in r.text
    assert r.to_dict()["pending"] == r.pending
    assert_ai_honest(av, r)
    [item] = av.queue.list(kind="approval", status="open")
    assert item.id == r.pending and item.draft == "Three sessions a week is plenty."
    assert item.message == "how often should I train?" and item.fan_id == "f"
    other = av.reply("comment!", channel="comment", fan_id="f")       # only dm needs approval
    assert other.pending is None and "Three sessions" in other.text


def test_approve_as_is_is_ai_generated(make_avatar):
    av = make_avatar(["Three sessions a week is plenty."], extra=APPROVAL)
    item_id = av.reply("how often?", fan_id="f").pending
    sent = av.approve(item_id)
    assert sent.body == "Three sessions a week is plenty."
    assert sent.disclosure.record["mode"] == "ai-generated"
    assert sent.disclosure.record["model"] == "scripted-1"
    assert_ai_honest(av, sent)
    assert av.queue.get(item_id).status == "approved" and av.queue.list(kind="approval") == []
    with pytest.raises(QueueError, match="already approved"):
        av.approve(item_id)


def test_approve_with_edits_is_ai_edited(make_avatar):
    av = make_avatar(["Three sessions a week."], extra=APPROVAL)
    item_id = av.reply("how often?", fan_id="f").pending
    sent = av.approve(item_id, edited_text="Three sessions a week, and sleep well!")
    rec = sent.disclosure.record
    assert rec["mode"] == "ai-edited-by-creator" and "reviewed-by=" in rec["ai_disclosure"]
    assert "Three sessions a week, and sleep well!" in sent.text and "edited by Mara Okafor" in sent.text
    assert_ai_honest(av, sent)
    assert av.verify(sent).detail.startswith("ai-edited-by-creator")


def test_edits_cannot_make_ai_text_claim_to_be_human(make_avatar):
    av = make_avatar(["Hi."], extra=APPROVAL)
    item_id = av.reply("hi", fan_id="f").pending
    sent = av.approve(item_id, edited_text="I'm a real person, not a bot!")
    assert "real person" not in sent.text and sent.text.startswith(av.policy.label)


def test_rewrite_is_human_written_and_labelled_as_the_creator(make_avatar):
    av = make_avatar(["AI draft."], extra=APPROVAL)
    item_id = av.reply("hi Mara", fan_id="f").pending
    sent = av.rewrite(item_id, "Hey! It's really me, Mara. See you Sunday.")
    rec = sent.disclosure.record
    label = human_label("Mara Okafor")
    assert rec["mode"] == "human-written" and rec["label"] == label and rec["aigc"]["Label"] == "0"
    assert rec["ai_disclosure"].startswith("mode=none") and rec["model"] == "none"
    assert sent.text.startswith(label) and av.policy.label not in sent.text
    assert "AI" not in label and "It's really me, Mara." in sent.text      # not sanitised: it is her
    assert_disclosed(av, sent, label=label)
    assert av.audit.verify().ok and av.audit.verify().entries == 2


def test_rewrite_answers_a_handoff_and_dismiss_closes(make_avatar):
    av = make_avatar(["x"])
    av.reply("I want to speak to a real person", fan_id="f1")
    av.reply("We'd love a brand partnership", fan_id="f2")
    first, second = av.queue.list(kind="handoff")
    sent = av.rewrite(first.id, "Hi, Mara here — happy to chat.")
    assert sent.disclosure.record["mode"] == "human-written" and sent.fan_id == "f1"
    assert av.dismiss(second.id).status == "dismissed"
    assert av.queue.list(kind="handoff", status="open") == []
    with pytest.raises(QueueError, match="not approval"):
        av.approve(first.id)
    with pytest.raises(QueueError, match="no queue item"):
        av.dismiss("q-missing")
    with pytest.raises(QueueError, match="unknown queue kind"):
        av.queue.list(kind="nope")


def test_approved_reply_joins_the_fans_history(make_avatar):
    av = make_avatar(["Drafted answer."], extra=APPROVAL)
    item_id = av.reply("first question", fan_id="f").pending
    av.rewrite(item_id, "Mara's own answer about kettlebells.")
    history = av.memory.history("f", "dm", 10)
    assert history[-1].text == "Mara's own answer about kettlebells."


def test_stream_in_approval_mode(make_avatar):
    av = make_avatar([["Streamed ", "draft."]], extra=APPROVAL)
    r = answer(av, "hi", "stream")
    assert r.pending and "Streamed" not in r.text
    assert av.queue.get(r.pending).draft == "Streamed draft."
    assert_ai_honest(av, r)


@pytest.mark.parametrize("output", ["", "   ", "<!-- -->"])
def test_empty_draft_in_approval_mode_gets_the_fallback_never_a_bare_label(make_avatar, output):
    av = make_avatar([output], extra=APPROVAL)
    held = av.reply("hi", fan_id="f")
    draft = av.queue.get(held.pending).draft
    assert draft == "Sorry, I don't have a good answer to that one right now."
    sent = av.approve(held.pending)
    assert sent.body == draft and sent.text.startswith(av.policy.label)
    assert_ai_honest(av, sent)


def test_partly_translated_languages_fall_back_to_english_per_reply():
    from avatar.policy import TEMPLATES, template
    assert template("empty", "pt-BR") == TEMPLATES["pt"]["empty"]
    assert template("handoff", "pt") == TEMPLATES["en"]["handoff"]
    assert template("empty", "xx") == TEMPLATES["en"]["empty"]
    for language in ("pt", "it", "ja"):
        assert not truth.find_false_claims(template("empty", language), "Mara Okafor")


def test_stamper_refuses_mismatched_labels(make_avatar):
    av = make_avatar()
    with pytest.raises(DisclosureError):
        av.stamper.finish(shown="x", body="x", channel="dm", fan_id="f", backend=None,
                          mode="human-written", label=av.policy.label)
    with pytest.raises(ConfigError):
        av.stamper.finish(shown="x", body="x", channel="dm", fan_id="f", backend=None,
                          mode="ai-generated", label="Written by Mara")


# ---- rate limits --------------------------------------------------------------------------------
def test_rate_limit_per_minute_and_day(make_avatar, clock):
    av = make_avatar(["ok"], extra="[rate_limit]\nper_minute = 3\nper_day = 5")
    for _ in range(3):
        assert "rate-limited" not in av.reply("hi", fan_id="fast").events
    calls = len(av.backend.prompts)
    limited = av.reply("hi again", fan_id="fast")
    assert "rate-limited" in limited.events and len(av.backend.prompts) == calls
    assert limited.body.startswith("You're sending messages faster")
    assert_ai_honest(av, limited)
    assert "rate-limited" not in av.reply("hi", fan_id="someone-else").events
    clock.advance(seconds=61)
    assert "rate-limited" not in av.reply("hi", fan_id="fast").events
    assert "rate-limited" not in av.reply("hi", fan_id="fast").events     # 5 today
    clock.advance(minutes=5)
    assert "rate-limited" in av.reply("hi", fan_id="fast").events         # day cap
    clock.advance(days=1, seconds=1)
    assert "rate-limited" not in av.reply("hi", fan_id="fast").events


def test_bad_guardrail_settings_name_the_field(tmp_path):
    from conftest import write_persona
    folder = write_persona(tmp_path / "p", extra="[rate_limit]\nper_minit = 3")
    with pytest.raises(ConfigError, match="rate_limit.per_minit"):
        load_persona(folder)
    folder = write_persona(tmp_path / "q", extra='[guardrails]\nallow_advice = ["astrology"]')
    with pytest.raises(ConfigError, match="guardrails.allow_advice"):
        load_persona(folder)


# ---- channels, retrieval, memory isolation -------------------------------------------------------
@pytest.mark.parametrize("channel,limit", [("dm", 700), ("comment", 280), ("live", 160)])
def test_channel_limits_and_tone_reach_the_prompt(make_avatar, channel, limit):
    av = make_avatar(["word " * 400])
    r = av.reply("hi", channel=channel, fan_id="f")
    assert len(r.text) <= limit
    assert av.persona.config.channels[channel].tone in av.backend.prompts[-1].system
    assert_ai_honest(av, r)


def test_channel_retrieval_filters_by_kind(make_avatar):
    av = make_avatar(["ok"], extra='[channels.comment]\nkinds = ["reply"]')
    r = av.reply("squat deadlift sleep programme", channel="comment", fan_id="f")
    assert r.retrieved and {s.post.kind for s in r.retrieved} == {"reply"}
    r2 = av.reply("squat deadlift sleep programme", channel="dm", fan_id="f")
    assert {s.post.kind for s in r2.retrieved} != {"reply"}


def test_mmr_prefers_diverse_posts():
    query = [1.0, 0.0, 0.0]
    cands = [[0.95, 0.31, 0.0], [0.95, 0.31, 0.0], [0.9, 0.0, 0.43]]   # 0 and 1 are duplicates
    assert mmr(query, cands, 2, 1.0)[:2] in ([0, 1], [1, 0])            # relevance only
    assert sorted(mmr(query, cands, 2, 0.5)) in ([0, 2], [1, 2])        # diversity wins


def test_store_mmr_skips_near_duplicates(make_avatar):
    av = make_avatar(["ok"], ingest=False)
    dup = "Deadlift day: hinge at the hips, brace hard and push the floor away."
    av.store.add([Post.create(dup, source_id="d1"), Post.create(dup + " !", source_id="d2"),
                  Post.create("Deadlift grip: chalk up and keep the bar close to your legs.", source_id="d3")])
    plain = av.store.query("deadlift hinge brace", k=2)
    diverse = av.store.query("deadlift hinge brace", k=2, mmr_lambda=0.3)
    assert {p.post.id for p in plain} == {"generic:d1", "generic:d2"}
    assert "generic:d3" in {p.post.id for p in diverse}


def test_fan_words_never_reach_another_fans_prompt_or_the_store(make_avatar, clock):
    av = make_avatar(["noted"])
    for i in range(8):
        av.reply(f"alice private detail {i}: my pin is zebra-{i}417", fan_id="alice")
        clock.advance(seconds=20)
    av.reply("what's new?", fan_id="bob")
    av.reply("hello", channel="comment", fan_id="alice")
    bob = av.backend.prompts[-2]
    public = av.backend.prompts[-1]
    for p in (bob, public):
        assert "zebra" not in p.to_transcript() and "zebra" not in json.dumps(p.to_messages())
    assert all("zebra" not in post.text and "zebra" not in (post.context or "")
               for post in av.store.all_posts())
    assert av.store.count() == 6


def test_long_conversation_is_trimmed_to_budget(make_avatar, clock):
    from avatar import tokens
    av = make_avatar(["A fairly long answer about squats and hinges and sleep. " * 3],
                     extra="[prompt]\ntoken_budget = 800\nhistory_turns = 40")
    av.reply("hi! my name is Zanele and my left knee clicks when I squat.", fan_id="f")
    for i in range(25):
        clock.advance(seconds=30)
        r = av.reply(f"question number {i} about training volume and rest days " * 3, fan_id="f")
    p = av.backend.prompts[-1]
    total = sum(tokens.count(m["content"]) for m in p.to_messages())
    assert total <= 800
    assert 0 < len(p.history) < 40 and "history-trimmed" in r.events
    assert "number 23 " in p.history[-2].text and p.history[-1].role == "avatar"   # newest kept
    assert "number 0 " not in p.to_transcript()                                      # oldest dropped
    assert "the fan said: my name is Zanele and my left knee clicks when I squat" in p.system  # facts kept


def test_forget_fan_clears_queues_and_logs(make_avatar):
    av = make_avatar(["x"])
    av.reply("I will sue you", fan_id="gone")
    av.reply("add me on telegram", fan_id="gone")
    assert av.queue.list(fan_id="gone") and av.verdicts.entries()
    assert av.forget_fan("gone") == 4
    assert av.queue.list(fan_id="gone", status=None) == [] and av.verdicts.entries() == []
    assert av.memory.history("gone", "dm", 10) == []


def test_ordinary_reply_has_no_guard_events(make_avatar):
    av = make_avatar(["Start with three full-body sessions a week."], backend=None)
    r = av.reply("where should a beginner start?", fan_id="f")
    assert not any(e.startswith("guard:") for e in r.events) and r.pending is None
    assert isinstance(av.backend, ScriptedBackend)


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "zh"])
def test_templates_are_localised_and_pass_the_truth_guard(language):
    from avatar.policy import TEMPLATES, template
    assert set(TEMPLATES[language]) == set(TEMPLATES["en"])
    for kind in TEMPLATES["en"]:
        text = template(kind, language).replace("{name}", "Mara Okafor")
        assert not truth.find_false_claims(text, "Mara Okafor"), (language, kind, text)
    assert template("safe", language, "Custom!") == "Custom!"


def test_persona_language_picks_templates_and_overrides_win(make_avatar):
    av = make_avatar(["x"], extra='[guardrails]\nhandoff_reply = "Passed to {name}!"')
    assert av.reply("I will sue you", fan_id="f").body == "Passed to Mara Okafor!"
    from avatar.config import Persona
    av.persona = Persona(av.persona.root, av.persona.config.model_copy(update={"language": "de"}))
    assert av.reply("add me on telegram", fan_id="g").body.startswith("Ich bin der KI-Avatar")
