"""Local fakes of the platforms' APIs on 127.0.0.1, for tests and the examples.

- :class:`FakeTelegram` — Bot API: getMe, getUpdates, sendMessage.
- :class:`FakeBluesky` — XRPC: createSession, listNotifications, getPosts, createRecord.
- :class:`FakeTwitch` — Twitch chat IRC: PASS/NICK/CAP/JOIN, tagged PRIVMSG, PING.
"""

from .bluesky import FakeBluesky
from .telegram import FakeTelegram
from .twitch import FakeTwitch

__all__ = ["FakeBluesky", "FakeTelegram", "FakeTwitch"]
