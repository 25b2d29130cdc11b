"""The HTTP API: replies verify, errors are 4xx with the field named, every response is labelled."""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from fastapi.testclient import TestClient

from avatar import PublicKey, verify
from avatar.errors import BackendUnavailable, ConfigError
from avatar.server.http_api import MAX_MESSAGE_CHARS, create_api, serve_in_background

TOKEN = "t0ken-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LABEL = "🤖 AI-generated · Mara Okafor's avatar"


@pytest.fixture
def av(make_avatar):
    return make_avatar(replies=["Three sessions a week. Rest days matter!"])


@pytest.fixture
def client(av):
    with TestClient(create_api({av.persona.id: av}, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def ask(av, message="How often should I train?", **extra):
    return {"persona": av.persona.id, "channel": "dm", "fan_id": "fan-1", "message": message, **extra}


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_reply_is_the_cli_json_and_verifies(client, av):
    r = client.post("/v1/reply", json=ask(av), headers=AUTH)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"text", "disclosure", "reply_id", "channel", "events", "sources", "pending"}
    assert body["text"].startswith(LABEL) and "Three sessions a week." in body["text"]
    assert r.headers["AI-Disclosure"] == body["disclosure"]["record"]["ai_disclosure"]
    assert r.headers["AI-Disclosure"].startswith("mode=ai-originated")
    assert verify(body, av.public_key).valid
    assert verify(body, PublicKey.load(client.get(f"/v1/personas/{av.persona.id}/public-key?format=pem").text)).valid
    checked = client.post("/v1/verify", json=body)
    assert checked.json()["valid"] is True and checked.json()["reason"] == "valid"


def test_verify_reports_tampering_and_unknown_keys(client, av, make_avatar):
    body = client.post("/v1/reply", json=ask(av), headers=AUTH).json()
    altered = dict(body, text=body["text"] + "!")
    assert client.post("/v1/verify", json=altered).json()["reason"] == "text altered"
    unlabeled = dict(body, text=body["text"].replace(LABEL, ""))
    assert client.post("/v1/verify", json=unlabeled).json()["reason"] == "label removed"
    other = make_avatar().reply("hi", fan_id="x").to_dict()
    res = client.post("/v1/verify", json=other).json()
    assert res["valid"] is False and res["reason"] == "unknown key"


def test_stream_sends_label_first_and_signed_reply_last(client, av):
    r = client.post("/v1/reply/stream", json=ask(av), headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    assert r.headers["AI-Disclosure"].startswith("mode=ai-originated, model=\"scripted-1\"")
    events = parse_sse(r.text)
    assert events[0][0] == "label" and events[0][1]["text"].startswith(LABEL)
    assert [e for e, _ in events[1:-1]] == ["text"] * (len(events) - 2)
    name, reply = events[-1]
    assert name == "reply" and verify(reply, av.public_key).valid
    assert reply["text"] == "".join(d["text"] for _, d in events[:-1])


def test_stream_backend_failure_still_ends_with_a_signed_partial_record(make_avatar):
    av = make_avatar(replies=[["First sentence. ", RuntimeError("model crashed")]])
    with TestClient(create_api({av.persona.id: av}, token=TOKEN)) as c:
        events = parse_sse(c.post("/v1/reply/stream", json=ask(av), headers=AUTH).text)
    names = [e for e, _ in events]
    assert names[0] == "label" and names[-2:] == ["error", "reply"]
    reply = events[-1][1]
    assert reply["disclosure"]["record"]["complete"] is False and verify(reply, av.public_key).valid


@pytest.mark.parametrize("headers,fragment", [
    ({}, "missing token"),
    ({"Authorization": "Bearer wrong-token-0123456789"}, "wrong token"),
    ({"Authorization": f"Basic {TOKEN}"}, "missing token"),
])
@pytest.mark.parametrize("path", ["/v1/reply", "/v1/reply/stream"])
def test_write_endpoints_need_the_token(client, av, headers, fragment, path):
    r = client.post(path, json=ask(av), headers=headers)
    assert r.status_code == 401 and fragment in r.json()["message"]
    assert r.headers["AI-Disclosure"] == "mode=none"


def test_bad_requests_are_4xx_naming_the_field(client, av):
    cases = [
        (client.post("/v1/reply", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"}),
         422, "body"),
        (client.post("/v1/reply", json={"persona": av.persona.id, "fan_id": "f"}, headers=AUTH), 422, "message"),
        (client.post("/v1/reply", json=ask(av, channel="email"), headers=AUTH), 422, "channel"),
        (client.post("/v1/reply", json=ask(av, surprise=1), headers=AUTH), 422, "surprise"),
        (client.post("/v1/reply", json=ask(av, message="x" * (MAX_MESSAGE_CHARS + 1)), headers=AUTH), 413, "message"),
        (client.post("/v1/reply", json=dict(ask(av), persona="nobody"), headers=AUTH), 404, "persona"),
        (client.post("/v1/verify", json={"text": "hi"}), 422, "disclosure"),
        (client.get("/v1/personas/nobody/public-key"), 404, "persona"),
    ]
    for r, status, field in cases:
        assert r.status_code == status, (field, r.text)
        assert r.json()["field"] == field and r.json()["message"], r.json()
        assert r.headers["AI-Disclosure"] == "mode=none"
    assert "nobody" in cases[5][0].json()["message"] and av.persona.id in cases[5][0].json()["message"]


def test_blank_message_is_400_not_500(client, av):
    r = client.post("/v1/reply", json=ask(av, message="   "), headers=AUTH)
    assert r.status_code == 400 and "empty" in r.json()["message"]


def test_oversize_body_is_413_before_parsing(client, av):
    big = json.dumps(ask(av, message="x" * 300_000))
    r = client.post("/v1/reply", content=big, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413 and "KiB" in r.json()["message"]
    assert r.headers["AI-Disclosure"] == "mode=none"


def test_library_errors_map_to_status_codes(make_avatar):
    av = make_avatar(replies=[BackendUnavailable("the model server is down — start it")])
    with TestClient(create_api({av.persona.id: av}, token=TOKEN)) as c:
        r = c.post("/v1/reply", json=ask(av), headers=AUTH)
    assert r.status_code == 503 and r.json() == {"error": "BackendUnavailable",
                                                 "message": "the model server is down — start it"}


def test_every_response_carries_the_header(client, av):
    for r in (client.get("/v1/health"), client.get("/openapi.json"), client.get("/v1/nothing-here"),
              client.get(f"/v1/personas/{av.persona.id}/public-key"), client.delete("/v1/reply")):
        assert "AI-Disclosure" in r.headers, r.url
    assert client.get("/v1/health").json()["personas"] == [av.persona.id]


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/reply", "/v1/reply/stream", "/v1/verify", "/v1/health",
            "/v1/personas/{persona}/public-key"} <= set(paths)


def test_refuses_to_start_without_a_token(av):
    with pytest.raises(ConfigError, match="AVATAR_API_TOKEN"):
        create_api({av.persona.id: av}, token=None)
    with pytest.raises(ConfigError, match="too short"):
        create_api({av.persona.id: av}, token="short")
    open_api = create_api({av.persona.id: av}, token=None, allow_no_auth=True)
    with TestClient(open_api) as c:
        assert c.post("/v1/reply", json=ask(av)).status_code == 200


def test_concurrent_replies_over_real_http_all_verify(make_avatar):
    """Many fans at once against one Avatar: every reply signed, logged, and kept per fan."""
    av = make_avatar(replies=lambda prompt: f"Answer for: {prompt.message}")
    app = create_api({av.persona.id: av}, token=TOKEN)
    results: list[dict] = []
    errors: list[BaseException] = []

    def fan(i: int, base: str) -> None:
        try:
            with httpx.Client(base_url=base, headers=AUTH, timeout=30) as h:
                for j in range(3):
                    path = "/v1/reply" if j % 2 == 0 else "/v1/reply/stream"
                    r = h.post(path, json=ask(av, message=f"question {i}-{j}", fan_id=f"fan-{i}"))
                    r.raise_for_status()
                    results.append(r.json() if path == "/v1/reply" else parse_sse(r.text)[-1][1])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with serve_in_background(app) as base:
        threads = [threading.Thread(target=fan, args=(i, base)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    assert len(results) == 24 and all(verify(r, av.public_key).valid for r in results)
    assert av.audit.verify().ok and av.audit.verify().entries == 24
    for i in range(8):   # each fan's memory holds only that fan's messages
        texts = [m.text for m in av.memory.history(f"fan-{i}", "dm", 100)]
        assert len(texts) == 6 and all(f"question {i}-" in t for t in texts)


@pytest.mark.parametrize("message,model", [("How often should I train?", "scripted-1"),
                                           ("are you a bot?", "fixed-template")])
def test_stream_header_matches_the_signed_record(client, av, message, model):
    r = client.post("/v1/reply/stream", json=ask(av, message=message), headers=AUTH)
    reply = parse_sse(r.text)[-1][1]
    assert r.headers["AI-Disclosure"] == reply["disclosure"]["record"]["ai_disclosure"]
    assert f'model="{model}"' in r.headers["AI-Disclosure"]
