"""The persona store against a real Chroma server (`chroma run`), as in a scaled deployment.

A session fixture starts ``chroma run --path TMP --host 127.0.0.1 --port FREE`` from the
chromadb package in this venv, waits for its heartbeat and stops it at the end. The store
tests of tests/test_store.py run again here through ``HttpClient`` (the ``new_client``
fixture is overridden), and two separate app processes share one persona through it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, write_persona
from test_store import (  # noqa: F401  (collected again here, against the server)
    pid,
    test_add_query_roundtrip,
    test_deleted_posts_leave_both_indexes,
    test_examples_come_from_their_own_index_and_match_a_filtered_query,
    test_example_filters_with_platforms_and_kinds,
    test_a_new_import_reaches_the_in_process_examples_index,
    test_every_store_keeps_the_same_contract,
    test_store_from_before_the_examples_index_is_upgraded_on_open,
    test_query_on_an_empty_store_returns_nothing,
    test_retrieve_answers_posts_and_examples_in_one_call_matching_the_single_queries,
    test_embedder_mismatch_is_a_clear_error,
    test_failed_add_leaves_store_unchanged,
    test_import_embeds_in_length_order_and_keeps_each_vector_with_its_post,
    test_second_client_sees_the_same_posts,
)

from avatar.stores.chroma import make_client

CHROMA = Path(sys.executable).parent / "chroma"
READY_TIMEOUT = 30.0
ENV = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"chroma run not ready after {READY_TIMEOUT:.0f} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> str:
    """URL of a real Chroma server on 127.0.0.1, running for the whole session."""
    if not CHROMA.is_file():
        pytest.fail(f"{CHROMA} not found — install chromadb into this venv (pip install chromadb)")
    folder = tmp_path_factory.mktemp("chroma-server")
    port, log = _free_port(), folder / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(CHROMA), "run", "--path", str(folder / "data"),
                                 "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=ENV)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def new_client(chroma_server):
    """Overrides test_store's fixture: every client talks to the one server."""
    return lambda: make_client(url=chroma_server)


def test_server_heartbeat_and_client(chroma_server):
    client = make_client(url=chroma_server)
    assert client.heartbeat() > 0


INGEST = """
import json, sys
from avatar import Avatar, Settings
av = Avatar.open(sys.argv[1], settings=Settings.from_env())
report = av.ingest([sys.argv[2]])
print(json.dumps({"added": report.added, "count": av.store.count()}))
"""

REPLY = """
import json, sys
from avatar import Avatar, Settings
from avatar.testing import ScriptedBackend
av = Avatar.open(sys.argv[1], backend=ScriptedBackend(["Sleep first, then train."]),
                 settings=Settings.from_env())
reply = av.reply("do rest days and sleep matter?", fan_id="fan-1")
print(json.dumps({"count": av.store.count(), "system": av.backend.prompts[-1].system,
                  "retrieved": [s.post.id for s in reply.retrieved],
                  "valid": av.verify(reply).valid, "text": reply.text}))
"""


def _run_app(code: str, *args: str, url: str) -> dict:
    env = {**ENV, "AVATAR_CHROMA_URL": url, "AVATAR_EMBEDDER": "hash"}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_app_processes_share_one_persona(chroma_server, tmp_path, posts_file):
    """One process imports; a fresh process with its own copy of the persona folder (no
    local store) retrieves those posts from the server and replies with them."""
    persona_id = f"shared-{uuid.uuid4().hex[:8]}"
    writer = write_persona(tmp_path / "replica-a", pid=persona_id)
    reader = tmp_path / "replica-b"
    reader.mkdir()
    shutil.copy(writer / "persona.toml", reader / "persona.toml")

    imported = _run_app(INGEST, str(writer), str(posts_file), url=chroma_server)
    assert imported == {"added": 6, "count": 6}

    seen = _run_app(REPLY, str(reader), url=chroma_server)
    assert seen["count"] == 6
    assert "Sleep is the best supplement" in seen["system"]
    assert seen["retrieved"] and seen["valid"]
    assert seen["text"].endswith("Sleep first, then train.")
    assert not (reader / ".avatar" / "chroma").exists()    # nothing came from a local store
    assert not (writer / ".avatar" / "chroma").exists()
