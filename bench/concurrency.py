"""The HTTP API under concurrent fans: throughput, latency, errors, every reply verified.

Contract (built on another branch): ``avatar.server.http_api.create_api(avatars, *, token)`` returns
a FastAPI app; ``POST /v1/reply`` with ``{persona, channel, fan_id, message}`` and
``Authorization: Bearer <token>`` answers the JSON of ``avatar reply --json`` (``text`` +
``disclosure`` ...). If ``avatar.server.http_api`` is not there yet, this script says so and exits 0.

The server runs in a subprocess (uvicorn on 127.0.0.1, one worker) over a persona store of
``--posts`` synthesised posts (precomputed vectors), MiniLM query embeddings (cached, as in
production) and a scripted model (``--model-ms`` of simulated generation, default 0). The
load generator is bounded: ``--fans`` asyncio tasks, each one a fan sending its next message
as soon as the previous reply arrives, for ``--seconds``. Afterwards every reply is checked
with ``avatar.verify`` against the persona's public key (outside the timed window).

Usage: ``python bench/concurrency.py [--quick] [--fans 50] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine_info, persona_folder, print_table, stats_ms, write_results
from _pipelines import REPLY, bench_store

TOKEN = "bench-token-0123456789abcdef"   # the API wants at least 16 characters


def serve(work: Path, posts: int, port: int, model_ms: int) -> None:
    """Child process: the API over one persona, until killed."""
    import uvicorn

    from avatar.avatar import Avatar
    from avatar.config import load_persona
    from avatar.embeddings import make_embedder
    from avatar.server.http_api import create_api
    from avatar.llm.base import FunctionBackend
    from avatar.stores.chroma import PersonaStore, make_client

    def model(prompt):
        if model_ms:
            time.sleep(model_ms / 1000)
        return REPLY
    pid = f"bench-{posts}"
    emb = make_embedder("minilm")
    persona = load_persona(persona_folder(work / f"persona-api-{pid}", pid))
    store = PersonaStore(make_client(path=work / f"chroma-{pid}"), pid, emb)
    av = Avatar(persona, backend=FunctionBackend(model), embedder=emb, store=store)
    av.profile()
    uvicorn.run(create_api({pid: av}, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")


async def fan(client, url: str, pid: str, i: int, msgs: list[str], stop: float, out: dict) -> None:
    n = 0
    while time.perf_counter() < stop:
        body = {"persona": pid, "channel": "dm", "fan_id": f"fan-{i}", "message": msgs[(i + n) % len(msgs)]}
        t0 = time.perf_counter()
        try:
            r = await client.post(url, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
            dt = time.perf_counter() - t0
            if r.status_code == 200:
                out["lat"].append(dt)
                out["replies"].append(r.json())
            else:
                out["errors"].append(f"HTTP {r.status_code}: {r.text[:200]}")
        except Exception as exc:   # a connection error is a failed request, counted
            out["errors"].append(f"{type(exc).__name__}: {exc}")
        n += 1


async def load(url: str, pid: str, fans: int, seconds: float, msgs: list[str]) -> dict:
    import httpx
    out: dict = {"lat": [], "replies": [], "errors": []}
    limits = httpx.Limits(max_connections=fans, max_keepalive_connections=fans)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        start = time.perf_counter()
        await asyncio.gather(*(fan(client, url, pid, i, msgs, start + seconds, out) for i in range(fans)))
        out["wall_s"] = time.perf_counter() - start
    return out


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the API server exited ({proc.returncode}); see its output above")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the API server did not start listening in time")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fans", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--model-ms", type=int, default=0, help="simulated model time per reply")
    ap.add_argument("--quick", action="store_true", help="15 s, 1000 posts")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quick:
        args.seconds, args.posts = 15, 1000
    work = args.workdir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    if args.serve:
        return serve(work, args.posts, args.serve, args.model_ms)
    if importlib.util.find_spec("avatar.server.http_api") is None:
        print("SKIPPED: avatar.server.http_api is not in this checkout yet (it is built on another branch); "
              "run this script again after merging it.")
        write_results("concurrency", {"skipped": "avatar.server.http_api missing"}, machine_info())
        return
    machine = machine_info()
    _, pid, _, msgs = bench_store(work, args.posts)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--workdir", str(work),
                             "--posts", str(args.posts), "--model-ms", str(args.model_ms)], env=env)
    try:
        wait_ready(port, proc)
        out = asyncio.run(load(f"http://127.0.0.1:{port}/v1/reply", pid, args.fans, args.seconds, msgs))
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    verified = verify_all(work, pid, out["replies"])
    lat = stats_ms(out["lat"]) if out["lat"] else {"p50_ms": float("nan"), "p99_ms": float("nan")}
    rps = len(out["lat"]) / out["wall_s"]
    print_table(f"HTTP API: {args.fans} concurrent fans for {args.seconds:.0f} s, {args.posts:,} posts",
                ["measurement", "value"], [
                    ["replies", len(out["lat"])], ["replies/s", rps], ["p50 latency (ms)", lat["p50_ms"]],
                    ["p99 latency (ms)", lat["p99_ms"]], ["errors", len(out["errors"])],
                    ["replies verified valid", f"{verified}/{len(out['replies'])}"]],
                note=f"{machine['cores']} cores, {machine['cpu']}, load {machine['loadavg_at_start'][0]:.2f}; "
                     f"model {args.model_ms} ms (scripted)")
    res = write_results("concurrency", {
        "fans": args.fans, "seconds": args.seconds, "posts": args.posts, "model_ms": args.model_ms,
        "replies": len(out["lat"]), "replies_per_s": rps, "latency": lat, "errors": len(out["errors"]),
        "error_samples": out["errors"][:10], "verified_valid": verified,
        "goal_zero_errors": not out["errors"], "goal_all_verified": verified == len(out["replies"])},
        machine)
    print(f"wrote {res}")


def verify_all(work: Path, pid: str, replies: list[dict]) -> int:
    from avatar import verify
    from avatar.keys import SigningKey
    public = SigningKey.load_or_create(work / f"persona-api-{pid}" / ".avatar" / "keys").public
    return sum(1 for r in replies if verify(r, [public]).valid)


if __name__ == "__main__":
    main()
