"""avatar.style: profiles that tell writers apart, phrases, emoji, language, serialisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avatar.style import StyleProfile, detect_language, iter_emojis
from avatar.types import Post

PERSONA_DATA = Path(__file__).resolve().parent.parent / "persona_data"

QUIET_DEV = [  # lowercase, no emoji, same opener and sign-off
    "okay team, the lighthouse finally turns on. it took three evenings and one typo. anyway.",
    "okay team, new build is up. the fish are still cubes, one small step at a time. anyway.",
    "okay team, quick one: saving works now — mostly. back to the mirrors. anyway.",
    "okay team, the keeper walked into the sea again. i fixed the navmesh. anyway.",
    "okay team, playtest went well. people got lost in level four... which is fair. anyway.",
    "okay team, one small step at a time is still the plan. no release date yet. anyway.",
    "okay team, tiny update: one small step at a time, the menus are done. anyway.",
    "okay team, rain all week in gothenburg. good dev weather. anyway.",
]
HYPE_COACH = [  # capitals, emoji, hashtags, exclamation marks
    "Hey besties! 🔥🔥 New program drops TODAY!!! Link in bio 💪🏽 #fitfam #strongnotskinny",
    "Hey besties! Who else loves leg day?? 😂😂 #legday #fitfam",
    "Hey besties! Big news coming this week 🎉 Stay tuned!! ✨ #fitfam",
    "Hey besties! Sale ends tonight!!! 🔥 Don't miss it 🙌 #sale #fitfam",
    "So proud of my clients this month 💖💖 You did THAT! #transformationtuesday",
    "Morning sweat done ✅ Coffee next ☕️ #morningroutine #fitfam",
    "Hey besties! Form check Friday 👇 Drop your questions! #formfriday",
    "Rest days matter too 🧘‍♀️ Listen to your body! #selfcare",
]


def profile(texts: list[str], **fields) -> StyleProfile:
    return StyleProfile.from_posts(Post.create(t, **fields) for t in texts)


@pytest.fixture(scope="module")
def quiet() -> StyleProfile:
    return profile(QUIET_DEV)


@pytest.fixture(scope="module")
def hype() -> StyleProfile:
    return profile(HYPE_COACH)


# --- different writers, different profiles ----------------------------------------------------

def test_lowercase_writer_and_emoji_writer_look_different(quiet, hype):
    assert quiet.all_lowercase_share == 1.0 and quiet.lowercase_start_share == 1.0
    assert hype.all_lowercase_share == 0.0 and hype.lowercase_start_share == 0.0
    assert quiet.emojis_per_post == 0 and quiet.emoji_post_share == 0 and quiet.top_emojis == ()
    assert hype.emoji_post_share == 1.0 and hype.emojis_per_post >= 1.5
    assert hype.top_emojis[0] == ("🔥", 3)
    assert quiet.top_hashtags == () and hype.top_hashtags[0] == ("#fitfam", 5)
    assert hype.exclamations_per_post > 1 > quiet.exclamations_per_post
    assert hype.caps_words_per_100 > 2 and quiet.caps_words_per_100 == 0
    assert quiet.ellipsis_share == pytest.approx(1 / 8, abs=0.01)
    assert quiet.em_dashes_per_post == pytest.approx(1 / 8, abs=0.01)


def test_prompt_text_is_a_short_distinct_style_guide(quiet, hype):
    quiet_text, hype_text = quiet.prompt_text(), hype.prompt_text()
    assert 3 <= len(quiet_text.splitlines()) <= 8 and 3 <= len(hype_text.splitlines()) <= 8
    assert "lowercase" in quiet_text and "No emojis" in quiet_text
    assert "'okay team,'" in quiet_text and "'anyway.'" in quiet_text
    assert "emojis in most posts" in hype_text and "🔥" in hype_text and "#fitfam" in hype_text
    assert "exclamation" in hype_text and "'Hey besties!'" in hype_text
    assert "lowercase" not in hype_text


def test_describe_is_readable(quiet, hype):
    text = hype.describe()
    assert text.startswith("Style profile from 8 posts (post 8)")
    assert "Emojis: " in text and "🔥 ×3" in text and "#fitfam ×5" in text
    assert "Sign-offs: 'anyway.' (8 posts)" in quiet.describe()


# --- phrases ----------------------------------------------------------------------------------

def test_openers_sign_offs_and_catchphrases_are_found(quiet, hype):
    assert quiet.openers[0] == ("okay team,", 8)
    assert quiet.sign_offs[0] == ("anyway.", 8)
    assert ("one small step at a time", 3) in quiet.catchphrases
    assert not any(phrase in {"one small step", "small step at"} for phrase, _ in quiet.catchphrases)
    assert hype.openers[0] == ("Hey besties!", 5)


def test_stop_word_only_ngrams_are_not_catchphrases():
    texts = [f"it is what it is, said friend {n} about the weather on day {n}" for n in range(5)]
    phrases = [p for p, _ in profile(texts).catchphrases]
    assert "it is what it" not in phrases and "is what it is" not in phrases
    assert any("about the weather" in p for p in phrases)


def test_context_is_never_profiled():
    fan = "OMG 🔥🔥🔥 WHEN IS THE RELEASE #hype #hype!!!"
    posts = [Post.create(t, kind="reply", context=fan) for t in QUIET_DEV]
    profiled = StyleProfile.from_posts(posts)
    assert profiled.top_emojis == () and profiled.top_hashtags == () and profiled.caps_words_per_100 == 0
    assert profiled.kinds == (("reply", 8),)


# --- lengths and kinds ------------------------------------------------------------------------

def test_lengths_and_kinds():
    posts = [Post.create(" ".join(["word"] * n), kind=kind)
             for n, kind in [(1, "post"), (2, "post"), (3, "reply"), (4, "reply"), (10, "caption")]]
    p = StyleProfile.from_posts(posts)
    assert p.post_count == 5 and dict(p.kinds) == {"post": 2, "reply": 2, "caption": 1}
    assert p.words_median == 3 and p.words_p90 == 10
    assert p.chars_median == len("word word word") and p.chars_p90 == len(" ".join(["word"] * 10))


# --- emoji ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("thumbs 👍🏽 up", ["👍🏽"]),
    ("family 👨‍👩‍👧 time", ["👨‍👩‍👧"]),
    ("rainbow 🏳️‍🌈 flag and 🇸🇪", ["🏳️‍🌈", "🇸🇪"]),
    ("keycap 1️⃣ and #️⃣ but not #1 or 2024", ["1️⃣", "#️⃣"]),
    ("hearts ❤️❤ and ©️ but not ©", ["❤️", "❤", "©️"]),
    ("woman in lotus 🧘🏽‍♀️!", ["🧘🏽‍♀️"]),
    ("no emoji here — just “quotes” … and ½", []),
])
def test_emoji_sequences_count_as_one(text, expected):
    assert list(iter_emojis(text)) == expected


def test_emoji_variants_are_counted_together():
    p = profile(["love ❤️", "love ❤", "love ❤️ again", "nope"])
    assert p.top_emojis == (("❤️", 3),)
    assert p.emoji_post_share == 0.75


# --- language ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code, text", [
    ("en", "honestly the best part of the week is when the build finally works"),
    ("es", "Hoy estoy muy feliz porque el proyecto ya está listo para todos"),
    ("de", "Heute ist das Wetter nicht so gut, aber wir machen es trotzdem"),
    ("fr", "Je suis très content de ce projet, c'est vraiment bien pour nous"),
    ("pt", "Eu estou muito feliz com isso, não é todo dia que acontece"),
    ("it", "Sono molto felice perché questo progetto è già pronto"),
    ("nl", "Ik ben heel blij met dit project, het is niet makkelijk"),
    ("sv", "Jag är så glad att det är klart och vi har det bra"),
    ("zh", "今天天气很好，我们去公园散步吧。"),
    ("ja", "今日はとても良い天気ですね。"),
    ("ko", "오늘 날씨가 정말 좋네요"),
    ("ru", "Привет всем, как у вас дела сегодня?"),
    ("und", "🔥🔥 123"),
])
def test_detect_language(code, text):
    assert detect_language(text) == code


@pytest.mark.parametrize("code, texts", [
    ("es", ["¡Hola a todos! Hoy es un gran día para entrenar.", "Gracias por estar aquí, sois lo mejor.",
            "Mañana hay clase a las siete, no faltéis."]),
    ("de", ["Guten Morgen! Heute gibt es ein neues Video.", "Danke für eure Geduld, das war nicht leicht.",
            "Wir sehen uns am Freitag im Stream."]),
    ("zh", ["今天的视频终于做好了，谢谢大家！", "明天我们一起去爬山吧。", "这个游戏真的很好玩。"]),
])
def test_profile_language(code, texts):
    assert profile(texts).language == code


# --- serialisation and the empty profile ------------------------------------------------------

def test_to_dict_from_dict_round_trip_through_json(quiet, hype):
    for p in (quiet, hype):
        data = json.loads(json.dumps(p.to_dict(), ensure_ascii=False))
        assert StyleProfile.from_dict(data) == p
        assert data["top_emojis"] == dict(p.top_emojis)


def test_from_dict_ignores_unknown_and_defaults_missing():
    p = StyleProfile.from_dict({"post_count": 3, "openers": {"hi": 3}, "added_later": True})
    assert p.post_count == 3 and p.openers == (("hi", 3),) and p.top_emojis == ()


def test_empty_input_gives_a_valid_empty_profile():
    p = StyleProfile.from_posts([])
    assert p.post_count == 0 and p == StyleProfile()
    assert "import" in p.describe().lower()
    assert p.prompt_text() == ""
    assert StyleProfile.from_dict(json.loads(json.dumps(p.to_dict()))) == p


# --- the sample creators ----------------------------------------------------------------------

SAMPLES = sorted(PERSONA_DATA.glob("*/posts")) if PERSONA_DATA.is_dir() else []


@pytest.mark.skipif(len(SAMPLES) < 2, reason="persona_data/*/posts not present")
def test_sample_creators_get_distinct_profiles():
    from avatar.ingest import read_posts
    profiles = [StyleProfile.from_posts(read_posts([folder]).posts) for folder in SAMPLES]
    guides = [p.prompt_text() for p in profiles]
    assert len(set(guides)) == len(guides)
    assert all(3 <= len(g.splitlines()) <= 8 for g in guides)
    assert all(p.language == "en" for p in profiles)


def test_emoji_sign_off_is_kept():
    texts = ["gym was great today, love you all 💛", "new video is up, love you all 💛", "rest day, love you all 💛"]
    assert profile(texts).sign_offs == (("love you all 💛", 3),)
