"""Talk to the HTTP API like a platform would: reply, then verify — with plain httpx.

    python examples/http_api_client.py [PERSONA_DIR]

Starts the API in this process on a free 127.0.0.1 port (what `avatar serve` also serves
under /v1), with a token, then calls POST /v1/reply and POST /v1/verify. The chat model is
a plain function so the example runs anywhere in seconds.
"""

import secrets
import sys

import httpx

from avatar import Avatar, FunctionBackend, PublicKey, load_persona, verify
from avatar.server.http_api import create_api, serve_in_background
from avatar.stores.chroma import PersonaStore, make_client
from avatar.testing import HashEmbedder

folder = sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor"
persona, embedder = load_persona(folder), HashEmbedder()
av = Avatar(persona, embedder=embedder, store=PersonaStore(make_client(ephemeral=True), persona.id, embedder),
            backend=FunctionBackend(lambda prompt: "Form Friday is at 7pm UK time!", model="fixed-1"),
            audit=False)
av.ingest([f"{folder}/posts"])
token = secrets.token_urlsafe(24)
app = create_api({av.persona.id: av}, token=token)

with serve_in_background(app) as base, httpx.Client(base_url=base, timeout=30) as http:
    r = http.post("/v1/reply", headers={"Authorization": f"Bearer {token}"},
                  json={"persona": av.persona.id, "channel": "live", "fan_id": "fan-7",
                        "message": "When is Form Friday?"})
    r.raise_for_status()
    reply = r.json()
    print(reply["text"])
    print("sources:", len(reply["sources"]), "of the creator's posts")
    print("AI-Disclosure:", r.headers["AI-Disclosure"])

    print("server says:", http.post("/v1/verify", json=reply).json()["reason"])
    pem = http.get(f"/v1/personas/{av.persona.id}/public-key", params={"format": "pem"}).text
    print("checked locally with the public key only:", verify(reply, PublicKey.load(pem)).reason)

    no_token = http.post("/v1/reply", json={"persona": av.persona.id, "fan_id": "x", "message": "hi"})
    print("without the token:", no_token.status_code, no_token.json()["message"])
