"""Per-persona Ed25519 signing keys.

The private key is generated on first use and stored at ``<persona>/.avatar/keys/signing.pem``
with mode 0600 (folder 0700). Platforms get only the public key (``avatar keys export``) and
can verify any reply without trusting us.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import ConfigError, VerificationError

KEY_FILE = "signing.pem"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    """A verification key with its id. Build it from PEM, raw base64, or a keys export."""

    key: Ed25519PublicKey

    @property
    def id(self) -> str:
        return key_id(self.key)

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            self.key.verify(signature, message)
            return True
        except InvalidSignature:
            return False

    def pem(self) -> str:
        return self.key.public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def raw_b64(self) -> str:
        return b64(self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    @classmethod
    def load(cls, text: str | bytes) -> "PublicKey":
        data = text.encode() if isinstance(text, str) else text
        try:
            if b"BEGIN PUBLIC KEY" in data:
                key = serialization.load_pem_public_key(data)
            else:
                key = Ed25519PublicKey.from_public_bytes(unb64(data.decode().strip()))
        except Exception:
            raise VerificationError("not an Ed25519 public key — pass the PEM file from "
                                    "`avatar keys export` or its raw base64 form") from None
        if not isinstance(key, Ed25519PublicKey):
            raise VerificationError("the public key is not Ed25519 — use `avatar keys export`")
        return cls(key)


@dataclass(frozen=True)
class SigningKey:
    key: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.key.public_key())

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, folder: Path) -> "SigningKey":
        path = folder / KEY_FILE
        if path.is_file():
            return cls._load(path)
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        return cls(key)

    @classmethod
    def _load(cls, path: Path) -> "SigningKey":
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except Exception:
            raise ConfigError(f"{path}: not a readable signing key — restore it from backup, or "
                              "move it away to create a new one (old replies then verify only "
                              "with the old public key)") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(f"{path}: not an Ed25519 key — move it away to create a new one")
        return cls(key)
