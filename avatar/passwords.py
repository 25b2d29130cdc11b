"""Password hashes for the creator studio's login (scrypt, from the standard library).

A persona file may hold ``[studio] password_hash`` (made by ``avatar studio hash-password``)
instead of the password itself; ``AVATAR_STUDIO_PASSWORD`` in the environment wins over it.
Format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from .keys import b64, unb64

_N, _R, _P = 2 ** 14, 8, 1
PREFIX = "scrypt$"
MIN_PASSWORD_CHARS = 8      # the studio refuses shorter passwords (env or hash-password)


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${b64(salt)}${b64(digest)}"


def is_password_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(p.isdigit() for p in parts[1:4])


def check_password(password: str, stored: str) -> bool:
    """True if ``password`` matches the ``stored`` hash (constant-time compare)."""
    if not is_password_hash(stored):
        return False
    _, n, r, p, salt, digest = stored.split("$")
    try:
        got = hashlib.scrypt(password.encode(), salt=unb64(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(unb64(digest)), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, unb64(digest))
