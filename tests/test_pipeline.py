"""The shape of the pipeline (issue #11): parts swapped through ``Avatar.override``, one
finisher for every path, plugins by name, the environment read only where asked, and a
library that never imports the server."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from avatar import registry
from avatar.config import Settings, load_persona
from avatar.errors import BackendUnavailable, ConfigError
from avatar.testing import HashEmbedder, ScriptedBackend


def test_override_swaps_parts_for_a_block_and_puts_them_back(make_avatar):
    av = make_avatar(["from the first backend"])
    first = av.backend
    other = ScriptedBackend(["from the override"])
    with av.override(backend=other) as same:
        assert same is av and av.backend is other
        assert av.reply("hello", fan_id="o1").body == "from the override"
    assert av.backend is first
    assert av.reply("hello again", fan_id="o2").body == "from the first backend"


def test_override_store_is_used_for_retrieval_and_the_voice(make_avatar):
    from avatar.stores.memory import InMemoryStore
    from avatar.types import Post
    av = make_avatar()
    mem = InMemoryStore(av.embedder, av.persona.id)
    mem.add([Post.create("Kettlebell swings are my favourite finisher.", platform="x")])
    with av.override(store=mem):
        hits = av.retrieve("kettlebell finisher")
        assert [h.post.text for h in hits] == ["Kettlebell swings are my favourite finisher."]
    assert av.store is not mem and av.store.count() == 6


def test_avatar_does_not_read_the_environment_by_itself(tmp_path, monkeypatch, persona_dir):
    monkeypatch.setenv("AVATAR_BACKEND", "no-such-backend")
    monkeypatch.setenv("AVATAR_EMBEDDER", "no-such-embedder")
    from avatar import Avatar
    av = Avatar.open(persona_dir, embedder=HashEmbedder(), backend=ScriptedBackend(["ok"]))
    assert av.settings.backend is None and av.settings.embedder is None
    with pytest.raises(ConfigError, match="unknown embedder 'no-such-embedder'"):
        Avatar.open(persona_dir, settings=Settings.from_env(), backend=ScriptedBackend(["ok"]))


def test_backends_embedders_and_stores_are_registered_by_name_with_plugins(monkeypatch):
    class EntryPoint:
        name, value = "echo", "my_plugin:make"

        def load(self):
            return lambda **settings: ScriptedBackend([f"echo {settings['model']}"])
    fresh = registry.Registry("backend", "avatar.backends", "AVATAR_BACKEND")
    fresh.register("local", lambda **_: None)
    monkeypatch.setattr(registry, "entry_points", lambda group: [EntryPoint()] if group == "avatar.backends" else [])
    assert fresh.names() == ["echo", "local"]
    backend = fresh.create("echo", model="m1")
    assert backend.complete(None) == "echo m1"
    with pytest.raises(ConfigError, match="unknown backend 'nope' — use one of echo, local"):
        fresh.create("nope")
    assert {"local", "openai"} <= set(registry.backends.names())
    assert {"minilm", "openai", "hash"} <= set(registry.embedders.names())
    assert {"chroma", "memory"} <= set(registry.stores.names())


def test_a_broken_plugin_is_a_config_error(monkeypatch):
    class Broken:
        name, value = "broken", "gone:make"

        def load(self):
            raise ImportError("No module named 'gone'")
    fresh = registry.Registry("embedder", "avatar.embedders", "AVATAR_EMBEDDER")
    monkeypatch.setattr(registry, "entry_points", lambda group: [Broken()])
    with pytest.raises(ConfigError, match="plugin 'broken'.*cannot be loaded"):
        fresh.create("broken")


def test_the_local_backend_honours_the_model_setting(tmp_path):
    from avatar.llm import make_backend
    gguf = tmp_path / "my-model.Q4.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 16)           # not loaded: the model loads on first use
    backend = make_backend("local", model=str(gguf))
    assert backend.model_path == gguf and backend.model == "my-model.Q4"
    with pytest.raises(BackendUnavailable, match="does not exist"):
        make_backend("local", model=str(tmp_path / "missing.gguf"))


def test_unknown_names_in_the_persona_file_name_the_field(tmp_path):
    from conftest import write_persona
    folder = write_persona(tmp_path / "p", extra="[store]\nkind = \"redis\"")
    with pytest.raises(ConfigError, match="'store.kind'.*unknown name — use one of chroma, memory"):
        load_persona(folder)


def test_the_memory_store_by_name_serves_a_whole_avatar(tmp_path, posts_file):
    from conftest import write_persona

    from avatar import Avatar
    folder = write_persona(tmp_path / "p", extra="[store]\nkind = \"memory\"\nembedder = \"hash\"")
    av = Avatar.open(folder, backend=ScriptedBackend(["Sleep matters."]))
    assert type(av.store).__name__ == "InMemoryStore"
    av.ingest([posts_file])
    reply = av.reply("do rest days matter?", fan_id="m1")
    assert av.verify(reply).valid and reply.retrieved


def test_a_studio_edit_reaches_rules_label_and_prompt_at_once(make_avatar):
    av = make_avatar(["Fine."])
    folder = av.persona.root
    text = (folder / "persona.toml").read_text().replace('bio = "Strength coach in Leeds."',
                                                          'bio = "Strength coach in York since 2019."')
    (folder / "persona.toml").write_text(text.replace('avoid_topics = ["home address"]',
                                                      'avoid_topics = ["home address", "pineapple"]'))
    av.persona = load_persona(folder)
    assert av.rules.known_facts == "Strength coach in York since 2019."
    assert av.reply("pineapple on pizza?", fan_id="s1").body == "That's one I keep offline, sorry!"
    av.reply("where do you coach?", fan_id="s2")
    assert "York since 2019" in av.backend.prompts[-1].system


def test_the_library_never_imports_the_server():
    code = (
        "import sys\n"
        "for name in ('gradio', 'fastapi', 'uvicorn', 'starlette', 'tomlkit'):\n"
        "    sys.modules[name] = None      # importing any of them now fails\n"
        "import pkgutil, importlib, avatar\n"
        "for m in pkgutil.walk_packages(avatar.__path__, 'avatar.'):\n"
        "    if m.name.startswith('avatar.server'):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "from avatar.cli import main\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_serve_without_the_server_extra_says_what_to_install(persona_dir):
    code = (
        "import sys\n"
        "sys.modules['gradio'] = None\n"
        "from avatar.cli import main\n"
        f"sys.exit(main(['serve', '--persona', {str(persona_dir)!r}, '--no-auth']))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "pip install 'avatar[server]'" in done.stderr and "Traceback" not in done.stderr


def test_a_queued_reply_is_finished_like_any_other(make_avatar, clock):
    av = make_avatar(["Three sessions a week."], extra="[channels.dm]\napproval = true")
    held = av.reply("how often should I train?", fan_id="q1")
    clock.advance(minutes=30)
    sent = av.approve(held.pending)
    state = av.memory.state("q1")
    assert state.last_message_at == clock.now, "the queue path touches the fan's last-message time"
    assert [m.text for m in av.memory.history("q1", "dm", 10)] == [
        "how often should I train?", held.body, "Three sessions a week."]
    assert av.audit.verify().ok and av.verify(sent).valid
    seen: list[str] = []
    av.finisher.on_finish(lambda reply, turn: seen.append(reply.reply_id))
    again = av.reply("and rest days?", fan_id="q1")
    assert seen == [again.reply_id]


def test_a_stream_closed_before_its_first_piece_still_signs_the_label(make_avatar):
    av = make_avatar(["Never sent."])
    stream = av.stream("hello?", fan_id="c1")
    stream.close()
    assert stream.reply is not None and not stream.reply.complete
    assert stream.reply.text.startswith(av.policy.label)
    assert av.verify(stream.reply).valid
    assert av.backend.prompts == [], "nothing was generated for a fan who left"
