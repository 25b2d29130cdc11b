"""Run every benchmark, one after the other, sharing one work folder (stores are built once).

``python bench/run_all.py`` runs the full sizes (1k/10k/100k posts; ~10 min on 2 idle
cores, mostly loading 100k vectors into Chroma); ``--quick`` runs small sizes (~3 min).
Each script prints its table and writes bench/results/<name>.json. The concurrency
benchmark skips itself (exit 0) until ``avatar.server.http_api`` exists.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["signing", "reply_overhead", "streaming", "ingest", "memory", "concurrency"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=",".join(SCRIPTS), help="comma-separated subset")
    ap.add_argument("--workdir", type=Path, default=None, help="reuse stores from an earlier run")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    failed = []
    for name in args.only.split(","):
        cmd = [sys.executable, str(HERE / f"{name}.py")]
        cmd += ["--quick"] if args.quick else []
        cmd += [] if name == "signing" else ["--workdir", str(work)]
        t0 = time.perf_counter()
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run(cmd).returncode != 0:
            failed.append(name)
        print(f"({name}: {time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"\nwork folder: {work}")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
