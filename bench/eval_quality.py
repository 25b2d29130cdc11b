"""Retrieval and style quality on the two sample creators' held-out questions.

For each creator in persona_data/ (Mara Okafor, Theo Lindqvist) and each question in
``eval/questions.jsonl`` (every question lists the posts that answer it):

* **recall@k** (k = 1, 3, 5): the share of questions where at least one answering post is
  among the k retrieved — for plain similarity search, for MMR (what replies use), and for
  a random retriever (computed exactly: 1 - C(N-a, k) / C(N, k), averaged).
* **style closeness**: replies to a sample of questions are embedded and compared (cosine)
  with the centroid of this creator's posts and with the other creator's; ``closer_to_own``
  is the share of replies nearer their own creator. Replies come from ``--replies local``
  (the embedded SmolLM2 model through ``Avatar.reply``, the reply body without the label)
  or ``--replies drafts`` (no model: the first sentences of the top retrieved post — this
  only shows that retrieval picks on-voice material, it is not a model's style).

Offline defaults: MiniLM embeddings, local model. ``--quick`` (used by the test suite and
CI): drafts, 5 style samples. Prints a table and writes JSON (default
``bench/results/eval_quality.json``)::

    python bench/eval_quality.py                 # full: local model, 10 replies per creator
    python bench/eval_quality.py --quick         # seconds: retrieval-based drafts
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:          # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from avatar.avatar import Avatar  # noqa: E402
from avatar.config import Persona, Settings, load_persona  # noqa: E402
from avatar.embeddings import make_embedder  # noqa: E402
from avatar.stores.chroma import PersonaStore, make_client  # noqa: E402

CREATORS = ("mara-okafor", "theo-lindqvist")
KS = (1, 3, 5)
DEFAULT_OUT = ROOT / "bench" / "results" / "eval_quality.json"


def load_questions(folder: Path) -> list[dict]:
    path = folder / "eval" / "questions.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build(folder: Path, workdir: Path, embedder, backend=None) -> Avatar:
    """An Avatar on a copy of the persona's settings, with its state under ``workdir``."""
    config = load_persona(folder).config
    persona = Persona(root=workdir / folder.name, config=config)
    store = PersonaStore(make_client(path=workdir / folder.name / "chroma"), persona.id, embedder)
    av = Avatar(persona, backend=backend, embedder=embedder, store=store,
                settings=Settings(), audit=True)
    av.ingest([folder / "posts"])
    return av


def source_id(post_id: str) -> str:
    return post_id.split(":", 1)[-1]


def recall(av: Avatar, questions: list[dict], use_mmr: bool) -> dict[str, float]:
    hits = {k: 0 for k in KS}
    for q in questions:
        got = [source_id(s.post.id) for s in av.retrieve(q["question"], k=max(KS), mmr=use_mmr)]
        for k in KS:
            hits[k] += bool(set(got[:k]) & set(q["answer_post_ids"]))
    return {str(k): hits[k] / len(questions) for k in KS}


def random_recall(n_posts: int, questions: list[dict]) -> dict[str, float]:
    """Exact expected recall@k of a retriever that picks k posts uniformly at random."""
    out = {}
    for k in KS:
        p = [1 - math.comb(n_posts - len(q["answer_post_ids"]), k) / math.comb(n_posts, k) for q in questions]
        out[str(k)] = float(np.mean(p))
    return out


def draft(av: Avatar, question: str) -> str:
    """No model: the first sentences (up to 200 characters) of the top retrieved post."""
    top = av.retrieve(question)
    if not top:
        return ""
    text = " ".join(top[0].post.text.split())
    parts = re.split(r"(?<=[.!?])\s+", text)
    out = ""
    for part in parts:
        if out and len(out) + len(part) > 200:
            break
        out = f"{out} {part}".strip()
    return out[:200]


def centroid(vectors: np.ndarray) -> np.ndarray:
    v = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    c = v.mean(axis=0)
    return c / np.linalg.norm(c)


def style(embedder, replies: list[str], own: np.ndarray, other: np.ndarray) -> dict[str, float]:
    texts = [r for r in replies if r.strip()]
    if not texts:
        return {"replies": 0, "sim_own": float("nan"), "sim_other": float("nan"), "closer_to_own": float("nan")}
    vecs = np.asarray(embedder.embed(texts), dtype=float)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    s_own, s_other = vecs @ own, vecs @ other
    return {"replies": len(texts), "sim_own": float(s_own.mean()), "sim_other": float(s_other.mean()),
            "closer_to_own": float((s_own > s_other).mean())}


def make_replies(av: Avatar, questions: list[dict], mode: str) -> tuple[list[str], dict]:
    """Replies for the style measure, with timings and provenance checks."""
    out, took, valid = [], [], 0
    for i, q in enumerate(questions):
        t0 = time.perf_counter()
        if mode == "drafts":
            out.append(draft(av, q["question"]))
            valid += 1
        else:
            r = av.reply(q["question"], channel="dm", fan_id=f"eval-{i}")
            out.append(r.body)
            valid += av.verify(r).valid
        took.append(time.perf_counter() - t0)
    return out, {"seconds_per_reply": float(np.mean(took)) if took else 0.0,
                 "verified": valid, "samples": [{"question": q["question"], "reply": r}
                                                for q, r in zip(questions[:3], out[:3])]}


def evaluate(creators=CREATORS, replies: str = "local", sample: int = 10, embedder_name: str = "minilm",
             data: Path = ROOT / "persona_data") -> dict:
    embedder = make_embedder(embedder_name)
    result = {"config": {"embedder": embedder.name, "replies": replies, "sample": sample,
                         "ks": list(KS)}, "creators": {}}
    with tempfile.TemporaryDirectory() as tmp:
        avatars, questions = {}, {}
        for name in creators:
            folder = data / name
            t0 = time.perf_counter()
            avatars[name] = build(folder, Path(tmp), embedder, backend=None)
            questions[name] = load_questions(folder)
            result["creators"][name] = {"posts": avatars[name].store.count(),
                                        "questions": len(questions[name]),
                                        "ingest_seconds": round(time.perf_counter() - t0, 2)}
        centroids = {name: centroid(av.store.vectors()) for name, av in avatars.items()}
        for name, av in avatars.items():
            qs, row = questions[name], result["creators"][name]
            row["recall"] = {"similarity": recall(av, qs, use_mmr=False), "mmr": recall(av, qs, use_mmr=True),
                             "random": random_recall(row["posts"], qs)}
            other = next(n for n in avatars if n != name) if len(avatars) > 1 else name
            texts, info = make_replies(av, qs[:sample], replies)
            row["style"] = {**style(embedder, texts, centroids[name], centroids[other]),
                            "against": other, **info}
            if replies == "local":
                row["style"]["model"] = f"{av.backend.name}: {av.backend.model}"
    return result


def table(result: dict) -> str:
    cfg = result["config"]
    lines = [f"embedder {cfg['embedder']} · replies: {cfg['replies']} · style sample {cfg['sample']}",
             f"{'creator':16} {'posts':>5} {'retriever':10} " + " ".join(f"{'R@' + str(k):>6}" for k in KS)]
    for name, row in result["creators"].items():
        for kind in ("similarity", "mmr", "random"):
            r = row["recall"][kind]
            lines.append(f"{name:16} {row['posts']:>5} {kind:10} " + " ".join(f"{r[str(k)]:>6.2f}" for k in KS))
    lines.append(f"{'creator':16} {'replies':>7} {'sim own':>8} {'sim other':>9} {'closer to own':>13} {'s/reply':>8}")
    for name, row in result["creators"].items():
        s = row["style"]
        lines.append(f"{name:16} {s['replies']:>7} {s['sim_own']:>8.3f} {s['sim_other']:>9.3f} "
                     f"{s['closer_to_own']:>13.2f} {s['seconds_per_reply']:>8.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="drafts instead of the model, 5 style samples")
    ap.add_argument("--replies", choices=("local", "drafts"), default=None,
                    help="where style replies come from (default: local; drafts with --quick)")
    ap.add_argument("--sample", type=int, default=None, help="questions per creator for the style measure")
    ap.add_argument("--embedder", default="minilm", choices=("minilm", "hash"))
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    replies = args.replies or ("drafts" if args.quick else "local")
    sample = args.sample or (5 if args.quick else 10)
    result = evaluate(replies=replies, sample=sample, embedder_name=args.embedder)
    result["config"]["quick"] = args.quick
    print(table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
