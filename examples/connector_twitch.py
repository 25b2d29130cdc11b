"""Answer @-mentions in a Twitch live chat — against a local fake of Twitch's chat (IRC).

    python examples/connector_twitch.py [PERSONA_DIR]

For real: export TWITCH_OAUTH_TOKEN, TWITCH_CHANNEL (and TWITCH_NICK for a separate bot
account) and AVATAR_PUBLIC_URL, then `avatar connect twitch --persona DIR`. Chat messages are
single lines, so the label goes out first and the reply with its record link right after.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from avatar import Avatar, FunctionBackend, verify
from avatar.connectors import ConnectorSettings, build, parse_posted
from avatar.connectors.fakes import FakeTwitch
from avatar.server.http_api import create_api, serve_in_background
from avatar.testing import HashEmbedder

source = Path(sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor")
folder = Path(tempfile.mkdtemp()) / source.name
shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".avatar"))
av = Avatar.open(folder, embedder=HashEmbedder(), backend=FunctionBackend(lambda prompt: "Form Friday is at 7pm UK time!"))
av.ingest([folder / "posts"])
token = "oauth:exampletoken0123456789"

with serve_in_background(create_api({av.persona.id: av}, token="example-token-0123456789")) as public, \
        FakeTwitch(token, "maralifts") as chat:
    settings = ConnectorSettings(twitch_token=token, twitch_channel="maralifts", twitch_nick="mara_avatar",
                                 twitch_irc_address=chat.address, public_url=public)
    connector = build("twitch", av, settings=settings)
    connector.open()
    while not chat.joined():
        time.sleep(0.05)
    chat.fan_says("viewer_one", "so hyped for today")                  # not for the avatar: ignored
    msg_id = chat.fan_says("viewer_two", "@mara_avatar when is Form Friday?")
    deadline = time.monotonic() + 10
    while len(chat.said) < 2 and time.monotonic() < deadline:
        connector.step()
    lines = [m["text"] for m in chat.said if m["reply_to"] == msg_id]
    print("\n".join(f"  chat> {line}" for line in lines))
    text, reply_id = parse_posted("\n".join(lines))
    record = httpx.get(f"{public}/v1/records/{reply_id}").json()
    print("record link:", record["signature"], "·", verify({"text": text, "disclosure": record["disclosure"]},
                                                           av.public_key).reason)
    connector.close()
shutil.rmtree(folder.parent)
