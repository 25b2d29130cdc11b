"""Profile the reply hot path with pyinstrument (``pip install -e .[bench]``).

Builds a store of ``--posts`` synthesised posts (precomputed vectors, see _common.py),
answers ``--replies`` fan messages with a scripted backend, and prints pyinstrument's
call tree; also writes bench/results/profile_reply.html.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import RESULTS
from _pipelines import bench_store, ours


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--replies", type=int, default=300)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("pyinstrument is not installed — pip install -e '.[bench]'") from None
    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-prof-"))
    client, pid, pre, msgs = bench_store(work, args.posts)
    av = ours(work, client, pid, pre)
    for m in msgs[:5]:
        av.reply(m, fan_id="warmup")
    prof = Profiler(interval=0.0005)
    with prof:
        for i in range(args.replies):
            av.reply(msgs[i % len(msgs)], channel="dm", fan_id=f"fan-{i % 50}")
    print(prof.output_text(unicode=True, color=False, show_all=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profile_reply.html").write_text(prof.output_html(), encoding="utf-8")


if __name__ == "__main__":
    main()
