"""Build connectors from the environment (:class:`ConnectorSettings`) and run them together."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..errors import ConnectorError
from .base import Connector
from .ledger import SQLiteLedger
from .settings import ConnectorSettings

if TYPE_CHECKING:  # pragma: no cover
    from ..avatar import Avatar

PLATFORMS = ("telegram", "bluesky", "twitch")
_BSKY_HOW = "create an app password in Bluesky (Settings → Privacy and security → App passwords)"


def options(platform: str, settings: ConnectorSettings) -> dict[str, Any]:
    """The connector's keyword arguments from ``settings``; a clear error for a missing one."""
    s = settings
    opts: dict[str, Any] = {"public_url": s.need(
        "public_url", "AVATAR_PUBLIC_URL", "set it to the https address where `avatar serve` answers "
        "(replies link to /v1/records/{id} there)")}
    if platform == "telegram":
        opts.update(token=s.need("telegram_token", "TELEGRAM_BOT_TOKEN",
                                 "create a bot with @BotFather and export its token"),
                    api_url=s.telegram_api_url)
    elif platform == "bluesky":
        opts.update(handle=s.need("bluesky_handle", "BLUESKY_HANDLE", _BSKY_HOW),
                    password=s.need("bluesky_password", "BLUESKY_APP_PASSWORD", _BSKY_HOW),
                    pds_url=s.bluesky_pds_url)
    elif platform == "twitch":
        channel = s.need("twitch_channel", "TWITCH_CHANNEL", "set it to the channel to join (without #)")
        opts.update(token=s.need("twitch_token", "TWITCH_OAUTH_TOKEN",
                                 "get a user token with the chat:read and chat:edit scopes"),
                    twitch_channel=channel, nick=s.twitch_nick or channel, address=s.twitch_irc_address)
    else:
        raise ConnectorError(f"unknown platform '{platform}' — use one of {', '.join(PLATFORMS)}")
    return opts


def build(platform: str, avatar: "Avatar", *, settings: ConnectorSettings | None = None,
          ledger: Any = None, **kwargs: Any) -> Connector:
    """A connector for ``platform`` with its secrets from ``settings`` (default: environment)."""
    opts = {**options(platform, settings or ConnectorSettings.from_env()), **kwargs}
    ledger = ledger or SQLiteLedger.for_persona(avatar.persona.state_dir)
    if platform == "telegram":
        from .telegram import TelegramConnector
        return TelegramConnector(avatar, ledger, **opts)
    if platform == "bluesky":
        from .bluesky import BlueskyConnector
        return BlueskyConnector(avatar, ledger, **opts)
    from .twitch import TwitchConnector
    return TwitchConnector(avatar, ledger, **opts)


def run_all(connectors: list[Connector], stop: threading.Event) -> None:
    """Each connector on its own thread until ``stop`` is set; a failing one never blocks another."""
    threads = [c.start(stop) for c in connectors]
    stop.wait()
    for t in threads:
        t.join(timeout=15)
