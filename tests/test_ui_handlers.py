"""The app's handlers, without a browser: plain functions over an Avatar built on the fakes."""

from __future__ import annotations

import json
import tomllib

import pytest

from avatar import PublicKey, verify
from avatar.errors import ConfigError
from avatar.server import handlers as h
from avatar.server.server import studio_disabled_reason

LABEL = "🤖 AI-generated · Mara Okafor's avatar"


def test_fan_reply_streams_label_first_then_signed_reply(make_avatar):
    av = make_avatar(replies=[["Three sessions a week. ", "Rest matters!"]])
    steps = list(h.fan_reply(av, "How often?", [], "comment", "web:abc"))
    first_history, first_reply = steps[0]
    assert first_reply is None
    assert first_history[0] == {"role": "user", "content": "How often?"}
    first_bubble = first_history[-1]["content"]
    assert first_bubble.startswith("**Mara Okafor** `AI`") and h.md_escape(LABEL) in first_bubble
    assert "Three" not in first_bubble                      # nothing from the model before the label
    history, reply = steps[-1]
    assert verify(reply, av.public_key).valid and reply["channel"] == "comment"
    assert history[-1]["content"] == h.avatar_message(av, reply["text"])
    assert len(history) == 2


def test_fan_reply_keeps_the_signed_text_exact_under_markdown(make_avatar):
    av = make_avatar(replies=["Costs *nothing* [here](x) # 1. <b>ok</b> $5 ~ _x_"])
    history, reply = list(h.fan_reply(av, "price?", None, "dm", "web:x"))[-1]
    shown = history[-1]["content"].split("\n\n", 1)[1]
    unescaped = shown.replace("\\", "")
    assert unescaped == reply["text"].replace("\\", "")
    assert "*nothing*" not in shown                         # would render as emphasis otherwise


def test_fan_reply_backend_failure_shows_partial_signed_reply(make_avatar):
    av = make_avatar(replies=[["First part. ", RuntimeError("boom")]])
    history, reply = list(h.fan_reply(av, "hi", [], "dm", "web:y"))[-1]
    assert reply["disclosure"]["record"]["complete"] is False and verify(reply, av.public_key).valid
    assert "reply cut short" in history[-1]["content"]


def test_fans_do_not_share_conversations(make_avatar):
    av = make_avatar(replies=lambda p: f"seen {len(p.history)} earlier turns")
    list(h.fan_reply(av, "my secret plan", [], "dm", "web:one"))
    _, reply = list(h.fan_reply(av, "hello", [], "dm", "web:two"))[-1]
    assert "seen 0 earlier turns" in reply["text"]
    assert all("secret" not in m.text for m in av.memory.history("web:two", "dm", 50))


def test_verify_view(make_avatar):
    av = make_avatar()
    assert "No reply" in h.verify_view(av, None)[0]
    _, reply = list(h.fan_reply(av, "hi", [], "dm", "web:z"))[-1]
    text, details = h.verify_view(av, reply)
    assert text.startswith("✅ **valid**") and details["record"]["reply_id"] == reply["reply_id"]
    tampered = json.loads(json.dumps(reply))
    tampered["text"] = tampered["text"].replace("Hi", "Bye")
    assert "text altered" in h.verify_view(av, tampered)[0]


def test_ingest_files_reports_counts_rejections_and_progress(make_avatar, tmp_path):
    av = make_avatar(ingest=False)
    good = tmp_path / "export.jsonl"
    good.write_text('{"text": "Squats on Monday 💪"}\nnot json\n{"text": "Deadlifts on Friday 🔥🔥"}\n',
                    encoding="utf-8")
    seen = []
    summary, rejected = h.ingest_files(av, [str(good)], None, progress=lambda d, t: seen.append((d, t)))
    assert summary.startswith("read 3, added 2") and seen[-1] == (2, 2)
    assert rejected == [["export.jsonl:line 2", rejected[0][1]]] and "not valid JSON" in rejected[0][1]
    assert h.ingest_files(av, [str(good)])[0].startswith("read 3, added 0, skipped 2")
    with pytest.raises(ConfigError, match="no file"):
        h.ingest_files(av, [])


def test_profile_view_tables(make_avatar):
    av = make_avatar()
    text, lengths, emojis = h.profile_view(av)
    assert text.startswith("Style profile from 6 posts")
    assert list(lengths["characters"]) == h.length_bin_labels()
    assert lengths["posts"].sum() == 6
    assert set(emojis["emoji"]) == {"💪", "🔥", "✨"} and emojis["uses"].sum() == 3


def test_save_persona_form_validates_writes_and_applies(make_avatar):
    av = make_avatar()
    path = av.persona.root / "persona.toml"
    original = path.read_text(encoding="utf-8")
    msg = h.save_persona_form(av, "Coach in Leeds.", "home address\ngym schedule", "Not here, sorry!",
                              "prices, dates", "")
    assert "2 avoided topic(s)" in msg
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["boundaries"]["avoid_topics"] == ["home address", "gym schedule"]
    assert data["name"] == "Mara Okafor" and data["disclosure"]["preset"] == "EU"  # the rest kept
    reply = av.reply("what is your gym schedule?", fan_id="f")         # applied without restart
    assert "boundary:gym schedule" in reply.events and "Not here, sorry!" in reply.text
    assert h.persona_form(av)["never_invent"] == "prices\ndates"
    assert original != path.read_text(encoding="utf-8")


def test_save_persona_form_rejects_invalid_and_leaves_file(make_avatar, monkeypatch):
    av = make_avatar()
    path = av.persona.root / "persona.toml"
    before = path.read_text(encoding="utf-8")
    import avatar.server.handlers as mod
    real = mod.parse_config

    def strict(data, source):
        data = dict(data, boundaries={**data["boundaries"], "avoid_reply": 7})
        return real(data, source)
    monkeypatch.setattr(mod, "parse_config", strict)
    with pytest.raises(ConfigError, match=r"boundaries\.avoid_reply"):
        h.save_persona_form(av, "bio", "", "x", "", "")
    assert path.read_text(encoding="utf-8") == before
    assert not list(path.parent.glob(".persona-*"))


def test_try_reply_shows_reply_and_retrieved_posts(make_avatar):
    av = make_avatar(replies=["Romanian deadlifts, always."])
    text, posts = h.try_reply(av, "What's your favourite lift?", "comment")
    assert text.startswith(LABEL) and "Romanian deadlifts" in text
    assert posts and any("Romanian deadlift" in row[2] for row in posts)
    assert all(isinstance(row[0], float) for row in posts)


def test_audit_view_and_tampering(make_avatar):
    av = make_avatar()
    av.reply("one", fan_id="a")
    av.reply("two", fan_id="b")
    status, rows = h.audit_view(av)
    assert status.startswith("✅") and len(rows) == 2 and {r[-1] for r in rows} == {"valid"}
    lines = av.audit.path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row["entry"]["record"]["channel"] = "live"
    av.audit.path.write_text("\n".join([json.dumps(row), *lines[1:]]) + "\n", encoding="utf-8")
    status, rows = h.audit_view(av)
    assert status.startswith("❌") and "edited" in status and rows[-1][-1] == "INVALID"


def test_public_key_view(make_avatar, tmp_path):
    av = make_avatar()
    pem, key_id, file = h.public_key_view(av, tmp_path)
    assert key_id == av.public_key.id and PublicKey.load(open(file).read()).id == key_id
    assert verify(av.reply("hi", fan_id="k").to_dict(), PublicKey.load(pem)).valid


def test_queue_handlers_on_the_real_queues(make_avatar):
    av = make_avatar(["Three sessions a week is plenty."], extra="[channels.dm]\napproval = true")
    assert h.queue_rows(av, "approval") == []
    held = [av.reply(f"question {n} about squats", fan_id=f"f{n}") for n in range(3)]
    assert all(r.pending for r in held)
    rows = h.queue_rows(av, "approval")
    assert [r[0] for r in rows] == [r.pending for r in held]
    assert rows[0][1:5] == ["dm", "f0", "question 0 about squats", "Three sessions a week is plenty."]
    h.queue_action(av, "approve", f" {held[0].pending} ", "Two or three sessions a week is plenty.")
    h.queue_action(av, "rewrite", held[1].pending, "Come to Form Friday and ask me!")
    h.queue_action(av, "dismiss", held[2].pending)
    assert h.queue_rows(av, "approval") == []
    done = {i.id: i.status for i in av.queue.list(kind="approval", status=None)}
    assert [done[r.pending] for r in held] == ["edited", "rewritten", "dismissed"]
    handoff = av.reply("can I talk to the real Mara please?", channel="comment", fan_id="f9")
    assert [r[2] for r in h.queue_rows(av, "handoff")] == ["f9"] and av.verify(handoff).valid
    with pytest.raises(ConfigError, match="empty"):
        h.queue_action(av, "rewrite", held[0].pending, " ")
    with pytest.raises(ConfigError, match="no item"):
        h.queue_action(av, "dismiss", "")
    with pytest.raises(ConfigError, match="unknown queue action"):
        h.queue_action(av, "publish", held[0].pending)


def test_studio_password_rules():
    assert "disabled" in studio_disabled_reason(None) and "AVATAR_STUDIO_PASSWORD" in studio_disabled_reason("")
    assert "shorter" in studio_disabled_reason("short")
    assert studio_disabled_reason("long-enough-password") == ""


def test_studio_login_and_disabled_studio(make_avatar):
    from fastapi.testclient import TestClient

    from avatar.server.server import create_server
    av = make_avatar()
    with TestClient(create_server(av, api_token="x" * 20, studio_password=None)) as c:
        assert "disabled" in c.get("/studio/config").text
        assert c.get("/config").status_code == 200               # the fan chat stays open
    with TestClient(create_server(av, api_token="x" * 20, studio_password="right-password")) as c:
        assert c.get("/studio/config").status_code == 401
        assert c.post("/studio/login", data={"username": "creator", "password": "wrong"}).status_code == 400
        assert c.post("/studio/login", data={"username": "creator", "password": "right-password"}).status_code == 200
        assert c.get("/studio/config").status_code == 200


def test_studio_login_with_the_persona_files_password_hash(make_avatar):
    from fastapi.testclient import TestClient

    from avatar.passwords import hash_password
    from avatar.server.server import create_server
    av = make_avatar(extra=f'[studio]\npassword_hash = "{hash_password("from-the-file")}"')
    with TestClient(create_server(av, api_token="x" * 20, studio_password=None)) as c:
        assert c.get("/studio/config").status_code == 401
        assert c.post("/studio/login", data={"username": "creator", "password": "wrong-one"}).status_code == 400
        assert c.post("/studio/login", data={"username": "fan", "password": "from-the-file"}).status_code == 400
        assert c.post("/studio/login", data={"username": "creator", "password": "from-the-file"}).status_code == 200
        assert c.get("/studio/config").status_code == 200
    with TestClient(create_server(av, api_token="x" * 20, studio_password="env-password-wins")) as c:
        assert c.post("/studio/login", data={"username": "creator", "password": "from-the-file"}).status_code == 400
        assert c.post("/studio/login", data={"username": "creator", "password": "env-password-wins"}).status_code == 200
