"""Answer Bluesky mentions in thread — against a local fake of a Bluesky PDS (XRPC).

    python examples/connector_bluesky.py [PERSONA_DIR]

For real: export BLUESKY_HANDLE, BLUESKY_APP_PASSWORD and AVATAR_PUBLIC_URL, then
`avatar connect bluesky --persona DIR`. A reply must fit 300 graphemes with its label and the
link to its signed record: the connector lowers the comment channel's limit to make room.
"""

import shutil
import sys
import tempfile
from pathlib import Path

import httpx

from avatar import Avatar, FunctionBackend, verify
from avatar.connectors import ConnectorSettings, build, parse_posted
from avatar.connectors.fakes import FakeBluesky
from avatar.server.http_api import create_api, serve_in_background
from avatar.testing import HashEmbedder

source = Path(sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor")
folder = Path(tempfile.mkdtemp()) / source.name
shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".avatar"))
long_answer = "Hinge at the hips, soft knees, bar close to the legs, and film a set from the side. " * 8
av = Avatar.open(folder, embedder=HashEmbedder(), backend=FunctionBackend(lambda prompt: long_answer))
av.ingest([folder / "posts"])
handle, app_password = "mara.example.test", "abcd-efgh-ijkl-mnop"

with serve_in_background(create_api({av.persona.id: av}, token="example-token-0123456789")) as public, \
        FakeBluesky(handle, app_password) as pds:
    settings = ConnectorSettings(bluesky_handle=handle, bluesky_password=app_password,
                                 bluesky_pds_url=pds.url, public_url=public)
    connector = build("bluesky", av, settings=settings)
    fan_post = pds.fan_posts("did:plc:fan0001", f"@{handle} any tips for my first Romanian deadlift?")
    connector.open()
    print("answered:", connector.step())
    answer = pds.created[0]["record"]
    print(answer["text"])
    print("length:", len(answer["text"]), "of 300; in thread:", answer["reply"]["parent"]["uri"] == fan_post["uri"])
    text, reply_id = parse_posted(answer["text"])
    record = httpx.get(f"{public}/v1/records/{reply_id}").json()
    print("record link:", record["signature"], "·", verify({"text": text, "disclosure": record["disclosure"]},
                                                           av.public_key).reason)
shutil.rmtree(folder.parent)
