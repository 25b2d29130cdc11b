"""Attacks on `avatar serve` (issue 12: items 1, 2, 6, 7, 11, 14, 15), each against a real
uvicorn server on 127.0.0.1 (a free port, stopped at the end of the test) or, for the memory
bound, a child process stopped by its PID.

Every loop here is bounded (counts and deadlines); every server is stopped in ``finally``.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from conftest import ROOT

from avatar.llm.base import ChatBackend, Prompt

TOKEN = "attack-suite-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MB_MESSAGE = "a" * 1_000_000


@contextmanager
def running(av, *, studio_password: str | None = None) -> Iterator[str]:
    """The whole `avatar serve` app (API, studio, fan chat) on a free 127.0.0.1 port."""
    from avatar.server.http_api import serve_in_background
    from avatar.server.server import create_server
    app = create_server(av, api_token=TOKEN, studio_password=studio_password)
    with serve_in_background(app) as url:
        yield url


# ---- the Gradio fan chat, spoken over plain HTTP ------------------------------------------------

def _fn(client: httpx.Client, name: str) -> int:
    deps = client.get("/config").json()["dependencies"]
    return next(d["id"] for d in deps if d.get("api_name") == name)


def gradio_call(client: httpx.Client, name: str, data: list, session: str) -> dict:
    """Run one fan-app event; return Gradio's final message (``success``, ``output``)."""
    join = client.post("/gradio_api/queue/join",
                       json={"data": data, "fn_index": _fn(client, name), "session_hash": session,
                             "event_data": None, "trigger_id": None})
    assert join.status_code == 200, join.text
    deadline = time.monotonic() + 30
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as resp:
        if resp.status_code != 200:
            return {"success": False, "status": resp.status_code, "text": resp.read().decode()}
        for line in resp.iter_lines():
            assert time.monotonic() < deadline, "the fan app did not finish within 30 s"
            if line.startswith("data: "):
                msg = json.loads(line[6:])
                if msg.get("msg") == "process_completed":
                    return msg
    raise AssertionError("the event stream ended without process_completed")


def said(msg: dict) -> str:
    """All text of a finished fan-chat event (the chat history, or the error)."""
    return json.dumps(msg.get("output", msg), ensure_ascii=False)


def send(client: httpx.Client, text: str, session: str) -> dict:
    return gradio_call(client, "on_send", [text, [], "dm"], session)


# ---- item 1: oversized messages ------------------------------------------------------------------

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1] + "/tests")
import conftest
from pathlib import Path
import tempfile
from avatar.avatar import Avatar
from avatar.config import load_persona
from avatar.errors import AvatarError
from avatar.stores.chroma import PersonaStore, make_client
from avatar.testing import HashEmbedder, ScriptedBackend
from avatar.server import handlers as h
persona = load_persona(conftest.write_persona(Path(tempfile.mkdtemp()) / "p"))
emb = HashEmbedder()
av = Avatar(persona, backend=ScriptedBackend(["Hi."]), embedder=emb,
            store=PersonaStore(make_client(ephemeral=True), persona.id, emb))
av.reply("warm up", fan_id="w")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
big = "a" * 1_000_000
out = {}
for name, call in {"fan_reply": lambda: list(h.fan_reply(av, big, [], "dm", "web:x")),
                   "try_reply": lambda: h.try_reply(av, big, "dm")}.items():
    start = time.monotonic()
    try:
        call()
        out[name] = "accepted"
    except AvatarError as exc:
        out[name] = str(exc)
    out[name + "_s"] = time.monotonic() - start
out["grew_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(out))
"""


def test_a_1mb_message_is_refused_by_every_ui_handler_quickly_and_in_bounded_memory(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(ROOT)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()           # this process only, by its PID
        proc.communicate()
        pytest.fail("a 1 MB message kept a UI handler busy for over 90 s")
    assert proc.returncode == 0, err[-2000:]
    result = json.loads(out.strip().splitlines()[-1])
    for name in ("fan_reply", "try_reply"):
        assert "4,000" in result[name] and "shorten" in result[name], result
        assert result[name + "_s"] < 1.0, result
    assert result["grew_mb"] < 50, result


def test_a_1mb_message_through_the_real_fan_chat_and_api_is_refused(make_avatar):
    av = make_avatar(replies=["Fine."])
    with running(av) as url, httpx.Client(base_url=url, timeout=30) as fan:
        fan.get("/")
        done = send(fan, MB_MESSAGE, uuid.uuid4().hex[:10])
        assert done["success"] is False and "4,000" in said(done)
        r = fan.post("/v1/reply", headers=AUTH, json={"persona": av.persona.id, "fan_id": "f",
                                                       "message": MB_MESSAGE})
        assert r.status_code == 413
        r = fan.post("/v1/reply", headers=AUTH, json={"persona": av.persona.id, "fan_id": "f",
                                                       "message": "b" * 4001})
        assert r.status_code == 413 and r.json()["error"] == "message_too_long"
        assert fan.get("/v1/health").status_code == 200
    assert not list(av.audit.entries()) or all("web:" not in json.dumps(e) for e in av.audit.entries())


# ---- item 2: wrong studio passwords ----------------------------------------------------------------

def _health_latencies(url: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(base_url=url, timeout=30) as c:
        for _ in range(500):            # bounded; ends early when the guesses are done
            if stop.is_set():
                return
            start = time.monotonic()
            c.get("/v1/health")
            out.append(time.monotonic() - start)
            time.sleep(0.02)


def _guess(url: str, source: str, results: list[int]) -> None:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(base_url=url, timeout=60, transport=transport) as c:
        results.append(c.post("/studio/login", data={"username": "creator",
                                                     "password": "wrong-guess"}).status_code)


def _login_storm(url: str, sources: list[str]) -> tuple[list[float], list[int]]:
    latencies: list[float] = []
    codes: list[int] = []
    stop = threading.Event()
    watcher = threading.Thread(target=_health_latencies, args=(url, stop, latencies))
    watcher.start()
    time.sleep(0.2)
    guessers = [threading.Thread(target=_guess, args=(url, s, codes)) for s in sources]
    for t in guessers:
        t.start()
    for t in guessers:
        t.join(90)
    stop.set()
    watcher.join(30)
    return latencies, codes


def test_wrong_studio_passwords_never_stall_the_server(make_avatar):
    from avatar.passwords import hash_password
    av = make_avatar(extra=f'[studio]\npassword_hash = "{hash_password("the-right-one")}"')
    with running(av) as url:
        # 20 wrong logins at once, each from its own address: 20 real scrypt checks
        latencies, codes = _login_storm(url, [f"127.0.0.{10 + i}" for i in range(20)])
        print(f"\nhealth during 20 concurrent wrong logins: max {max(latencies) * 1000:.0f} ms, "
              f"median {sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms, n={len(latencies)}")
        assert codes.count(400) == 20
        # The old handler slept 0.5 s and ran scrypt on the event loop: 20 guesses froze
        # health for ~10 s. The bound leaves room for this test's own 20 client threads
        # sharing the server's interpreter on a busy 2-core machine.
        assert max(latencies) < 1.5 and sorted(latencies)[len(latencies) // 2] < 0.2


def test_a_client_that_keeps_guessing_is_locked_out_alone(make_avatar):
    av = make_avatar()
    with running(av, studio_password="the-right-one") as url:
        attacker = httpx.Client(base_url=url, timeout=30,
                                transport=httpx.HTTPTransport(local_address="127.0.0.7"))
        creator = httpx.Client(base_url=url, timeout=30)
        with attacker, creator:
            codes = [attacker.post("/studio/login", data={"username": "creator", "password": f"x{i}"}).status_code
                     for i in range(6)]
            assert codes[:3] == [400, 400, 400] and 429 in codes[3:]
            locked = attacker.post("/studio/login", data={"username": "creator", "password": "the-right-one"})
            assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
            ok = creator.post("/studio/login", data={"username": "creator", "password": "the-right-one"})
            assert ok.status_code == 200                 # another address is not slowed
            # twenty parallel guesses from one address: one is checked, the rest refused at once
            _, storm = _login_storm(url, ["127.0.0.8"] * 20)
            assert storm.count(400) <= 3 and storm.count(429) >= 17


# ---- item 6: who a web fan is ---------------------------------------------------------------------

def test_another_browser_never_gets_a_fans_history_even_with_the_same_session_hash(make_avatar):
    prompts: list[str] = []

    def model(prompt: Prompt) -> str:
        prompts.append(prompt.to_transcript())
        return "Nice to meet you."
    av = make_avatar(backend=_FnBackend(model))
    with running(av) as url:
        with httpx.Client(base_url=url, timeout=30) as alice, httpx.Client(base_url=url, timeout=30) as mallory:
            alice.get("/")
            mallory.get("/")
            assert alice.cookies.get("avatar_fan") != mallory.cookies.get("avatar_fan")
            session = uuid.uuid4().hex[:10]
            first = send(alice, "my locker code is pineapple-42", session)
            assert first["success"], said(first)
            stolen = send(mallory, "what did I tell you?", session)      # Alice's session hash
            assert not stolen["success"] and "another browser" in said(stolen)
            peek = gradio_call(mallory, "on_verify", [None], session)    # Alice's last reply state
            assert "reply_id" not in said(peek) and "pineapple" not in said(peek)
            before = len(prompts)
            own = send(mallory, "what did I tell you?", uuid.uuid4().hex[:10])
            assert own["success"] and "pineapple" not in said(own)
            assert len(prompts) == before + 1 and "pineapple" not in prompts[-1]
        with sqlite3.connect(av.persona.state_dir / "fans.sqlite3") as db:   # what the avatar remembers
            fans = {row[0] for row in db.execute("SELECT DISTINCT fan_id FROM messages")}
    web = sorted(f for f in fans if f.startswith("web:"))
    assert len(web) == 2 and not any(session in f for f in web)   # not derived from the hash


def test_a_forged_fan_cookie_is_replaced_not_trusted(make_avatar):
    av = make_avatar()
    with running(av) as url, httpx.Client(base_url=url, timeout=30) as c:
        c.cookies.set("avatar_fan", "chosen-by-me.AAAA")
        r = c.get("/")
        assert "avatar_fan=" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
        assert "SameSite=Lax" in r.headers["set-cookie"]
        assert "chosen-by-me" not in r.headers["set-cookie"]


def test_rotating_cookies_and_session_hashes_is_still_rate_limited_but_a_crisis_gets_through(make_avatar):
    import avatar.server.app
    per_minute = getattr(avatar.server.app, "CLIENT_PER_MINUTE", 20)
    av = make_avatar(replies=["Keep lifting."])
    answered = refused = 0
    with running(av) as url:
        for _ in range(per_minute + 3):
            with httpx.Client(base_url=url, timeout=30) as fresh:    # new cookie, new hash
                done = send(fresh, "how many sets today?", uuid.uuid4().hex[:10])
                if done["success"]:
                    answered += 1
                elif "too many messages from your network" in said(done):
                    refused += 1
        with httpx.Client(base_url=url, timeout=30) as fresh:
            crisis = send(fresh, "I want to kill myself", uuid.uuid4().hex[:10])
    assert answered == per_minute and refused == 3
    assert crisis["success"], said(crisis)


# ---- item 7: a client that leaves mid-stream ------------------------------------------------------

class _FnBackend(ChatBackend):
    name, provider, model = "attack", "tests", "attack-1"

    def __init__(self, fn) -> None:
        self.fn = fn

    def stream(self, prompt: Prompt) -> Iterator[str]:
        out = self.fn(prompt)
        yield from [out] if isinstance(out, str) else out


def _slow(prompt: Prompt) -> Iterator[str]:
    for i in range(20):
        yield f"Sentence number {i} is here. "
        time.sleep(0.15)


def _records(av, deadline_s: float = 10.0, want: int = 1) -> list[dict]:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        found = [e["record"] for e in av.audit.entries()]
        if len(found) >= want:
            return found
        time.sleep(0.05)
    return [e["record"] for e in av.audit.entries()]


def _events(lines: Iterator[str], count: int) -> list[str]:
    got: list[str] = []
    for line in lines:
        if line.startswith("data: "):
            got.append(json.loads(line[6:]).get("text", ""))
            if len(got) >= count:
                break
    return got


def test_a_client_that_disconnects_mid_stream_gets_an_incomplete_record(make_avatar):
    av = make_avatar(backend=_FnBackend(_slow))
    body = {"persona": av.persona.id, "fan_id": "leaver", "message": "tell me everything"}
    with running(av) as url:
        with httpx.Client(base_url=url, timeout=30) as c, \
                c.stream("POST", "/v1/reply/stream", json=body, headers=AUTH) as resp:
            received = _events(resp.iter_lines(), 3)          # label + two sentences, then leave
        records = _records(av)
    assert len(records) == 1
    assert records[0]["complete"] is False
    kept = av.memory.history("leaver", "dm", 4)[-1].text
    assert kept.count("Sentence number") <= len(received) + 1     # at most one piece in flight
    assert "Sentence number 19" not in kept


def test_a_fan_who_closes_the_chat_mid_reply_gets_an_incomplete_record(make_avatar):
    av = make_avatar(backend=_FnBackend(_slow))
    session = uuid.uuid4().hex[:10]
    with running(av) as url, httpx.Client(base_url=url, timeout=30) as c:
        c.get("/")
        c.post("/gradio_api/queue/join", json={"data": ["tell me everything", [], "dm"],
                                               "fn_index": _fn(c, "on_send"), "session_hash": session,
                                               "event_data": None, "trigger_id": None})
        pieces = 0
        with c.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as resp:
            for line in resp.iter_lines():
                pieces += "process_generating" in line
                if pieces >= 3:                              # label + two sentences, then leave
                    break
        records = _records(av)
    assert len(records) == 1 and records[0]["complete"] is False
    with sqlite3.connect(av.persona.state_dir / "fans.sqlite3") as db:
        kept = db.execute("SELECT text FROM messages WHERE role = 'avatar'").fetchone()[0]
    assert kept.count("Sentence number") <= pieces + 1 and "Sentence number 19" not in kept


def test_a_client_that_leaves_before_the_first_byte_still_leaves_a_record(make_avatar):
    av = make_avatar(backend=_FnBackend(_slow))
    payload = json.dumps({"persona": av.persona.id, "fan_id": "gone", "message": "hi"}).encode()
    with running(av) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"POST /v1/reply/stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
                      + payload)
        records = _records(av)
    assert len(records) == 1 and records[0]["complete"] is False


# ---- item 11: uploads ----------------------------------------------------------------------------

def test_the_fan_app_takes_no_uploads_and_the_studio_has_a_cap(make_avatar, monkeypatch):
    import avatar.server.server
    monkeypatch.setattr(avatar.server.server, "STUDIO_MAX_UPLOAD", "1kb", raising=False)
    av = make_avatar()
    with running(av, studio_password="the-right-one") as url, httpx.Client(base_url=url, timeout=30) as c:
        big = {"files": ("posts.json", b"[" + b" " * 2_000_000 + b"]", "application/json")}
        r = c.post("/gradio_api/upload", files=big)
        assert r.status_code == 403
        assert c.post("/studio/login", data={"username": "creator", "password": "the-right-one"}).status_code == 200
        r = c.post("/studio/gradio_api/upload", files={"files": ("p.json", b"[" + b" " * 4000 + b"]")})
        assert r.status_code == 413
        r = c.post("/studio/gradio_api/upload", files={"files": ("p.json", b"[]")})
        assert r.status_code == 200


# ---- item 14: markup is neutralised the same way on every path -------------------------------------

HOSTILE = "Click [here](javascript:alert(1)) for **free** gains. <b>Now</b> go."


def test_markup_from_the_model_is_neutralised_the_same_on_api_stream_and_ui(make_avatar):
    from avatar.server import handlers as h
    av = make_avatar(replies=[HOSTILE])
    with running(av) as url, httpx.Client(base_url=url, timeout=30) as c:
        body = {"persona": av.persona.id, "fan_id": "m1", "message": "any tips?"}
        api = c.post("/v1/reply", json=body, headers=AUTH).json()["text"]
        with c.stream("POST", "/v1/reply/stream", json={**body, "fan_id": "m2"}, headers=AUTH) as resp:
            lines = [json.loads(x[6:]) for x in resp.iter_lines() if x.startswith("data: ")]
        streamed = lines[-1]["text"]
    ui_text = [r for _, r in h.fan_reply(av, "any tips?", [], "dm", "web:m3") if r][-1]["text"]
    for text in (api, streamed, ui_text):
        assert "javascript:" not in text.lower()
        assert "**" not in text and "<b>" not in text
    bodies = {t.split("\n", 1)[1].strip() for t in (api, streamed, ui_text)}
    assert len(bodies) == 1, bodies


# ---- item 15: errors that are not user mistakes; readiness -----------------------------------------

def test_a_queue_error_is_a_conflict_not_a_bug(make_avatar):
    from avatar.errors import DisclosureError, QueueError
    for exc, status in ((QueueError("no queue item 'x' — list them"), 409),
                        (DisclosureError("the label is required — keep it on"), 409)):
        av = make_avatar(replies=[exc])
        with running(av) as url, httpx.Client(base_url=url, timeout=30) as c:
            r = c.post("/v1/reply", headers=AUTH, json={"persona": av.persona.id, "fan_id": "q",
                                                         "message": "hello"})
        assert r.status_code == status and "bug" not in r.json()["message"]


def test_a_chroma_server_that_goes_down_is_503_with_retry_after_and_health_says_so(make_avatar, tmp_path):
    from test_chroma_server import CHROMA, ENV, _free_port, _wait_ready

    from avatar.stores.chroma import PersonaStore, make_client
    from avatar.testing import HashEmbedder
    port, log = _free_port(), tmp_path / "chroma.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "db"), "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=ENV)
    try:
        _wait_ready(f"http://127.0.0.1:{port}", proc, log)
        av = make_avatar(ingest=False)
        remote = PersonaStore(make_client(url=f"http://127.0.0.1:{port}"), av.persona.id, HashEmbedder())
        with av.override(store=remote), running(av) as url, httpx.Client(base_url=url, timeout=30) as c:
            assert c.get("/v1/ready").status_code == 200
            proc.terminate()                       # our chroma server, by its PID
            proc.wait(20)
            r = c.post("/v1/reply", headers=AUTH, json={"persona": av.persona.id, "fan_id": "s",
                                                         "message": "how often should I train?"})
            assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0, r.text
            assert "bug" not in r.json()["message"]
            time.sleep(5.1)                        # past the health probe's cache
            health = c.get("/v1/health")
            assert health.status_code == 200 and health.json()["status"] == "degraded"
            assert health.json()["stores"][av.persona.id]["ok"] is False
            ready = c.get("/v1/ready")
            assert ready.status_code == 503 and "Retry-After" in ready.headers
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_ready_reports_the_model_and_the_store(make_avatar):
    av = make_avatar()
    with running(av) as url, httpx.Client(base_url=url, timeout=30) as c:
        r = c.get("/v1/ready")
    assert r.status_code == 200 and r.json()["status"] == "ready"
    assert r.json()["personas"][av.persona.id]["store"]["posts"] > 0
