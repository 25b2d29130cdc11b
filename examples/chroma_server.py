"""The persona store on a Chroma server (HttpClient) instead of a folder on disk.

    python examples/chroma_server.py [PERSONA_DIR]

Starts `chroma run` (the CLI from the chromadb package, next to this Python) on a free
127.0.0.1 port with a temporary data folder, connects to it, imports the posts and replies.
In production you run the server yourself and set AVATAR_CHROMA_URL=http://host:port (or
`[store].chroma_url`) instead. The embedder here is the HashEmbedder so the example runs in
seconds; drop `embedder=` to use the default MiniLM.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from avatar import Avatar, FunctionBackend
from avatar.config import load_persona
from avatar.stores.chroma import PersonaStore, make_client
from avatar.testing import HashEmbedder

folder = sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"chroma run exited with code {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("chroma run did not start within 30 s")


chroma = Path(sys.executable).with_name("chroma")
port = free_port()
with tempfile.TemporaryDirectory() as data:
    server = subprocess.Popen([str(chroma), "run", "--path", data, "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        wait_until_up(port, server)
        url = f"http://127.0.0.1:{port}"
        persona = load_persona(folder)
        embedder = HashEmbedder()
        store = PersonaStore(make_client(url=url), persona.id, embedder)
        av = Avatar(persona, store=store, embedder=embedder, audit=False,
                    backend=FunctionBackend(lambda prompt: "Three sessions a week, steady wins.", model="fixed-1"))
        print(av.ingest([f"{folder}/posts"]).summary(), "into", url)
        print("entries on the server:", store.count())
        reply = av.reply("How many sessions a week?", channel="comment", fan_id="example-fan")
        print(reply.text)
        print("retrieved from the server:", len(reply.retrieved), "posts")
        print("verification:", av.verify(reply).reason)
    finally:
        server.terminate()
        server.wait(timeout=10)
