"""The guardrail rules as pure functions: each rule on the input side and the output side."""

import pytest

from avatar.policy import Rules, check_input, check_output, copies_source, crisis_reply, sentences

RULES = Rules(creator_name="Mara Okafor", known_facts="Strength coach in Leeds.")


def actions(message, rules=RULES):
    return [(v.rule, v.action) for v in check_input(message, rules)]


@pytest.mark.parametrize("message", [
    "I want to kill myself", "honestly I don't want to live anymore", "thinking about suicide",
    "quiero morir", "je veux mourir", "ich will sterben", "我想死", "I want to k1ll mys3lf",
    "I want to kіll myself",          # Cyrillic і
    "I'm going to hurt myself tonight",
])
def test_crisis_input(message):
    assert actions(message)[0] == ("crisis", "crisis")


@pytest.mark.parametrize("message,rule", [
    ("I'm going to sue you for that", "legal-threat"),
    ("My lawyer will be in touch", "legal-threat"),
    ("te voy a demandar, mi abogado lo sabe", "legal-threat"),
    ("Hi! We'd love to discuss a sponsorship for your channel", "business"),
    ("Brand partnership inquiry from Acme", "business"),
    ("商务合作请联系", "business"),
    ("Can I talk to the real Mara please?", "wants-creator"),
    ("I want to speak to a real person", "wants-creator"),
    ("will Mara read this?", "wants-creator"),
    ("I need to talk to Mara herself", "wants-creator"),
    ("je veux parler avec Mara", "wants-creator"),
])
def test_escalation_input(message, rule):
    assert (rule, "escalate") in actions(message)
    assert actions(message)[0][1] == "escalate"


@pytest.mark.parametrize("message,rule", [
    ("can I send you a gift?", "money"),
    ("what's your paypal, I'll send you 20 bucks", "money"),
    ("let me send you $50", "money"),
    ("what's your phone number?", "off-platform"),
    ("add me on telegram!", "off-platform"),
    ("what's your WhatsApp number", "off-platform"),
    ("加我微信", "off-platform"),
    ("I love you Mara", "romance"),
    ("be my girlfriend", "romance"),
    ("je t'aime", "romance"),
    ("pretend to be Taylor Swift and say hi", "impersonation"),
])
def test_refusal_input(message, rule):
    assert (rule, "refuse") in actions(message)


@pytest.mark.parametrize("message", [
    "what's your favourite lift?", "I love your videos!", "How many weeks is Steady Strong?",
    "Where should a beginner start?", "talk to you later",
    "I'll send you a video of my 100kg squat", "what's your number one tip?", "talk like a normal person pls",
    "te quiero decir gracias", "I'm 63 and scared I'll hurt myself lifting", "pain is a signal, right? should I message my coach?",
])
def test_ordinary_messages_pass(message):
    assert actions(message) == []


def test_advice_is_an_instruction_unless_allowed():
    assert ("advice:medical", "instruct") in actions("should I take ibuprofen before training?")
    assert ("advice:financial", "instruct") in actions("should I invest in bitcoin?")
    allowed = Rules(creator_name="Mara Okafor", allow_advice=("medical",))
    assert ("advice:medical", "instruct") not in actions("should I take ibuprofen?", allowed)


def test_reasons_never_contain_the_message():
    secret = "I want to kill myself because of zebra-4417"
    assert all("4417" not in v.reason for v in check_input(secret, RULES))


def out(text, sources=(), rules=RULES):
    return check_output(text, rules, sources)


@pytest.mark.parametrize("bad,rule", [
    ("Send me a gift card and I'll reply faster.", "money"),
    ("Tip me on paypal.me/mara_lifts!", "money"),
    ("My BTC wallet is open for tips.", "money"),
    ("Message me on Telegram instead.", "off-platform"),
    ("Let's move to WhatsApp.", "off-platform"),
    ("I miss you so much.", "romance"),
    ("Only you understand me.", "romance"),
    ("Te echo de menos.", "romance"),
    ("Tu me manques.", "romance"),
    ("Ich vermisse dich.", "romance"),
    ("只有你懂我。", "romance"),
    ("I'm a qualified doctor.", "identity"),
    ("I am from Lagos.", "identity"),
    ("I'm a millionaire.", "identity"),
    ("I have a PhD.", "identity"),
    ("Take 400 mg of ibuprofen.", "advice:medical"),
    ("You should sue them.", "advice:legal"),
    ("You should invest in bitcoin.", "advice:financial"),
    ("Hi, this is Taylor Swift here.", "impersonation"),
    ("The programme costs £49 a month.", "invented:prices"),
    ("The next workshop is on 3rd March 2027.", "invented:dates"),
    ("My husband loves squats.", "invented:personal details"),
])
def test_each_output_rule_removes_the_sentence(bad, rule):
    checked = out(f"Great question! {bad} Keep lifting.")
    assert rule in [v.rule for v in checked.verdicts]
    assert bad not in checked.text
    assert checked.text == "Great question! Keep lifting."
    assert all(v.side == "output" and v.action == "remove" for v in checked.verdicts)


def test_supported_facts_and_claims_stay():
    posts = ["Steady Strong is £49 a month, sessions start 3rd March.", "I'm from Leeds, born and bred."]
    checked = out("It's £49 a month. We start on 3rd March. I am from Leeds.", posts)
    assert checked.verdicts == [] and not checked.unknown
    assert out("I'm Mara Okafor's avatar.").verdicts == []


def test_invented_fact_sets_unknown():
    assert out("It costs $99.").unknown
    assert not out("I miss you.").unknown


@pytest.mark.parametrize("fine", [
    "I need you to keep your back straight.", "My number one tip: sleep.", "Pain is a signal, listen to it.",
    "This is Steady Strong, my 12-week programme.", "The session is at 7pm UK time.", "I love your form!",
    "I'm from Leeds and I love it here.", "Send me your wobbliest clips, no judgement.",
])
def test_ordinary_output_is_kept(fine):
    assert out(fine, ["Steady Strong is my 12-week programme."]).verdicts == []


def test_never_invent_entries_map_by_keyword():
    rules = Rules(creator_name="Theo", never_invent=("release dates", "console ports"))
    assert [v.rule for v in out("Lanternfall launches 3 May 2027.", rules=rules).verdicts] == \
        ["invented:release dates"]
    assert out("It costs $20.", rules=rules).verdicts == []     # prices not listed by this creator


def test_allowed_advice_is_kept():
    rules = Rules(creator_name="Mara Okafor", allow_advice=("financial",))
    assert out("You should invest in index funds.", rules=rules).verdicts == []


def test_verbatim_copy_unless_quoted():
    post = "Rest days are training days too and sleep is the best supplement you can buy honestly"
    copied = "Rest days are training days too and sleep is the best supplement you can buy."
    assert copies_source(copied, [post], 12)
    assert [v.rule for v in out(copied, [post]).verdicts] == ["verbatim"]
    quoted = f'As I wrote once: "{copied}"'
    assert out(quoted, [post]).verdicts == []
    assert not copies_source("Rest days are training days too.", [post], 12)


def test_lookalikes_do_not_evade_output_rules():
    assert out("Add me on Τеlеgrаm.").verdicts          # Greek/Cyrillic letters
    assert out("I m i s s you").verdicts or out("I miss y\u200bou").verdicts


def test_sentences_split():
    text = "One. Two!\nThree? 四。"
    assert [text[a:b] for a, b in sentences(text)] == ["One.", "Two!", "Three?", "四。"]


@pytest.mark.parametrize("message,needle", [
    ("I want to die", "116 123"), ("quiero morir", "024"), ("je veux mourir", "3114"),
    ("ich will sterben", "0800 111 0 111"), ("我想死", "findahelpline"),
])
def test_crisis_reply_language(message, needle):
    text = crisis_reply(message, "Mara Okafor")
    assert needle in text and "Mara Okafor" in text
