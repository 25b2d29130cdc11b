"""Streaming: time from the stream request to the first piece the fan sees.

Ours: ``Avatar.stream(...)`` then the first piece (always the AI label, sent before the
model runs; the request first plans the reply: truth check, memory, retrieval, prompt).
Baseline: ``chain.stream(...)`` of the plain LangChain pipeline, to its first token
(retrieval, prompt, fake model). Same store, same precomputed query vectors, interleaved.
Also reported: ours from the returned stream object to the label (the cost of stamping).

Usage: ``python bench/streaming.py [--quick] [--posts N] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import machine_info, print_table, stats_ms, write_results
from _pipelines import baseline, bench_store, ours


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--quick", action="store_true", help="1000 posts, 150 rounds")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    if args.quick:
        args.posts, args.rounds = 1000, 150
    machine = machine_info()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    client, pid, pre, msgs = bench_store(work, args.posts)
    av, chain = ours(work, client, pid, pre), baseline(client, pid, pre)
    label_only, first_ours, first_base = [], [], []
    for i in range(args.rounds + 5):
        m = msgs[i % len(msgs)]
        t0 = time.perf_counter()
        stream = av.stream(m, channel="live", fan_id=f"fan-{i % 50}")
        t1 = time.perf_counter()
        it = iter(stream)
        first = next(it)
        t2 = time.perf_counter()
        for _ in it:
            pass
        t3 = time.perf_counter()
        it_b = iter(chain.stream(m))
        token = next(it_b)
        t4 = time.perf_counter()
        for _ in it_b:
            pass
        assert first.startswith(av.policy.label) and token and stream.reply is not None
        if i >= 5:
            label_only.append(t2 - t1)
            first_ours.append(t2 - t0)
            first_base.append(t4 - t3)
    o, b, lab = stats_ms(first_ours), stats_ms(first_base), stats_ms(label_only)
    over = o["p50_ms"] - b["p50_ms"]
    print_table(f"Time to first piece, {args.posts:,} posts (ms)", ["", "p50", "p99"], [
        ["ours: request -> label (plan + label)", o["p50_ms"], o["p99_ms"]],
        ["  of which stream object -> label", lab["p50_ms"], lab["p99_ms"]],
        ["baseline: request -> first token", b["p50_ms"], b["p99_ms"]],
        ["ours - baseline (p50)", over, ""],
    ], note=f"{machine['cores']} cores, {machine['cpu']}, load {machine['loadavg_at_start'][0]:.2f}; goal: < 5 ms overhead")
    out = write_results("streaming", {
        "posts": args.posts, "ours_first_piece": o, "ours_label_after_plan": lab,
        "baseline_first_token": b, "overhead_p50_ms": over, "goal_under_5ms": over < 5.0}, machine)
    print(f"overhead p50 {over:.2f} ms (goal < 5 ms: {over < 5.0}); wrote {out}")


if __name__ == "__main__":
    main()
