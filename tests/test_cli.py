"""The CLI contract: command names, flags, JSON shapes, one-line errors, exit codes.

The chat backend is the OpenAI adapter pointed at a real HTTP server on 127.0.0.1
(selected through the environment, as a user would); embeddings use the hash fake.
"""

import json

import pytest

from avatar.cli import main
from avatar.testing import FakeOpenAIServer
from conftest import write_persona


@pytest.fixture
def server():
    with FakeOpenAIServer(replies=["Three sessions a week is plenty to start 💪"]) as srv:
        yield srv


@pytest.fixture
def env(monkeypatch, server):
    monkeypatch.setenv("AVATAR_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("AVATAR_MODEL", "fake-model")
    monkeypatch.setenv("AVATAR_EMBEDDER", "hash")
    return server


@pytest.fixture
def persona(tmp_path, posts_file, env, capsys):
    folder = write_persona(tmp_path / "mara")
    assert main(["ingest", str(posts_file), "--persona", str(folder)]) == 0
    capsys.readouterr()
    return folder


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_ingest_prints_counts_and_is_idempotent(capsys, tmp_path, posts_file, env):
    folder = write_persona(tmp_path / "m")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine post"}\n{broken\n', encoding="utf-8")
    code, out, _ = run(capsys, "ingest", posts_file, bad, "--persona", folder)
    assert code == 0
    assert "read 8" in out and "added 7" in out and "rejected 1" in out and "bad.jsonl" in out
    code, out, _ = run(capsys, "ingest", posts_file, "--persona", folder, "--json")
    data = json.loads(out)
    assert (data["added"], data["skipped"]) == (0, 6)


def test_profile_text_and_json(capsys, persona):
    code, out, _ = run(capsys, "profile", "--persona", persona, "--json")
    assert code == 0 and json.loads(out)["post_count"] == 6
    code, out, _ = run(capsys, "profile", "--persona", persona)
    assert code == 0 and out.strip()


def test_reply_json_contract_and_verify_roundtrip(capsys, persona, tmp_path, monkeypatch, env):
    code, out, _ = run(capsys, "reply", "--persona", persona, "--channel", "comment", "--fan", "f1",
                       "--json", "how often should I train?")
    assert code == 0
    data = json.loads(out)
    assert data["text"].startswith(data["disclosure"]["label"])
    assert "Three sessions" in data["text"]
    assert data["disclosure"]["record"]["model"] == "fake-model"
    assert data["disclosure"]["record"]["channel"] == "comment"
    reply_file = tmp_path / "reply.json"
    reply_file.write_text(out)
    code, out, _ = run(capsys, "verify", reply_file, "--persona", persona)
    assert code == 0 and out.startswith("VALID")
    # a platform with only the public key
    code, pem, _ = run(capsys, "keys", "export", "--persona", persona)
    assert "BEGIN PUBLIC KEY" in pem
    (tmp_path / "key.pem").write_text(pem)
    monkeypatch.setattr("sys.stdin", open(reply_file))
    code, out, _ = run(capsys, "verify", "-", "--public-key", tmp_path / "key.pem")
    assert code == 0 and out.startswith("VALID")
    # tampering is caught and named
    data["text"] = data["text"].replace("plenty", "PLENTY")
    reply_file.write_text(json.dumps(data))
    code, out, _ = run(capsys, "verify", reply_file, "--public-key", tmp_path / "key.pem")
    assert code == 1 and "text altered" in out
    data["text"] = data["text"].split("\n", 1)[1]
    reply_file.write_text(json.dumps(data))
    code, out, _ = run(capsys, "verify", reply_file, "--public-key", tmp_path / "key.pem")
    assert code == 1 and "label removed" in out


def test_plain_reply_shows_label(capsys, persona, env):
    code, out, _ = run(capsys, "reply", "--persona", persona, "hi!")
    assert code == 0 and out.startswith("🤖 AI-generated")
    sent = env.chat_requests[-1]
    assert sent["model"] == "fake-model" and sent["messages"][-1]["content"] == "hi!"


def test_flag_beats_environment(capsys, persona):
    code, out, _ = run(capsys, "reply", "--persona", persona, "--model", "flag-model", "--json", "hi")
    assert json.loads(out)["disclosure"]["record"]["model"] == "flag-model"


def test_audit_verify_and_fans_forget(capsys, persona):
    run(capsys, "reply", "--persona", persona, "--fan", "zoe", "hi")
    code, out, _ = run(capsys, "audit", "verify", "--persona", persona)
    assert code == 0 and "OK: 1 entries" in out
    log = persona / ".avatar" / "audit.jsonl"
    log.write_text(log.read_text().replace("comment", "dm").replace('"dm"', '"live"'))
    code, out, _ = run(capsys, "audit", "verify", "--persona", persona)
    assert code == 1 and "BROKEN" in out
    code, out, _ = run(capsys, "fans", "forget", "zoe", "--persona", persona)
    assert code == 0 and "2 messages deleted" in out


def test_chat_reads_stdin(capsys, persona, monkeypatch):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\nare you real?\n\n"))
    code, out, err = run(capsys, "chat", "--persona", persona)
    assert code == 0
    assert out.count("🤖 AI-generated") == 2 and "AI avatar" in out


@pytest.mark.parametrize("argv, needle, exit_code", [
    (["profile", "--persona", "/nonexistent/persona"], "persona folder not found", 2),
    (["verify", "/nonexistent.json", "--public-key", "/nonexistent.pem"], "no such file", 2),
    (["reply", "--persona", "{p}", "--channel", "email", "hi"], "unknown channel", 2),
])
def test_errors_are_one_line_without_traceback(capsys, persona, argv, needle, exit_code):
    code, out, err = run(capsys, *[a.replace("{p}", str(persona)) for a in argv])
    assert code == exit_code
    assert err.startswith("error:") and needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unreachable_backend_is_one_line(capsys, persona, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    code, out, err = run(capsys, "reply", "--persona", persona, "hi")
    assert code == 5 and err.startswith("error:") and "127.0.0.1:9" in err and "Traceback" not in err


def test_bad_persona_file_names_field(capsys, tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "persona.toml").write_text('name = "A"\nhandle = "@a"\n[disclosure]\nenabled = false\n')
    code, out, err = run(capsys, "profile", "--persona", folder)
    assert code == 2 and "[disclosure].enabled" in err and "cannot be turned off" in err


def test_queue_commands(capsys, persona):
    with open(persona / "persona.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[channels.dm]\napproval = true\n")
    code, out, _ = run(capsys, "reply", "how often should I train?", "--persona", persona, "--fan", "f1", "--json")
    pending = json.loads(out)["pending"]
    assert code == 0 and pending.startswith("q-")
    run(capsys, "reply", "second question", "--persona", persona, "--fan", "f2")
    run(capsys, "reply", "I want to talk to a real person", "--persona", persona, "--fan", "f3")
    code, out, _ = run(capsys, "queue", "list", "--persona", persona, "--json")
    items = json.loads(out)
    assert code == 0 and [i["kind"] for i in items] == ["approval", "approval", "handoff"]
    assert items[0]["draft"] == "Three sessions a week is plenty to start 💪"
    code, out, _ = run(capsys, "queue", "list", "--persona", persona, "--kind", "handoff")
    assert code == 0 and "handoff" in out and "approval" not in out and "real person" in out
    code, out, _ = run(capsys, "queue", "approve", pending, "--persona", persona, "--json")
    sent = json.loads(out)
    assert code == 0 and sent["disclosure"]["record"]["mode"] == "ai-generated"
    path = persona / "sent.json"
    path.write_text(out, encoding="utf-8")
    assert run(capsys, "verify", path, "--persona", persona)[0] == 0
    code, out, _ = run(capsys, "queue", "approve", items[1]["id"], "--persona", persona,
                       "--edit", "Edited: two sessions to start.", "--json")
    assert json.loads(out)["disclosure"]["record"]["mode"] == "ai-edited-by-creator"
    code, out, err = run(capsys, "queue", "rewrite", items[2]["id"], "Hi, it's Mara herself!", "--persona", persona)
    assert code == 0 and "Written by Mara Okafor" in out and "human-written" in err
    code, out, err = run(capsys, "queue", "dismiss", items[2]["id"], "--persona", persona)
    assert code == 8 and "already rewritten" in err and "Traceback" not in err
    code, out, _ = run(capsys, "queue", "list", "--persona", persona)
    assert "queue empty" in out
    code, _, err = run(capsys, "queue", "list", "--persona", persona, "--kind", "bogus")
    assert code == 8 and "unknown queue kind" in err
