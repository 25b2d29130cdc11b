import hashlib
import os
import subprocess
import sys

from avatar import prompt, tokens
from avatar.llm.base import Example
from avatar.types import Message, Post, ScoredPost

PARTS = prompt.PromptParts(name="Mara", handle="@m", bio="Coach.", style="Uses emojis.",
                           channel="dm", tone="Warm.", max_chars=600, avoid_topics=["politics"])


def sp(text, score=0.5):
    return ScoredPost(Post.create(text), score)


def test_token_count_works_offline_on_a_fresh_cache(tmp_path):
    # A new machine: empty cache, and any non-loopback connection would fail (see conftest).
    code = ("import avatar.tokens as t; n = t.count('hello world, 你好'); "
            "assert n > 0; print(n, t.ensure_offline_table().name)")
    env = dict(os.environ, TIKTOKEN_CACHE_DIR=str(tmp_path / "cache"), HTTPS_PROXY="http://127.0.0.1:9")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    name = hashlib.sha1(b"https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken").hexdigest()
    assert out.stdout.split()[1] == name
    assert (tmp_path / "cache" / name).is_file()


def test_count_and_truncate():
    assert tokens.count("") == 0
    text = "word " * 50
    cut = tokens.truncate(text, 10)
    assert tokens.count(cut) <= 10 and text.startswith(cut)


def test_header_has_persona_rules_and_style():
    h = prompt.header(PARTS)
    assert "AI avatar of Mara" in h and "never claim to be human" in h
    assert "Uses emojis." in h and "politics" in h and "100 words" in h


def test_prompt_fits_budget_most_relevant_first():
    posts = [sp(f"post number {i} " + "lifting " * 40, 1 - i / 100) for i in range(30)]
    history = [Message("fan", f"old message {i} " * 10) for i in range(20)]
    p = prompt.build(PARTS, message="how do I start?", posts=posts,
                     examples=[Example("q?", "a!")], history=history, budget=600)
    total = tokens.count(p.to_transcript())
    assert total <= 600 + 40     # transcript adds a few 'Fan:' tags
    assert "post number 0 " in p.system                   # most relevant kept
    assert "post number 29 " not in p.system              # least relevant dropped
    if p.history:
        assert p.history[-1].text == history[-1].text     # newest history kept


def test_small_budget_keeps_header_and_message():
    p = prompt.build(PARTS, message="hi", posts=[sp("x " * 200)], budget=200)
    assert "AI avatar of Mara" in p.system and p.message == "hi"
    assert p.to_transcript().endswith("Fan: hi\nMara:")
    msgs = p.to_messages()
    assert msgs[0]["role"] == "system" and msgs[-1] == {"role": "user", "content": "hi"}
