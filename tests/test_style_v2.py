"""Style profile v2: per platform and kind, and exemplar replies chosen for their voice."""

from __future__ import annotations

from pathlib import Path

from avatar.ingest import read_posts
from avatar.style import ALL, StyleProfile, profile_for, profiles_by_group, select_exemplars
from avatar.types import Post

PERSONA_DATA = Path(__file__).resolve().parent.parent / "persona_data"


def post(text, kind="reply", platform="x", context="a fan asked"):
    return Post.create(text, platform=platform, kind=kind, context=context)


def test_profiles_per_platform_and_kind_differ():
    posts = [post(f"okay team, reply number {n} 💪", kind="reply") for n in range(8)] + \
            [post(f"A Long Caption Number {n} With Capitals And #hashtags #lift", kind="caption",
                  platform="instagram", context=None) for n in range(8)]
    profiles = profiles_by_group(posts, min_posts=8)
    assert set(profiles) == {(ALL, ALL), ("x", "reply"), ("x", ALL), (ALL, "reply"),
                             ("instagram", "caption"), ("instagram", ALL), (ALL, "caption")}
    reply, caption = profiles[("x", "reply")], profiles[("instagram", "caption")]
    assert reply.all_lowercase_share == 1.0 and caption.all_lowercase_share == 0.0
    assert caption.hashtags_per_post == 2.0 and reply.hashtags_per_post == 0.0
    assert profiles[(ALL, ALL)].post_count == 16


def test_profile_for_falls_back_to_wider_groups():
    profiles = profiles_by_group([post(f"reply {n}") for n in range(8)] + [post("lone caption", kind="caption")])
    assert profile_for(profiles, "x", "reply").post_count == 8
    assert profile_for(profiles, "tiktok", "reply") is profiles[(ALL, "reply")]    # no tiktok group
    assert profile_for(profiles, "x", "caption") is profiles[("x", ALL)]          # caption group too small
    assert profile_for({}, "x", "reply") == StyleProfile()


def test_exemplars_are_short_own_replies_that_carry_the_voice():
    voice = [post(f"okay team, rest day {n} is training too. steady wins 💛") for n in range(3)]
    flat = [post("Thank you for your message regarding the schedule of upcoming sessions.")]
    too_long = [post("okay team " + "and more words " * 30 + "steady wins 💛")]
    caption = [post("okay team, a caption. steady wins 💛", kind="caption")]
    chosen = select_exemplars(voice + flat + too_long + caption, k=2)
    assert len(chosen) == 2 and all(p in voice for p in chosen[:1])
    assert too_long[0] not in chosen and caption[0] not in chosen


def test_exemplars_do_not_repeat_each_other_and_are_deterministic():
    same = [post("yes. pc and steam deck is the plan."), post("yes. pc and steam deck is the plan!")]
    other = [post("no builds in dms, sorry. the demo comes soon.")]
    chosen = select_exemplars(same + other, k=3)
    assert len(chosen) == 2 and other[0] in chosen
    assert select_exemplars(same + other, k=3) == chosen
    assert select_exemplars([], k=3) == [] and select_exemplars(other, k=0) == []


def test_exemplars_from_the_sample_creators_match_their_voices():
    theo = select_exemplars(read_posts([PERSONA_DATA / "theo-lindqvist/posts"]).posts, k=5)
    assert len(theo) == 5 and all(p.text == p.text.lower() for p in theo)    # he writes in lowercase
    mara = select_exemplars(read_posts([PERSONA_DATA / "mara-okafor/posts"]).posts, k=5)
    assert len(mara) == 5 and sum(any(e in p.text for e in "💛💪🙌✨🔥") for p in mara) >= 4
    assert all(p.kind in ("reply", "comment") and len(p.text) <= 220 for p in theo + mara)


# ---- the voice reaches the prompt -------------------------------------------------------------

def test_voice_reaches_the_prompt_and_is_rebuilt_after_forget(make_avatar, tmp_path):
    import json as _json
    replies = [{"id": f"r{n}", "kind": "reply", "platform": "instagram", "context": f"question {n}?",
                "text": f"Steady wins, friend {n} 💛 see you Tuesday ✨"} for n in range(10)]
    captions = [{"id": f"c{n}", "kind": "caption", "platform": "instagram",
                 "text": f"NEW PROGRAMME DROP number {n}!!! Link in bio #steadystrong #lifting"} for n in range(10)]
    path = tmp_path / "voice.jsonl"
    path.write_text("\n".join(_json.dumps(p) for p in replies + captions), encoding="utf-8")
    av = make_avatar(["ok"])
    av.ingest([path])
    voice = av.voice()
    assert any(c.startswith("Steady wins") for _, c in voice.exemplars)
    assert not any(c.startswith("NEW PROGRAMME") for _, c in voice.exemplars)   # captions are no replies
    assert (av.persona.state_dir / f"voice-{av.persona.id}.json").is_file()
    av.reply("what do you think about squats?", channel="dm", fan_id="v1")
    prompt = av.backend.prompts[-1]
    reply_style = voice.style_for("dm").prompt_text()
    assert reply_style in prompt.system and reply_style != voice.style_for("comment").prompt_text()
    assert "steadystrong" not in reply_style and "steadystrong" in voice.style_for("comment").prompt_text()
    creators = [ex.creator for ex in prompt.examples]
    assert len(creators) == len(set(creators)) and any(c.startswith("Steady wins") for c in creators)
    assert av.forget(platform="instagram") == 20
    assert not (av.persona.state_dir / f"voice-{av.persona.id}.json").is_file()
    assert all(not c.startswith("Steady wins") for _, c in av.voice().exemplars)
