"""Streaming a reply: the same steps as :meth:`avatar.Avatar.reply`, sentence by sentence.

The label (and any notice) is the first piece, sent before the model runs. Each sentence
the model finishes is sanitised and checked by the output rails before it is sent. If
iteration stops early (the fan left, ``close()``) or the backend fails midway, the record
is still signed and logged, marked ``complete: false``, covering exactly the text sent.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator

from ..disclosure import Placement, compose, cut_to_fit
from ..errors import AvatarError, BackendError
from ..types import Reply
from . import steps
from .assemble import Parts
from .finisher import Finisher
from .turn import Turn

# A sentence ends at . ! ? … followed by a space, or right after 。！？ (no space in CJK
# text); never at a bare newline: "I am\nhuman" is one claim.
_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?…])\s+")


class ReplyStream:
    """Iterate to get text pieces; then read ``.reply`` for the signed record.

    ``producer`` names who writes the text (the record's backend fields), known before the
    first piece: the HTTP API sends it in the ``AI-Disclosure`` header.
    """

    def __init__(self, parts: Parts, finisher: Finisher, turn: Turn) -> None:
        self.p, self.finisher, self.turn = parts, finisher, turn
        placement = parts.policy.placement
        self.placement: Placement = "start" if placement == "start" else "both"
        self.producer = steps.producer(turn, parts)
        self.sent: list[str] = []
        self.body_parts: list[str] = []
        self.reply: Reply | None = None
        self._gen: Generator[str, None, None] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._gen is None:
            self._gen = self._run()
        return self._gen

    def close(self) -> None:
        """Stop early: the record covers what was sent (``complete: false``)."""
        if self._gen is not None:
            self._gen.close()
        if self.reply is None:
            self._finalize(complete=False)

    def text(self) -> str:
        """Consume the rest of the stream and return the full labelled text."""
        for _ in self:
            pass
        assert self.reply is not None
        return self.reply.text

    def _emit(self, piece: str) -> str:
        self.sent.append(piece)
        return piece

    def _run(self) -> Generator[str, None, None]:
        turn, label = self.turn, self.p.policy.label
        complete = False
        error: BaseException | None = None
        try:
            yield self._emit(compose("", label, "start", turn.notice))
            room = self.finisher.room(turn.channel, self.placement, turn.notice)
            for sentence in self._sentences():
                piece = self._fit(sentence, room)
                if piece:
                    self.body_parts.append(piece)
                    yield self._emit(("\n" if len(self.body_parts) == 1 else " ") + piece)
                if piece != sentence or self._used() >= room:
                    turn.events.append("truncated")
                    break
            if not self.body_parts:
                self.body_parts.append(cut_to_fit(steps.fallback("", turn, self.p), room))
                yield self._emit("\n" + self.body_parts[0])
            complete = True      # all the text is out; only the closing label remains
            if self.placement == "both":
                yield self._emit("\n" + label)
        except GeneratorExit:
            raise
        except Exception as exc:
            error = exc
        finally:
            self._finalize(complete)
        if error is not None:
            if isinstance(error, AvatarError):
                raise error
            raise BackendError(f"the chat backend failed mid-reply: {error} — the fan saw a "
                               "labelled partial reply; check the backend") from error

    def _sentences(self) -> Iterator[str]:
        turn, p = self.turn, self.p
        if turn.fixed_body is not None:
            yield " ".join(steps.sanitize(turn.fixed_body, turn, p).split())
            return
        buf = ""
        for chunk in p.backend.stream(turn.prompt):
            buf += chunk
            parts = _SENTENCE_END.split(buf)
            for done in parts[:-1]:
                clean = self._check(done)
                if clean:
                    yield clean
            buf = parts[-1]
        if buf.strip():
            clean = self._check(buf)
            if clean:
                yield clean
        tail = steps.guard_tail(turn, p)
        if tail:
            yield tail

    def _check(self, sentence: str) -> str:
        clean = " ".join(steps.sanitize(sentence, self.turn, self.p).split())
        return clean and steps.guard_sentence(clean, self.turn, self.p)

    def _used(self) -> int:
        return sum(len(b) + 1 for b in self.body_parts)

    def _fit(self, sentence: str, room: int) -> str:
        used = self._used()
        return cut_to_fit(sentence, room - used) if used + len(sentence) + 1 > room else sentence

    def _finalize(self, complete: bool) -> None:
        if self.reply is not None:
            return
        shown = "".join(self.sent)
        placement: Placement = self.placement if complete else "start"
        if not shown:    # closed before the first piece: the label is still what was shown
            shown = compose("", self.p.policy.label, "start", self.turn.notice)
        self.reply = self.finisher.seal(self.turn, shown=shown, body=" ".join(self.body_parts),
                                        placement=placement, complete=complete,
                                        producer=self.producer)
