"""The web server's guards in isolation (ui/security.py): fast, no server, a fake clock."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import HTTPException

from avatar.server.security import (
    CLIENT,
    FanIdentity,
    LoginGuard,
    SlidingWindow,
    load_or_create_secret,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_limits_per_key_and_forgets_old_hits():
    clock = Clock()
    win = SlidingWindow(3, 60.0, clock=clock)
    assert [win.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert win.hit("a") == pytest.approx(60.0)
    assert win.hit("b") == 0.0                 # another client is not affected
    clock.now += 60.0
    assert win.hit("a") == 0.0


def test_sliding_window_memory_is_bounded_under_a_flood_of_keys():
    win = SlidingWindow(1, 60.0, max_keys=100)
    for i in range(10_000):
        win.hit(f"k{i}")
    assert len(win._hits) == 100


def _attempt(guard: LoginGuard, ip: str, password: str) -> bool | int:
    async def run() -> bool | int:
        CLIENT.set(ip)
        try:
            return await guard.check("creator", password)
        except HTTPException as exc:
            return exc.status_code
    return asyncio.run(run())


def test_login_backoff_doubles_per_address_and_a_right_password_clears_it():
    clock = Clock()
    guard = LoginGuard(lambda u, p: p == "right", clock=clock)
    assert [_attempt(guard, "1.1.1.1", "no") for _ in range(3)] == [False, False, False]
    assert _attempt(guard, "1.1.1.1", "right") == 429          # locked: not even checked
    assert _attempt(guard, "2.2.2.2", "right") is True         # another address
    waits = []
    for _ in range(4):
        clock.now += guard.wait_s("1.1.1.1")
        waits.append(guard.wait_s("1.1.1.1"))
        assert _attempt(guard, "1.1.1.1", "no") is False
        waits.append(guard.wait_s("1.1.1.1"))
    assert waits[1::2] == [2.0, 4.0, 8.0, 16.0]
    clock.now += guard.wait_s("1.1.1.1")
    assert _attempt(guard, "1.1.1.1", "right") is True
    assert guard.wait_s("1.1.1.1") == 0.0


def test_login_lockout_is_capped_and_expires():
    clock = Clock()
    guard = LoginGuard(lambda u, p: False, max_lock_s=900.0, forget_s=3600.0, clock=clock)
    for _ in range(40):
        clock.now += guard.wait_s("9.9.9.9")
        _attempt(guard, "9.9.9.9", "no")
    assert guard.wait_s("9.9.9.9") == 900.0
    clock.now += 3601.0
    assert guard.wait_s("9.9.9.9") == 0.0


def test_fan_cookie_cannot_be_forged_or_moved_to_another_server(tmp_path):
    secret = load_or_create_secret(tmp_path)
    assert load_or_create_secret(tmp_path) == secret and (tmp_path / "fan-cookie.key").stat().st_mode & 0o077 == 0
    ident = FanIdentity(secret)
    cookie = ident.issue()
    fan = ident.fan_id(cookie)
    assert fan and fan.startswith("web:") and cookie.split(".")[0] not in fan
    assert ident.fan_id(cookie.split(".")[0] + ".forged") is None
    assert ident.fan_id("") is None and ident.fan_id(None) is None
    assert FanIdentity(b"x" * 32).fan_id(cookie) is None
    other = ident.fan_id(ident.issue())
    assert other and ident.owns("hash-1", fan) and not ident.owns("hash-1", other)
