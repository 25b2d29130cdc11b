"""Cost of the disclosure per reply: building + signing the record (Ed25519), and checking it.

Rows: ``canonical`` (the JSON bytes that are signed), ``Ed25519 sign`` / ``verify`` of those
bytes alone, ``Stamper.finish`` (build the record, hash the text, sign), ``verify(reply)``
(the platform's full check: canonicalise, signature, label placement, text hash) and the
same from the reply's JSON (parse included). Usage: ``python bench/signing.py [--n N]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _common import machine_info, persona_folder, print_table, write_results

from avatar.config import load_persona
from avatar.disclosure import LabelPolicy, Stamper, canonical, compose, verify
from avatar.keys import SigningKey
from avatar.testing import ScriptedBackend


def per_call_us(fn, n: int) -> float:
    best = float("inf")
    for _ in range(3):                   # best of 3 runs of n calls: least disturbed by load
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, time.perf_counter() - t0)
    return best / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--quick", action="store_true", help="n = 500")
    args = ap.parse_args()
    n = 500 if args.quick else args.n
    machine = machine_info()
    persona = load_persona(persona_folder(Path(tempfile.mkdtemp()) / "p", "bench-sign"))
    cfg = persona.config
    key = SigningKey.generate()
    policy = LabelPolicy.resolve(cfg.disclosure, cfg.name, cfg.handle)
    stamper = Stamper(persona.id, cfg.name, cfg.handle, policy, key)
    body = "Start light, three sessions a week, and be patient with yourself 💪"
    shown = compose(body, policy.label, policy.placement)
    backend = ScriptedBackend()

    def finish():
        return stamper.finish(shown=shown, body=body, channel="dm", fan_id="fan-1", backend=backend)
    reply = finish()
    record = reply.disclosure.record
    data = canonical(record)
    sig = key.sign(data)
    as_json = json.dumps(reply.to_dict(), ensure_ascii=False)
    assert verify(reply, [key.public]).valid and verify(json.loads(as_json), [key.public]).valid
    rows = {
        "canonical(record)": per_call_us(lambda: canonical(record), n),
        "Ed25519 sign": per_call_us(lambda: key.sign(data), n),
        "Ed25519 verify": per_call_us(lambda: key.public.verify(sig, data), n),
        "Stamper.finish (record + hash + sign)": per_call_us(finish, n),
        "verify(reply) (full check)": per_call_us(lambda: verify(reply, [key.public]), n),
        "verify(json.loads(reply JSON))": per_call_us(lambda: verify(json.loads(as_json), [key.public]), n),
    }
    print_table("Disclosure cost per reply (µs, best of 3 x n calls)", ["step", "µs"],
                [[k, v] for k, v in rows.items()],
                note=f"n={n}; {machine['cores']} cores, {machine['cpu']}, load {machine['loadavg_at_start'][0]:.2f}")
    print(f"wrote {write_results('signing', {'n': n, 'record_bytes': len(data), 'us_per_call': rows}, machine)}")


if __name__ == "__main__":
    main()
