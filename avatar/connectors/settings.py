"""Connector secrets and addresses, read from the environment in this one place.

    TELEGRAM_BOT_TOKEN                     from @BotFather
    BLUESKY_HANDLE, BLUESKY_APP_PASSWORD   an app password (Settings → App passwords)
    TWITCH_OAUTH_TOKEN, TWITCH_CHANNEL     chat:read + chat:edit token; the channel to join
    TWITCH_NICK                            the bot account's login (default: the channel)
    AVATAR_PUBLIC_URL                      where `avatar serve` is reachable, for record links
    TELEGRAM_API_URL, BLUESKY_PDS_URL, TWITCH_IRC_ADDRESS   other servers (tests, self-hosted)

Secrets never appear in ``repr``, logs or error messages: :func:`redact` removes them from
any text a connector logs or raises.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from ..errors import ConnectorError

_SECRETS: set[str] = set()


def redact(text: str) -> str:
    """``text`` with every known secret replaced by ``***``."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def remember_secret(value: str) -> str:
    """Register ``value`` as a secret: from now on no log record in this process shows it
    (a log-record factory redacts every message, whichever library logs it — httpx logs
    request URLs, and the Bot API puts the token in the URL)."""
    if len(value) >= 4:
        _SECRETS.add(value)
        _install_redaction()
    return value


_installed = False


def _install_redaction() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:   # a bad format string is the logger's problem
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


@dataclass(frozen=True)
class ConnectorSettings:
    telegram_token: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    bluesky_handle: str = ""
    bluesky_password: str = field(default="", repr=False)
    bluesky_pds_url: str = "https://bsky.social"
    twitch_token: str = field(default="", repr=False)
    twitch_channel: str = ""
    twitch_nick: str = ""
    twitch_irc_address: str = "irc.chat.twitch.tv:6697"
    public_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "ConnectorSettings":
        e = os.environ if env is None else env
        names = {"telegram_token": "TELEGRAM_BOT_TOKEN", "telegram_api_url": "TELEGRAM_API_URL",
                 "bluesky_handle": "BLUESKY_HANDLE", "bluesky_password": "BLUESKY_APP_PASSWORD",
                 "bluesky_pds_url": "BLUESKY_PDS_URL", "twitch_token": "TWITCH_OAUTH_TOKEN",
                 "twitch_channel": "TWITCH_CHANNEL", "twitch_nick": "TWITCH_NICK",
                 "twitch_irc_address": "TWITCH_IRC_ADDRESS", "public_url": "AVATAR_PUBLIC_URL"}
        values = {attr: e[var].strip() for attr, var in names.items() if e.get(var, "").strip()}
        settings = cls(**values)
        for f in fields(settings):
            if not f.repr and getattr(settings, f.name):
                remember_secret(getattr(settings, f.name))
        return settings

    def need(self, attr: str, variable: str, how: str) -> str:
        value = getattr(self, attr)
        if not value:
            raise ConnectorError(f"{variable} is not set — {how}")
        return str(value)
