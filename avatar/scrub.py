"""Remove third parties' personal data from posts before anything is embedded.

    >>> text, counts = Scrubber().scrub("mail ana@example.com or call +44 113 496 0000")
    >>> text, dict(counts)
    ('mail [email] or call [phone]', {'emails': 1, 'phones': 1})

What is replaced: email addresses (``[email]``), phone numbers (``[phone]``), street
addresses and postcodes (``[address]``), and, when asked (``handles=True``), the @handles
of other accounts (``@[user]``) — never the creator's own handles or those in
``keep_handles``. Links are left alone.

Phone numbers are recognised conservatively, so that versions (``v1.2.3``), prices
(``£1,299.99``), times (``19:00``), dates (``2024-03-12``, ``12/03/2024``) and lists of
numbers (``100 120 140``) stay as written: a number counts as a phone number only when it
starts with ``+`` or ``(``, starts with a trunk ``0`` and has 10-11 digits, or has the
North-American 3-3-4 shape (``555-123-4567``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

__all__ = ["Scrubber"]

_URL = re.compile(r"https?://\S+|www\.\S+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w+@/.:,£$€-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,11}(?:[ .-]\d{2,6}){0,4}"
                    r"(?![\w@/:%-]|[.,]\d)")
_NANP = re.compile(r"\d{3}([-. ])\d{3}\1\d{4}")
_STREET = (r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Boulevard|Blvd|Court|Ct|Place|Pl|"
           r"Terrace|Crescent|Grove|Row|Square|Sq|Gardens|Mews|Parade|Walk")
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,4}}(?:{_STREET})\b\.?"
    r"(?:,?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"                        # town
    r"(?:,?\s+(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]{2}\s+\d{5}(?:-\d{4})?))?"   # postcode / ZIP
    r"|\b[A-ZÅÄÖ][a-zåäö]+(?:gatan|vägen|gränd|torget|stigen|backen)\s+\d{1,4}[A-Za-z]?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")                           # a UK postcode on its own
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")


class Scrubber:
    """Replaces personal data in text; one instance per persona (it knows its own handles)."""

    def __init__(self, *, handles: bool = False, keep_handles: Iterable[str] = ()) -> None:
        self.handles = handles
        self.keep = {_bare(h) for h in keep_handles if _bare(h)}

    def scrub(self, text: str) -> tuple[str, Counter[str]]:
        """The text with personal data replaced, and how many of each kind were replaced."""
        counts: Counter[str] = Counter()
        pieces, at = [], 0
        for link in _URL.finditer(text):
            pieces += [self._plain(text[at:link.start()], counts), link.group()]
            at = link.end()
        pieces.append(self._plain(text[at:], counts))
        return "".join(pieces), counts

    def _plain(self, text: str, counts: Counter[str]) -> str:
        text = _sub(_EMAIL, "[email]", text, counts, "emails")
        text = _sub(_ADDRESS, "[address]", text, counts, "addresses")
        text = _PHONE.sub(lambda m: _phone(m, counts), text)
        if self.handles:
            text = _HANDLE.sub(lambda m: self._handle(m, counts), text)
        return text

    def _handle(self, match: re.Match[str], counts: Counter[str]) -> str:
        if _bare(match.group(1)) in self.keep:
            return match.group()
        counts["handles"] += 1
        return "@[user]"


def _sub(pattern: re.Pattern[str], placeholder: str, text: str, counts: Counter[str], key: str) -> str:
    text, n = pattern.subn(placeholder, text)
    if n:
        counts[key] += n
    return text


def _phone(match: re.Match[str], counts: Counter[str]) -> str:
    if not is_phone(match.group()):
        return match.group()
    counts["phones"] += 1
    return "[phone]"


def is_phone(candidate: str) -> bool:
    """The conservative rules in the module docstring."""
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+"):
        return 8 <= len(digits) <= 15
    if candidate.startswith("("):
        return 9 <= len(digits) <= 15
    if candidate.startswith("0") and not candidate.startswith("0."):
        return 10 <= len(digits) <= 11
    return _NANP.fullmatch(candidate) is not None


def _bare(handle: str) -> str:
    return handle.strip().lstrip("@").lower()
