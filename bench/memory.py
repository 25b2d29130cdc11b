"""Peak resident memory (RSS) with a large store, each scenario in a fresh subprocess.

Scenarios (``--posts`` synthesised posts with precomputed vectors, see _common.py):
``imports`` (python + avatar + chromadb + langchain imported, nothing opened),
``ours-profile`` (open the persona store, build the style profile from all posts as on a
first start, answer ``--replies`` messages), ``ours`` (the same with the profile cached),
``baseline`` (the plain LangChain pipeline over the same collection, same messages).
Peak RSS is the child's ``VmHWM`` (``/proc/self/status``; ``ru_maxrss`` elsewhere).

Usage: ``python bench/memory.py [--quick] [--posts N] [--workdir DIR]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import machine_info, print_table, write_results
from _pipelines import baseline, bench_store, open_bench_store, ours


def child(kind: str, work: Path, posts: int, replies: int) -> None:
    import chromadb  # noqa: F401
    import langchain_core.prompts  # noqa: F401

    import avatar.avatar  # noqa: F401
    if kind != "imports":
        client, _, pre, msgs = open_bench_store(work, posts)   # built by the parent
        if kind.startswith("ours"):
            av = ours(work, client, f"bench-{posts}", pre)
            if kind == "ours-profile":          # drop the cached style profile: rebuilt from all posts
                (av.persona.state_dir / f"style-{av.persona.id}.json").unlink(missing_ok=True)
            av.profile()
            for i in range(replies):
                av.reply(msgs[i % len(msgs)], fan_id=f"fan-{i % 50}")
        else:
            chain = baseline(client, f"bench-{posts}", pre)
            for i in range(replies):
                chain.invoke(msgs[i % len(msgs)])
    print(json.dumps({"kind": kind, "peak_rss_mib": peak_rss_mib()}))


def peak_rss_mib() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child
    would report its (big) parent's size from before the exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--replies", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="10k posts")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--child", choices=["imports", "ours-profile", "ours", "baseline"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quick:
        args.posts = 10_000
    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    if args.child:
        return child(args.child, work, args.posts, args.replies)
    machine = machine_info()
    bench_store(work, args.posts)
    out = {}
    for kind in ("imports", "ours-profile", "ours", "baseline"):
        done = subprocess.run([sys.executable, __file__, "--child", kind, "--workdir", str(work),
                               "--posts", str(args.posts), "--replies", str(args.replies)],
                              capture_output=True, text=True, check=True)
        out[kind] = json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mib"]
    print_table(f"Peak RSS with {args.posts:,} posts (MiB)", ["process", "peak RSS"], [
        ["imports only", out["imports"]],
        [f"ours: open, build style profile from all posts, {args.replies} replies", out["ours-profile"]],
        [f"ours: open (style profile cached), {args.replies} replies", out["ours"]],
        [f"baseline: open + {args.replies} invokes", out["baseline"]]],
        note=f"{machine['cores']} cores, {machine['cpu']}")
    print(f"wrote {write_results('memory', {'posts': args.posts, 'replies': args.replies, 'peak_rss_mib': out}, machine)}")


if __name__ == "__main__":
    main()
