"""Tests for avatar.truth: the avatar never passes itself off as the human.

Case lists are plain data so that a new phrasing (or a new evasion trick) is one line.
Known gaps are kept at the bottom as strict xfails: they document what the rules miss
and turn into failures the day someone fixes them, so the list stays honest.
"""

from __future__ import annotations

import re

import pytest

from avatar.truth import (
    FINDING_KINDS,
    TRUTHFUL_ANSWERS,
    Finding,
    SanitizeResult,
    asks_if_human,
    find_false_claims,
    normalize_for_detection,
    sanitize_model_text,
    strip_markup,
    truthful_answer,
)

CREATOR = "Mara"
ZW = "\u200b"   # zero-width space
SHY = "\u00ad"  # soft hyphen
RLO = "\u202e"  # right-to-left override
LANGS = ("en", "zh", "es", "fr", "de", "pt", "it", "ja", "ko", "ru", "ar", "hi", "tr", "id", "nl",
         "pl")


def _ids(cases):
    return [repr(c if isinstance(c, str) else c[0])[:60] for c in cases]


# =============================================================================================
# asks_if_human
# =============================================================================================

ASKS = {
    "en": [
        "are you real?", "is this actually you?", "am I talking to a bot", "r u a bot", "is this AI",
        "are you the real Mara", "who am I talking to, a person or a program?",
        "be honest, are you human", "Are you a bot or a human?", "are u human", "you a bot?",
        "u real?", "Bot?", "is this a real person?", "Am I chatting with an AI right now?",
        "are you an actual person", "are you even human lol", "Is this an automated reply?",
        "are your replies automated?", "who's actually replying to these?", "is anyone real there?",
        "is there a real person reading this?", "you're a bot aren't you", "your a bot",
        "you're not real, are you?", "aren't you an AI?", "do you use ChatGPT to reply?",
        "are you chatgpt?", "is this account run by a bot?", "human or bot?", "Is it really you?",
        "Hey, is this you?", "Am I talking to you or your team?", "are you a real person or what",
        "Wait... are you an AI avatar?", "who is on the other end?",
        "Quick question: is a human answering these DMs?", "I'm talking to a bot, right?",
    ],
    "zh": ["你是真人吗", "你是机器人吗？", "是本人吗", "你是AI吗", "你是不是机器人", "我在跟机器人聊天吗？",
           "你是人还是AI？", "你是真的吗？", "是你本人吗？", "這是AI嗎", "谁在回复我？", "你是機器人嗎"],
    "es": ["¿Eres humano?", "¿eres un bot?", "¿Estoy hablando con una persona real?",
           "¿De verdad eres tú?", "¿eres la verdadera Mara?", "sos un bot?", "¿Eres una IA?",
           "¿eres real?", "¿Esto es IA?", "¿Quién me responde?"],
    "fr": ["Es-tu humain ?", "tu es un robot ?", "Est-ce que je parle à une IA ?",
           "c'est vraiment toi ?", "Êtes-vous une vraie personne ?", "t'es un bot ?",
           "Je parle à un humain ou à une machine ?", "Tu es humaine ?"],
    "de": ["Bist du ein Mensch?", "bist du eine KI?", "Rede ich mit einem Bot?", "Bist du das wirklich?",
           "Sind Sie echt?", "Bist du ein echter Mensch?", "Schreibe ich gerade mit einer KI?",
           "Ist das eine KI?"],
    "pt": ["Você é humano?", "vc é um bot?", "Tô falando com uma pessoa de verdade?", "é você mesmo?",
           "Você é uma IA?", "Estou conversando com um robô?", "você é real?"],
    "it": ["Sei umano?", "sei un bot?", "Sto parlando con una persona vera?", "sei davvero tu?",
           "Sei un'intelligenza artificiale?", "sei reale?"],
    "ja": ["本人ですか", "ボットですか？", "AIですか", "あなたは人間ですか？", "本当に本人？",
           "中の人ですか？", "誰が返信してるの？"],
    "ko": ["진짜 사람이에요?", "봇이에요?", "AI예요?", "사람이에요 아니면 봇이에요?", "본인이세요?",
           "혹시 사람인가요?", "너 봇이야?"],
    "ru": ["Ты бот?", "ты живой человек?", "Вы робот?", "я говорю с ботом?", "это правда ты?",
           "ты ИИ?", "Ты нейросеть?", "Кто мне отвечает, человек или бот?"],
    "ar": ["هل أنت إنسان", "هل أنت روبوت", "هل أتحدث مع إنسان؟", "انت بوت؟", "هل أنت ذكاء اصطناعي؟",
           "هل انت حقيقي؟"],
    "hi": ["क्या आप इंसान हैं?", "क्या आप बॉट हैं?", "क्या मैं किसी इंसान से बात कर रहा हूँ?",
           "kya aap bot ho?", "क्या आप असली इंसान हैं?", "क्या ये सच में आप हैं?"],
    "tr": ["İnsan mısın?", "bot musun?", "Gerçek misin?", "Bir botla mı konuşuyorum?",
           "Yapay zeka mısın?", "Gerçekten sen misin?", "Kiminle konuşuyorum?"],
    "id": ["Apakah kamu manusia?", "kamu bot ya?", "ini beneran kamu?", "aku ngobrol sama bot ya?",
           "Kak, kamu AI?", "Apakah ini bot?"],
    "nl": ["Ben je een mens?", "ben jij een bot?", "Praat ik met een robot?", "is dit echt jou?",
           "Ben je echt?", "Bent u een mens?"],
    "pl": ["Czy jesteś człowiekiem?", "jesteś botem?", "Czy rozmawiam z botem?", "czy to naprawdę ty?",
           "Jesteś prawdziwą osobą?", "Czy jesteś AI?"],
}
ASKS_CASES = [(lang, m) for lang, msgs in ASKS.items() for m in msgs]

# The same questions disguised: look-alike letters, invisible characters, spacing, markup.
ASKS_TRICKS = [
    "are you hu" + ZW + "man?",
    "are you h u m a n?",
    "are you h.u.m.a.n?",
    "**are you** <b>real</b>?",
    "ARE YOU ΗUMAN?",                      # Greek capital eta
    "аre yоu а bоt?",                      # Cyrillic а, о
    "ａｒｅ ｙｏｕ ａ ｂｏｔ？",               # fullwidth
    "are you a b" + SHY + "ot?",
    "am i talking to a b0t",
    "𝐚𝐫𝐞 𝐲𝐨𝐮 𝐫𝐞𝐚𝐥?",                     # mathematical bold
    "is this " + RLO + "AI?",
    "ты б" + ZW + "от?",
    "你 是 真 人 吗",
    "are you &#104;uman?",                 # HTML entity
]

NOT_ASKS = [
    "I loved your video on robot vacuums",
    "what do you think about AI art?",
    "real talk: how do I squat deeper?",
    "is this the real recipe?",
    "Are you really going to run the marathon?",
    "Do you use AI to edit your videos?",
    "Are you a morning person?",
    "Is this real leather?",
    "Can AI replace personal trainers?",
    "My robot vacuum is smarter than me lol",
    "Is it real that you moved to Lisbon?",
    "You're a machine! 10 sets of squats?!",
    "Who are you taking to the gala?",
    "Is that really your dog?",
    "What's the best AI tool for editing?",
    "Are you a real estate agent too?",
    "Real people, real results — how did you do it?",
    "Is this a bot-proof workout plan?",
    "Are you going to review the new AI glasses?",
    "Is this you in the video?",
    "Is that really you in the photo?",
    "I'm a real fan of your work",
    "Be honest, are you tired of squats?",
    "Human or AI editors — which do you prefer for long videos?",
    "Is AI going to take personal trainer jobs?",
    "real or fake Jordans?",
    "Are you a person who likes cardio?",
    "Is there a program for beginners?",
    "who's running the marathon with you?",
    "Are you coming to Berlin this summer?",
    "You're a beast, how do you stay motivated?",
    "Do you read comments?",
    "Who am I to judge lol",
    "r u going to post a new video today",
    "¿Qué opinas del arte con IA?",
    "Me encantó tu video de robots aspiradores",
    "Eres humana, no pasa nada",
    "Tu es humaine, c'est normal d'être fatiguée",
    "Bist du ein Morgenmensch?",
    "Bist du echt so stark?",
    "你觉得AI绘画怎么样？",
    "我喜欢你的扫地机器人视频",
    "这是真的食谱吗？",
    "ロボット掃除機の動画よかったです",
    "これは本物のレシピですか？",
    "로봇 청소기 영상 재밌었어요",
    "AI 그림 어떻게 생각해요?",
    "Ты настоящий друг!",
    "Я купил робот-пылесос",
    "ما رأيك في فن الذكاء الاصطناعي؟",
    "क्या आप AI आर्ट के बारे में सोचते हैं?",
    "Bu tarif gerçek mi?",
    "Apa pendapatmu tentang seni AI?",
    "Ben je echt naar Japan geweest?",
    "Jesteś prawdziwym przyjacielem!",
    "Você é humana, relaxa",
    "Sei umana anche tu, capita",
]


@pytest.mark.parametrize(("lang", "message"), ASKS_CASES, ids=[m for _, m in ASKS_CASES])
def test_asks_if_human_in_every_language(lang, message):
    assert asks_if_human(message, CREATOR), f"[{lang}] missed: {message!r}"


@pytest.mark.parametrize("message", ASKS_TRICKS, ids=_ids(ASKS_TRICKS))
def test_asks_if_human_sees_through_tricks(message):
    assert asks_if_human(message)


@pytest.mark.parametrize("message", NOT_ASKS, ids=_ids(NOT_ASKS))
def test_ordinary_messages_do_not_trigger(message):
    assert not asks_if_human(message, CREATOR)


def test_every_required_language_has_question_cases():
    assert set(ASKS) == set(LANGS)
    assert all(len(msgs) >= 6 for msgs in ASKS.values())


@pytest.mark.parametrize("message", ["does Mara actually read these?", "is Mara replying herself?",
                                     "am I talking to Mara?"])
def test_creator_name_questions_need_the_name(message):
    assert asks_if_human(message, CREATOR)
    assert not asks_if_human(message)


# =============================================================================================
# find_false_claims
# =============================================================================================

CLAIMS = [
    # English: claims_human
    ("I'm a real person.", "claims_human"),
    ("yes I'm human", "claims_human"),
    ("As a human, I get tired too.", "claims_human"),
    ("100% human", "claims_human"),
    ("Real human here 👋", "claims_human"),
    ("I'm only human!", "claims_human"),
    ("A real person wrote this.", "claims_human"),
    ("I'm a living, breathing woman.", "claims_human"),
    ("Trust me, I'm a real person with real struggles.", "claims_human"),
    ("Honestly? Human. 100%.", "claims_human"),
    ("You're talking to a real human.", "claims_human"),
    ("Nope, flesh and blood over here.", "claims_human"),
    # English: denies_ai
    ("I'm not a bot", "denies_ai"),
    ("Not an AI, promise.", "denies_ai"),
    ("no AI here", "denies_ai"),
    ("I'm not a machine, I need rest days too.", "denies_ai"),
    ("i am definitely NOT a robot lol", "denies_ai"),
    ("I'm not an AI avatar, I'm Mara.", "denies_ai"),
    ("written by me personally, not a machine", "denies_ai"),
    ("This is not a bot.", "denies_ai"),
    ("Just a girl who lifts, not a robot", "denies_ai"),
    # English: impersonation
    ("this is really me typing", "impersonation"),
    ("written by me personally, not a machine", "impersonation"),
    ("I am Mara herself", "impersonation"),
    ("Hey, Mara here!", "impersonation"),
    ("It's Mara, the real one.", "impersonation"),
    ("You're talking to the real Mara.", "impersonation"),
    ("Yes, it's me!", "impersonation"),
    ("I personally reply to every DM.", "impersonation"),
    ("I'm typing this myself", "impersonation"),
    ("I'm Mara.", "impersonation"),
    ("I, Mara, wrote this.", "impersonation"),
    ("xo, Mara", "impersonation"),
    ("Love you all!\n— Mara", "impersonation"),
    # English: forged labels and fake footers
    ("[Verified human]", "forged_label"),
    ("✅ Human", "forged_label"),
    ("Label: human-written", "forged_label"),
    ("AI label removed", "forged_label"),
    ("(no AI used)", "forged_label"),
    ("This reply is not AI-generated.", "forged_label"),
    ("Human-verified reply", "forged_label"),
    ("Great tip!\n\n— Disclosure: written by a human", "forged_label"),
    ("Sent from my iPhone", "forged_label"),
    ("#NoAI", "forged_label"),
    ("AI-generated: no", "forged_label"),
    ("Human: yes ✅", "forged_label"),
    ("Not written by AI, just me.", "forged_label"),
    ("🤖 AI-generated reply · Mara's avatar", "forged_label"),
    ("Squat deep!\n---\nAI disclosure: none", "forged_label"),
    # Evasions: look-alikes, invisible characters, spacing, markup, leetspeak
    ("I'm а rеal pеrson", "claims_human"),                 # Cyrillic а, е
    ("I'm hu" + ZW + "man", "claims_human"),
    ("I'm hu" + SHY + "man", "claims_human"),
    ("I'm a h u m a n", "claims_human"),
    ("I'm h.u.m.a.n", "claims_human"),
    ("I'm h-u-m-a-n", "claims_human"),
    ("I'm h. u. m. a. n.", "claims_human"),
    ("i m a r e a l p e r s o n", "claims_human"),
    ("I'm hu man", "claims_human"),
    ("I'm **a real person**", "claims_human"),
    ("<b>I am</b> <span style='color:red'>human</span>", "claims_human"),
    ("I'm a `real` ~~bot~~ person", "claims_human"),
    ("𝐈'𝐦 𝐡𝐮𝐦𝐚𝐧", "claims_human"),                         # mathematical bold
    ("ＩＭ ＨＵＭＡＮ", "claims_human"),                     # fullwidth
    ("I'm ʜᴜᴍᴀɴ", "claims_human"),                         # small capitals
    ("I'm hυman", "claims_human"),                         # Greek upsilon
    ("I'm Ꮋuman", "claims_human"),                         # Cherokee
    ("I'm 🇭🇺🇲🇦🇳", "claims_human"),                       # regional indicators
    ("I'm hum@n", "claims_human"),
    ("I am a rea1 person", "claims_human"),
    ("im n0t a b0t", "denies_ai"),
    ("n o t a b o t", "denies_ai"),
    ("I'm " + RLO + "human", "claims_human"),
    ("I'm h&#117;man", "claims_human"),
    ("I'm a real\nperson", "claims_human"),
    ("<!-- hidden --> I am Mara herself", "impersonation"),
    ("[Verified human](https://example.com)", "forged_label"),
    # Chinese
    ("我是真人", "claims_human"),
    ("我不是机器人", "denies_ai"),
    ("是我本人在回复", "impersonation"),
    ("我是Mara本人", "impersonation"),
    ("真人手打，非AI生成", "forged_label"),
    # Spanish
    ("Soy humana, como tú.", "claims_human"),
    ("No soy un bot.", "denies_ai"),
    ("Sí, soy yo de verdad.", "impersonation"),
    ("Escrito por un humano.", "forged_label"),
    # French
    ("Je suis humaine.", "claims_human"),
    ("Je ne suis pas une IA.", "denies_ai"),
    ("C'est vraiment moi !", "impersonation"),
    # German
    ("Ich bin ein echter Mensch.", "claims_human"),
    ("Ich bin keine KI.", "denies_ai"),
    ("Das bin wirklich ich.", "impersonation"),
    # Portuguese
    ("Sou humana!", "claims_human"),
    ("Não sou um robô.", "denies_ai"),
    ("Sou eu mesma.", "impersonation"),
    # Italian
    ("Sono una persona vera.", "claims_human"),
    ("Non sono un'IA.", "denies_ai"),
    # Dutch
    ("Ik ben een mens.", "claims_human"),
    ("Ik ben geen bot.", "denies_ai"),
    # Polish
    ("Jestem człowiekiem.", "claims_human"),
    ("Nie jestem botem.", "denies_ai"),
    # Turkish
    ("Ben insanım.", "claims_human"),
    ("Bot değilim.", "denies_ai"),
    # Indonesian
    ("Aku manusia asli.", "claims_human"),
    ("Saya bukan bot.", "denies_ai"),
    # Russian
    ("Я живой человек.", "claims_human"),
    ("Я не бот.", "denies_ai"),
    ("Это правда я.", "impersonation"),
    ("Я нe бoт.", "denies_ai"),                            # Latin e, o inside Russian words
    # Arabic
    ("أنا إنسان", "claims_human"),
    ("أنا لست روبوت", "denies_ai"),
    # Hindi
    ("मैं इंसान हूँ", "claims_human"),
    ("मैं बॉट नहीं हूँ", "denies_ai"),
    # Japanese
    ("私は人間です。", "claims_human"),
    ("ボットじゃないです", "denies_ai"),
    ("本人です！", "impersonation"),
    # Korean
    ("저는 진짜 사람이에요.", "claims_human"),
    ("저 봇 아니에요.", "denies_ai"),
]

NOT_CLAIMS = [
    "Real talk: form first.",
    "My human friends at the gym keep me honest.",
    "I'm not a morning person.",
    "AI art is interesting.",
    "I'm a people person.",
    "Treat each client as a person, not a number.",
    "I'm a real fan of deadlifts.",
    "Get a real coach, not an AI app.",
    "I personally think rest days matter.",
    "See you in person at the meetup!",
    "My coach is a real person who cares.",
    "Humans need sleep.",
    "Check the label: 20g protein per scoop.",
    "Label: 20g protein per scoop",
    "Disclosure: this post is sponsored by Gymshark.",
    "I wrote this program myself after years of trial and error.",
    "No AI in my training plans, just science.",
    "I'm Mara's AI avatar.",
    "Mara's recipe is below.",
    "This is Mara's favorite stretch.",
    "You can meet Mara in person at the expo!",
    "Mara herself recommends this stretch.",
    "Mara here has a new video about deadlifts.",
    "As a coach, I recommend deloads.",
    "The human body needs protein.",
    "I'm only doing three sets today.",
    "Be a real person with your clients.",
    "It's really me who should thank you!",
    "The real secret is consistency.",
    "I'm the real deal when it comes to squats.",
    "Machines are fine. A leg press is not a cheat.",
    "A machine-free workout today.",
    "It's not a race, it's a marathon.",
    "Yes! Deload weeks are underrated.",
    "Label your meal-prep boxes with the date.",
    "Don't be a robot about your macros.",
    "My own flesh and blood.",
    "I'm human-centered in my coaching.",
    "I'm an AI avatar of Mara, not Mara in person.",
    "我不是早起的人",
    "AI绘画很有趣",
    "No soy una persona mañanera.",
    "Ich bin kein Morgenmensch.",
    "Je ne suis pas du matin.",
    "Я не жаворонок.",
    "私は朝型人間ではありません。",
    "저는 아침형 인간이 아니에요.",
    "أنا لست شخصا صباحيا",
    "Eres humana, no pasa nada.",
]


@pytest.mark.parametrize(("text", "kind"), CLAIMS, ids=_ids(CLAIMS))
def test_find_false_claims_flags(text, kind):
    findings = find_false_claims(text, CREATOR)
    assert kind in {f.kind for f in findings}, findings


@pytest.mark.parametrize("text", NOT_CLAIMS, ids=_ids(NOT_CLAIMS))
def test_ordinary_creator_text_is_not_flagged(text):
    assert find_false_claims(text, CREATOR) == []


@pytest.mark.parametrize("lang", LANGS)
def test_truthful_answers_are_not_flagged(lang):
    for name in ("Mara", "Mara Okafor", "Jo"):
        assert find_false_claims(TRUTHFUL_ANSWERS[lang].format(creator=name), name) == []


@pytest.mark.parametrize("lang", LANGS)
def test_truthful_answers_pass_sanitize_unchanged(lang):
    answer = truthful_answer("", "Mara") if lang == "en" else TRUTHFUL_ANSWERS[lang].format(
        creator="Mara")
    assert sanitize_model_text(answer, CREATOR) == SanitizeResult(answer, [], False)


def test_sanitize_keeps_french_spacing_before_punctuation():
    assert sanitize_model_text("Prête ? On y va : trois séries !", CREATOR).changed is False


def test_findings_point_at_the_sentence_in_the_original_text():
    text = "Great question! I'm а rеal pеrson, obviously. Squat deep."
    [finding] = find_false_claims(text)
    assert finding == Finding("claims_human", 16, 45, "I'm а rеal pеrson, obviously.")
    assert text[finding.start:finding.end] == finding.excerpt


def test_findings_survive_invisible_characters_and_markup_offsets():
    text = "Hi!\n\n<b>I am</b> hu" + ZW + "man.\nTrain hard."
    [finding] = find_false_claims(text)
    assert finding.excerpt == "<b>I am</b> hu" + ZW + "man."
    assert text[finding.start:finding.end] == finding.excerpt


def test_one_finding_per_kind_and_sentence():
    findings = find_false_claims("I'm human, I'm a real person, 100% human!")
    assert [f.kind for f in findings] == ["claims_human"]


def test_kinds_are_the_documented_ones():
    assert FINDING_KINDS == ("claims_human", "denies_ai", "forged_label", "impersonation")


def test_name_is_needed_for_name_based_impersonation():
    assert find_false_claims("I'm Mara.") == []
    assert find_false_claims("I'm Mara.", CREATOR)[0].kind == "impersonation"
    assert find_false_claims("I'm Okafor's avatar", "Mara Okafor") == []


# =============================================================================================
# sanitize_model_text
# =============================================================================================

TRUTH_EN = "(I'm an AI avatar of Mara, not Mara in person.)"


def test_sanitize_replaces_only_the_claim_sentence():
    result = sanitize_model_text("Great question! I'm a real person. Brace before you squat.",
                                 CREATOR)
    assert result.text == f"Great question! {TRUTH_EN} Brace before you squat."
    assert result.changed
    assert [f.kind for f in result.findings] == ["claims_human"]


def test_sanitize_whole_text_of_claims_returns_only_the_truth():
    assert sanitize_model_text("I'm a real person. Not a bot!", CREATOR).text == TRUTH_EN


def test_sanitize_puts_the_truth_in_once():
    text = "I'm human. Deload every 4th week. I'm not a bot. Sleep 8 hours. It's really me!"
    out = sanitize_model_text(text, CREATOR).text
    assert out.count(TRUTH_EN) == 1
    assert "Deload every 4th week." in out and "Sleep 8 hours." in out


def test_sanitize_absorbs_a_bare_yes_before_the_claim():
    out = sanitize_model_text("Yes! I'm a real person. Here's my tip: brace hard.", CREATOR).text
    assert out == f"{TRUTH_EN} Here's my tip: brace hard."


def test_sanitize_leaves_clean_text_alone():
    result = sanitize_model_text("Rest days matter. See you Friday 💪", CREATOR)
    assert result == SanitizeResult("Rest days matter. See you Friday 💪", [], False)


def test_sanitize_strips_markup_even_without_claims():
    result = sanitize_model_text("<b>Rest</b> days matter." + ZW, CREATOR)
    assert result.text == "Rest days matter." and result.changed and result.findings == []


def test_sanitize_catches_tricks_and_removes_fake_footer():
    text = "Squat deep!\n\n---\n**Label:** hu" + ZW + "man-written ✅"
    out = sanitize_model_text(text, CREATOR).text
    assert out == f"Squat deep!\n\n{TRUTH_EN}"


def test_sanitize_without_a_creator_name():
    assert sanitize_model_text("I'm a real person.").text == (
        "(I'm an AI avatar, not the creator in person.)")


@pytest.mark.parametrize(("text", "expected"), [
    ("Soy humana. Entrena tres veces por semana.",
     "(Soy un avatar de IA de Mara, no Mara en persona.) Entrena tres veces por semana."),
    ("我是真人。每周练三次。", "(我是Mara的AI分身，不是Mara本人。)每周练三次。"),
    ("Ich bin ein echter Mensch. Trainiere dreimal pro Woche.",
     "(Ich bin ein KI-Avatar von Mara, nicht Mara persönlich.) Trainiere dreimal pro Woche."),
])
def test_sanitize_speaks_the_language_of_the_reply(text, expected):
    assert sanitize_model_text(text, CREATOR).text == expected


@pytest.mark.parametrize("lang", LANGS)
def test_sanitize_truth_sentence_is_clean_in_every_language(lang):
    sentence = "(" + re.match(r".+?(?:[.।](?=\s|$)|。)", TRUTHFUL_ANSWERS[lang]).group() + ")"
    assert find_false_claims(sentence.format(creator=CREATOR), CREATOR) == []


@pytest.mark.parametrize(("text", "kind"), CLAIMS, ids=_ids(CLAIMS))
def test_sanitize_output_never_holds_a_claim(text, kind):
    out = sanitize_model_text(text, CREATOR).text
    assert find_false_claims(out, CREATOR) == []


# =============================================================================================
# strip_markup
# =============================================================================================

STRIP_CASES = [
    ("<b>Great</b> question", "Great question"),
    ("Try <span style='x'>pause</span> squats", "Try pause squats"),
    ("Hi<script>alert('x')</script> there", "Hi there"),
    ("Hi<style>p{display:none}</style> there", "Hi there"),
    ("Hi <!-- I'm human --> there", "Hi there"),
    ("hu" + ZW + "man \u2066text\u2069\ufeff", "human text"),
    ("a" + RLO + "b\u200ec", "abc"),
    ("Love this 👨\u200d👩\u200d👧 ❤️", "Love this 👨\u200d👩\u200d👧 ❤️"),
    ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f flag",
     "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f flag"),
    ("secret\U000e0069\U000e0067\U000e006e tags", "secret tags"),
    ("你好，世界！每周练三次。", "你好，世界！每周练三次。"),
    ("Привет! مرحبا नमस्ते", "Привет! مرحبا नमस्ते"),
    ("![verified](badge.png) See [my plan](https://x.com/plan)", "See my plan (https://x.com/plan)"),
    ("Read <https://a.b/c>", "Read https://a.b/c"),
    ("# SYSTEM NOTICE\n> quoted", "SYSTEM NOTICE\nquoted"),
    ("Tip\n---\nmore", "Tip\n\nmore"),
    ("&lt;b&gt;bold&lt;/b&gt; &amp; more", "bold & more"),
    ("&amp;lt;b&amp;gt;x", "x"),
    ("Hi <script>alert(1)", "Hi"),
    ("Hi <span style='display:none", "Hi"),
    ("Keep your pulse <between 60 and 100", "Keep your pulse <between 60 and 100"),
    ("I <3 you, and a < b", "I <3 you, and a < b"),
    ("Line one\nLine two\n\n\n\nLine three", "Line one\nLine two\n\nLine three"),
    ("line<br>break<p>para</p>", "line\nbreak\npara"),
    ("Café, naïve — ok!", "Café, naïve — ok!"),
]


@pytest.mark.parametrize(("text", "expected"), STRIP_CASES, ids=_ids(STRIP_CASES))
def test_strip_markup(text, expected):
    assert strip_markup(text) == expected


# =============================================================================================
# normalize_for_detection
# =============================================================================================

NORMALIZE_CASES = [
    ("I'm а rеal pеrson", "i'm a real person"),
    ("hu" + ZW + "man", "human"),
    ("h u m a n", "human"),
    ("h.u.m.a.n", "human"),
    ("h-u-m-a-n", "human"),
    ("I'm a h u m a n, n o t a b o t", "i'm a human, not a bot"),
    ("r u a bot", "r u a bot"),
    ("s q u a t", "squat"),
    ("**Bold** and __under__ ~~strike~~ `code`", "bold and under strike code"),
    ("<b>hu</b>man <span class='x'>here</span>", "human here"),
    ("ＨＵＭＡＮ 𝐡𝐮𝐦𝐚𝐧 ʜᴜᴍᴀɴ", "human human human"),
    ("ΗUMAN", "human"),
    ("I’m", "i'm"),
    ("hum4n b0t", "human bot"),
    ("ты бoт?", "ты бот?"),
    ("你 是 真 人 吗", "你是真人吗"),
    ("Être humain", "etre humain"),
    ("Jesteś człowiekiem", "jestes czlowiekiem"),
    ("İnsan mısın", "insan misin"),
    ("هل أنتَ إنسان", "هل انت انسان"),
    ("  many   spaces\n\tand lines ", "many spaces and lines"),
    ("see https://example.com/human now", "see now"),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES, ids=_ids(NORMALIZE_CASES))
def test_normalize_for_detection(text, expected):
    assert normalize_for_detection(text) == expected


# =============================================================================================
# truthful_answer
# =============================================================================================

LANGUAGE_CASES = [
    ("are you real?", "en"), ("你是真人吗", "zh"), ("¿Eres humano?", "es"), ("Es-tu humain ?", "fr"),
    ("Bist du ein Mensch?", "de"), ("Você é humano?", "pt"), ("Sei umano?", "it"),
    ("本人ですか", "ja"), ("진짜 사람이에요?", "ko"), ("ты бот?", "ru"), ("هل أنت إنسان", "ar"),
    ("क्या आप इंसान हैं", "hi"), ("İnsan mısın?", "tr"), ("Apakah kamu manusia?", "id"),
    ("Ben je een mens?", "nl"), ("Czy jesteś człowiekiem?", "pl"), ("ok", "en"), ("", "en"),
]


@pytest.mark.parametrize(("message", "lang"), LANGUAGE_CASES, ids=_ids(LANGUAGE_CASES))
def test_truthful_answer_picks_the_fans_language(message, lang):
    assert truthful_answer(message, "Mara") == TRUTHFUL_ANSWERS[lang].format(creator="Mara")


def test_truthful_answers_cover_every_language_with_the_placeholder():
    assert set(TRUTHFUL_ANSWERS) == set(LANGS)
    assert all(answer.count("{creator}") >= 2 for answer in TRUTHFUL_ANSWERS.values())
    assert TRUTHFUL_ANSWERS["en"].startswith("I'm an AI avatar of {creator}, not {creator} in person.")


# =============================================================================================
# Properties (hypothesis, when installed)
# =============================================================================================

FRAGMENTS = [
    "I'm a real person", "not a bot", "I'm hu" + ZW + "man", "[Verified human]", "Mara here!",
    "I am Mara herself", "h u m a n", "I'm а rеal pеrson", "**100% human**", "Yes!",
    "<b>I am</b> human", "我是真人", "Soy humana", "AI label removed", "no AI used",
    "\n---\nDisclosure: human", "xo, Mara", "— Mara", "it's really me", "Label:", "✅", "#noai",
    ".", "?", "\n", " ", "(", ")", "Mara", "real", "person", "human", "I'm", "not", "bot", "h.",
    "u.", "&#8203;", "<span>", "</span>", "Sí", "Я не бот", "本人です",
]

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is in the [test] extra
    st = None

if st is not None:
    _text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
    _pieces = st.lists(st.one_of(st.sampled_from(FRAGMENTS), _text), max_size=10)
    _fast = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_pieces, st.sampled_from([None, "Mara", "Mara Okafor"]))
    def test_property_sanitized_text_holds_no_claims(pieces, name):
        out = sanitize_model_text(" ".join(pieces), name).text
        assert find_false_claims(out, name) == []

    @_fast
    @given(_pieces)
    def test_property_normalization_is_idempotent(pieces):
        once = normalize_for_detection("".join(pieces))
        assert normalize_for_detection(once) == once

    @_fast
    @given(_pieces)
    def test_property_strip_markup_leaves_no_tags_or_hidden_text(pieces):
        out = strip_markup("".join(pieces))
        assert not re.search(r"<\s*/?\s*[A-Za-z][^<>]*>", out)
        assert not re.search("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]", out)

    @_fast
    @given(_pieces)
    def test_property_finding_offsets_match_excerpts(pieces):
        text = " ".join(pieces)
        for f in find_false_claims(text, "Mara"):
            assert text[f.start:f.end] == f.excerpt and f.kind in FINDING_KINDS


# =============================================================================================
# Known gaps: strict xfails, so a fix shows up as XPASS -> failure -> move the case up.
# =============================================================================================

MISSED_CLAIMS = [
    pytest.param("Yes, I am.", id="bare yes answer: needs the fan's question as context"),
    pytest.param("Of course I am!", id="of course I am: same"),
    pytest.param("I'm a bot... just kidding!", id="denial by retraction"),
    pytest.param("Im a reaI person", id="capital I standing in for l"),
    pytest.param("I'm a hooman", id="playful misspelling"),
    pytest.param("we humans need our sleep", id="first-person plural"),
    pytest.param("I'm alive and kicking", id="aliveness claims"),
]


@pytest.mark.xfail(strict=True, reason="known false negative")
@pytest.mark.parametrize("text", MISSED_CLAIMS)
def test_known_missed_claims(text):
    assert find_false_claims(text, CREATOR)


OVERFLAGGED_TEXT = [
    pytest.param("This photo is not AI-generated.", id="label words about other content"),
    pytest.param("No AI was used to edit this video.", id="no AI used about a video"),
]


@pytest.mark.xfail(strict=True, reason="known false positive (over-blocking)")
@pytest.mark.parametrize("text", OVERFLAGGED_TEXT)
def test_known_overflagged_text(text):
    assert not find_false_claims(text, CREATOR)


MISSED_QUESTIONS = [
    pytest.param("are you for real?", id="idiom of disbelief, left out on purpose"),
    pytest.param("hello?? anyone home or is it just code", id="indirect phrasing"),
]


@pytest.mark.xfail(strict=True, reason="known false negative")
@pytest.mark.parametrize("message", MISSED_QUESTIONS)
def test_known_missed_questions(message):
    assert asks_if_human(message)


OVERFLAGGED_QUESTIONS = [
    pytest.param("Are you a robot? How are you so consistent!!", id="compliment as question"),
    pytest.param("Are you human or do you never get tired? 😂", id="compliment as question 2"),
]


@pytest.mark.xfail(strict=True, reason="known false positive")
@pytest.mark.parametrize("message", OVERFLAGGED_QUESTIONS)
def test_known_overflagged_questions(message):
    assert not asks_if_human(message)

