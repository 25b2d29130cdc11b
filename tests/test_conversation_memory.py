"""Issue 13 part 1: at the sample persona's default settings, with the real tokenizer and the
real default embedder, what a fan said in their first message still reaches the model in
their fifth prompt (the last exchanges are reserved, older facts go to a note)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from avatar import Avatar, tokens
from avatar.testing import FakeClock, ScriptedBackend

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "persona_data" / "mara-okafor"

DM = [
    "hi Mara! my name is Zanele, I'm 44 and my left knee clicks when I squat",
    "I want to run a 10k in spring, is strength training still worth it for runners?",
    "how many days a week should I lift then?",
    "and how heavy should I go at the start?",
    "ok last one, what do you think of deadlifts for me?",
]


@pytest.fixture(scope="module")
def sample_avatar(tmp_path_factory: pytest.TempPathFactory) -> Avatar:
    folder = tmp_path_factory.mktemp("sample") / "mara-okafor"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".avatar"))
    av = Avatar.open(folder, backend=ScriptedBackend(["Good question — start light and build up."] * 20),
                     clock=FakeClock())
    av.ingest([folder / "posts"])
    return av


def test_first_message_facts_reach_the_fifth_prompt_at_default_settings(sample_avatar: Avatar) -> None:
    av = sample_avatar
    cfg = av.persona.config
    assert cfg.prompt.token_budget == type(cfg.prompt)().token_budget    # the shipped default
    for text in DM:
        av.clock.advance(seconds=40)                                      # type: ignore[attr-defined]
        av.reply(text, fan_id="zanele")
    fifth = av.backend.prompts[-1]                                        # type: ignore[attr-defined]
    seen = fifth.system + "\n" + "\n".join(m.text for m in fifth.history)
    assert "Zanele" in seen and "knee clicks" in seen
    assert "10k" in seen                                                   # the goal, too
    assert [m.role for m in fifth.history][-4:] == ["fan", "avatar", "fan", "avatar"]
    assert fifth.history[-2].text.startswith("and how heavy")
    assert "Posts by Mara Okafor" in fifth.system                          # posts still get room
    total = sum(tokens.count(m["content"]) for m in fifth.to_messages())
    assert total <= cfg.prompt.token_budget


def test_follow_up_retrieves_with_the_previous_message(sample_avatar: Avatar) -> None:
    from avatar.prompt import retrieval_text
    from avatar.types import Message
    history = [Message("fan", "what's your take on the romanian deadlift for beginners?"),
               Message("avatar", "Love it.")]
    assert "romanian deadlift" in retrieval_text("and how heavy?", history)
    assert retrieval_text("what should I eat before a long morning run session?", history).startswith("what should")
