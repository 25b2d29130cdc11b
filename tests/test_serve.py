"""`avatar serve`: safe defaults (loopback, token, studio password) and a real end-to-end run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from avatar import PublicKey, verify
from avatar.cli import main
from conftest import ROOT

LABEL = "🤖 AI-generated · Mara Okafor's avatar"


@pytest.mark.parametrize("args,env,fragment", [
    (["--host", "0.0.0.0"], {}, "add --public"),
    (["--host", "0.0.0.0", "--public"], {}, "needs AVATAR_API_TOKEN"),
    (["--host", "0.0.0.0", "--public", "--no-auth"], {"AVATAR_API_TOKEN": "x" * 20}, "needs AVATAR_API_TOKEN"),
    (["--no-auth"], {"AVATAR_API_TOKEN": "x" * 20}, "conflicts"),
])
def test_serve_refuses_unsafe_setups(persona_dir, monkeypatch, capsys, args, env, fragment):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    code = main(["serve", "--persona", str(persona_dir), *args])
    assert code == 2 and fragment in capsys.readouterr().err


def _start(args, env, cwd):
    """Run `avatar serve` in a subprocess (stderr to a file); wait until /v1/health answers."""
    log = cwd / f"serve-{time.monotonic_ns()}.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "avatar.cli", "serve", *args], cwd=cwd,
                                env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                                stdout=subprocess.DEVNULL, stderr=err, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        found = re.search(r"on (http://127\.0\.0\.1:\d+)", log.read_text())
        try:
            if found and httpx.get(found.group(1) + "/v1/health", timeout=2).status_code == 200:
                return proc, found.group(1), log.read_text().splitlines(keepends=True)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not come up:\n" + log.read_text())


def test_serve_end_to_end_with_an_openai_compatible_backend(tmp_path):
    from avatar.testing import FakeOpenAIServer
    folder = tmp_path / "mara-okafor"
    shutil.copytree(ROOT / "persona_data" / "mara-okafor", folder, ignore=shutil.ignore_patterns(".avatar"))
    with FakeOpenAIServer(replies=["Fridays at 7pm UK time!"]) as llm:
        env = {"AVATAR_EMBEDDER": "hash", "AVATAR_API_TOKEN": "serve-test-token-0123456789"}
        proc, base, lines = _start(["--persona", str(folder), "--port", "0", "--backend", "openai",
                                    "--base-url", llm.base_url, "--model", "fake"], env, tmp_path)
        try:
            assert "studio" in "".join(lines) and "disabled" in "".join(lines)
            assert httpx.get(base + "/", timeout=10).status_code == 200          # the fan chat
            r = httpx.post(base + "/v1/reply", timeout=60,
                           headers={"Authorization": "Bearer serve-test-token-0123456789"},
                           json={"persona": "mara-okafor", "fan_id": "f", "message": "When is Form Friday?"})
            assert r.status_code == 200, r.text
            reply = r.json()
            assert reply["text"].startswith(LABEL) and "7pm UK time" in reply["text"]
            pem = httpx.get(base + "/v1/personas/mara-okafor/public-key?format=pem", timeout=10).text
            assert verify(reply, PublicKey.load(pem)).valid
            assert httpx.post(base + "/v1/reply", json={}, timeout=10).status_code == 401
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_serve_generates_a_token_when_none_is_set(tmp_path, persona_dir):
    proc, base, lines = _start(["--persona", str(persona_dir), "--port", "0"], {"AVATAR_EMBEDDER": "hash"}, tmp_path)
    try:
        token = re.search(r"API token for this run .*: (\S+)", "".join(lines)).group(1)
        assert len(token) >= 16
        ask = {"persona": "x", "fan_id": "f", "message": "hi"}
        assert httpx.post(base + "/v1/reply", json=ask, timeout=10).status_code == 401
        r = httpx.post(base + "/v1/reply", json=ask, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code == 404          # past auth: the persona id is wrong
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_password_hashes_and_the_hash_password_command(monkeypatch, capsys):
    from avatar.config import parse_config
    from avatar.errors import ConfigError
    from avatar.passwords import check_password, hash_password
    stored = hash_password("correct horse")
    assert check_password("correct horse", stored) and not check_password("correct hors", stored)
    assert not check_password("anything", "plain-text-password")
    assert hash_password("correct horse") != stored                      # salted
    with pytest.raises(ConfigError, match=r"studio\.password_hash.*hash-password"):
        parse_config({"name": "M", "handle": "@m", "studio": {"password_hash": "hunter2hunter2"}})
    assert main(["studio", "hash-password", "--password", "long-enough-pw"]) == 0
    out = capsys.readouterr().out
    line = out.splitlines()[-1]
    assert out.startswith("[studio]") and check_password("long-enough-pw", line.split('"')[1])
    assert main(["studio", "hash-password", "--password", "short"]) == 2
