"""The platform side: verify a reply with nothing but the creator's public key.

    avatar keys export --persona persona_data/mara-okafor > mara.pem
    avatar reply --persona persona_data/mara-okafor --json "hi" > reply.json
    python examples/verify_platform_side.py mara.pem reply.json
"""

import json
import sys

from avatar import PublicKey, verify

key = PublicKey.load(open(sys.argv[1], encoding="utf-8").read())
reply = json.load(open(sys.argv[2], encoding="utf-8"))
result = verify(reply, key)
print(f"{'VALID' if result.valid else 'INVALID'}: {result.reason} — {result.detail}")

tampered = dict(reply, text=reply["text"].replace(reply["disclosure"]["label"], ""))
print("after removing the label:", verify(tampered, key).reason)
sys.exit(0 if result.valid else 1)
