"""Ingest throughput: Avatar.ingest vs. the embedder's raw speed, and an unchanged re-import.

1. First import: the sample creators' real posts (persona_data/*/posts, all formats) are
   imported into a fresh persona with MiniLM (``Avatar.ingest``: read, dedupe, embed, store,
   invalidate the style profile). The same texts are embedded raw with
   ``MiniLMEmbedder.embed`` just before and just after; goal: import >= 90% of raw posts/s.
2. Re-import: an export of ``--reimport`` synthesised posts (JSONL, see _common.py) whose
   posts are already in the store (added with precomputed vectors) is imported again. Goal:
   under 5 s, and the embedder is never called (counted).

Usage: ``python bench/ingest.py [--quick] [--workdir DIR]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _common import (ROOT, machine_info, minilm_vectors, persona_folder, print_table, seed_posts,
                     synth_posts, synth_vectors, write_results)
from _pipelines import shared_store

from avatar.avatar import Avatar
from avatar.config import load_persona
from avatar.embeddings.base import Embedder
from avatar.embeddings.minilm import MiniLMEmbedder
from avatar.stores.chroma import PersonaStore, make_client
from avatar.testing import ScriptedBackend


class Counting(Embedder):
    """Counts texts embedded by ``inner`` (documents and queries)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.inner.embed(texts)


def first_import(work: Path, limit: int | None) -> dict:
    folders = sorted((ROOT / "persona_data").glob("*/posts"))
    posts = seed_posts()
    if limit:                                   # an even sample: short and long posts alike
        posts = posts[::max(1, len(posts) // limit)][:limit]
    src = work / "first-import.jsonl"
    src.write_text("".join(json.dumps({"text": p.text, "platform": p.platform, "kind": p.kind,
                                       "context": p.context}) + "\n" for p in posts), encoding="utf-8")
    texts = [p.text for p in posts]
    raw = MiniLMEmbedder()
    raw.embed(texts[:8])                      # load the model outside the timings
    t0 = time.perf_counter()
    raw.embed(texts)
    raw_before = time.perf_counter() - t0
    # One-off per process, like the model load above: the text splitter's LangChain import
    # (~3 s). Kept out of the throughput timing and reported on its own.
    t0 = time.perf_counter()
    import avatar.langchain_adapter  # noqa: F401
    startup = time.perf_counter() - t0
    pid = f"ingest-{time.time_ns()}"
    emb = Counting(MiniLMEmbedder())
    persona = load_persona(persona_folder(work / pid, pid))
    av = Avatar(persona, backend=ScriptedBackend(), embedder=emb,
                store=PersonaStore(make_client(path=work / pid / "chroma"), pid, emb))
    t0 = time.perf_counter()
    report = av.ingest([src])
    imp = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw.embed(texts)
    raw_after = time.perf_counter() - t0
    raw_s = (raw_before + raw_after) / 2
    assert report.added == len(posts), report.summary()
    return {"posts": len(posts), "source": [str(f.relative_to(ROOT)) for f in folders],
            "raw_embed_s": raw_s, "raw_posts_per_s": len(posts) / raw_s,
            "raw_runs_s": [raw_before, raw_after], "import_s": imp,
            "import_posts_per_s": len(posts) / imp, "one_off_import_s": startup, "ratio": raw_s / imp,
            "embedded_texts": emb.texts, "goal_ratio_ge_0_9": raw_s / imp >= 0.9}


def reimport(work: Path, n: int) -> dict:
    seeds = seed_posts()
    mix = synth_posts(n, seeds)
    posts = [m[0] for m in mix]
    export = work / f"export-{n}.jsonl"
    if not export.is_file():
        export.write_text("".join(json.dumps({"text": p.text, "platform": p.platform, "kind": p.kind,
                                              "context": p.context}) + "\n" for p in posts),
                          encoding="utf-8")
    pid = f"bench-{n}"          # the same store reply_overhead/memory use (--workdir shared)
    emb = Counting(MiniLMEmbedder())
    t0 = time.perf_counter()
    client = shared_store(work, pid, emb, posts, synth_vectors(mix, minilm_vectors([p.text for p in seeds])))
    load_s = time.perf_counter() - t0
    emb.texts = 0
    persona = load_persona(persona_folder(work / f"persona-reimport-{pid}", pid))
    av = Avatar(persona, backend=ScriptedBackend(), embedder=emb, store=PersonaStore(client, pid, emb))
    t0 = time.perf_counter()
    report = av.ingest([export])
    took = time.perf_counter() - t0
    return {"posts": n, "store_load_s": load_s, "reimport_s": took, "read": report.read,
            "added": report.added, "skipped": report.skipped, "embedded_texts": emb.texts,
            "goal_under_5s": took < 5.0, "goal_nothing_embedded": emb.texts == 0 and report.added == 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="first import: only the first N real posts")
    ap.add_argument("--reimport", type=int, default=100_000, help="posts in the re-imported export")
    ap.add_argument("--quick", action="store_true", help="300 posts first import, 20k re-import")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    if args.quick:
        args.limit, args.reimport = args.limit or 300, 20_000
    machine = machine_info()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    first = first_import(work, args.limit)
    again = reimport(work, args.reimport)
    print_table("Ingest", ["measurement", "value", "goal", "met"], [
        [f"raw MiniLM embed, {first['posts']} posts (posts/s)", first["raw_posts_per_s"], "", ""],
        ["Avatar.ingest first import (posts/s)", first["import_posts_per_s"], "", ""],
        ["import / raw", f"{first['ratio']:.1%}", ">= 90%", str(first["goal_ratio_ge_0_9"])],
        ["one-off LangChain import (s, not in the ratio)", first["one_off_import_s"], "", ""],
        [f"re-import unchanged {again['posts']:,}-post export (s)", again["reimport_s"], "< 5 s",
         str(again["goal_under_5s"])],
        ["texts embedded during re-import", again["embedded_texts"], "0", str(again["goal_nothing_embedded"])],
    ], note=f"{machine['cores']} cores, {machine['cpu']}, load {machine['loadavg_at_start'][0]:.2f}")
    print(f"wrote {write_results('ingest', {'first_import': first, 'reimport': again}, machine)}")


if __name__ == "__main__":
    main()
