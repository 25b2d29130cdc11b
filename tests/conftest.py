"""Shared fixtures. Tests never reach the network: any connection to a non-loopback
address fails loudly (the OpenAI backend is tested against a real server on 127.0.0.1)."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from pathlib import Path

import pytest

os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AVATAR_BACKEND", "AVATAR_MODEL",
            "AVATAR_CHROMA_URL", "AVATAR_EMBEDDER", "AVATAR_API_TOKEN", "AVATAR_STUDIO_PASSWORD"):
    os.environ.pop(var, None)

ROOT = Path(__file__).resolve().parent.parent
_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            ok = ipaddress.ip_address(host).is_loopback
        except ValueError:
            ok = host == "localhost"
        if not ok:
            raise OSError(f"test tried to reach {host}: tests may only use 127.0.0.1")
    return _real_connect(self, address)


socket.socket.connect = _guarded_connect


PERSONA_TOML = """
id = "{pid}"
name = "Mara Okafor"
handle = "@mara.lifts"
bio = "Strength coach in Leeds."
[boundaries]
avoid_topics = ["home address"]
avoid_reply = "That's one I keep offline, sorry!"
[disclosure]
preset = "{preset}"
{extra}
"""


def write_persona(folder: Path, preset: str = "EU", extra: str = "", pid: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pid = pid or f"t-{uuid.uuid4().hex[:10]}"
    (folder / "persona.toml").write_text(PERSONA_TOML.format(pid=pid, preset=preset, extra=extra),
                                         encoding="utf-8")
    return folder


SAMPLE_POSTS = [
    {"id": "p1", "text": "Okay team, squat depth comes from ankle mobility and patience. Steady wins. — M", "kind": "post"},
    {"id": "p2", "text": "Real talk: my programme Steady Strong is 12 weeks, three sessions a week 💪", "kind": "caption"},
    {"id": "p3", "text": "My favourite lift is the Romanian deadlift. Hinge, don't squat it! 🔥", "kind": "post"},
    {"id": "p4", "text": "Rest days are training days too. Sleep is the best supplement ✨", "kind": "post"},
    {"id": "p5", "text": "Start with three full-body sessions a week and learn the basics first.", "kind": "reply",
     "context": "Where should a total beginner start?"},
    {"id": "p6", "text": "Pain is a signal: please see a physio or your GP before training through it.", "kind": "reply",
     "context": "My knee hurts when I squat, should I push through?"},
]


@pytest.fixture
def persona_dir(tmp_path: Path) -> Path:
    return write_persona(tmp_path / "mara")


@pytest.fixture
def posts_file(tmp_path: Path) -> Path:
    import json
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in SAMPLE_POSTS) + "\n", encoding="utf-8")
    return path


class Clock:
    """A controllable clock for reminder tests."""

    def __init__(self) -> None:
        from datetime import datetime, timezone
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_avatar(tmp_path: Path, posts_file: Path, clock: Clock):
    """Build an Avatar on the shipped fakes: scripted backend, hash embedder, in-memory Chroma."""
    from avatar.avatar import Avatar
    from avatar.config import load_persona
    from avatar.stores.chroma import PersonaStore, make_client
    from avatar.testing import HashEmbedder, ScriptedBackend

    def build(replies=("Hi there!",), preset: str = "EU", extra: str = "", ingest: bool = True,
              backend=None):
        folder = write_persona(tmp_path / f"p-{uuid.uuid4().hex[:6]}", preset=preset, extra=extra)
        persona = load_persona(folder)
        emb = HashEmbedder()
        store = PersonaStore(make_client(ephemeral=True), persona.id, emb)
        av = Avatar(persona, backend=backend or ScriptedBackend(replies), embedder=emb, store=store,
                    clock=clock)
        if ingest:
            av.ingest([posts_file])
        return av
    return build
