"""Telegram: private messages to a bot answer on channel ``dm`` (python-telegram-bot 22).

Long-polls ``getUpdates`` from the stored offset; answers each private text message with
``sendMessage`` as plain text (no ``parse_mode``: the label is never read as markup), as a
reply to the fan's message, link preview off. Group chats and non-text updates are skipped.
The bot runs on an event loop of its own thread, so Telegram never blocks other connectors.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Coroutine, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from ..errors import ConnectorError, PlatformError
from .base import Connector, Incoming
from .settings import redact, remember_secret

T = TypeVar("T")


def _import_telegram() -> Any:
    try:
        import telegram
        import telegram.error
        import telegram.request
    except ImportError:   # pragma: no cover - depends on the extra
        raise ConnectorError("the Telegram connector needs python-telegram-bot — "
                             "pip install 'avatar[connectors]'") from None
    return telegram


class TelegramConnector(Connector):
    platform = "telegram"
    channel = "dm"
    limit = 4096

    def __init__(self, avatar: Any, ledger: Any, *, token: str,
                 api_url: str = "https://api.telegram.org", long_poll: int = 20, **kwargs: Any) -> None:
        super().__init__(avatar, ledger, **kwargs)
        self._token, self._api_url, self.long_poll = remember_secret(token), api_url.rstrip("/"), long_poll
        self._tg = _import_telegram()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bot: Any = None

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        err = self._tg.error
        try:
            return self._loop.run_until_complete(coro)
        except err.RetryAfter as exc:
            with warnings.catch_warnings():     # PTB 22 warns that this becomes a timedelta
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise PlatformError(f"Telegram says slow down ({seconds:g} s)", retry_after=seconds) from None
        except (err.InvalidToken, err.Forbidden) as exc:
            if self._bot is None or isinstance(exc, err.InvalidToken):
                raise ConnectorError("Telegram refused the bot token — check TELEGRAM_BOT_TOKEN "
                                     "(from @BotFather)") from None
            raise PlatformError(f"Telegram refused: {redact(str(exc))}", retryable=False) from None
        except err.BadRequest as exc:
            raise PlatformError(f"Telegram rejected the request: {redact(str(exc))}", retryable=False) from None
        except err.TelegramError as exc:
            raise PlatformError(f"Telegram unreachable or failing: {redact(str(exc))}") from None

    def open(self) -> None:
        self._loop = asyncio.new_event_loop()
        tg = self._tg
        request = tg.request.HTTPXRequest(connect_timeout=5, read_timeout=10)
        polling = tg.request.HTTPXRequest(connect_timeout=5, read_timeout=self.long_poll + 10)
        bot = tg.Bot(self._token, base_url=f"{self._api_url}/bot", base_file_url=f"{self._api_url}/file/bot",
                     request=request, get_updates_request=polling)
        self._bot = None
        self._call(bot.initialize())      # getMe: checks the token
        self._bot = bot

    def close(self) -> None:
        if self._loop is None:
            return
        if self._bot is not None:
            try:
                self._loop.run_until_complete(self._bot.shutdown())
            except Exception:   # best effort on a broken connection
                pass
        self._loop.close()
        self._loop, self._bot = None, None

    def fetch(self) -> Iterable[Incoming]:
        offset = self.ledger.cursor(self.platform)
        updates = self._call(self._bot.get_updates(offset=int(offset) if offset else None,
                                                   timeout=self.long_poll, allowed_updates=["message"]))
        return [self._incoming(u) for u in updates]

    @staticmethod
    def _incoming(update: Any) -> Incoming:
        msg, cursor = update.message, str(update.update_id + 1)
        if msg is None or msg.chat.type != "private" or not msg.text or msg.from_user is None:
            return Incoming(key=f"update:{update.update_id}", user_id="", text=None, thread={}, cursor=cursor)
        return Incoming(key=f"{msg.chat.id}:{msg.message_id}", user_id=str(msg.from_user.id),
                        text=msg.text, thread={"chat_id": msg.chat.id, "message_id": msg.message_id},
                        cursor=cursor)

    def post(self, thread: dict[str, Any], text: str) -> None:
        tg = self._tg
        self._call(self._bot.send_message(
            chat_id=thread["chat_id"], text=text, parse_mode=None,
            reply_parameters=tg.ReplyParameters(message_id=thread["message_id"], allow_sending_without_reply=True),
            link_preview_options=tg.LinkPreviewOptions(is_disabled=True)))
