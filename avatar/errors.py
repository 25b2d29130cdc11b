"""All errors avatar raises on purpose. Every message says what went wrong *and what to do*.

    AvatarError
    ├── ConfigError            persona file or settings are wrong (names file + field)
    │   └── MessageTooLong         a message is over avatar.limits.MAX_MESSAGE_CHARS
    ├── IngestError            an input file cannot be read (names file + line/record)
    ├── StoreError             the vector store cannot be opened or written
    ├── EmbeddingError         the embedder failed or its model files are missing
    ├── BackendError           the chat backend failed
    │   ├── BackendUnavailable     server unreachable, model files missing
    │   └── MissingAPIKey          a hosted backend needs a key
    ├── DisclosureError        a disclosure rule would be broken (e.g. label turned off)
    ├── QueueError             a handoff/approval queue item is unknown or already handled
    ├── ConnectorError         a platform connector is misconfigured (missing secret, bad URL)
    │   └── PlatformError          the platform failed or said "slow down" (retry_after)
    └── VerificationError      a reply's provenance cannot be checked (malformed input)

The CLI prints ``str(error)`` as one line and exits non-zero; it never shows a traceback
for an ``AvatarError``.
"""

from __future__ import annotations


class AvatarError(Exception):
    """Base class. ``str(err)`` is a complete, user-facing sentence with a fix."""

    exit_code = 1


class ConfigError(AvatarError):
    exit_code = 2


class MessageTooLong(ConfigError):
    """A fan message over :data:`avatar.limits.MAX_MESSAGE_CHARS` (the API answers 413)."""


class IngestError(AvatarError):
    exit_code = 3


class StoreError(AvatarError):
    exit_code = 4


class EmbeddingError(AvatarError):
    exit_code = 4


class BackendError(AvatarError):
    exit_code = 5


class BackendUnavailable(BackendError):
    pass


class MissingAPIKey(BackendError):
    pass


class DisclosureError(AvatarError):
    exit_code = 6


class QueueError(AvatarError):
    exit_code = 8


class VerificationError(AvatarError):
    exit_code = 7


class ConnectorError(AvatarError):
    exit_code = 9


class PlatformError(ConnectorError):
    """The platform failed. ``retry_after`` (seconds) is the platform's own wait, if it gave
    one; ``retryable`` is False for answers that will not change (e.g. the fan blocked the bot)."""

    def __init__(self, message: str, *, retry_after: float | None = None, retryable: bool = True) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.retryable = retryable
