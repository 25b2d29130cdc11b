"""Quickstart: build an avatar from a folder of posts and answer a fan — fully offline.

    python examples/quickstart.py [PERSONA_DIR]

Uses the embedded defaults: SmolLM2-135M in-process and the MiniLM embedder.
"""

import sys

from avatar import Avatar

folder = sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor"
av = Avatar.open(folder)
report = av.ingest([f"{folder}/posts"])
print(report.summary())

reply = av.reply("How many sessions a week is Steady Strong?", channel="dm", fan_id="quickstart-fan")
print(reply.text)
print("verification:", av.verify(reply).reason)
