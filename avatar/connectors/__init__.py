"""Connectors: answer fans on the platforms, every answer through ``Avatar.reply``.

    TelegramConnector   private messages to a bot        -> channel "dm"
    BlueskyConnector    mentions and replies             -> channel "comment"
    TwitchConnector     live chat (IRC), @-mentions       -> channel "live"

Each runs on its own thread (:meth:`Connector.start`) with its own backoff, so a platform
that is down never holds up another. State (answered ids, cursors, pause flags, replies
waiting for the creator) lives in a :class:`Ledger`; :class:`SQLiteLedger` is the default.
Local fakes of the three platforms are in :mod:`avatar.connectors.fakes`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Backoff", "BlueskyConnector", "Connector", "ConnectorSettings", "Incoming", "Ledger",
           "SQLiteLedger", "TelegramConnector", "TwitchConnector", "build", "parse_posted", "run_all", "PLATFORMS"]

PLATFORMS = ("telegram", "bluesky", "twitch")

_WHERE = {"Backoff": "base", "Connector": "base", "Incoming": "base", "parse_posted": "base",
          "ConnectorSettings": "settings", "Ledger": "ledger", "SQLiteLedger": "ledger",
          "TelegramConnector": "telegram", "BlueskyConnector": "bluesky", "TwitchConnector": "twitch",
          "build": "run", "run_all": "run"}


def __getattr__(name: str) -> Any:   # lazy: the platform clients load only when used
    if name in _WHERE:
        from importlib import import_module
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
