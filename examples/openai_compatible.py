"""Any OpenAI-compatible server via base_url (Ollama, vLLM, llama.cpp server, OpenAI).

    OPENAI_BASE_URL=http://127.0.0.1:11434/v1 AVATAR_MODEL=llama3.2 python examples/openai_compatible.py

Without OPENAI_BASE_URL this example starts avatar's own fake OpenAI server on 127.0.0.1,
so it runs anywhere.
"""

import os
import sys

from avatar import Avatar
from avatar.config import Settings
from avatar.testing import FakeOpenAIServer

folder = sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor"


def run(base_url: str, model: str) -> None:
    settings = Settings.from_env().merged(backend="openai", base_url=base_url, model=model)
    av = Avatar.open(folder, settings=settings)
    av.ingest([f"{folder}/posts"])
    stream = av.stream("What time is Form Friday?", channel="live", fan_id="example-fan")
    for piece in stream:                 # the label arrives first
        print(piece, end="", flush=True)
    print("\nverification:", av.verify(stream.reply).reason)


if os.environ.get("OPENAI_BASE_URL"):
    run(os.environ["OPENAI_BASE_URL"], os.environ.get("AVATAR_MODEL", "gpt-4o-mini"))
else:
    with FakeOpenAIServer(replies=[["Fridays ", "at 7pm ", "UK time on TikTok!"]]) as srv:
        run(srv.base_url, "fake-model")
