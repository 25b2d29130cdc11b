"""Shared helpers for the benchmark scripts: machine info, corpora, vectors, tables, JSON.

Corpus: the sample creators' real posts (persona_data/*/posts, ~700 posts incl. replies
with the fan message they answered) are the seed. ``synth_posts(n)`` builds ``n`` varied
posts from them deterministically: post i joins the opening of seed ``i`` with the closing
sentence of another seed and a numbered tag (so every text, and so every id, is distinct),
and keeps the first seed's context (fan question), platform and kind.

Vectors: embedding 100k posts with MiniLM would take ~35 min on 2 cores, so the scale runs
store precomputed 384-d vectors: the real MiniLM vectors of the seed posts (computed once
and cached in bench/results/.cache), mixed 0.75/0.25 the same way the texts are mixed, plus
small Gaussian noise (sigma 0.02 per component, seed = post index), re-normalised. Query
vectors are real MiniLM vectors of the fan messages.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import statistics
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
CACHE = RESULTS / ".cache"
PACKAGES = ("avatar", "chromadb", "langchain-core", "langchain-chroma", "numpy", "tiktoken",
            "cryptography", "tokenizers", "fastapi", "uvicorn", "httpx")

import numpy as np  # noqa: E402

from avatar.types import Post  # noqa: E402


# ---------------------------------------------------------------- machine and results
def machine_info() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"cores": os.cpu_count(), "cpu": model or "unknown", "python": platform.python_version(),
            "platform": platform.platform(), "packages": versions,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "loadavg_at_start": list(os.getloadavg())}


def write_results(name: str, data: dict[str, Any], machine: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    machine = {**machine, "loadavg_at_end": list(os.getloadavg())}
    out.write_text(json.dumps({"benchmark": name, "machine": machine, **data}, indent=2,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                note: str = "") -> None:
    from rich.console import Console
    from rich.table import Table
    table = Table(title=title, caption=note or None)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*[_fmt(v) for v in row])
    Console(width=max(120, Console().width)).print(table)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def stats_ms(samples_s: Sequence[float]) -> dict[str, float]:
    """p50/p99/mean in milliseconds from samples in seconds."""
    ms = sorted(s * 1000 for s in samples_s)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    return {"n": len(ms), "p50_ms": statistics.median(ms), "p99_ms": p99,
            "mean_ms": statistics.fmean(ms)}


def timed(fn, *args, **kwargs) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


# ---------------------------------------------------------------- corpus and vectors
def seed_posts() -> list[Post]:
    """The sample creators' posts (all formats), in a stable order."""
    from avatar.ingest import read_posts
    folders = sorted((ROOT / "persona_data").glob("*/posts"))
    posts = read_posts(folders).posts
    return sorted(posts, key=lambda p: p.id)


_SENT = re.compile(r"(?<=[.!?])\s+")


def synth_posts(n: int, seeds: Sequence[Post]) -> list[tuple[Post, int, int]]:
    """``n`` distinct posts (post, seed a, seed b), deterministic; see the module docstring."""
    out = []
    r = len(seeds)
    for i in range(n):
        a, b = i % r, (i * 7919 + 13) % r
        head = _SENT.split(" ".join(seeds[a].text.split()))
        tail = _SENT.split(" ".join(seeds[b].text.split()))
        text = " ".join(head[:2]) + " " + tail[-1] + f" #{i // r + 1}x{a}"
        sa = seeds[a]
        post = Post.create(text, platform=sa.platform, kind=sa.kind, context=sa.context,
                           created_at=sa.created_at)
        out.append((post, a, b))
    return out


def minilm_vectors(texts: Sequence[str]) -> np.ndarray:
    """Real MiniLM vectors, cached on disk by the texts' hash (they never change)."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"minilm-{key}.npy"
    if path.is_file():
        return np.load(path)
    from avatar.embeddings.minilm import MiniLMEmbedder
    vecs = np.asarray(MiniLMEmbedder().embed(list(texts)), dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def synth_vectors(mix: Sequence[tuple[Post, int, int]], seed_vecs: np.ndarray) -> np.ndarray:
    a = np.fromiter((m[1] for m in mix), dtype=np.int64, count=len(mix))
    b = np.fromiter((m[2] for m in mix), dtype=np.int64, count=len(mix))
    rng = np.random.default_rng(12345)
    v = 0.75 * seed_vecs[a] + 0.25 * seed_vecs[b]
    v += rng.normal(0.0, 0.02, size=v.shape).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v.astype(np.float32)


_QUESTIONS = [
    "how many days a week should I train as a beginner?", "what's your favourite lift?",
    "my knee hurts when I squat, what should I do?", "how do I get better at deadlifts?",
    "what should I eat before training?", "how long until I see progress?",
    "do rest days really matter?", "can I start lifting at 50?",
    "what's in your 12 week programme?", "how do I fix my squat depth?",
    "any tips for staying motivated in winter?", "how much protein do I need?",
    "should I do cardio on lifting days?", "what shoes do you lift in?",
    "how do I warm up properly?", "is it okay to train when I'm sore?",
    "what book are you reading at the moment?", "how did you get started?",
    "what do you do on a bad day?", "how heavy should my first deadlift be?",
]
_OPENERS = ["", "hey! ", "quick question: ", "hi, ", "sorry to bother you, ", "love your posts! ",
            "random one: ", "hello from Bristol, ", "ok so ", "morning! "]


def questions(n: int) -> list[str]:
    """``n`` distinct fan messages (200 before they repeat)."""
    out = []
    for i in range(n):
        q = _QUESTIONS[i % len(_QUESTIONS)]
        opener = _OPENERS[(i // len(_QUESTIONS)) % len(_OPENERS)]
        out.append(opener + q)
    return out


def persona_folder(dest: Path, pid: str) -> Path:
    """A throwaway copy of the sample persona file with its own id (state goes to ``dest``)."""
    src = (ROOT / "persona_data" / "mara-okafor" / "persona.toml").read_text(encoding="utf-8")
    dest.mkdir(parents=True, exist_ok=True)
    body = re.sub(r'(?m)^id\s*=.*$', "", src)
    # Benchmarks send hundreds of messages per fan per minute: lift the per-fan rate limit
    # (the limiter still runs on every reply) so that every reply takes the full path.
    body += "\n[rate_limit]\nper_minute = 10000\nper_day = 1000000\n"
    (dest / "persona.toml").write_text(f'id = "{pid}"\n' + body, encoding="utf-8")
    return dest
