"""Per-reply overhead (everything but the model) vs. a plain LangChain pipeline.

For each store size both pipelines answer the same fan messages over the same Chroma
collection, interleaved (ours, baseline, ours, ...) so machine load hits both alike:

- ``precomputed``: query vectors looked up from a table (real MiniLM vectors computed
  beforehand) — the overhead *excluding* the query embedding;
- ``minilm``: each message embedded by MiniLM on the spot (distinct messages, so our
  query-embedding cache misses: the real first-time cost) — measured at the smallest size;
- ``minilm, repeated``: the same messages again; ours hits its query-embedding cache.

Posts beyond the ~700 real ones are synthesised, with precomputed vectors (see
bench/_common.py). Usage: ``python bench/reply_overhead.py [--quick] [--sizes 1000,10000]``.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from _common import (machine_info, minilm_vectors, print_table, questions, seed_posts,
                     stats_ms, synth_posts, synth_vectors, write_results)
from _pipelines import PrecomputedQueries, baseline, ours, shared_store


def measure(av, chain, msgs, rounds: int, warmup: int = 5) -> dict[str, list[float]]:
    """Interleaved timings (seconds) of ``av.reply`` and ``chain.invoke`` on ``msgs``."""
    fans = itertools.cycle([f"fan-{i}" for i in range(50)])
    channels = itertools.cycle(["dm", "dm", "comment", "live"])
    for m in msgs[:warmup]:
        av.reply(m, channel="dm", fan_id="warmup")
        chain.invoke(m)
    out: dict[str, list[float]] = {"ours": [], "baseline": []}
    for i in range(rounds):
        m = msgs[i % len(msgs)]
        t0 = time.perf_counter()
        reply = av.reply(m, channel=next(channels), fan_id=next(fans))
        t1 = time.perf_counter()
        text = chain.invoke(m)
        t2 = time.perf_counter()
        assert reply.text.startswith(av.policy.label) and text
        assert not {"rate-limited", "truthful-answer"} & set(reply.events), reply.events
        out["ours"].append(t1 - t0)
        out["baseline"].append(t2 - t1)
    return out


def breakdown(av, msgs, rounds: int) -> dict[str, float]:
    """Mean ms per reply spent in each stage of ours (timing wrappers; run separately)."""
    import avatar.prompt as prompt_mod
    import avatar.truth as truth
    spent: dict[str, float] = {}
    patches = []

    def wrap(owner, attr, stage):
        orig = getattr(owner, attr)

        def timed_call(*a, **kw):
            t0 = time.perf_counter()
            try:
                return orig(*a, **kw)
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t0
        patches.append((owner, attr, orig))
        setattr(owner, attr, timed_call)
    wrap(av.store, "retrieve", "retrieval (Chroma, 2 queries side by side)")
    wrap(av.embedder, "embed_query", "query embedding")
    wrap(prompt_mod, "build", "prompt + token counting")
    for fn in ("asks_if_human", "sanitize_model_text"):
        wrap(truth, fn, "truth check + sanitise (truth.py)")
    import avatar.policy as policy
    for fn in ("check_input", "check_output"):
        wrap(policy, fn, "guardrails (policy.py, input + output)")
    wrap(av.limiter, "allow", "rate limit + verdict log (SQLite)")
    wrap(av.verdicts, "hits", "rate limit + verdict log (SQLite)")
    wrap(av.verdicts, "log", "rate limit + verdict log (SQLite)")
    wrap(av.stamper, "finish", "record + Ed25519 signature")
    wrap(av.audit, "append", "audit log append")
    for fn in ("history", "state", "add", "touch"):
        wrap(av.memory, fn, "fan memory (SQLite)")
    t0 = time.perf_counter()
    try:
        for i in range(rounds):
            av.reply(msgs[i % len(msgs)], channel="dm", fan_id=f"fan-{i % 50}")
    finally:
        total = time.perf_counter() - t0
        for owner, attr, orig in reversed(patches):
            setattr(owner, attr, orig)
    out = {k: v / rounds * 1000 for k, v in spent.items()}
    out["other (label, cut, plumbing)"] = total / rounds * 1000 - sum(out.values())
    out["total"] = total / rounds * 1000
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="store sizes (posts)")
    ap.add_argument("--rounds", type=int, default=300, help="replies per side per size (precomputed)")
    ap.add_argument("--minilm-rounds", type=int, default=100, help="replies per side with MiniLM")
    ap.add_argument("--quick", action="store_true", help="sizes 1000,10000 and fewer rounds")
    ap.add_argument("--workdir", type=Path, default=None, help="keep stores here (reused between runs)")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.rounds, args.minilm_rounds = "1000,10000", 150, 60
    sizes = [int(s) for s in args.sizes.split(",")]
    machine = machine_info()

    seeds = seed_posts()
    seed_vecs = minilm_vectors([p.text for p in seeds])
    msgs = questions(200)
    qvecs = dict(zip(msgs, minilm_vectors(msgs).tolist()))
    pre = PrecomputedQueries(qvecs)
    from avatar.embeddings import make_embedder
    from avatar.embeddings.minilm import MiniLMEmbedder

    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results, rows, parts = [], [], []
    for size in sizes:
        mix = synth_posts(size, seeds)
        t0 = time.perf_counter()
        client = shared_store(work, f"bench-{size}", pre, [m[0] for m in mix], synth_vectors(mix, seed_vecs))
        load_s = time.perf_counter() - t0
        modes = [("precomputed", pre, pre, args.rounds)]
        if size == sizes[0]:
            modes.append(("minilm", make_embedder("minilm"), MiniLMEmbedder(), args.minilm_rounds))
        for mode, our_emb, base_emb, rounds in modes:
            av = ours(work, client, f"bench-{size}", our_emb)
            chain = baseline(client, f"bench-{size}", base_emb)
            runs = [(mode, measure(av, chain, msgs, rounds))]
            if mode == "minilm":   # same messages again: ours answers from its query cache
                runs.append(("minilm, repeated", measure(av, chain, msgs, rounds, warmup=0)))
            if mode == "precomputed":
                stages = breakdown(av, msgs, min(rounds, 200))
                results.append({"posts": size, "breakdown_ms_per_reply": stages})
                parts.append((size, stages))
            for name, t in runs:
                o, b = stats_ms(t["ours"]), stats_ms(t["baseline"])
                ratio = o["p50_ms"] / b["p50_ms"]
                results.append({"posts": size, "query_embedding": name, "ours": o, "baseline": b,
                                "p50_ratio": ratio, "store_load_s": load_s})
                rows.append([f"{size:,}", name, o["p50_ms"], o["p99_ms"], b["p50_ms"], b["p99_ms"],
                             f"{ratio:.2f}"])
    goal = next((r for r in results if r["posts"] == 100_000 and r.get("query_embedding") == "precomputed"), None)
    verdict = None
    if goal:
        verdict = {"p50_ms_ours": goal["ours"]["p50_ms"], "ratio": goal["p50_ratio"],
                   "met_ratio_le_1_3": goal["p50_ratio"] <= 1 / 3,
                   "met_under_10ms": goal["ours"]["p50_ms"] < 10}
    print_table("Per-reply overhead (ms; model excluded: scripted backend)",
                ["posts", "query embedding", "ours p50", "ours p99", "baseline p50", "baseline p99",
                 "ours/baseline p50"], rows,
                note=f"{machine['cores']} cores, {machine['cpu']}, load {machine['loadavg_at_start'][0]:.2f}")
    stages = list(parts[0][1]) if parts else []
    print_table("Where ours spends its time (ms per reply, precomputed query vectors)",
                ["stage", *[f"{n:,} posts" for n, _ in parts]],
                [[st, *[p.get(st, 0.0) for _, p in parts]] for st in stages])
    if verdict:
        print(f"goal at 100k (precomputed query vectors): p50 {verdict['p50_ms_ours']:.2f} ms "
              f"(< 10 ms: {verdict['met_under_10ms']}), ratio {verdict['ratio']:.2f} "
              f"(<= 0.33: {verdict['met_ratio_le_1_3']})")
    out = write_results("reply_overhead", {
        "what": "per-reply overhead, model excluded (ScriptedBackend / FakeListChatModel)",
        "corpus": "synthesised from persona_data posts with precomputed MiniLM-derived vectors; "
                  "see bench/_common.py", "results": results, "goal_100k": verdict}, machine)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
