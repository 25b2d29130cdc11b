"""Size limits shared by every way a message enters avatar (web chat, studio, API, library).

One constant, so the browser's ``maxlength``, the UI handlers, the HTTP API (413) and the
library all refuse the same thing.
"""

from __future__ import annotations

from .errors import MessageTooLong

MAX_MESSAGE_CHARS = 4000      # characters in one fan message


def check_message_length(message: str, field: str = "message") -> None:
    """Raise :class:`MessageTooLong` if ``message`` is over :data:`MAX_MESSAGE_CHARS`.

    Only ``len`` is looked at: a 1 MB message costs nothing more than a short one here.
    """
    if len(message) > MAX_MESSAGE_CHARS:
        raise MessageTooLong(f"the {field} is {len(message):,} characters long; the limit is "
                             f"{MAX_MESSAGE_CHARS:,} — shorten it or send it in parts")
