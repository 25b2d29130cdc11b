"""A Telegram bot that answers fans' DMs — against a local fake of the Bot API.

    python examples/connector_telegram.py [PERSONA_DIR]

For real: export TELEGRAM_BOT_TOKEN and AVATAR_PUBLIC_URL, then `avatar connect telegram
--persona DIR` (see the README's "Connect a platform"). Here everything runs on 127.0.0.1:
the persona (copied to a temporary folder), the HTTP API that serves the record links, and
FakeTelegram. The chat model is a plain function, so it runs anywhere in seconds.
"""

import shutil
import sys
import tempfile
from pathlib import Path

import httpx

from avatar import Avatar, FunctionBackend, verify
from avatar.connectors import ConnectorSettings, build, parse_posted
from avatar.connectors.fakes import FakeTelegram
from avatar.server.http_api import create_api, serve_in_background
from avatar.testing import HashEmbedder

source = Path(sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor")
folder = Path(tempfile.mkdtemp()) / source.name
shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".avatar"))
av = Avatar.open(folder, embedder=HashEmbedder(),
                 backend=FunctionBackend(lambda prompt: "Three full-body sessions a week is plenty to start!"))
av.ingest([folder / "posts"])
token = "7000001:AAH-example-token-not-real"

with serve_in_background(create_api({av.persona.id: av}, token="example-token-0123456789")) as public, \
        FakeTelegram(token) as telegram:
    settings = ConnectorSettings(telegram_token=token, telegram_api_url=telegram.url, public_url=public)
    bot = build("telegram", av, settings=settings, long_poll=0)
    update = telegram.fan_says(5550001, "How often should a beginner train?")
    bot.open()
    print("answered:", bot.step())
    sent = telegram.sent[0]["text"]
    print(sent)
    text, reply_id = parse_posted(sent)
    record = httpx.get(f"{public}/v1/records/{reply_id}").json()
    print("record link:", record["signature"], "·", verify({"text": text, "disclosure": record["disclosure"]},
                                                           av.public_key).reason)
    telegram.redeliver(update)
    print("answered again after a duplicate:", bot.step())
    bot.close()
shutil.rmtree(folder.parent)
