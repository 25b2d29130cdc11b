"""The shared half of every connector: claim, answer through ``Avatar.reply``, post, back off.

    platform ──fetch()──► Incoming ──claim (ledger)──► Avatar.reply(text, channel, fan_id)
                                                            │ label + signed record + audit
    platform ◄──post()── reply.text + link to /v1/records/{reply_id} ◄──┘

A subclass implements :meth:`Connector.fetch` and :meth:`Connector.post` (and may override
:meth:`~Connector.open` / :meth:`~Connector.close`). Reply text is never built here: what a
connector posts is the signed ``reply.text`` exactly, plus the record link after it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import AvatarError, ConnectorError, DisclosureError, PlatformError
from ..types import Channel, Reply
from .ledger import Ledger
from .settings import redact

if TYPE_CHECKING:  # pragma: no cover
    from ..avatar import Avatar

log = logging.getLogger("avatar.connectors")

RECORD_PATH = "/v1/records/"
_LINK_RE = re.compile(r"(?s)^(.*)[ \n](\S+/v1/records/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$")


@dataclass(frozen=True)
class Incoming:
    """One thing a fan said on a platform. ``text`` None: nothing to answer (only the cursor
    moves). ``thread`` is what :meth:`Connector.post` needs to answer in place (JSON-able)."""

    key: str
    user_id: str
    text: str | None
    thread: dict[str, Any]
    cursor: str | None = None


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with a cap; a platform's own Retry-After always wins."""

    base: float = 1.0
    cap: float = 60.0
    attempts: int = 4          # tries per post before giving up on that one reply

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        wait = min(self.cap, self.base * 2 ** max(0, failures - 1))
        return max(wait, retry_after) if retry_after else wait


def parse_posted(text: str) -> tuple[str, str] | None:
    """Split what a connector posted into (the signed reply text, reply id), or None."""
    m = _LINK_RE.match(text)
    return (m.group(1), m.group(3)) if m else None


def record_link(public_url: str, reply_id: str) -> str:
    return public_url.rstrip("/") + RECORD_PATH + reply_id


HandoffHook = Callable[[str, "str | None", Reply], None]
"""``on_handoff(platform, queue item id, reply)``: called when a fan is handed to the creator."""


class Connector(ABC):
    """One platform, one channel kind. Run it with :meth:`run` on its own thread."""

    platform: ClassVar[str]
    channel: ClassVar[Channel]
    limit: ClassVar[int]                 # the platform's text limit (see :meth:`length`)
    link_sep: ClassVar[str] = "\n"       # between the reply text and the record link
    drain_when_paused: ClassVar[bool] = False   # live chat: keep reading (and dropping) while paused

    def __init__(self, avatar: "Avatar", ledger: Ledger, *, public_url: str,
                 on_handoff: HandoffHook | None = None, poll_interval: float = 2.0,
                 backoff: Backoff | None = None) -> None:
        if not public_url.startswith(("http://", "https://")):
            raise ConnectorError("AVATAR_PUBLIC_URL must be the http(s) address where `avatar serve` "
                                 f"is reachable (replies link to /v1/records/…), got {public_url!r}")
        self.avatar, self.ledger, self.public_url = avatar, ledger, public_url
        self.on_handoff, self.poll_interval = on_handoff, poll_interval
        self.backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._fan_secret = hashlib.sha256(b"avatar-connector-fan\0" + avatar.key.sign(b"connector-fan")).digest()
        self.room = self._fit_channel()

    # ---- what a platform implements ---------------------------------------------------------
    @abstractmethod
    def fetch(self) -> Iterable[Incoming]:
        """New fan messages since the stored cursor (raise PlatformError on failure)."""

    @abstractmethod
    def post(self, thread: dict[str, Any], text: str) -> None:
        """Send ``text`` (already within :attr:`limit`) as an answer in ``thread``."""

    def open(self) -> None:
        """Log in / connect (raise PlatformError if the platform is down)."""

    def close(self) -> None:
        """Release connections."""

    def length(self, text: str) -> int:
        """How the platform counts ``text`` against :attr:`limit` (characters by default)."""
        return len(text)

    # ---- the shared path ----------------------------------------------------------------------
    def fan_id(self, user_id: str) -> str:
        """The platform's user id as a pseudonym: keyed hash, stable per persona."""
        mac = hmac.new(self._fan_secret, f"{self.platform}:{user_id}".encode(), hashlib.sha256)
        return f"{self.prefix}:{mac.hexdigest()[:20]}"

    @property
    def prefix(self) -> str:
        return {"telegram": "tg", "bluesky": "bsky", "twitch": "tw"}.get(self.platform, self.platform)

    def _fit_channel(self) -> int:
        """Lower the channel's ``max_chars`` on this Avatar so a reply plus its record link fits
        the platform; return the characters the reply text may take."""
        link = self.link_sep + record_link(self.public_url, str(uuid.UUID(int=0)))
        room = self.limit - len(link)
        channels = self.avatar.persona.config.channels
        current = channels[self.channel]
        if room < 40:
            raise ConnectorError(f"AVATAR_PUBLIC_URL is too long for {self.platform}: the record link "
                                 f"leaves {room} of {self.limit} characters — use a shorter address")
        if current.max_chars > room:
            log.info("%s: [channels.%s] max_chars %d -> %d so that label, reply and record link fit "
                     "%d characters", self.platform, self.channel, current.max_chars, room, self.limit)
            channels[self.channel] = current.model_copy(update={"max_chars": room})
        return room

    def outgoing(self, reply: Reply) -> str:
        """The signed text as it is, then the link to its record; checked against the limit."""
        text = reply.text + self.link_sep + record_link(self.public_url, reply.reply_id)
        if self.length(text) > self.limit or not reply.disclosure.label:
            raise DisclosureError(f"{self.platform}: reply {reply.reply_id} would not fit in "
                                  f"{self.limit} characters with its label and link — not posted")
        return text

    def step(self) -> int:
        """One round: new messages, then replies the creator sent from the queue. Returns
        the number of posts made. Does nothing while the connector is paused."""
        if self.ledger.paused(self.platform):
            if self.drain_when_paused:
                list(self.fetch())
            return 0
        sent = 0
        for msg in self.fetch():
            sent += self.handle(msg)
            if msg.cursor is not None:
                self.ledger.set_cursor(self.platform, msg.cursor)
        return sent + self.deliver_approved()

    def handle(self, msg: Incoming) -> int:
        """Answer one message, at most once (the ledger claim comes first)."""
        if msg.text is None or not msg.text.strip():
            return 0
        if not self.ledger.claim(f"{self.platform}:{msg.key}"):
            return 0
        fan = self.fan_id(msg.user_id)
        try:
            reply = self.avatar.reply(msg.text, channel=self.channel, fan_id=fan)
            text = self.outgoing(reply)
        except AvatarError as exc:      # claimed, so never retried: at most once
            log.error("%s: no reply to message %s: %s", self.platform, msg.key, redact(str(exc)))
            return 0
        self._send(msg.thread, text, reply.reply_id)
        self._after(reply, msg, fan)
        return 1

    def _after(self, reply: Reply, msg: Incoming, fan: str) -> None:
        if reply.pending:
            self.ledger.wait_for(reply.pending, self.platform, msg.thread)
        if "handoff" in reply.events:
            open_items = self.avatar.queue.list(kind="handoff", status="open", fan_id=fan)
            item = open_items[-1].id if open_items else None
            if item:
                self.ledger.wait_for(item, self.platform, msg.thread)
            log.warning("%s: hand-off — fan %s needs %s personally (queue item %s; "
                        "`avatar queue list`)", self.platform, fan, self.avatar.persona.name, item)
            if self.on_handoff:
                self.on_handoff(self.platform, item, reply)

    def deliver_approved(self) -> int:
        """Post the replies the creator approved or rewrote (from any process) to the fan."""
        sent = 0
        for queue_id, thread in self.ledger.waiting(self.platform):
            data = self.ledger.take_outbox(queue_id)
            if data is None:
                continue
            text = data["text"] + self.link_sep + record_link(self.public_url, data["reply_id"])
            if self.length(text) > self.limit:
                log.error("%s: the creator's reply for %s is over %d characters — not posted; "
                          "answer on the platform yourself", self.platform, queue_id, self.limit)
                continue
            self._send(thread, text, data["reply_id"])
            sent += 1
        return sent

    def _send(self, thread: dict[str, Any], text: str, reply_id: str) -> None:
        """Post with bounded retries; give up on this reply after ``backoff.attempts``."""
        for attempt in range(1, self.backoff.attempts + 1):
            try:
                self.post(thread, text)
                return
            except PlatformError as exc:
                if not exc.retryable or attempt == self.backoff.attempts:
                    log.error("%s: reply %s not posted after %d tries: %s", self.platform, reply_id,
                              attempt, redact(str(exc)))
                    return
                wait = self.backoff.delay(attempt, exc.retry_after)
                log.warning("%s: post failed (%s), retrying in %.1f s", self.platform, redact(str(exc)), wait)
                if self._stop.wait(wait):
                    return

    # ---- running --------------------------------------------------------------------------------
    def run(self, stop: threading.Event | None = None) -> None:
        """Poll until ``stop`` is set. Failures back off (Retry-After first, else exponential
        up to ``backoff.cap``) and never end the loop: a down platform is retried."""
        if stop is not None:
            self._stop = stop
        failures, opened = 0, False
        while not self._stop.is_set():
            try:
                if not opened:
                    self.open()
                    opened = True
                    log.info("%s: connected, answering on channel '%s'", self.platform, self.channel)
                self.step()
                failures, wait = 0, self.poll_interval
            except PlatformError as exc:
                failures += 1
                wait = self.backoff.delay(failures, exc.retry_after)
                if exc.retry_after is None:      # down, not just busy: reconnect next time
                    opened = self._reset()
                log.warning("%s: %s — retrying in %.1f s", self.platform, redact(str(exc)), wait)
            except ConnectorError as exc:       # misconfigured (bad token…): retrying won't help
                log.error("%s: stopped: %s", self.platform, redact(str(exc)))
                break
            except Exception as exc:            # a bug must not kill the other connectors
                failures += 1
                wait = self.backoff.delay(failures)
                opened = self._reset()
                log.error("%s: unexpected %s: %s — retrying in %.1f s", self.platform,
                          type(exc).__name__, redact(str(exc)), wait)
            self._stop.wait(wait)
        self.close()

    def _reset(self) -> bool:
        try:
            self.close()
        except Exception:   # closing a broken connection may fail too
            pass
        return False

    def start(self, stop: threading.Event | None = None) -> threading.Thread:
        """Run on a daemon thread of its own (stop with :meth:`stop` or by setting ``stop``)."""
        thread = threading.Thread(target=self.run, args=(stop,), name=f"connector-{self.platform}",
                                  daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
