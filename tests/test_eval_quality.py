"""The evaluation script runs offline in a reduced mode and its figures mean something."""

import importlib.util
import json

from conftest import ROOT


def load_script():
    spec = importlib.util.spec_from_file_location("eval_quality", ROOT / "bench" / "eval_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quick_eval_structure_and_beats_random(tmp_path, capsys):
    # hash embedder keeps this test at seconds on a shared machine; the script's default is MiniLM
    out = tmp_path / "eval.json"
    result = load_script().main(["--quick", "--embedder", "hash", "--sample", "3", "--out", str(out)])
    printed = capsys.readouterr().out
    assert json.loads(out.read_text()) == json.loads(json.dumps(result))
    assert "R@5" in printed and "closer to own" in printed
    assert result["config"]["replies"] == "drafts" and result["config"]["quick"] is True
    assert set(result["creators"]) == {"mara-okafor", "theo-lindqvist"}
    for name, row in result["creators"].items():
        assert row["posts"] > 300 and row["questions"] == 30
        for kind in ("similarity", "mmr", "random"):
            r = row["recall"][kind]
            assert set(r) == {"1", "3", "5"} and all(0.0 <= v <= 1.0 for v in r.values())
            assert r["1"] <= r["3"] <= r["5"] or kind == "mmr"
        assert row["recall"]["similarity"]["5"] > 2 * row["recall"]["random"]["5"], name
        assert row["recall"]["mmr"]["5"] > 2 * row["recall"]["random"]["5"], name
        style = row["style"]
        assert style["replies"] == 3 and style["against"] != name
        assert -1.0 <= style["sim_other"] <= 1.0 and -1.0 <= style["sim_own"] <= 1.0
        assert 0.0 <= style["closer_to_own"] <= 1.0


def test_random_baseline_is_exact():
    eq = load_script()
    qs = [{"answer_post_ids": ["a"]}, {"answer_post_ids": ["a", "b"]}]
    r = eq.random_recall(10, qs)
    assert abs(r["1"] - (0.1 + 0.2) / 2) < 1e-12
    assert abs(r["5"] - (0.5 + (1 - 56 / 252)) / 2) < 1e-12
