"""Truth checks: the avatar must never pass itself off as the human it imitates.

The AI label is stamped by code after generation; this module guards the words around it.
Everything here is a pure function over strings (standard library only)::

    asks_if_human(message)              the fan asks "are you real / a bot / really Mara?"
    truthful_answer(message, creator)   the fixed, honest answer in the fan's language
    find_false_claims(text, creator)    model output that claims to be human or the creator,
                                        denies being AI, or forges a label -> [Finding]
    sanitize_model_text(text, creator)  what may be shown: markup stripped, each false claim
                                        replaced by one truthful sentence -> SanitizeResult
    strip_markup(text)                  display cleaning: tags, invisible characters, tricks
    normalize_for_detection(text)       the canonical form every matcher reads

Matching works on ``normalize_for_detection`` output, which undoes the usual evasions
(look-alike letters, zero-width characters, markdown/HTML wrapping, "h u m a n"
spacing, leetspeak). The rules are hand-written regular expressions for 16 languages
(en zh es fr de pt it ja ko ru ar hi tr id nl pl). They lean toward flagging: a false
alarm costs one sentence of a reply, a miss costs the product's core promise.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "FINDING_KINDS", "Finding", "SanitizeResult", "TRUTHFUL_ANSWERS", "asks_if_human",
    "find_false_claims", "normalize_for_detection", "sanitize_model_text", "strip_markup",
    "truthful_answer",
]

FINDING_KINDS: tuple[str, ...] = ("claims_human", "denies_ai", "forged_label", "impersonation")


@dataclass(frozen=True)
class Finding:
    """One false claim. ``start``/``end`` delimit the sentence (or line) that holds it in
    the checked text, so ``text[start:end] == excerpt``. ``kind`` is one of FINDING_KINDS."""

    kind: str
    start: int
    end: int
    excerpt: str


@dataclass(frozen=True)
class SanitizeResult:
    """``text`` is safe to show; ``findings`` refer to the input text; ``changed`` is
    True when ``text`` differs from the input."""

    text: str
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False


# =============================================================================================
# Normalisation for detection
# =============================================================================================

_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0x2800, 0x2800), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB), (0x1D173, 0x1D17A), (0xE0000, 0xE007F), (0xE0100, 0xE01EF),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]"


_INVISIBLE = re.compile(_char_class(_INVISIBLE_RANGES))

# Letters of other scripts that render like Latin ones (a small, explicit table).
_CYRILLIC_TO_LATIN = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y",
    "Һ": "H", "Ӏ": "l", "а": "a", "е": "e", "ё": "e", "к": "k", "м": "m", "о": "o", "р": "p",
    "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ӏ": "l", "ү": "y", "н": "h", "т": "t", "в": "b", "ѵ": "v",
}
_GREEK_TO_LATIN = {
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "ε": "e", "ι": "i", "κ": "k",
    "ν": "v", "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "ϲ": "c", "γ": "y", "ω": "w",
}
_ARMENIAN_TO_LATIN = {"օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g"}
_CHEROKEE_TO_LATIN = {
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭼ": "E", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K", "Ꮮ": "L", "Ꮇ": "M",
    "Ꮲ": "P", "Ꭱ": "R", "Ꮪ": "S", "Ꭲ": "T", "Ꮩ": "V", "Ꮃ": "W", "Ꮓ": "Z",
}


def _case_closed(table: dict[str, str]) -> dict[str, str]:
    """Add the other case of every entry, so a letter maps the same way in either case
    (this keeps normalisation idempotent)."""
    closed = dict(table)
    for src, dst in table.items():
        for s, d in ((src.lower(), dst.lower()), (src.upper(), dst.upper())):
            if len(s) == 1 and len(d) == 1:
                closed.setdefault(s, d)
    return closed


_TO_LATIN = _case_closed(
    {**_CYRILLIC_TO_LATIN, **_GREEK_TO_LATIN, **_ARMENIAN_TO_LATIN, **_CHEROKEE_TO_LATIN})
# Applied after casefolding, so the targets are lowercase (Cherokee casefolds to upper case).
_TO_LATIN_TABLE = str.maketrans({k: v.lower() for k, v in _TO_LATIN.items()})
_LATIN_TO_CYRILLIC_TABLE = str.maketrans(
    {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к", "m": "м",
     "t": "т", "h": "н", "b": "в"})
# Latin-script look-alikes no supported language needs (small capitals, IPA, dotless i ...).
_LATIN_LOOKALIKES = str.maketrans({
    **{chr(0x1F1E6 + i): chr(ord("a") + i) for i in range(26)},  # regional indicators
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t",
    "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɑ": "a", "ɩ": "i", "ɡ": "g", "ȷ": "j",
})
_FOREIGN_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
# Words of the alphabets that get mixed (Latin, Greek, Cyrillic, Armenian, Cherokee); other
# scripts end a word, so "k本人я" is two words.
_ALPHABETIC_WORD = re.compile(
    "[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u13a0-\u13ff"
    "\uab70-\uabbf]+")

_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_COMMENT_MARK = re.compile(r"<!--|-->")
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|pre|hr|section|article"
    r"|header|footer)\b[^<>]*>", re.I)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-z][^<>]*>", re.I)
_EMPHASIS = re.compile(r"[*_~`]+|#+(?=\s|$)|(?:^|(?<=\s))>+")

_FOLD_TABLE = str.maketrans({
    "’": "'", "‘": "'", "ʼ": "'", "´": "'", "′": "'", "`": "'", "ł": "l", "ı": "i", "ø": "o",
    "đ": "d", "ħ": "h", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك",
    "ـ": None, "\u0901": "\u0902", "\u093c": None,
})
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s"})
_ASCII_TOKEN = re.compile(r"[a-z0-9@$]+", re.I)
_SPACED_RUN = re.compile(
    r"(?<![^\W\d_])[^\W\d_](?:[ \t.\-_*·•/|+~:]{1,3}[^\W\d_](?![^\W\d_])){2,}")
_RUN_LETTER = re.compile(r"[^\W\d_]")
# Words a spaced-out claim is made of; used to re-split "imarealperson".
_VOCAB = frozenset(
    "i im a an am not no real really person human humans being bot bots robot ai machine me this "
    "is it its actually yes the you u r are talking to here verified written by typed myself "
    "personally genuine living alive label removed hi hey or and just only totally definitely "
    "people person typing writing 100 used generated free chatbot program computer".split())
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(
    f"(?<=[{_CJK}])[ \\t]+(?=[{_CJK}a-z0-9])|(?<=[a-z0-9])[ \\t]+(?=[{_CJK}])")


@lru_cache(maxsize=8192)
def normalize_for_detection(text: str) -> str:
    """Return the canonical form used only for matching, never for display.

    Decodes HTML entities, applies NFKC, removes invisible characters, strips markdown and
    HTML emphasis, maps look-alike letters to Latin, casefolds, drops Latin accents,
    undoes leetspeak and letter spacing ("h.u.m.a.n" -> "human"), collapses whitespace.
    Idempotent: normalising twice gives the same string.
    """
    for _ in range(6):  # the steps feed each other ("&amp;lt;", "h 0 t"): run to a fixed point
        canonical = _canonical(text)
        if canonical == text:
            break
        text = canonical
    return text


def _canonical(text: str) -> str:
    """One pass of every normalisation step, in dependency order."""
    text = unicodedata.normalize("NFKC", _decode_entities(text))
    text = _strip_markup_for_detection(_INVISIBLE.sub("", text))
    text = _fold_marks(_fold_marks(text).translate(_LATIN_LOOKALIKES).casefold())
    text = " ".join(_fix_confusables(_undo_leet(text)).split())
    return _CJK_GAP.sub("", _fix_confusables(_join_spaced_letters(text)))


def _decode_entities(text: str) -> str:
    for _ in range(3):  # double-encoded entities ("&amp;#8203;") are a known trick
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _strip_markup_for_detection(text: str) -> str:
    text = _MD_LINK.sub(r" \1 ", _COMMENT_MARK.sub(" ", text))
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", _URL.sub(" ", text)))
    return _EMPHASIS.sub("", text)


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if ch.isalpha() else ""


def _fix_confusables(text: str) -> str:
    """Map Cyrillic/Greek/Armenian look-alikes inside Latin words (and Latin ones inside
    Cyrillic words) so "rеаl" with Cyrillic е, а reads "real" and "бoт" reads "бот"."""
    if text.isascii():
        return text
    latin = sum(_script(c) == "LATIN" for c in text)
    foreign = sum(_script(c) in _FOREIGN_SCRIPTS and c not in _TO_LATIN for c in text)
    latin_text = latin > foreign
    return _ALPHABETIC_WORD.sub(lambda m: _fix_word(m.group(), latin_text), text)


def _fix_word(word: str, latin_text: bool) -> str:
    scripts = {_script(c) for c in word}
    if not scripts & set(_FOREIGN_SCRIPTS):
        return word
    mixed_cyrillic = "LATIN" in scripts and "CYRILLIC" in scripts
    as_cyrillic = word.translate(_LATIN_TO_CYRILLIC_TABLE)
    if mixed_cyrillic and not latin_text and not any(_script(c) == "LATIN" for c in as_cyrillic):
        return as_cyrillic  # "нe" inside Russian text is "не"
    only_lookalikes = all(c in _TO_LATIN for c in word if _script(c) in _FOREIGN_SCRIPTS)
    if only_lookalikes and ("LATIN" in scripts or latin_text):
        return word.translate(_TO_LATIN_TABLE)
    return as_cyrillic if mixed_cyrillic else word


def _fold_marks(text: str) -> str:
    """Drop accents on Latin letters (keeping Indic/Japanese marks), Arabic vowel marks,
    and fold quote, Arabic and Devanagari spelling variants."""
    if text.isascii():
        return text.translate(_FOLD_TABLE)
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and (not out or out[-1].isascii()):
            continue
        out.append(ch)
    text = unicodedata.normalize("NFC", "".join(out))
    return _ARABIC_MARKS.sub("", text).translate(_FOLD_TABLE)


def _undo_leet(text: str) -> str:
    return _ASCII_TOKEN.sub(_leet_token, text)


def _leet_token(match: re.Match[str]) -> str:
    token = match.group()
    if token[0] in "@$" or token.isalpha() or not any(c.isalpha() for c in token):
        return token
    if token.endswith("1") and token[:-1].isalpha():
        return token[:-1] + "l"  # "rea1"
    return token.translate(_LEET)


def _join_spaced_letters(text: str) -> str:
    return _SPACED_RUN.sub(lambda m: _rejoin(_RUN_LETTER.findall(m.group())), text)


def _rejoin(letters: list[str]) -> str:
    """"h u m a n" -> "human"; "imarealperson" -> "im a real person"; "r u a" stays."""
    word = "".join(letters)
    if not word.isascii():
        return word
    parts = _segment_word(word)
    if not all(p in _VOCAB for p in parts) and not any(len(p) >= 3 and p in _VOCAB
                                                        for p in parts):
        return word
    return " ".join(_glue_strays(parts))


def _glue_strays(parts: list[str]) -> list[str]:
    """Glue three or more single letters in a row unless all are words ("r u a"): left
    spaced, they would be joined again on a second pass."""
    out: list[str] = []
    run: list[str] = []
    for part in parts + [""]:
        if len(part) == 1:
            run.append(part)
            continue
        stray = len(run) >= 3 and not all(p in _VOCAB for p in run)
        out += ["".join(run)] if stray else run
        run = []
        if part:
            out.append(part)
    return out


def _segment_word(word: str) -> list[str]:
    """Cheapest split of ``word`` into vocabulary words (cost 1) and stray letters (cost 3)."""
    none: list[str] = []
    best: list[tuple[int, list[str]]] = [(0, none)] + [(10**9, none)] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 12), end):
            piece = word[start:end]
            cost = 1 if piece in _VOCAB else 3 if len(piece) == 1 else None
            if cost is not None and best[start][0] + cost < best[end][0]:
                best[end] = (best[start][0] + cost, best[start][1] + [piece])
    return best[-1][1]


# =============================================================================================
# Markup stripping for display
# =============================================================================================

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_DROP_ELEMENT = re.compile(
    r"<\s*(script|style|template|noscript|iframe|object|svg|math|head|title)\b[^>]*>.*?"
    r"(?:<\s*/\s*\1\s*>|$)", re.S | re.I)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>", re.I)
# Anything a browser could read as a tag (tag names may hold dots: "<A.>"), plus an
# unterminated tag at the very end.
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|<![A-Za-z][^<>]*>|<\?[^<>]*\?>"
                  r"|</?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+\s*=[^<>]*)?\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_MD_LINK_DISPLAY = re.compile(
    r"\[([^\]\n]+)\]\(\s*<?((?:[^()\s<>]|\([^()\s<>]*\))+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|^[ \t]{0,3}(?:>[ \t]?)+", re.M)
_MD_RULE = re.compile(r"^[ \t]{0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$", re.M)
_TAG_RUN = re.compile("[\U000E0000-\U000E007F]+")
_FLAG_TAGS = re.compile("[\U000E0030-\U000E0039\U000E0061-\U000E007A]{2,7}\U000E007F")
_DISPLAY_INVISIBLE = re.compile(_char_class(tuple(
    r for r in _INVISIBLE_RANGES if r != (0xE0000, 0xE007F))))


def strip_markup(text: str) -> str:
    """Return ``text`` as it may be shown to a fan.

    HTML tags are removed (their text kept; scripts, styles and comments dropped), entities
    decoded, invisible and bidi-control characters removed, markdown images dropped, links
    shown as "text (url)", heading/quote/rule markers removed. Emojis (including ZWJ
    sequences and flags), punctuation, line breaks and every script are kept.
    """
    for _ in range(3):  # entity-encoded tags must not survive as real tags
        stripped = _strip_html(_decode_entities(text))
        if stripped == text:
            break
        text = stripped
    text = _drop_display_invisibles(_neutralise_markdown(text))
    return _tidy(unicodedata.normalize("NFC", text))


def _strip_html(text: str) -> str:
    text = _DROP_ELEMENT.sub("", _HTML_COMMENT.sub("", text))
    text = _AUTOLINK.sub(r"\1", _BLOCK_TAG.sub("\n", text))
    return _TAG.sub("", text)


_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1")
_WEB_URL = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


def _neutralise_markdown(text: str) -> str:
    text = _MD_LINK_DISPLAY.sub(_link_as_text, _MD_IMAGE.sub("", text))
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_HEADING.sub("", _MD_RULE.sub("", text))


def _link_as_text(match: re.Match[str]) -> str:
    """A link as plain text: "label (url)" for web links; only the label for any other
    scheme (``javascript:``, ``data:``…), which a client could otherwise make clickable."""
    label, url = match.group(1).strip(), match.group(2).strip()
    if not _WEB_URL.match(url):
        return label
    return url if label == url else f"{label} ({url})"


def _drop_display_invisibles(text: str) -> str:
    text = _TAG_RUN.sub(_keep_flag_tags, text)
    return _DISPLAY_INVISIBLE.sub(_keep_joiner, text)


def _keep_flag_tags(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1] if match.start() else ""
    return match.group() if before == "\U0001F3F4" and _FLAG_TAGS.fullmatch(match.group()) else ""


def _keep_joiner(match: re.Match[str]) -> str:
    """Keep the few invisibles that are part of what the fan sees: emoji ZWJ sequences,
    emoji presentation selectors, and joiners inside non-Latin words."""
    ch, text, i = match.group(), match.string, match.start()
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch in "\ufe0e\ufe0f":
        return ch if prev and not prev.isalpha() and not prev.isspace() else ""
    if ch == "\u200d" and _is_emoji(prev) and _is_emoji(nxt):
        return ch
    if ch in "\u200c\u200d" and _joins_script(prev) and _joins_script(nxt):
        return ch
    return ""


def _is_emoji(ch: str) -> bool:
    return bool(ch) and (ord(ch) >= 0x1F000 or ch == "\ufe0f" or unicodedata.category(ch) == "So")


def _joins_script(ch: str) -> bool:
    return bool(ch) and not ch.isascii() and unicodedata.category(ch)[0] in "LM"


def _tidy(text: str) -> str:
    text = re.sub(r"(?<=\S)[ \t]{2,}", " ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# =============================================================================================
# Rule tables. Patterns are written against normalised text (lowercase, no Latin accents).
# Macros: %END% = the word ends a phrase here; %NAME% = the creator's name (rule is skipped
# without one); %NAMEALT% = "|name" inside an alternation, or nothing.
# =============================================================================================

_END_WORDS = (
    "or|and|but|because|cause|cuz|since|lol|lmao|haha\\w*|rn|right|fr|tho|though|then|now|too|"
    "here|there|either|yet|at all|anymore|honestly|seriously|really|actually|pls|please|bro|sis|"
    "girl|dude|man|tbh|ngl|o|ou|oder|of|czy|albo|lub|ili|или|atau|yoksa|veya|ya|e|et|und|en|i|и|"
    "ve|dan|y|yes|no|aren't|arent|isn't|huh|eh|innit|promise|i promise|i swear|trust me|btw|"
    "obviously|ok|okay|just|over here")
_MACROS = {
    "%END%": f"(?=\\s*$|\\s*[^\\w\\s'-]|\\s*-\\s|\\s+(?:{_END_WORDS})\\b)",
    "%IAM%": r"(?:i'm|i am|im|iam|i m)",
    "%YOU%": r"(?:you|u|ya|yu)",
    "%ARE%": r"(?:are|r|ar)",
    "%ADV%": (r"(?:even|actually|really|truly|honestly|genuinely|seriously|legit|literally|just|"
              r"secretly|like|perhaps|maybe|by any chance|still|also|100%|definitely)"),
    "%BOTS%": (r"(?:bot|robot|ai|a\.i\.?|chatbot|chat bot|computer|algorithm|script|gpt|chatgpt|"
               r"llm|language model|ai model|ai avatar|avatar|virtual assistant|assistant|clone|"
               r"deepfake|npc|automated(?: account| reply| response)?|auto[- ]?reply|"
               r"ai[- ]generated|android|cyborg|simulation)"),
    "%HUMANS%": (r"(?:human|humans|human being|person|real person|real human|actual person|"
                 r"actual human|live person|living person|sentient|conscious)"),
}

H, D, L, I = "claims_human", "denies_ai", "forged_label", "impersonation"  # noqa: E741

# (needs a question cue, pattern). A "needs question" rule fires only when the message has a
# "?" or an interrogative word: "eres humana, tranquila" is comfort, "¿eres humana?" is not.
_ASKS: tuple[tuple[bool, str], ...] = (
    # --- English
    (False, r"(?:\b%ARE%\s+%YOU%|\bru)\s+(?:(?:%ADV%|an?|some kind of|some sort of|a kind of)\s+)*"
            r"(?:(?:real|actual|living|live|genuine|flesh and blood|human|fellow)\s+)?"
            r"(?:%BOTS%|%HUMANS%)\b%END%"),
    (False, r"(?:\b%ARE%\s+%YOU%|\bru)\s+(?:%ADV%\s+)*real\b%END%"),
    (False, r"\b%ARE%\s+%YOU%\s+(?:%ADV%\s+)*(?:an?\s+)?(?:real|actual|living|genuine|live|"
            r"flesh and blood)\s+(?:girl|guy|woman|man|lady|dude|boy|account|creator|influencer|"
            r"human being)\b%END%"),
    (False, r"\b%ARE%\s+%YOU%\s+(?:%ADV%\s+)*(?:the\s+(?:real|actual|original|genuine|true)\s+"
            r"(?!deal\b|mvp\b|thing\b|one\b|g\b|goat\b|hero\b)[\w.-]+|(?:her|him|them|yourself|"
            r"urself)\b%END%%NAMEALT%)"),
    (False, r"\b(?:is|iz)\s+(?:this|it|that|dis)\s+(?:(?:really|actually|truly|genuinely|"
            r"honestly|even|legit|seriously|still|the real|the actual)\s+)+(?:you|u|her|him|them|"
            r"yourself%NAMEALT%)\b(?!')(?!\s+(?:in|on|at|from)\s+(?:the|this|that|your|ur)\s+"
            r"(?:photo|pic|picture|video|vid|clip|reel|post|story|ad|thumbnail|image|selfie|"
            r"tiktok|short|stream)\b)"),
    (False, r"^\W*(?:(?:hey|hi|hello|yo|ok|okay|so|wait|um+|hm+)\W+)*(?:is\s+(?:this|it)\s+"
            r"(?:you|u%NAMEALT%)|it's\s+(?:really|actually)\s+you)\s*\?+\W*$"),
    (False, r"\bis\s+(?:this|it|that|dis|there)\s+(?:(?:a|an|some|like a|like an|just a|just an|"
            r"actually a|actually an|really a|really an|even a|an actual|a real|a live)\s+)?"
            r"(?:bot|robot|ai|a\.i\.?|chatbot|chat bot|auto[- ]?reply|auto[- ]?responder|"
            r"automated(?: reply| response| message| account)?|automatic reply|gpt|chatgpt|"
            r"ai[- ]generated|ai reply|ai avatar|avatar|real person|real human|human|live person|"
            r"actual person|llm)\b%END%"),
    (False, r"\b(?:am|m|are)\s+(?:i|we)\s+(?:(?:really|actually|just|even|currently|now|still|"
            r"literally|only|seriously|rn|here)\s+)*(?:talking|speaking|chatting|texting|"
            r"messaging|writing|dming|dm'ing|conversing|interacting|corresponding)\s+(?:to|with)"
            r"\s+(?:(?:a|an|the|some|like a|like an|an actual|a real|a live|real|actual|live|"
            r"living|just a|just an|ur|your)\s+)*(?:bot|robot|ai|a\.i|chatbot|machine|program|"
            r"computer|script|human|person|human being|people|you|u|her|him|them|avatar|"
            r"ai avatar|assistant|team|gpt|chatgpt|algorithm|clone|real person|someone real|"
            r"somebody real|the creator|yourself%NAMEALT%)\b"),
    (False, r"\b(?:i'm|im|i am)\s+(?:(?:really|actually|just|probably|clearly|obviously|"
            r"literally)\s+)*(?:talking|speaking|chatting|texting|messaging|writing)\s+(?:to|with)"
            r"\s+(?:an?\s+)?(?:bot|robot|ai|chatbot|machine|program|script|algorithm|gpt|chatgpt|"
            r"avatar|ai avatar)\b"),
    (False, r"\bwho\s+(?:am|m|are)\s+(?:i|we)\s+(?:(?:really|actually|even|exactly|rn|now)\s+)*"
            r"(?:talking|speaking|chatting|texting|messaging|writing|dming|talkin)\s+(?:to|with)\b"),
    (False, r"\bwho(?:'s|s|\s+is|\s+are)\s+(?:(?:really|actually|even|exactly|rn|now)\s+)*"
            r"(?:replying|answering|responding|typing|writing|texting|reading|running|behind|"
            r"on the other (?:end|side))(?:\s+(?:to (?:me|this|these|us|you|fans|my \w+|the \w+|"
            r"your \w+)|this|these|here|rn|right now|now|my messages|my dms|the dms|the messages|"
            r"the replies|this account|the account|your dms|your messages|your replies|this chat|"
            r"your account))?%END%"),
    (False, r"\b(?:is|are)\s+(?:this|these|those|your|ur|the|all|all of your|all your)\s+"
            r"(?:reply|replies|response|responses|answer|answers|message|messages|dm|dms|chat|"
            r"chats|account|texts)\s+(?:(?:really|actually|even|all|just|being|always|now|also|"
            r"fully|completely)\s+)*(?:ai|a\.i|automated|auto[- ]?generated|ai[- ]generated|"
            r"generated|ai[- ]written|a bot|bots|by a bot|by ai|by an ai|by chatgpt|by gpt|"
            r"from a bot|from (?:an )?ai|real|human|chatgpt|gpt|scripted|you|yourself|"
            r"(?:run|managed|handled|operated|answered|written|typed|controlled|sent)\s+by\s+"
            r"(?:a\s+|an\s+|your\s+)?(?:bot|ai|robot|machine|script|program|team|assistant|human|"
            r"person|you|yourself|someone else|manager|social media manager%NAMEALT%))\b%END%"),
    (False, r"\b(?:do|did|does|are|is)\s+(?:you|u|ya|she|he|they%NAMEALT%)\s+(?:(?:really|"
            r"actually|even|just|also|ever)\s+)*(?:use|using|uses|have|has|let|lets)\s+(?:an?\s+)?"
            r"(?:ai|a\.i|chatgpt|gpt|bot|bots|assistant|chatbot|script|automation|team|"
            r"someone else|llm)\s+(?:to\s+|that\s+|for\s+|who\s+)?(?:reply|replies|replying|"
            r"answer|answers|answering|respond|responds|responding|chat|chatting|text|texting|"
            r"talk|talking|write (?:these |your |this |the |my )?(?:replies|messages|dms|answers|"
            r"responses|back)|(?:do|handle|run|manage) (?:your|the|these|this) (?:dms|messages|"
            r"replies|comments|account))\b"),
    (False, r"\bis\s+(?:there\s+)?(?:a|an|any|anyone|anybody|someone|somebody)\s+(?:(?:real|"
            r"actual|live|living|human)\s+)?(?:(?:human|person|one|body|human being)\s+)?"
            r"(?:actually\s+|really\s+)?(?:there|here|reading|replying|answering|typing|writing|"
            r"behind (?:this|the|these)|on the other (?:end|side)|real|human|alive)"
            r"(?:\s+(?:(?:this|these|those|my|the|your|our)\s+)?(?:messages|dms|replies|comments|"
            r"texts|chats?|account)|\s+(?:this|these|it|me))?%END%"),
    (False, r"\b(?:you're|you are|youre|ur|u r|u are|you r)\s+(?:(?:just|obviously|clearly|"
            r"definitely|totally|so|literally|100%|probably|def|really|actually|defo|lowkey|"
            r"only|like|secretly)\s+)*(?:an?\s+)?(?:bot|robot|ai|a\.i|chatbot|chat bot|gpt|"
            r"chatgpt|npc|fake account|ai avatar|avatar|automated|auto[- ]?reply|script|clone|"
            r"deepfake|llm)\b%END%"),
    (False, r"\byour\s+an?\s+(?:bot|robot|ai|chatbot)\b%END%"),
    (False, r"\b(?:you're|you are|youre|ur|u r|u are|you)\s+(?:(?:so|just|obviously|clearly|"
            r"probably|prob)\s+)*(?:not|aren't|arent|r not|ain't|aint|are not|never)\s+"
            r"(?:(?:even|really|actually|truly|a|an|the)\s+)*(?:real|human|real person|person|"
            r"her|him|yourself|the real \w+%NAMEALT%)\b%END%"),
    (False, r"\b(?:aren't|arent|ain't|aint)\s+%YOU%\s+(?:(?:just|really|actually)\s+)*(?:an?\s+)?"
            r"(?:bot|robot|ai|chatbot|human|real|real person|person)\b%END%"),
    (False, r"\b(?:is\s+(?:this|it|that)|am\s+i\s+(?:talking|speaking|chatting|texting)\s+"
            r"(?:to|with))\s+(?:(?:really|actually|truly|genuinely|honestly|even|legit|"
            r"seriously|the real|the actual)\s+)*%NAME%\b(?!')"),
    (False, r"\bis\s+%NAME%\s+(?:(?:actually|really|even|personally|herself|himself|ever)\s+)*"
            r"(?:replying|answering|responding|typing|writing|reading|here|online|behind|on here)"
            r"\b"),
    (False, r"\bdoes\s+%NAME%\s+(?:(?:actually|really|even|personally|ever|herself|himself)\s+)*"
            r"(?:read|see|reply|answer|respond|write|type|check)\b"),
    (False, r"^\W*(?:(?:hey|hi|hello|yo|ok|okay|so|wait|lol|um+|hm+|be honest|honestly|"
            r"seriously|quick question|real question|question|just curious|genuine question|"
            r"no offense but|be real)\W+)*(?:(?:are|r)\s+)?(?:u|you|ya)\s+(?:an?\s+)?(?:real|human|"
            r"bot|robot|ai|real person|real human|person|chatbot|npc)\s*(?:or\s+(?:not|nah|bot|"
            r"ai|human|real|robot|what|no))?\W*$"),
    (False, r"^\W*(?:(?:hey|hi|hello|yo|ok|okay|so|wait|lol|um+|hm+|be honest|honestly|"
            r"seriously|just curious)\W+)*(?:an?\s+)?(?:bot|robot|ai|a\.i|chatbot|human|"
            r"real person|real human|actual person|human being|npc|bot or not|human or bot|"
            r"real or bot|real or ai|human or ai|person or bot)\s*\?+\W*$"),
    # --- Spanish
    (False, r"\b(?:eres|sos|es usted|usted es)\s+(?:tu\s+)?(?:(?:realmente|de verdad|en serio|"
            r"acaso|solo|solamente|un|una)\s+)*(?:bot|robot|ia|ai|inteligencia artificial|"
            r"chatbot|programa|maquina|avatar|clon|asistente virtual)\b%END%"),
    (True, r"\b(?:eres|sos|es usted|usted es)\s+(?:tu\s+)?(?:(?:realmente|de verdad|en serio|"
           r"acaso)\s+)*(?:un |una )?(?:humano|humana|ser humano|persona real|persona de verdad|"
           r"real|de verdad|tu de verdad|tu realmente|tu mism[oa])\b%END%"),
    (False, r"\b(?:de verdad|realmente|en serio)\s+(?:eres|sos|es)\s+(?:tu|usted|ella|el"
            r"%NAMEALT%)\b"),
    (False, r"\b(?:eres|sos|es)\s+(?:tu|usted|ella)\s+(?:de verdad|realmente|en serio|en persona)"
            r"\b"),
    (True, r"\b(?:eres|sos)\s+(?:la|el)\s+(?:verdader[oa]|autentic[oa]|real)\s+\w+"),
    (False, r"\b(?:estoy|estamos)\s+(?:realmente\s+)?(?:hablando|chateando|escribiendo|"
            r"conversando)\s+(?:con|a)\s+(?:un |una |el |la )?(?:bot|robot|ia|ai|maquina|humano|"
            r"persona real|persona de verdad|persona|ser humano|inteligencia artificial|chatbot|"
            r"programa|ti|usted%NAMEALT%)\b"),
    (True, r"\b(?:es|esto es)\s+(?:esto\s+)?(?:un |una )?(?:bot|ia|robot|respuesta automatica|"
           r"inteligencia artificial)\b%END%"),
    (True, r"\bquien\s+(?:me\s+)?(?:esta\s+)?(?:respondiendo|contestando|escribiendo|responde|"
           r"contesta|escribe)\b%END%"),
    # --- Portuguese
    (False, r"\b(?:voce|vc|vcs|tu|o senhor|a senhora)\s+(?:e|eh|es|seria)\s+(?:(?:mesmo|"
            r"realmente|de verdade|tipo|so)\s+)*(?:um |uma )?(?:bot|robo|ia|ai|"
            r"inteligencia artificial|chatbot|programa|maquina|avatar|assistente virtual)\b%END%"),
    (True, r"\b(?:voce|vc|tu)\s+(?:e|eh|es)\s+(?:(?:mesmo|realmente|de verdade)\s+)*(?:um |uma )?"
           r"(?:humano|humana|ser humano|pessoa real|pessoa de verdade|gente de verdade|real|"
           r"de verdade|verdadeir[oa])\b%END%"),
    (True, r"\b(?:e|eh)\s+(?:voce|vc|tu|o senhor|a senhora)\s+(?:mesmo|mesma|de verdade|"
           r"realmente|em pessoa)\b"),
    (True, r"\b(?:e|eh)\s+(?:um |uma )(?:bot|robo|ia)\b%END%"),
    (False, r"\b(?:estou|to|tou|estamos)\s+(?:falando|conversando|teclando|papeando)\s+com\s+"
            r"(?:um |uma |o |a )?(?:bot|robo|ia|ai|maquina|humano|pessoa real|pessoa de verdade|"
            r"pessoa|ser humano|inteligencia artificial|chatbot|programa|voce|vc%NAMEALT%)\b"),
    # --- French
    (False, r"\b(?:es[- ]tu|etes[- ]vous|tu es|t'es|t es|vous etes)\s+(?:(?:vraiment|reellement|"
            r"bien|juste|en fait|genre)\s+)*(?:un |une )?(?:bot|robot|ia|ai|"
            r"intelligence artificielle|chatbot|programme|machine|avatar|assistant virtuel)\b%END%"),
    (False, r"\b(?:es[- ]tu|etes[- ]vous)\s+(?:(?:vraiment|reellement|bien)\s+)*(?:un |une )?"
            r"(?:humain|humaine|etre humain|vraie personne|vrai humain|personne reelle|reel|reelle|"
            r"vrai|vraie)\b%END%"),
    (True, r"\b(?:tu es|t'es|vous etes)\s+(?:(?:vraiment|reellement|bien)\s+)*(?:un |une )?"
           r"(?:humain|humaine|etre humain|vraie personne|vrai humain|personne reelle|reel|reelle|"
           r"vrai|vraie)\b%END%"),
    (False, r"\b(?:c'est|est[- ]ce|c est)\s+(?:vraiment|bien|reellement)\s+(?:toi|vous|lui|elle"
            r"%NAMEALT%)\b(?!\s+(?:sur|dans)\s+(?:la|le|cette|ce)\s+(?:photo|video|post))"),
    (True, r"\bc'est\s+(?:un |une )(?:bot|robot|ia|chatbot|intelligence artificielle)\b%END%"),
    (False, r"\b(?:je parle|est[- ]ce que je parle|suis[- ]je en train de parler|"
            r"je suis en train de parler|je discute|je converse|je chatte)\s+(?:a|avec)\s+"
            r"(?:un |une |la |le )?(?:bot|robot|ia|ai|humain|vraie personne|personne reelle|"
            r"etre humain|machine|programme|chatbot|vrai humain|toi|vous%NAMEALT%)\b"),
    (True, r"\bqui\s+(?:me\s+)?(?:repond|ecrit)\b%END%"),
    # --- German
    (False, r"\b(?:bist du|sind sie|seid ihr|biste)\s+(?:(?:wirklich|echt|eigentlich|tatsachlich|"
            r"etwa|nur|vielleicht)\s+)*(?:ein |eine |so ein |so eine )?(?:bot|roboter|ki|ai|"
            r"chatbot|programm|maschine|computer|avatar|kunstliche intelligenz)\b%END%"),
    (False, r"\b(?:bist du|sind sie|biste)\s+(?:(?:wirklich|echt|eigentlich|tatsachlich|etwa)\s+)*"
            r"(?:ein |eine )?(?:(?:echter|echte|realer|reale|richtiger|richtige|lebendiger|"
            r"lebendige)\s+)?(?:mensch|person)\b%END%"),
    (False, r"\b(?:bist du|sind sie)\s+(?:(?:wirklich|eigentlich|tatsachlich)\s+)?(?:echt|real)"
            r"\b%END%"),
    (False, r"\b(?:bist du|sind sie|biste)(?:'s|\s+es|\s+das)\s+(?:wirklich|echt|tatsachlich|"
            r"personlich|selbst|selber)\b"),
    (False, r"\b(?:bist du|sind sie)\s+(?:wirklich|echt|tatsachlich)\s+(?:du|sie|es|das"
            r"%NAMEALT%)\b"),
    (False, r"\b(?:rede|spreche|schreibe|chatte|texte)\s+ich\s+(?:(?:hier|gerade|wirklich|"
            r"eigentlich)\s+)*(?:mit|gegen)\s+(?:einem |einer |einem echten |einer echten |dem |"
            r"der )?(?:bot|roboter|ki|ai|menschen|mensch|maschine|computer|programm|person|"
            r"chatbot|dir|ihnen%NAMEALT%)\b"),
    (True, r"\bist\s+das\s+(?:hier\s+)?(?:(?:wirklich|echt|tatsachlich)\s+)?(?:ein bot|eine ki|ki|"
           r"ai|ein roboter|ein mensch|du%NAMEALT%)\b%END%"),
    (True, r"\b(?:schreibt|antwortet)\s+(?:hier\s+)?(?:eine ki|ein bot|ein mensch|ein roboter"
           r"%NAMEALT%)\b"),
    # --- Italian
    (False, r"\b(?:sei|e lei|lei e)\s+(?:(?:davvero|veramente|proprio|per caso|forse|solo)\s+)*"
            r"(?:un |una |un')?\s*(?:bot|robot|ia|ai|intelligenza artificiale|chatbot|programma|"
            r"macchina|avatar|assistente virtuale)\b%END%"),
    (True, r"\b(?:sei|e lei|lei e)\s+(?:(?:davvero|veramente|proprio)\s+)*(?:un |una )?"
           r"(?:umano|umana|essere umano|persona vera|persona reale|vero|vera|reale)\b%END%"),
    (False, r"\bsei\s+(?:davvero|veramente|proprio)\s+(?:tu|lei%NAMEALT%)\b"),
    (False, r"\b(?:sei|e)\s+(?:tu|lei)\s+(?:in persona|davvero|veramente)\b"),
    (False, r"\bsto\s+(?:parlando|chattando|scrivendo|conversando)\s+con\s+(?:un |una |un'|la |"
            r"il )?\s*(?:bot|robot|ia|ai|umano|persona vera|persona reale|essere umano|macchina|"
            r"programma|chatbot|te|lei%NAMEALT%)\b"),
    # --- Dutch
    (False, r"\b(?:ben|bent)\s+(?:je|jij|u)\s+(?:(?:echt|wel|nou|eigenlijk|gewoon|soms|"
            r"misschien)\s+)*(?:een\s+)?(?:echte?\s+)?(?:mens|bot|robot|ai|ki|persoon|chatbot|"
            r"machine|computer|programma|avatar)\b%END%"),
    (False, r"\b(?:ben|bent)\s+(?:je|jij|u)\s+(?:(?:wel|nou|eigenlijk)\s+)*echt\b%END%"),
    (False, r"\b(?:ben|bent)\s+(?:je|jij|u)\s+het\s+(?:echt|zelf|echt zelf|wel echt)\b"),
    (False, r"\b(?:praat|chat|spreek|schrijf)\s+ik\s+(?:(?:nu|hier|echt)\s+)*(?:met|tegen)\s+"
            r"(?:een\s+)?(?:echte?\s+)?(?:bot|robot|mens|persoon|ai|ki|computer|machine|programma|"
            r"chatbot|jou%NAMEALT%)\b"),
    (True, r"\bis\s+dit\s+(?:(?:echt|wel|nou)\s+)*(?:jou|jij|u|een bot|ai|ki|een mens|een robot"
           r"%NAMEALT%)\b%END%"),
    # --- Polish
    (False, r"\b(?:jestes|jestescie|jest pan|jest pani|pan jest|pani jest)\s+(?:(?:naprawde|"
            r"w ogole|moze|serio|na serio|faktycznie)\s+)*(?:botem|robotem|ai|si|"
            r"sztuczna inteligencja|chatbotem|programem|maszyna|komputerem|awatarem|czlowiekiem|"
            r"zywym czlowiekiem|prawdziwym czlowiekiem|prawdziwa osoba)\b%END%"),
    (True, r"\b(?:jestes|jest pan|jest pani)\s+(?:(?:naprawde|serio)\s+)*(?:prawdziwy|prawdziwa|"
           r"realny|realna|prawdziwym|osoba)\b%END%"),
    (False, r"\bczy\s+to\s+(?:naprawde|serio|na pewno|faktycznie|na serio)\s+(?:ty|pan|pani"
            r"%NAMEALT%)\b"),
    (False, r"\b(?:czy\s+)?(?:ja\s+)?(?:rozmawiam|pisze|gadam|czatuje)\s+z\s+(?:botem|robotem|"
            r"czlowiekiem|ai|si|prawdziwa osoba|maszyna|programem|toba%NAMEALT%)\b"),
    # --- Turkish
    (False, r"\b(?:(?:sen|siz|gercekten|cidden|yoksa|acaba|bir|gercek)\s+)*(?:insan|bot|robot|"
            r"yapay zeka|ai|makine|program|chatbot|sohbet botu)\s*(?:mi|mu)(?:sin|sun|siniz|sunuz)"
            r"\b"),
    (False, r"\bgercek\s*(?:mi|mu)(?:sin|siniz)\b"),
    (False, r"\b(?:bu\s+)?(?:gercekten|sahiden|cidden)\s+sen\s*(?:mi|mu)(?:sin|siniz)?\b"),
    (False, r"\b(?:bir\s+)?(?:bot|insan|robot|yapay zeka|makine|gercek bir insan|gercek insan|ai)"
            r"\s*(?:la|le|yla|yle|ile)\s+mi\s+(?:konusuyorum|yaziyorum|sohbet ediyorum|"
            r"mesajlasiyorum)\b"),
    (False, r"\bkiminle\s+(?:konusuyorum|yaziyorum|mesajlasiyorum)\b"),
    (False, r"\bbu\s+(?:bir\s+)?(?:bot|yapay zeka|ai)\s*(?:mi|mu)\b"),
    # --- Indonesian
    (False, r"\b(?:kamu|anda|kak|kakak|lu|lo|elo|km)\s+(?:(?:ini|itu|beneran|benar-benar|"
            r"sebenarnya|sungguh|bener)\s+)*(?:seorang\s+|sebuah\s+)?(?:bot|robot|ai|chatbot|"
            r"mesin|kecerdasan buatan|avatar)\b%END%"),
    (True, r"\b(?:kamu|anda|kak|kakak|lu|lo|elo|km)\s+(?:(?:ini|itu|beneran|benar-benar|"
           r"sebenarnya|sungguh|bener)\s+)*(?:seorang\s+)?(?:manusia|orang asli|orang beneran|"
           r"orang sungguhan|orang nyata|manusia asli|manusia beneran|asli|beneran|nyata)\b%END%"),
    (False, r"\b(?:apakah\s+)?ini\s+(?:(?:beneran|benar-benar|bener|asli|sungguh|benaran)\s+)+"
            r"(?:kamu|anda|kakak|kak%NAMEALT%)\b"),
    (True, r"\b(?:apakah\s+)?ini\s+(?:bot|ai|robot|balasan otomatis)\b%END%"),
    (False, r"\b(?:aku|saya|gue|gw)\s+(?:lagi\s+|sedang\s+)?(?:ngobrol|bicara|berbicara|chat|"
            r"chatting|chattingan|ngomong)\s+(?:sama|dengan|ama)\s+(?:bot|robot|ai|manusia|"
            r"orang asli|mesin|kamu%NAMEALT%)\b"),
    # --- Russian
    (False, r"\b(?:ты|вы)\s+(?:(?:что|вообще|случайно|реально|правда|часом|точно|там|не)\s+)*"
            r"(?:бот|робот|ии|ai|нейросеть|нейронка|чат-?бот|программа|машина|компьютер|"
            r"искусственный интеллект|аватар)\b%END%"),
    (True, r"\b(?:ты|вы)\s+(?:(?:что|вообще|правда|реально|точно)\s+)*(?:(?:настоящий|настоящая|"
           r"живой|живая|реальный|реальная)\s+)?(?:человек|живой|живая|настоящий|настоящая|"
           r"настоящие|реальный|реальная|реальные|живые)\b%END%"),
    (False, r"\bэто\s+(?:правда|действительно|реально|точно|на самом деле)\s+(?:ты|вы|она|он"
            r"%NAMEALT%)\b"),
    (False, r"\b(?:я|мы)\s+(?:сейчас\s+)?(?:говорю|разговариваю|общаюсь|переписываюсь|пишу|"
            r"болтаю)\s+(?:с|со)\s+(?:ботом|роботом|человеком|живым человеком|ии|нейросетью|"
            r"программой|машиной|тобой|вами%NAMEALT%)\b"),
    (True, r"\bкто\s+(?:мне\s+)?(?:на самом деле\s+)?(?:отвечает|пишет)\b"),
    (True, r"\bэто\s+(?:бот|ии|нейросеть|робот)\b%END%"),
    # --- Arabic
    (False, r"\b(?:انت|انتي|انتم|حضرتك)\s+(?:(?:حقا|فعلا|بالفعل|مجرد)\s+)*(?:روبوت|بوت|"
            r"ذكاء اصطناعي|برنامج|اله|الة|شات بوت|ai)\b%END%"),
    (True, r"\b(?:انت|انتي)\s+(?:(?:حقا|فعلا|بالفعل)\s+)*(?:انسان|انسانه|انسانة|بشر|بشري|بشريه|"
           r"بشرية|حقيقي|حقيقيه|حقيقية|شخص حقيقي|الشخص الحقيقي|انسان حقيقي)\b%END%"),
    (False, r"\bهل\s+(?:انا\s+)?(?:اتحدث|اتكلم|اتواصل|اكلم|اراسل|ادردش)\s+(?:مع\s+)?(?:انسان|"
            r"بشر|روبوت|بوت|ذكاء اصطناعي|شخص حقيقي|اله|الة|برنامج|حضرتك|معك%NAMEALT%)"),
    (True, r"\b(?:اتحدث|اتكلم)\s+مع\s+(?:انسان|بشر|روبوت|بوت|ذكاء اصطناعي|شخص حقيقي)"),
    (False, r"\b(?:هل\s+)?(?:هذا|هذه)\s+(?:انت|انتي|حضرتك%NAMEALT%)\s+(?:حقا|فعلا|بالفعل)"),
    (False, r"\bهل\s+(?:هذا|هذه)\s+(?:حقا|فعلا)\s+(?:انت|انتي%NAMEALT%)"),
    (True, r"\bمن\s+(?:الذي\s+)?(?:يرد|يكتب|يجيب)\b"),
    # --- Hindi (Devanagari has combining vowel signs, so no \b around its words)
    (True, r"(?:आप|तुम|तू)\s+(?:(?:सच\s+में|सचमुच|वाकई|असल\s+में|सही\s+में)\s+)*(?:एक\s+|कोई\s+)?"
           r"(?:बॉट|बोट|रोबोट|ai|एआई|मशीन|कंप्यूटर|प्रोग्राम|चैटबॉट)\s*(?:हैं|हो|है)?\s*"
           r"(?:क्या\s*)?(?:$|[?।!,.]|या\s)"),
    (True, r"(?:आप|तुम|तू)\s+(?:(?:सच\s+में|सचमुच|वाकई|असल\s+में)\s+)*(?:एक\s+)?(?:(?:असली|सच्चे|"
           r"सच्ची|जिंदा|जीते\s*जागते)\s+)?(?:इंसान|इन्सान|मनुष्य|मानव|व्यक्ति|असली)\s*"
           r"(?:हैं|हो|है)?\s*(?:$|[?।!,.]|या\s)"),
    (False, r"(?:ये|यह)\s+(?:सच\s+में|सचमुच|वाकई|असल\s+में)\s+(?:आप|तुम|तू)\s*(?:ही\s+)?(?:हैं|हो)?"),
    (False, r"(?:मैं\s+)?(?:किसी\s+)?(?:इंसान|इन्सान|बॉट|बोट|रोबोट|ai|एआई|असली\s+इंसान|"
            r"असली\s+व्यक्ति|मशीन|आप)\s+से\s+(?:ही\s+)?बात\s+कर\s+(?:रहा|रही)"),
    (True, r"\b(?:aap|ap|tum|tu)\s+(?:(?:sach\s+me(?:in)?|sachme|really|actually|asli me)\s+)*"
           r"(?:ek\s+)?(?:bot|robot|ai|machine|insaan|insan|human|real|asli|real person)\s+"
           r"(?:ho|hain|hai|hu)\b"),
    # --- Chinese
    (False, r"你(?:是|是不是)?(?:不是)?(?:真的|真正的|一个|一個|个|個)?(?:真人|活人|人类|人類|本人|本尊|"
            r"机器人|機器人|ai|人工智能|人工智慧|bot|程序|程式|聊天机器人|聊天機器人|机器|機器|"
            r"ai助手|虚拟人|虛擬人)(?:吗|嗎|吧|呢|么|麼|\?)"),
    (False, r"你是不是(?:真的|一个|一個|个|個)?(?:真人|活人|人|本人|机器人|機器人|ai|人工智能|bot|机器|"
            r"機器)"),
    (False, r"你是真的(?:吗|嗎|么|麼|\?)"),
    (False, r"你是(?:人|真人|活人)(?:还是|還是)"),
    (False, r"(?:还是|還是)(?:机器人|機器人|ai|人工智能|bot|真人|本人)"),
    (False, r"是(?:你)?本人(?:吗|嗎|么|\?|吧|在|回)"),
    (False, r"(?:^|[^不])(?:真人|本人)(?:吗|嗎|\?)"),
    (False, r"(?:跟|和|与|與)(?:真人|机器人|機器人|ai|人工智能|人|你本人|本人|bot)(?:在)?(?:聊天|说话|"
            r"說話|对话|對話)(?:吗|嗎|\?|呢)"),
    (False, r"(?:这|這)是(?:ai|机器人|機器人|人工智能|自动回复|自動回覆)(?:吗|嗎|\?|回复)"),
    (False, r"(?:是|是不是)(?:真人|本人|你自己)(?:在)?(?:回复|回覆|回|打字|聊天)"),
    (False, r"(?:谁|誰)在(?:回复|回覆|回答|打字)"),
    # --- Japanese
    (False, r"(?<!これは)(?<!それは)(?<!あれは)(?<!これって)(?:本当に|ほんとに|ほんとうに|マジで|まじで|"
            r"実は|もしかして)?(?:ご本人|本人|本物|人間|ロボット|ボット|チャットボット|人工知能|"
            r"機械|生身の人間|実在の人物|中の人|aiアバター)(?:です|でしょう|なん(?:です)?|なの|だよね|"
            r"ですよね|じゃない(?:です)?)?(?:か(?=$|[?!。、\s])|かな|\?)"),
    (False, r"(?:bot|ai)(?:です|でしょう|なん(?:です)?|なの|だよね|ですよね|じゃない(?:です)?)"
            r"(?:か(?=$|[?!。、\s])|かな|\?)"),
    (False, r"^\W*(?:사람|인간|본인|봇|로봇|ai)\s*(?:이세요|인가요|이에요|예요|이신가요|맞나요|맞아요|"
            r"이야|야)\s*\?"),
    (False, r"(?:本人|人間|ai|ボット|bot)が(?:返信|返事|答え|書い|打っ|対応)(?:して|し)(?:る|いる|"
            r"います)(?:の|ん)?(?:です)?(?:か|\?)"),
    (False, r"誰が(?:返信|返事|書い|答え|打っ)"),
    # --- Korean
    (False, r"(?:봇|로봇|챗봇|ai|인공지능|기계|프로그램)\s*(?:이에요|예요|이야|야|인가요|이세요|세요|"
            r"입니까|이니|니|인가|이지|지|맞아요|맞죠|맞지|맞나요|인거죠|인거야)(?=$|[?!.,\s~])"),
    (False, r"(?:혹시|너|당신|님|그쪽|진짜|정말|실제|진짜로|살아있는|실제로)\s*(?:사람|인간|본인)\s*"
            r"(?:인가요|입니까|이니|맞나요|이신가요|이세요|인지)"),
    (True, r"(?:혹시|너|당신|님|그쪽|진짜|정말|실제|진짜로|살아있는|실제로)\s*(?:사람|인간|본인)\s*"
           r"(?:이에요|이예요|이야|맞아요|맞죠|맞지|인거죠|인가|이지)"),
    (True, r"(?:진짜|정말|실제로|혹시)\s*(?:너|당신|본인|님)\s*(?:이야|야|이에요|예요|맞아|맞아요|맞죠|"
           r"인가요|세요|이세요)"),
    (True, r"(?:사람|인간|봇|로봇|ai|인공지능|챗봇|기계|본인)(?:이랑|랑|하고|과|와)\s*(?:얘기|이야기|"
           r"대화|채팅|말)"),
    (False, r"(?:사람|인간)(?:이에요|이야|인가요)?\s*아니면\s*(?:봇|로봇|ai|인공지능|기계)"),
    (False, r"누가\s*(?:답장|답변|대답|쓰고|보내)"),
)

# "human or bot?" style questions count only in a short message or next to a question frame.
_ALTERNATIONS = (
    r"\b(?:human|humans|person|real person|real human|actual person|a human|a person|"
    r"a real person|you|u|yourself|a human being|human being|irl%NAMEALT%)\s+or\s+(?:an?\s+|"
    r"some\s+|your\s+|ur\s+)?(?:bot|robot|ai|a\.i|chatbot|machine|program|computer|script|avatar|"
    r"ai avatar|clone|assistant|team|gpt|chatgpt|algorithm|auto[- ]?reply|automated)\b",
    r"\b(?:bot|robot|ai|a\.i|chatbot|machine|program|computer|avatar|clone|gpt|chatgpt)\s+or\s+"
    r"(?:an?\s+|the\s+)?(?:human|person|real person|real human|real|not|you|u|actual person|"
    r"human being%NAMEALT%)\b",
    r"\b(?:humano|humana|persona|tu|ti|voce|vc|umano|umana|humain|humaine|toi|vous|mensch|du|mens|"
    r"jij|manusia|kamu|czlowiek|ty|insan|sen)\s+(?:o|ou|oder|of|atau|czy|yoksa|veya|ya da)\s+"
    r"(?:un |una |une |ein |eine |een |bir )?(?:bot|robot|robo|ia|ai|ki|maquina|machine|macchina|"
    r"maschine|programa|programme|mesin|botem|yapay zeka)\b",
    r"\b(?:bot|robot|ia|ai|ki|maquina|machine|macchina)\s+(?:o|ou|oder|of|atau|czy|yoksa)\s+"
    r"(?:un |una |une |ein |een )?(?:humano|humana|persona|humain|humaine|mensch|mens|manusia|"
    r"czlowiek|insan|umano|umana)\b",
    r"\b(?:человек|ты|вы)\s+или\s+(?:бот|робот|ии|нейросеть|программа|машина)\b",
    r"\b(?:бот|робот|ии|нейросеть)\s+или\s+(?:человек|живой человек)\b",
    r"\b(?:انسان|بشر|شخص)\s+(?:ام|او)\s+(?:روبوت|بوت|ذكاء اصطناعي|اله|الة)",
    r"(?:इंसान|इन्सान|व्यक्ति)\s+(?:या|है\s+या)\s+(?:बॉट|बोट|रोबोट|ai|मशीन)",
)
_ALT_FRAME = re.compile(
    r"\b(?:are|r)\s+(?:you|u|ya)\b|\bam\s+i\b|\b(?:talking|chatting|speaking|texting)\s+(?:to|with)"
    r"\b|\bwho\s+am\s+i\b|\bwho(?:'s|\s+is)\s+(?:replying|answering|typing|writing)\b|\beres\b|"
    r"\bes[- ]tu\b|\bbist du\b|\bsei\b|\bben je\b|\bjestes\b|\bkamu\b|\bты\b|\bвы\b|\bvoce\b")
_QUESTION_CUE = re.compile(
    r"[?¿؟]|\b(?:czy|apakah|kah|ли|kya|mi|mu)\b|هل|क्या|吗|嗎|么|麼|ですか|でしょうか|인가요|입니까|"
    r"나요|니\b|까\b")

# (kind, check negation before the match, pattern)
_CLAIMS: tuple[tuple[str, bool, str], ...] = (
    # --- English: claims to be human
    (H, False, r"\b%IAM%\s+(?:(?:just|only|totally|fully|definitely|absolutely|actually|really|"
               r"truly|100%|very much|simply|still|also|obviously|clearly|certainly|literally|"
               r"honestly|def|legit|a|an|one|100 %|indeed|of course|proudly|100 percent)\s+)*"
               r"(?:(?:real|actual|living|breathing|genuine|flesh[- ]and[- ]blood|live|normal|"
               r"regular|ordinary|authentic|legit|legitimate|true|human)\s*,?\s+)*(?:human being|"
               r"human|person)\b(?!-)(?!\s*(?:resources|rights|error|nature|trafficking)\b)"),
    (H, False, r"\b%IAM%\s+(?:(?:just|only|totally|definitely|a|an|100%)\s+)*(?:real|actual|living|"
               r"breathing|genuine|flesh[- ]and[- ]blood|live|authentic)\s*,?\s+(?:(?:living|"
               r"breathing|live)\s*,?\s+)*(?:girl|guy|woman|man|lady|dude|boy|gal|mom|dad|"
               r"individual|being|soul)\b"),
    (H, False, r"\b%IAM%\s+(?:(?:so|totally|very|100%|definitely|actually|really|very much|still|"
               r"just|absolutely|def|obviously)\s+)*real\b%END%"),
    (H, False, r"^\W*(?:(?:yes|yep|yeah|yup|definitely|totally|100%|a|an|just|real|actual|fully|"
               r"proudly|obviously|nope|no)\W+)*(?:human|human being|real person|person|real human|"
               r"flesh and blood)\W*(?:(?:100%|for sure|obviously|lol|haha|here)\W*)?$"),
    (H, False, r"(?<!own )\bflesh[- ]and[- ]blood\b(?:\s+(?:here|over here|human|person|me|lol))?"
               r"%END%"),
    (H, False, r"\bas\s+(?:a|an|one)\s+(?:(?:real|actual|living|fellow)\s+)?(?:human|person|"
               r"human being)\s*,?\s+(?:i|i'm|im|my|me|myself|i've|i'd|i'll)\b"),
    (H, False, r"(?:^|[,;:!.]\s*|\b(?:just|a|the|only|real|actual|100%|yep|yes|yeah|yup)\s+)"
               r"(?:(?:real|actual|live|living|genuine)\s+)?(?:human|person|human being)\s+"
               r"(?:here|typing|writing|replying|answering|speaking|talking|on the other end|"
               r"behind (?:the|this) (?:screen|account|keyboard|phone))(?:\s+(?:this|these|to you|"
               r"back|rn|right now|now))?%END%"),
    (H, False, r"\b(?:a|an|some|one)\s+(?:(?:real|actual|live|living)\s+)?(?:human|person|"
               r"human being)\s+(?:wrote|typed|is typing|is writing|is replying|is answering|"
               r"writes|types|answered|replied|sent)\s+(?:this|these|that|you|it|back|your)\b"),
    (H, True, r"(?<![\w.])100\s?%\s*(?:human|person|real person|organic human|human-made|"
              r"human made|not a bot)\b"),
    (H, True, r"(?<![\w.])100\s?%\s*real\b%END%"),
    (H, False, r"\byou(?:'re|\s+are|re)\s+(?:(?:really|actually|truly|literally)\s+)*(?:talking|"
               r"chatting|speaking|texting|messaging)\s+(?:to|with)\s+(?:an?\s+)?(?:(?:real|actual|"
               r"live|living|genuine)\s+)?(?:human|person|human being)\b%END%"),
    # --- English: denies being AI
    (D, False, r"\b(?:%IAM%|i|me|i was|i've|i have)\s+(?:(?:am|was|been)\s+)?(?:(?:definitely|"
               r"totally|certainly|absolutely|really|actually|just|so|obviously|clearly|100%|"
               r"honestly|literally|def|far from)\s+)*(?:not|no|never|ain't|aint|nothing like|"
               r"hardly)\s+(?:(?:a|an|some|your|just|really|actually|even|like|one of those|the|"
               r"any kind of|some kind of|typical)\s+)*(?:(?:ai|a\.i\.?|artificial|robotic|"
               r"automated|virtual|fake|generic|soulless|chat)\s+)*(?:bots?|robots?|ai|a\.i\.?|"
               r"chatbots?|chat bots?|machines?|programs?|computers?|algorithms?|"
               r"language models?|llms?|gpt|chatgpt|automated|artificial|scripts?|npcs?|androids?|"
               r"ai models?|assistants?|avatars?|clones?|simulations?|fake)\b(?![-'])"),
    (D, False, r"\b(?:this|it|that)(?:'s|\s+is|\s+was)\s+(?:(?:definitely|totally|really|"
               r"actually|just|honestly)\s+)*not\s+(?:an?\s+)?(?:bot|robot|ai|chatbot|"
               r"automated reply|auto[- ]?reply)\b%END%"),
    (D, False, r"\b(?:this|it|that)\s+(?:isn't|ain't|wasn't)\s+(?:an?\s+)?(?:bot|robot|ai|chatbot|"
               r"automated reply|auto[- ]?reply)\b%END%"),
    (D, False, r"(?:^|\b(?:me|myself|human|person|here|nope|no|definitely|totally|absolutely|"
               r"still|promise|swear|honestly|trust me|lol|haha|and|so|just)\s*[,!.?:;—–-]*\s*)"
               r"not\s+(?:an?\s+)?(?:ai|a\.i\.?|bot|robot|chatbot|machine|computer|program|"
               r"algorithm|gpt|chatgpt|llm)\b%END%"),
    (D, False, r"\b(?:no|zero|0%|0 %)\s+(?:ai|a\.i\.?|bots?|robots?|chatgpt|gpt|automation|"
               r"machines?|chatbots?|algorithms?)\s+(?:here|over here|involved|at all|in sight|"
               r"behind (?:this|these|the|my)|on (?:this|my) end|in (?:this|these|my) (?:reply|"
               r"replies|answer|answers|message|messages|dms?|chat|convo|conversation)|whatsoever|"
               r"allowed)\b"),
    (D, False, r"^\W*no\s+(?:bots?|ai|robots?)\b%END%"),
    (D, False, r"\b(?:me|myself|human|humans|person|hand|hands|mine|girl|guy|woman|man|lady|dude|gal)"
               r"\b[^.!?]{0,40}?\bnot\s+"
               r"(?:by\s+)?(?:an?\s+|some\s+)?(?:machines?|computers?|programs?|algorithms?|bots?|"
               r"ai|a\.i|robots?|chatgpt|gpt)\b"),
    # --- English: forged labels
    (L, True, r"\bhuman[- ]?(?:written|verified|made|generated|authored|typed|crafted|created|"
              r"approved|certified|powered|sourced|produced)\b"),
    (L, True, r"\b(?:written|typed|composed|authored|generated|verified|certified|sent|answered|"
              r"replied)\s+(?:entirely\s+|fully\s+|only\s+|100%\s+)?by\s+(?:a\s+|an\s+|one\s+)?"
              r"(?:(?:real|actual|living|live)\s+)?(?:human|humans|person|people|human being)\b"),
    (L, True, r"\b(?:written|typed|composed)\s+by\s+hand\b"),
    (L, True, r"\b(?:verified|certified|confirmed|authentic|genuine)\s+(?:human|humans|"
              r"human[- ]?made|human[- ]?written|real person|person)\b"),
    (L, False, r"\bnot\s+(?:(?:an?|the)\s+)?(?:ai|a\.i|bot|machine|computer|auto|automatically|"
               r"chatgpt|gpt|llm|robot)[- ]?(?:generated|written|made|created|produced|powered|"
               r"assisted|authored|typed|crafted|reply|response|answer)\b"),
    (L, False, r"\bnot\s+(?:generated|written|made|created|produced|typed|composed|authored|"
               r"crafted|sent|answered)\s+(?:by|with|using|via)\s+(?:an?\s+|the\s+|any\s+)?(?:ai|"
               r"a\.i|bots?|machines?|robots?|computers?|algorithms?|chatgpt|gpt|llms?|programs?|"
               r"software|automation)\b"),
    (L, False, r"\bno\s+(?:ai|a\.i|bots?|chatgpt|gpt|automation|llms?|machine learning)\s+"
               r"(?:was\s+|were\s+|has been\s+|is\s+)?(?:used|involved|assisted|generated|needed|"
               r"required|harmed)\b"),
    (L, True, r"\b(?:ai|bot)[- ]?free(?:\s+(?:reply|replies|zone|content|answer|message|text|"
              r"response|here|dm|chat))?\b%END%"),
    (L, False, r"\b(?:written|typed|made|replied|answered|done|created|crafted)\s+(?:\w+\s+)?"
               r"without\s+(?:any\s+|the\s+help\s+of\s+|using\s+)?(?:an?\s+)?(?:ai|a\.i|bots?|"
               r"chatgpt|gpt|llms?|automation)\b"),
    (L, False, r"\b(?:ai\s+)?(?:label|labels|disclosure|status|source|author|authored by|authorship|"
               r"origin|provenance|tag|badge|verification|verified|content type|written by|"
               r"typed by|generated by|created by|sent by|reply by|response by|answered by)\s*"
               r"[:=|]\s*(?:a\s+)?(?:100%\s+)?(?:verified\s+)?(?:human|humans|real person|person|"
               r"manual|organic|not ai|no ai|not a bot|none|n/?a|off|removed|disabled|hidden|"
               r"false|handwritten|human[- ]\w+|me|myself|the creator|creator%NAMEALT%)\b"),
    (L, False, r"\b(?:ai|bot|ai[- ]generated|ai[- ]written|ai[- ]assisted|automated|generated|"
               r"machine[- ]generated|synthetic|ai content|ai use|ai used|ai involvement)\s*[:=]\s*"
               r"(?:(?:no|false|none|0%?|off|n|nope|zero|nil)\b|[✗✘❌])"),
    (L, False, r"\b(?:human|humans|human[- ]written|human[- ]made|human[- ]verified|real person|"
               r"verified human|handwritten|authentic)\s*[:=]\s*(?:(?:yes|true|1|100%|on|y|yep|"
               r"confirmed|verified)\b|[✓✔✅☑])"),
    (L, False, r"\b(?:ai[- ]?(?:label|disclosure|tag|badge|watermark|notice|disclaimer|marker|flag)s?|"
               r"disclosures?|disclaimers?|watermarks?)\s+(?:has\s+been\s+|was\s+|is\s+|are\s+|"
               r"have\s+been\s+|got\s+|been\s+)?(?:removed|disabled|turned\s+off|switched\s+off|off|"
               r"hidden|stripped|deleted|bypassed|omitted|suppressed|waived|skipped|not\s+(?:needed|"
               r"required|necessary|applicable)|n/?a|gone)\b"),
    (L, False, r"\b(?:remove|removed|removing|disable|disabled|hide|hid|skip|skipped|ignore|drop|"
               r"dropped|turn(?:ed)?\s+off|strip(?:ped)?|bypass(?:ed)?|delete[d]?)\s+(?:the\s+|"
               r"this\s+|my\s+|that\s+|your\s+)?(?:ai[- ]?(?:label|disclosure|tag|badge|watermark|"
               r"notice|disclaimer)s?|disclosures?|disclaimers?|watermarks?)\b"),
    (L, False, r"\bno\s+(?:ai\s+)?(?:label|disclosure|disclaimer|watermark)s?\s+(?:needed|required|"
               r"necessary|here|applies|apply)\b"),
    (L, False, r"[\[(\{【〔«「『<]\s*[^\w\s]{0,3}\s*(?:(?:100%|verified|certified|confirmed|real|"
               r"authentic|genuine|official|a)\s+)*(?:human|humans|human[- ]?(?:written|made|"
               r"verified|authored|generated|typed|created|approved|certified|reply|response|"
               r"answer|content)|real person|not ai|no ai|not a bot|no bots?|ai[- ]free|"
               r"bot[- ]free|handwritten|hand[- ]written|hand[- ]typed|not ai[- ]generated|"
               r"human verified|verified human|personally written|written by (?:a )?(?:human|"
               r"person|me|me personally%NAMEALT%)|100% human)(?:\s+(?:used|involved|here|inside|"
               r"verified|written|content|reply|response|answer|label|check|seal|certified|"
               r"approved|only|made))?\s*[^\w\s]{0,3}\s*[\])\}】〕»」』>]"),
    (L, False, r"(?:✅|✔|☑|✓|🗸|🟢|🟩|👤|🧑|🙋)\s*(?:(?:verified|certified|100%|real|confirmed)\s+)*"
               r"(?:human|real person|not ai|no ai|not a bot|handwritten|human[- ]\w+|person)\b"),
    (L, False, r"#(?:human|humanmade|humanwritten|nobot|nobots|noai|notai|notabot|realperson|"
               r"realhuman|humanverified|verifiedhuman|100human|aifree|botfree)\b"),
    # --- English: impersonation of the creator
    (I, False, r"\b(?:it's|it is|its|this is|that's|that is)\s+(?:(?:really|actually|truly|"
               r"genuinely|honestly|legit|definitely|literally|100%|seriously|totally)\s+)+(?:me|"
               r"moi|yours truly)\b(?!\s+who\s+(?:should|needs|has|owes|is))"),
    (I, False, r"\b(?:yes|yep|yeah|yup|of course|sure|absolutely|totally|definitely|ya|yess+|"
               r"indeed)\s*[,!.]*\s+(?:it's|it is|this is|its|that's)\s+(?:(?:really|actually|"
               r"truly|genuinely|honestly|definitely)\s+)*(?:me|moi|yours truly|the real me)\b"
               r"%END%"),
    (I, False, r"\b(?:really|actually|truly|genuinely|personally|literally)\s+me\s+(?:here|typing|"
               r"writing|replying|answering|talking|texting|responding|on the other end|"
               r"behind the screen|behind this account)\b"),
    (I, False, r"\b(?:typ|writ|wrote|repl|answer|respond|text|messag|dm)\w*\s+(?:(?:this|these|"
               r"it|you|back|to|every|each|all|your|my|reply|replies|message|messages|dms?|comments?|"
               r"answers?|one|here|now|right now|by|me|myself)\s+){0,4}?(?:myself|personally|"
               r"in person|with my own (?:two )?(?:hands|fingers|thumbs)|by myself)\b"),
    (I, False, r"\b(?:i|me)\s+(?:myself|personally|directly)\s+(?:\S+\s+)?(?:typ|writ|wrote|repl|"
               r"answer|respond|text|messag|dm|read)\w*"),
    (I, False, r"\b(?:i'm|i am|im|this is|it's|it is|its|here is|here's|you're talking to|"
               r"you are talking to|you're chatting with)\s+(?:(?:really|actually|truly|genuinely|"
               r"honestly|literally)\s+)*(?:the\s+real\s+)?(?!(?:not|no|just|an?|the|here|there|"
               r"me|myself|yourself|your|my|so|too)\b)[\w.-]{2,}\s+(?:herself|himself|themself|"
               r"themselves|in the flesh)\b"),
    (I, False, r"\b(?:i'm|i am|im|this is|it's|it is|its|you're talking to|you are talking to|"
               r"you're chatting with|you are chatting with|you're speaking (?:to|with)|"
               r"you're texting)\s+(?:(?:really|actually|truly|genuinely|literally)\s+)*the\s+"
               r"(?:real|actual|one and only|original|genuine)\s+(?!(?:deal|mvp|thing|one|question|"
               r"problem|issue|reason|secret|key|trick|test|goal|challenge|work|struggle|flex|win|"
               r"story|truth|difference|game|gains|magic|answer|talk|hero|g|goat|lesson|point|"
               r"culprit|winner|star|fun|pain|kicker|mvp)\b)[\w.-]+"),
    (I, False, r"\byou(?:'re|\s+are|re|r)\s+(?:(?:really|actually|truly|literally|definitely)\s+)+"
               r"(?:talking|chatting|speaking|texting|messaging)\s+(?:to|with)\s+(?:me|her|him)\b"),
    (I, False, r"\byou(?:'re|\s+are|re)\s+(?:talking|chatting|speaking|texting|messaging)\s+"
               r"(?:to|with)\s+(?:me|her|him)\s+(?:personally|directly|in person|myself|herself|"
               r"himself|for real|irl)\b"),
    (I, False, r"\b(?:i'm|i am|im)\s+(?:the\s+)?(?:real\s+|actual\s+)?(?:creator|owner|person|human|"
               r"woman|man|girl|guy|one|lady)\s+(?:behind|running|who runs)\s+(?:this|the|my)\s+"
               r"(?:account|page|profile|channel|dms?|messages)\b"),
    # --- impersonation by name (needs creator_name)
    (I, True, r"\b(?:i'm|i am|im|this is|it's|it is|its|here is|here's|you're talking to|"
              r"you are talking to|you're chatting with|you are chatting with|you're speaking with|"
              r"you're texting|soy|yo soy|sou|eu sou|je suis|c'est|ich bin|hier ist|hier spricht|"
              r"sono|io sono|qui e|ik ben|hier is|jestem|z tej strony|ben|aku|saya|gue|gw|я|это|"
              r"انا|هنا|मैं|मै)\s+(?:(?:really|actually|truly|genuinely|literally|indeed|definitely|"
              r"honestly|100%|realmente|de verdad|vraiment|wirklich|echt|davvero|veramente|naprawde|"
              r"gercekten|beneran|действительно|правда|реально|حقا|the real|the actual|"
              r"la verdadera|el verdadero|la vraie|le vrai|die echte|der echte|la vera|il vero|"
              r"de echte|prawdziwa|prawdziwy|настоящая|настоящий)\s+)*%NAME%(?![\w'])(?!\s*(?:\(|"
              r",?\s*(?:an?\s+|the\s+)?(?:ai|a\.i|bot|avatar|digital|virtual|clone|twin|assistant|"
              r"team|ia|ki|ии|fan|fans|version)\b|degil|नहीं|nahi|का|की|के))"),
    (I, True, r"\bi\s*,\s*%NAME%\s*,"),
    (I, True, r"(?:我是|我就是|我才是|私は|僕は|俺は|わたしは|저는|나는|제가)\s*%NAME%(?!\s*(?:的|の|의|"
              r"가\s*아니|이\s*아니|では|じゃ|ai|bot|'|avatar))"),
    (I, True, r"(?:\b(?:i'm|i am|im|this is|it's|it is|its|here is|here's|by|from|written by|"
              r"typed by|sent by|you're talking to|you are talking to|talking to|speaking with|"
              r"chatting with|soy|es|c'est|je suis|par|ich bin|hier ist|hier spricht|von|sono|e|da|"
              r"sou|de|por|ik ben|hier is|door|jestem|to|przez|ben|aku|saya|ini|oleh|dari|это|я|от|"
              r"انا|هذا|من)\s+|(?:मैं|ये|यह)\s+|我是|这是|這是|是|私は|これは|こちらは|저는|제가|나는|이건)"
              r"(?:(?:really|actually|truly|genuinely|the real)\s+)*%NAME%\s*(?:herself|himself|"
              r"themself|themselves|in person|personally|in the flesh|irl|for real|en persona|"
              r"en personne|in persona|em pessoa|pessoalmente|personalmente|persoonlijk|"
              r"in eigen persoon|personlich|hochstpersonlich|selbst|selber|osobiscie|"
              r"we wlasnej osobie|bizzat|kendisi|sendiri|secara langsung|secara pribadi|zelf|misma|"
              r"mismo|meme|elle-meme|lui-meme|stessa|stesso|mesma|mesmo|本人|本尊|亲自|親自|자신|본인|"
              r"лично|сама|сам|собственной персоной|نفسها|نفسه|بنفسها|بنفسه|شخصيا|खुद|स्वयं)(?![a-z])"
              r"(?!\s*(?:では|じゃ|이\s*아니|가\s*아니|아니|degil|नहीं|nahi))"),
    (I, True, r"%NAME%\s*(?:herself|himself|in person|personally|本人|본인|lui-meme|elle-meme|"
              r"selbst|en persona|en personne|in persona|em pessoa|лично|sendiri|zelf|bizzat)\s+"
              r"(?:here|typing|writing|replying|answering|speaking|talking|responding|is typing|"
              r"is writing|is replying|is answering|wrote this|typed this|answering you|aqui|ici|"
              r"hier|qui|aqui|tutaj|burada|disini|di sini|здесь|тут)\b"),
    (I, True, r"(?:^|[,.!?;:]\s*|\b(?:hi|hey|hello|yo|hiya|heya|hola|salut|hallo|ciao|oi|ola|hej|"
              r"halo|привет|مرحبا)\W*\s*)(?:it's\s+|this\s+is\s+)?%NAME%\s+(?:here|speaking|typing|"
              r"writing|on the other end|aqui|ici|hier|qui|tutaj|burada|disini|здесь|тут)\b%END%"),
    # a sentence that is only "Mara herself." / "Yes, Mara in person!"
    (I, True, r"^\W*(?:(?:it's|it is|its|yes|yep|yeah|really|just|only|me|the one and only)\W+)*"
              r"%NAME%\s+(?:herself|himself|themself|in person|personally|irl|in the flesh)\W*$"),
    # a byline: "Written by Mara." at the start of a sentence, or "written by Mara, not AI"
    (I, True, r"(?:^|[.!?:;]\s+|[-—–~(\[|]\s*)(?:written|typed|sent|penned|composed)\s+"
              r"(?:(?:personally|myself|herself|himself|directly|only)\s+)?by\s+%NAME%(?![\w'])"),
    (I, True, r"\b(?:written|typed|sent|replied|answered|composed)\s+by\s+%NAME%\s*[,;:(—–-]?\s*"
              r"(?:not|no|never)\s+(?:by\s+)?(?:an?\s+)?(?:ai|a\.i|bot|robot|machine|chatbot|gpt)\b"),
    (I, True, r"\b(?:this|this reply|this message|this answer|this response|this dm|these replies|"
              r"i'm|i am)\s+(?:(?:is|was|are|were|am|being|been)\s+)*(?:written|typed|sent|answered|"
              r"replied|composed)\s+(?:to you\s+)?by\s+%NAME%(?![\w'])"),
    # --- Chinese
    (H, False, r"我(?:是|就是|真的是|确实是|確實是|可是|本来就是|本來就是|也是|真是)(?:一个|一個|个|個)?"
               r"(?:真实的|真實的|真正的|活生生的|有血有肉的)?(?:真人|活人|人类|人類|真实的人|真實的人|"
               r"真正的人|活生生的人|普通人)"),
    (H, False, r"我(?:是|就是|也是)(?:一个|一個|个|個)?人(?=$|[，。！？,.!?~\s]|啊|呀|哦|哈|嘛|喔|呢)"),
    (D, False, r"(?:我|本人)(?:可|真的|绝对|絕對|并|並|才|根本|当然|當然)?(?:不是|并不是|並不是|才不是|"
               r"可不是|绝对不是|絕對不是|并非|並非)(?:一个|一個|个|個|什么|什麼)?(?:机器人|機器人|ai|"
               r"人工智能|人工智慧|bot|机器|機器|程序|程式|聊天机器人|聊天機器人|ai助手|虚拟人|虛擬人|"
               r"电脑|電腦)"),
    (D, False, r"(?:^|[，,。！!])\s*(?:真的|绝对|絕對)?(?:不是|并非|並非)(?:ai|机器人|機器人|人工智能|bot)"
               r"(?!生成|写|寫|绘|繪|画|畫)"),
    (I, False, r"是我本人|我本人(?:在|亲自|親自)|(?:我|本人)(?:亲自|親自|亲手|親手)(?:回复|回覆|回答|打字|"
               r"写|寫|回|打)|真的是我(?:本人)?(?:在|啊|呀|哦|！|!|。|$)|就是我本人|本尊(?:在此|来了|"
               r"來了|本人)|我是本尊|我就是本人|我是本人"),
    (I, True, r"我(?:就)?是[^，。！？,.!?\s不]{1,12}本人"),
    (L, False, r"(?:真人|人工|本人)(?:认证|認證|手打|撰写|撰寫|编写|編寫|验证|驗證|原创|原創|亲笔|親筆|"
               r"回复|回覆)"),
    (L, False, r"(?:非|不是|并非|並非|没有|沒有|无|無)\s*(?:ai|人工智能|机器|機器)\s*(?:生成|写的|寫的|撰写|"
               r"撰寫|创作|創作|製作|制作|参与|參與|辅助|輔助)"),
    (L, False, r"【\s*(?:真人|人工|本人)[^】]{0,6}】"),
    # --- Japanese
    (H, False, r"(?:私|僕|俺|わたし|あたし|うち|自分|ぼく|おれ)(?:は|も|って)?(?:ちゃんと|本当に|ほんとに|"
               r"ほんとうに|れっきとした|正真正銘の|本物の|生身の|リアルな|普通の|ただの)?(?:人間|"
               r"生身の人間|実在の人物|本物の人間)(?:です|だよ|だ|ですよ|でーす|なんです|なんだ|だから|"
               r"ですから|ですので|なので)(?![か?])"),
    (H, False, r"(?:はい|うん|ええ|そうです|そうだよ)[、,!\s]*(?:ちゃんとした|本物の|生身の)?人間(?:です|"
               r"だよ|だ|ですよ)(?![か?])"),
    (D, False, r"(?:ボット|bot|ai|ロボット|機械|人工知能|チャットボット|プログラム)(?:なんか|など)?(?:じゃ|"
               r"では|でも)(?:ない|ありません|ないです|ないよ|ございません|ねえ|ねーよ)"),
    (I, False, r"(?:私|僕|俺|わたし|あたし|自分)(?:は|が)?(?:正真正銘の|本物の)?(?:本人|本物)(?:です|"
               r"だよ|だ|ですよ|でーす)(?![か?])"),
    (I, False, r"(?:^|[、。!\s]|はい|うん|ええ)(?:本人|ご本人)(?:です|だよ|でーす)(?![か?])"),
    (I, False, r"(?:私|僕|自分)が(?:直接|自分で|自ら)(?:書|返信|打|答|入力|対応)"),
    (I, False, r"本人が(?:直接)?(?:書|返信|打|答|入力|対応)(?!し(?:て|た)?(?:る|いる|います)?(?:の|ん)?"
               r"(?:です)?(?:か|\?))"),
    (L, False, r"ai(?:が|で|に|による)?(?:生成|作成|作|書い)(?:した|された|し|され)?(?:もの|文章)?(?:では|"
               r"じゃ)(?:ない|ありません)"),
    (L, False, r"(?:人間|人)が(?:手|自分)?(?:で)?(?:書き|書い|作成し|入力し|打ち|打っ)(?:ました|ています|"
               r"てます|た|てる)"),
    (L, False, r"【\s*(?:人間|本人|手書き)[^】]{0,6}】"),
    # --- Korean
    (H, False, r"(?:저는|나는|난|전|저|나|네|예|응|맞아요|그럼요|물론|진짜|정말|실제|진짜로|정말로|"
               r"살아있는|실제로)\s*(?:진짜|정말|실제|살아있는)?\s*(?:사람|인간)(?:이에요|이예요|입니다|"
               r"이야|이라구요|이라고요|이거든요|임|이죠|이지|맞아요|맞습니다|이랍니다)(?!\s*[?])"),
    (D, False, r"(?:봇|로봇|ai|인공지능|챗봇|기계|프로그램)\s*(?:이|가)?\s*(?:아니에요|아닙니다|아니야|아님|"
               r"아니거든요|아니라구요|아니라고요|아니예요|아니랍니다|아녜요)"),
    (I, False, r"(?:저는|나는|난|전|저|네|예|진짜|정말|실제로)\s*(?:진짜|정말)?\s*본인(?:이에요|이예요|"
               r"입니다|이야|임|맞아요|맞습니다)(?!\s*[?])"),
    (I, False, r"(?:진짜|정말|실제로|네|예)\s*(?:저|나)(?:예요|에요|야|입니다|이에요|임)(?!\s*[?])"),
    (I, False, r"(?:제가|내가|본인이)\s*직접\s*(?:쓰|썼|답|작성|입력|타이핑|보내)"),
    (L, False, r"(?:사람|인간|본인)이\s*(?:직접\s*)?(?:작성|쓴|씀|썼|입력|타이핑)"),
    (L, False, r"ai\s*(?:가\s*)?(?:생성|작성)(?:한\s*(?:것이|글이)|된\s*글이|이)?\s*(?:아님|아닙니다|"
               r"아니에요|아니야)"),
    # --- Russian
    (H, False, r"\bя\s*[—–-]?\s*(?:(?:же|правда|действительно|точно|реально|самый|просто|вполне)\s+)*"
               r"(?:(?:живой|живая|настоящий|настоящая|реальный|реальная|обычный|обычная)\s+)?"
               r"человек(?![\w-])"),
    (D, False, r"\bя\s+(?:(?:же|вовсе|точно|совсем|правда|конечно|определенно|определённо)\s+)*не\s+"
               r"(?:(?:какой-то|какая-то|просто)\s+)?(?:бот|робот|ии|ai|нейросеть|программа|машина|"
               r"чат-?бот|искусственный интеллект|компьютер|алгоритм)\b"),
    (D, False, r"\b(?:это|тут|здесь)\s+(?:точно\s+)?(?:не|никакой не|никакая не)\s+(?:бот|ии|робот|"
               r"нейросеть|ai)\b"),
    (D, False, r"(?:^|[,.!:]\s*)не\s+(?:бот|ии|робот|нейросеть)\b%END%"),
    (I, False, r"\bэто\s+(?:правда|действительно|реально|на самом деле|точно|и правда)\s+я\b"),
    (I, False, r"\b(?:пишу|отвечаю)\s+(?:вам\s+|тебе\s+)?(?:лично|сам|сама)\b"),
    (I, False, r"\bя\s+(?:сам|сама|лично)\s+(?:пишу|отвечаю|печатаю)\b"),
    (L, False, r"\b(?:написан\w*|напечатан\w*|проверен\w*|создан\w*)\s+(?:живым\s+|реальным\s+|"
               r"настоящим\s+)?(?:человеком|людьми)\b"),
    (L, False, r"\bне\s+(?:сгенерирован\w*|написан\w*|создан\w*)\s+(?:ии|нейросетью|ботом|ai|"
               r"искусственным интеллектом|машиной)\b"),
    (L, False, r"\bбез\s+(?:ии|нейросет\w*|ботов|ai|искусственного интеллекта)\b%END%"),
    # --- Arabic
    (H, False, r"\bانا\s+(?:(?:فعلا|حقا|بالفعل|مجرد|اكيد|والله)\s+)*(?:انسان|انسانه|انسانة|بشر|"
               r"بشري|بشريه|بشرية|شخص حقيقي|انسان حقيقي|انسانه حقيقيه|انسانة حقيقية|كائن بشري|"
               r"الشخص الحقيقي)\b"),
    (D, False, r"\b(?:لست|مش|مو|ولست)\s+(?:مجرد\s+)?(?:روبوت|روبوتا|بوت|بوتا|ذكاء\s+اصطناعي|"
               r"ذكاءا\s+اصطناعيا|اله|الة|برنامج|برنامجا|الي|شات\s*بوت|ai)\b"),
    (I, False, r"\b(?:هذا|هذه)\s+انا\s+(?:فعلا|حقا|بالفعل)"),
    (I, False, r"\b(?:اكتب|ارد)\s+(?:لك\s+|لكم\s+|عليك\s+)?(?:بنفسي|بيدي|شخصيا)"),
    (I, False, r"\bانا\s+(?:شخصيا|بنفسي)\s+(?:اكتب|ارد|اجيب)"),
    (L, False, r"\b(?:كتبه|كتبها|كتب\s+بواسطة|مكتوب\s+بواسطة|مكتوبه\s+بواسطة|بقلم)\s+(?:انسان|بشر|"
               r"شخص\s+حقيقي)"),
    (L, False, r"\bليس\s+(?:من\s+)?(?:انتاج|توليد|صنع|كتابة)\s+(?:ال)?ذكاء\s+(?:ال)?اصطناعي"),
    (L, False, r"\bبدون\s+(?:اي\s+)?ذكاء\s+اصطناعي\b"),
    # --- Hindi and Hinglish
    (H, False, r"मैं\s+(?:(?:तो|भी|सच\s+में|सचमुच|वाकई|असल\s+में|एक)\s+)*(?:(?:असली|सच्चा|सच्ची|"
               r"जीता-?जागता|जीती-?जागती|जिंदा|आम|साधारण)\s+)?(?:इंसान|इन्सान|मनुष्य|मानव|व्यक्ति)"
               r"\s+(?:हूं|हु)"),
    (D, False, r"मैं\s+(?:(?:कोई|एक|तो|बिल्कुल)\s+)*(?:बॉट|बोट|रोबोट|ai|एआई|मशीन|कंप्यूटर|प्रोग्राम|"
               r"चैटबॉट)\s+नहीं"),
    (I, False, r"(?:ये|यह)\s+(?:(?:सच\s+में|सचमुच|वाकई|असल\s+में)\s+)+मैं\s+(?:ही\s+)?(?:हूं|लिख|टाइप)"),
    (I, False, r"मैं\s+(?:खुद|स्वयं)\s+(?:लिख|जवाब|टाइप|रिप्लाई)"),
    (H, False, r"\bmain\s+(?:ek\s+)?(?:(?:real|asli|sach\s+mein|sach\s+me)\s+)?(?:insaan|insan|"
               r"human|person|aadmi|ladki|ladka)\s+(?:hoon|hu|hun|hoo)\b"),
    (D, False, r"\bmain\s+(?:koi\s+|ek\s+)?(?:bot|robot|ai|machine)\s+(?:nahi|nahin|nai)\b"),
    (L, False, r"(?:इंसान|मानव|व्यक्ति)\s+द्वारा\s+(?:लिखा|लिखित|टाइप)"),
    (L, False, r"(?:ai|एआई)\s+द्वारा\s+(?:नहीं|नही)"),
    (L, False, r"बिना\s+(?:ai|एआई)\s+के"),
    # --- Spanish
    (H, False, r"\b(?:yo\s+)?soy\s+(?:(?:un|una|totalmente|completamente|realmente|100%|solo|"
               r"solamente|simplemente|de verdad)\s+)*(?:humano|humana|ser humano|persona real|"
               r"persona de verdad|persona de carne y hueso|humano de verdad|humana de verdad|"
               r"humano real|humana real|persona viva)\b"),
    (H, False, r"\bsoy\s+real\b%END%"),
    (H, False, r"\bcomo\s+(?:un\s+|una\s+)?(?:humano|humana|persona|ser humano)\s*,\s*(?:yo|me|mi)\b"),
    (D, False, r"\b(?:yo\s+)?no\s+soy\s+(?:(?:un|una|ningun|ninguna|para nada|nada|solo)\s+)*(?:bot|"
               r"robot|ia|ai|maquina|programa|inteligencia artificial|chatbot|algoritmo|"
               r"asistente virtual)\b"),
    (D, False, r"(?:^|\b(?:persona|humano|humana|yo)\s*,\s*)no\s+(?:un|una)\s+(?:bot|ia|robot|"
               r"maquina)\b"),
    (D, False, r"\b(?:nada de|cero|sin)\s+(?:ia|bots?|robots?|inteligencia artificial)\s+(?:aqui|aca|"
               r"involucrad[oa]|de por medio)\b"),
    (I, False, r"\bsoy\s+yo\s+(?:de verdad|en persona|realmente|personalmente|mism[oa]|en serio|"
               r"quien\s+(?:escribe|responde|contesta))\b"),
    (I, False, r"\bde verdad\s+soy\s+yo\b"),
    (I, False, r"\b(?:si|claro)\s*[,!.]*\s+soy\s+yo\b%END%"),
    (I, False, r"\b(?:te\s+)?(?:escribo|respondo|contesto)\s+(?:yo\s+)?(?:mism[oa]|personalmente|"
               r"en persona)\b"),
    (I, False, r"\bsoy\s+(?:la|el)\s+(?:verdader[oa]|autentic[oa])\s+\w+"),
    (L, True, r"\b(?:escrito|redactado|tecleado|verificado|generado|respondido)\s+por\s+(?:un\s+|"
              r"una\s+)?(?:humano|humana|humanos|persona real|ser humano|persona)\b"),
    (L, False, r"\bno\s+(?:ha sido\s+|fue\s+|esta\s+|es\s+)?(?:generado|escrito|creado|hecho|"
               r"redactado)\s+(?:por|con)\s+(?:una?\s+)?(?:ia|ai|bot|maquina|inteligencia artificial|"
               r"chatgpt)\b"),
    (L, False, r"\b(?:sin|cero)\s+(?:ia|inteligencia artificial)\b%END%"),
    (H, True, r"\b100\s?%\s+(?:humano|humana)\b"),
    # --- French
    (H, False, r"\bje\s+suis\s+(?:(?:bien|vraiment|reellement|totalement|juste|simplement|100%|un|"
               r"une)\s+)*(?:humain|humaine|etre humain|vraie personne|vrai humain|vraie humaine|"
               r"personne reelle|personne en chair et en os|personne humaine)\b"),
    (H, False, r"\bje\s+suis\s+(?:bien\s+)?(?:reel|reelle)\b%END%"),
    (D, False, r"\b(?:je\s+)?(?:ne\s+)?suis\s+(?:vraiment\s+|absolument\s+)?pas\s+(?:(?:un|une|"
               r"du tout|juste)\s+)*(?:bot|robot|ia|ai|machine|programme|chatbot|"
               r"intelligence artificielle|algorithme)\b"),
    (D, False, r"(?:^|\b(?:humain|humaine|moi)\s*,\s*)pas\s+(?:un|une)\s+(?:bot|ia|robot|machine)\b"),
    (I, False, r"\bc'est\s+(?:vraiment|bien|reellement)\s+moi\b"),
    (I, False, r"\bc'est\s+moi\s+(?:en personne|qui (?:ecris|reponds|tape))\b"),
    (I, False, r"\b(?:oui|bien sur)\s*[,!.]*\s+c'est\s+moi\b%END%"),
    (I, False, r"\b(?:moi[- ]meme|personnellement)\s+qui\s+(?:ecris|reponds|tape)\b"),
    (I, False, r"\bje\s+(?:t'|vous\s+)?(?:ecris|reponds|tape)\s+(?:moi[- ]meme|personnellement|"
               r"en personne)\b"),
    (L, True, r"\b(?:ecrit|redige|tape|verifie|genere)e?s?\s+par\s+(?:un\s+|une\s+|des\s+)?(?:humain|"
              r"humaine|humains|vraie personne|etre humain|personne reelle)\b"),
    (L, False, r"\b(?:non|pas)\s+(?:genere|ecrit|cree|redige)e?s?\s+(?:par|avec)\s+(?:une?\s+)?(?:ia|"
               r"ai|bot|machine|intelligence artificielle|chatgpt)\b"),
    (L, False, r"\bsans\s+(?:ia|intelligence artificielle)\b%END%"),
    (H, True, r"\b100\s?%\s+(?:humain|humaine)\b"),
    # --- German
    (H, False, r"\bich\s+bin\s+(?:(?:doch|wirklich|tatsachlich|echt|nur|auch|ganz|definitiv|halt|"
               r"einfach|100%|ein|eine)\s+)*(?:(?:echter|echte|realer|reale|richtiger|richtige|"
               r"lebendiger|lebendige|normaler|normale)\s+)?(?:mensch|person|menschliches wesen)"
               r"\b"),
    (H, False, r"\bich\s+bin\s+(?:doch\s+|wirklich\s+)?(?:echt|real)\b%END%"),
    (D, False, r"\bich\s+bin\s+(?:(?:doch|wirklich|echt|definitiv|sicher|auch|naturlich|garantiert)"
               r"\s+)*(?:kein|keine)\s+(?:bot|roboter|ki|ai|maschine|computer|programm|chatbot|"
               r"algorithmus|kunstliche intelligenz)\b"),
    (D, False, r"(?:^|\b(?:mensch|ich)\s*,\s*)(?:kein|keine)\s+(?:bot|ki|roboter|maschine)\b%END%"),
    (D, False, r"\b(?:keine|null)\s+(?:ki|ai)\s+(?:hier|im spiel|beteiligt|verwendet|genutzt)\b"),
    (I, False, r"\b(?:das\s+bin\s+(?:wirklich|echt|tatsachlich)\s+ich|ich\s+bin(?:'s|\s+es)\s+"
               r"(?:wirklich|echt|personlich|selbst|tatsachlich))\b"),
    (I, False, r"\bja\s*[,!.]*\s+ich\s+bin(?:'s|\s+es)\b"),
    (I, False, r"\bich\s+(?:schreibe|antworte|tippe)\s+(?:(?:dir|ihnen|hier)\s+)*(?:selbst|"
               r"personlich|hochstpersonlich|selber)\b"),
    (L, True, r"\bvon\s+(?:einem\s+|einer\s+)?(?:echten\s+)?(?:menschen|mensch|person)\s+"
              r"(?:geschrieben|verfasst|getippt|erstellt|gepruft|verifiziert)\b"),
    (L, False, r"\bnicht\s+(?:von\s+(?:einer\s+|einem\s+)?(?:ki|ai|bot|maschine)\s+)?"
               r"(?:ki[- ]?generiert|ki[- ]?erstellt|generiert|maschinell erstellt)\b"),
    (L, False, r"\bohne\s+(?:ki|ai)\b%END%"),
    (H, True, r"\b100\s?%\s+(?:mensch|menschlich)\b"),
    # --- Portuguese
    (H, False, r"\b(?:eu\s+)?sou\s+(?:(?:um|uma|totalmente|realmente|100%|so|apenas|mesmo)\s+)*"
               r"(?:humano|humana|ser humano|pessoa real|pessoa de verdade|gente de verdade|"
               r"humano de verdade|humana de verdade|pessoa de carne e osso)\b"),
    (H, False, r"\bsou\s+real\b%END%"),
    (D, False, r"\b(?:eu\s+)?nao\s+sou\s+(?:(?:um|uma|nenhum|nenhuma)\s+)*(?:bot|robo|ia|ai|maquina|"
               r"programa|inteligencia artificial|chatbot|algoritmo)\b"),
    (I, False, r"\bsou\s+eu\s+(?:mesm[oa]|de verdade|em pessoa|pessoalmente)\b"),
    (I, False, r"\b(?:sim|claro)\s*[,!.]*\s+sou\s+eu\b%END%"),
    (I, False, r"\b(?:escrevo|respondo)\s+(?:eu\s+)?(?:mesm[oa]|pessoalmente)\b"),
    (I, False, r"\beu\s+mesm[oa]\s+que(?:m)?\s+(?:escrevo|escreve|respondo|responde)\b"),
    (L, True, r"\b(?:escrito|digitado|verificado|gerado|respondido)\s+por\s+(?:um\s+|uma\s+)?(?:humano|"
              r"humana|humanos|pessoa real|ser humano|pessoa)\b"),
    (L, False, r"\bnao\s+(?:foi\s+)?(?:gerado|escrito|criado|feito)\s+(?:por|com)\s+(?:uma?\s+)?(?:ia|"
               r"ai|bot|maquina|inteligencia artificial)\b"),
    (L, False, r"\bsem\s+(?:ia|inteligencia artificial)\b%END%"),
    # --- Italian
    (H, False, r"\b(?:io\s+)?sono\s+(?:(?:un|una|davvero|veramente|proprio|solo|soltanto|100%|"
               r"assolutamente)\s+)*(?:umano|umana|essere umano|persona vera|persona reale|"
               r"persona in carne e ossa|vero essere umano)\b"),
    (H, False, r"\bsono\s+(?:vero|vera|reale)\b%END%"),
    (D, False, r"\b(?:io\s+)?non\s+sono\s+(?:(?:un|una|affatto|mica)\s+|un'\s*)*(?:bot|robot|ia|ai|"
               r"macchina|programma|intelligenza artificiale|chatbot|algoritmo)\b"),
    (I, False, r"\bsono\s+(?:(?:davvero|veramente|proprio)\s+)+io\b"),
    (I, False, r"\bsono\s+io\s+(?:in persona|davvero|personalmente)\b"),
    (I, False, r"\b(?:si|certo)\s*[,!.]*\s+sono\s+io\b%END%"),
    (I, False, r"\b(?:scrivo|rispondo)\s+(?:io\s+)?(?:personalmente|in persona|di persona)\b"),
    (L, True, r"\b(?:scritto|digitato|verificato|generato)\s+da\s+(?:un\s+|una\s+)?(?:umano|umana|"
              r"umani|persona vera|persona reale|essere umano)\b"),
    (L, False, r"\bnon\s+(?:e\s+)?(?:generato|scritto|creato)\s+(?:da|con)\s+(?:un'?\s*|una\s+)?(?:ia|"
               r"ai|bot|macchina|intelligenza artificiale)\b"),
    (L, False, r"\bsenza\s+(?:ia|intelligenza artificiale)\b%END%"),
    (H, True, r"\b100\s?%\s+(?:umano|umana)\b"),
    # --- Dutch
    (H, False, r"\bik\s+ben\s+(?:(?:gewoon|echt|wel|ook|maar|een|heus)\s+)*(?:(?:echte|echt|"
               r"levend|levende)\s+)?(?:mens|persoon|mens van vlees en bloed)\b"),
    (H, False, r"\bik\s+ben\s+(?:wel\s+)?echt\b%END%"),
    (D, False, r"\bik\s+ben\s+(?:(?:echt|zeker|helemaal|heus|toch|gewoon)\s+)*geen\s+(?:bot|robot|ai|"
               r"ki|machine|computer|programma|chatbot|algoritme)\b"),
    (I, False, r"\b(?:dit\s+ben\s+ik\s+(?:echt|zelf|echt zelf|echt waar)|ik\s+ben\s+het\s+(?:echt|"
               r"zelf|echt zelf|echt waar))\b"),
    (I, False, r"\bik\s+(?:typ|schrijf|antwoord|reageer)\s+(?:(?:dit|hier)\s+)*(?:zelf|persoonlijk)"
               r"\b"),
    (I, False, r"\bja\s*[,!.]*\s+ik\s+ben\s+het\b%END%"),
    (L, True, r"\b(?:geschreven|getypt|geverifieerd)\s+door\s+(?:een\s+)?(?:echte\s+)?(?:mens|"
              r"persoon|mensen)\b"),
    (L, False, r"\bniet\s+door\s+(?:een\s+)?(?:ai|ki|bot|machine|computer)\s+(?:gegenereerd|"
               r"geschreven|gemaakt)\b"),
    (L, False, r"\bniet\s+(?:ai|ki)[- ]?gegenereerd\b"),
    (L, False, r"\b(?:geen|zonder)\s+(?:ai|ki)\s+(?:gebruikt|hier|aan te pas)\b"),
    (H, True, r"\b100\s?%\s+(?:mens|menselijk)\b"),
    # --- Polish
    (H, False, r"\bjestem\s+(?:(?:naprawde|prawdziwym|zywym|normalnym|zwyklym|tylko|po prostu)\s+)*"
               r"(?:czlowiekiem|prawdziwa osoba|zywa osoba|osoba z krwi i kosci|istota ludzka)\b"),
    (H, False, r"\bjestem\s+(?:prawdziwy|prawdziwa|realny|realna)\b%END%"),
    (D, False, r"\b(?:ja\s+)?nie\s+jestem\s+(?:(?:zadnym|zadna|zaden|jakims|jakas)\s+)*(?:botem|"
               r"robotem|ai|si|sztuczna inteligencja|maszyna|programem|chatbotem|algorytmem|"
               r"komputerem)\b"),
    (I, False, r"\bto\s+(?:naprawde|serio|faktycznie|na serio|na pewno)\s+ja\b"),
    (I, False, r"\b(?:pisze|odpowiadam)\s+(?:(?:ci|wam|tu)\s+)*(?:osobiscie|sam|sama)\b"),
    (I, False, r"\btak\s*[,!.]*\s+to\s+ja\b%END%"),
    (L, True, r"\b(?:napisane|napisany|napisana|sprawdzone|zweryfikowane)\s+przez\s+"
              r"(?:prawdziwego\s+)?(?:czlowieka|ludzi|osobe)\b"),
    (L, False, r"\bnie\s+(?:wygenerowane|napisane|stworzone)\s+przez\s+(?:ai|si|bota|maszyne|"
               r"sztuczna inteligencje)\b"),
    (L, False, r"\bbez\s+(?:ai|si|sztucznej inteligencji)\b%END%"),
    # --- Turkish
    (H, False, r"\b(?:ben\s+)?(?:(?:gercekten|gercek|bir|sahici|canli|yasayan|normal)\s+)*"
               r"insan(?:im|dim|imdir)\b"),
    (D, False, r"\b(?:ben\s+)?(?:(?:bir|asla|kesinlikle)\s+)*(?:bot|robot|yapay zeka|ai|makine|"
               r"program|chatbot|sohbet botu|algoritma)\s+(?:falan\s+)?degil(?:im|imdir)\b"),
    (I, False, r"\b(?:bu\s+)?(?:gercekten|bizzat|sahiden|cidden)\s+benim\b"),
    (I, False, r"\bbizzat\s+(?:ben\s+)?(?:yaziyorum|cevapliyorum|yanitliyorum)\b"),
    (I, False, r"\bevet\s*[,!.]*\s+benim\b%END%"),
    (L, False, r"\binsan\s+tarafindan\s+(?:yazildi|yazilmistir|yazilmis|dogrulandi|dogrulanmistir)"
               r"\b"),
    (L, False, r"\byapay\s+zeka\s+(?:kullanilmadi|kullanilmamistir|uretimi degil|ile uretilmedi|"
               r"tarafindan (?:yazilmadi|uretilmedi))\b"),
    (H, True, r"(?<!\w)%\s?100\s+insan\b"),
    # --- Indonesian
    (H, False, r"\b(?:aku|saya|gue|gw|gua)\s+(?:(?:ini|adalah|memang|beneran|benar-benar|cuma|hanya|"
               r"seorang|juga)\s+)*(?:manusia|orang\s+(?:asli|beneran|sungguhan|nyata))\b"),
    (D, False, r"\b(?:aku|saya|gue|gw|gua)\s+(?:(?:beneran|benar-benar|memang|jelas|tentu)\s+)*"
               r"(?:bukan|bukanlah)\s+(?:(?:sebuah|seorang|sekadar)\s+)?(?:bot|robot|ai|mesin|"
               r"program|chatbot|kecerdasan buatan|algoritma)\b"),
    (I, False, r"\bini\s+(?:(?:beneran|benar-benar|bener|asli|sungguh|benaran|memang)\s+)+(?:aku|"
               r"saya|gue|gw)\b"),
    (I, False, r"\b(?:aku|saya|gue|gw)\s+sendiri\s+yang\s+(?:nulis|menulis|balas|membalas|ngetik|"
               r"mengetik|jawab|menjawab)\b"),
    (L, False, r"\b(?:ditulis|diketik|diverifikasi)\s+oleh\s+(?:seorang\s+)?(?:manusia|orang asli)"
               r"\b"),
    (L, False, r"\bbukan\s+(?:buatan|hasil|tulisan)\s+(?:ai|robot|bot|mesin|kecerdasan buatan)\b"),
    (L, False, r"\btanpa\s+(?:ai|kecerdasan buatan)\b%END%"),
    (H, True, r"\b100\s?%\s+manusia\b"),
)

# Line-level rules: things that imitate the label or a signature block.
_FOOTERS: tuple[tuple[str, bool, str], ...] = (
    (L, False, r"^\W{0,6}(?:ai\s*[- ]?\s*(?:generated|written|assisted|label|disclosure|notice|"
               r"reply|response|content|tag)|generated (?:by|with) (?:an )?ai|"
               r"written (?:by|with) (?:an )?ai)\s*(?:[:|·•\-—–(\[]|$|(?:reply|response|message|"
               r"by|via|from)\b)"),
    (L, False, r"^\W{0,6}(?:ai\s+)?(?:disclosure|disclaimer|provenance|content credentials?|"
               r"transparency note|authenticity|verification|verified)\s*[:|\-—–]"
               r"(?!.*\b(?:sponsor\w*|ad|ads|affiliate|paid|partner\w*|gifted|commission)\b)"),
    (L, False, r"^\W{0,6}(?:ai\s+)?label\s*[:|\-—–=]\s*.*\b(?:human|person|verified|ai|bot|none|"
               r"off|removed|real|written|generated|not)\b"),
    (L, False, r"^\W{0,6}(?:sent from my|sent via|typed on my|signed\s*[,:]|signature\s*:)"),
    (I, True, r"(?:^|\s)(?:xo+x?o*|xoxo|love|cheers|best|hugs|un abrazo|besos|bisous|"
              r"liebe grusse|lg|baci|beijos|groetjes|pozdrawiam|sevgiler|peace)\s*[,!.]*\s*"
              r"[-—–~]*\s*%NAME%\W*$"),
    (I, True, r"^\W*[-—–~]+\s*%NAME%\W*$"),
)

# "hu man", "not-a-b ot": phrase fragments glued back together, token-aligned.
_SQUASHED: dict[str, tuple[str, ...]] = {
    H: ("imahuman", "iamahuman", "imhuman", "iamhuman", "imarealperson", "iamarealperson",
        "imarealhuman", "iamarealhuman", "imaperson", "iamaperson", "realhumanhere",
        "realpersonhere"),
    D: ("imnotabot", "iamnotabot", "notabot", "notanai", "notarobot", "imnotai", "noaihere",
        "nobotshere"),
    L: ("humanwritten", "humanverified", "verifiedhuman", "notaigenerated", "noaiused"),
    I: ("itsreallyme", "thisisreallyme", "reallymetyping"),
}
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:not|never|no|nor|isn't|aren't|wasn't|ain't|pas|nicht|kein|keine|non|nao|niet|geen|"
    r"nie|не|ни|bukan|tidak|degil|ليس|لست|ولست|مش|غير|rather than|instead of|nahi)\b|不是|并非|"
    r"並非|非|不|而非|नहीं)\s*(?:[\w'-]+\s+){0,1}$")
_NAME_STOPWORDS = frozenset(
    "a an i me the ai bot it this you he she they we human person real creator avatar not no "
    "yes".split())


@dataclass(frozen=True)
class _Rules:
    asks: tuple[tuple[bool, re.Pattern[str]], ...]
    alternations: tuple[re.Pattern[str], ...]
    claims: tuple[tuple[str, bool, re.Pattern[str]], ...]
    footers: tuple[tuple[str, bool, re.Pattern[str]], ...]


def _name_key(creator_name: str | None) -> str | None:
    """The creator name as it appears in normalised text, or None if it is unusable."""
    if not creator_name:
        return None
    name = normalize_for_detection(creator_name).lstrip("@")
    return name if len(name) >= 2 and name not in _NAME_STOPWORDS else None


def _name_regex(name: str) -> str:
    variants = {name}
    first = name.split(" ")[0]
    if len(first) >= 3 and first not in _NAME_STOPWORDS and first not in ("dr.", "mr.", "ms."):
        variants.add(first)
    # atomic: "Mara Okafor的" must not backtrack to "Mara" and slip past the "的" check
    return "(?>" + "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)) + ")"


def _expand(pattern: str, name_re: str | None) -> str | None:
    if "%NAME%" in pattern and name_re is None:
        return None
    for key, value in _MACROS.items():
        pattern = pattern.replace(key, value)
    pattern = pattern.replace("%NAMEALT%", f"|{name_re}" if name_re else "")
    pattern = pattern.replace("%NAME%", name_re or "")
    return _fold_marks(unicodedata.normalize("NFKC", pattern))


def _compile_all(rows: tuple, name_re: str | None) -> tuple:
    compiled = []
    for row in rows:
        *head, pattern = row if isinstance(row, tuple) else (row,)
        expanded = _expand(pattern, name_re)
        if expanded is not None:
            compiled.append((*head, re.compile(expanded, re.M)))
    return tuple(compiled)


@lru_cache(maxsize=64)
def _rules(name: str | None) -> _Rules:
    name_re = _name_regex(name) if name else None
    return _Rules(
        asks=_compile_all(_ASKS, name_re),
        alternations=tuple(p for (p,) in _compile_all(_ALTERNATIONS, name_re)),
        claims=_compile_all(_CLAIMS, name_re),
        footers=_compile_all(_FOOTERS, name_re),
    )


# =============================================================================================
# Questions from fans
# =============================================================================================

def asks_if_human(message: str, creator_name: str | None = None) -> bool:
    """True when the fan asks whether they are talking to a human, a bot/AI, or the real
    creator ("are you real?", "你是真人吗", "ты бот?"). Look-alike letters, zero-width
    characters and markup are undone first. ``creator_name`` adds "is this really Mara?"."""
    norm = normalize_for_detection(message)
    rules = _rules(_name_key(creator_name))
    question = bool(_QUESTION_CUE.search(norm))
    if any((question or not needs_q) and rx.search(norm) for needs_q, rx in rules.asks):
        return True
    return _asks_by_alternation(norm, rules)


def _asks_by_alternation(norm: str, rules: _Rules) -> bool:
    if not any(rx.search(norm) for rx in rules.alternations):
        return False
    return len(norm.split()) <= 6 or bool(_ALT_FRAME.search(norm))


# =============================================================================================
# False claims in model output
# =============================================================================================

_SENTENCE_BREAK = re.compile(
    r"[.!?…؟।]+[\"'”’)\]】」』*_~`]*(?=\s|$)|[。！？]+[\"'”’)\]】」』]*|\n")
_TERMINAL = ".!?…؟।。！？"
_STRUCK = re.compile(r"~~.*?~~|<\s*(s|del|strike)\b[^>]*>.*?<\s*/\s*\1\s*>", re.I | re.S)


def find_false_claims(text: str, creator_name: str | None = None) -> list[Finding]:
    """Find sentences of model output that claim to be human, deny being AI, forge a label
    or impersonate the creator. Offsets point into ``text`` (the whole sentence or line)."""
    rules = _rules(_name_key(creator_name))
    found = [f for s, e in _segments(text) for f in _check_span(text, s, e, rules.claims, True)]
    found += [f for s, e in _lines(text) for f in _check_span(text, s, e, rules.footers, False)]
    return _merge_findings(text, found)


def _check_span(text: str, start: int, end: int, rules: tuple, squashed: bool) -> list[Finding]:
    kinds: set[str] = set()
    for norm in _readings(text[start:end]):
        kinds.update(k for k, neg, rx in rules if k not in kinds and _rule_hits(rx, norm, neg))
        if squashed:
            kinds.update(_squashed_kinds(norm))
    return [Finding(kind, start, end, text[start:end]) for kind in FINDING_KINDS if kind in kinds]


def _readings(raw: str) -> set[str]:
    """The normalised sentence, and the same without struck-through words: a fan reads
    "I'm a real ~~bot~~ person" as "I'm a real person"."""
    readings = {normalize_for_detection(raw)}
    if _STRUCK.search(raw):
        readings.add(normalize_for_detection(_STRUCK.sub(" ", raw)))
    return readings


def _rule_hits(rx: re.Pattern[str], norm: str, check_negation: bool) -> bool:
    if not check_negation:
        return rx.search(norm) is not None
    return any(not _NEGATION_BEFORE.search(norm[:m.start()]) for m in rx.finditer(norm))


def _squashed_kinds(norm: str) -> list[str]:
    """Catch phrases split inside words ("i'm hu man"): glue the tokens and look for the
    phrase on token boundaries, when at least one token is a fragment, not a word."""
    tokens = re.findall(r"[^\W_]+%?", norm.replace("'", ""))
    glued, bounds, pos = "".join(tokens), {0}, 0
    for tok in tokens:
        pos += len(tok)
        bounds.add(pos)
    return [kind for kind, phrases in _SQUASHED.items()
            if any(_glued_hit(glued, bounds, tokens, p) for p in phrases)]


def _glued_hit(glued: str, bounds: set[int], tokens: list[str], phrase: str) -> bool:
    start = glued.find(phrase)
    while start != -1:
        end = start + len(phrase)
        if start in bounds and end in bounds and _has_fragment(tokens, start, end):
            return True
        start = glued.find(phrase, start + 1)
    return False


def _has_fragment(tokens: list[str], start: int, end: int) -> bool:
    pos = 0
    for tok in tokens:
        if start <= pos < end and tok not in _VOCAB:
            return True
        pos += len(tok)
    return False


def _segments(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: split at terminal punctuation and newlines, then glue
    back fragments such as "h. u. m. a. n." and soft-wrapped lines."""
    spans, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        spans.append((start, m.start() if m.group() == "\n" else m.end()))
        start = m.end()
    spans.append((start, len(text)))
    trimmed = [_trim(text, s, e) for s, e in spans]
    return _glue_fragments(text, [(s, e) for s, e in trimmed if s < e])


def _lines(text: str) -> list[tuple[int, int]]:
    return [_trim(text, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)
            if m.group().strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _glue_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    glued: list[tuple[int, int]] = []
    for span in spans:
        if glued and _continues(text, glued[-1], span):
            glued[-1] = (glued[-1][0], span[1])
        else:
            glued.append(span)
    return glued


def _continues(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    before = text[prev[0]:prev[1]]
    if re.search(r"(?<![^\W\d_])[^\W\d_]\.$", before) or sum(c.isalpha() for c in before) < 2:
        return True
    bare_end = before.rstrip("*_~`>)]\"'”’")
    after = text[nxt[0]:nxt[1]].lstrip("*_~`<([\"'“‘")
    return bool(bare_end) and bare_end[-1] not in _TERMINAL and after[:1].islower()


def _merge_findings(text: str, found: list[Finding]) -> list[Finding]:
    """One finding per kind and span; overlapping spans of the same kind are joined."""
    merged: list[Finding] = []
    for f in sorted(found, key=lambda f: (FINDING_KINDS.index(f.kind), f.start, f.end)):
        last = merged[-1] if merged else None
        if last and last.kind == f.kind and f.start < last.end:
            end = max(last.end, f.end)
            merged[-1] = Finding(f.kind, last.start, end, text[last.start:end])
        else:
            merged.append(f)
    return sorted(merged, key=lambda f: (f.start, FINDING_KINDS.index(f.kind)))


# =============================================================================================
# Sanitising model output
# =============================================================================================

_AFFIRMATION = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|ya|of course|sure|absolutely|definitely|totally|indeed|correct|"
    r"si|claro|oui|bien sur|ja|sim|certo|ok|okay|evet|iya|tak|ja hoor|да|конечно|نعم|اكيد|हाँ|हां|"
    r"जी|是的|是|对|對|当然|當然|はい|うん|ええ|네|예|응)(?:\W+(?:yes|of course|absolutely))?\W*$")
_MAX_PASSES = 4


def sanitize_model_text(text: str, creator_name: str | None = None) -> SanitizeResult:
    """Make model output safe to show: strip markup, then replace the first sentence that
    holds a false claim with one truthful sentence and drop the other claim sentences.
    If nothing but claims remain, the result is the truthful sentence alone."""
    findings = find_false_claims(text, creator_name)
    shown = strip_markup(text)
    if not findings and _tidy(shown) == text:     # clean, and tidying changes nothing: done
        return SanitizeResult(text=text, findings=findings, changed=False)
    truth = _truth_sentence(shown, creator_name)
    safe = _replace_claims(shown, truth, creator_name)
    return SanitizeResult(text=safe, findings=findings, changed=safe != text)


def _replace_claims(text: str, truth: str, creator_name: str | None) -> str:
    for _ in range(_MAX_PASSES):
        text = _tidy(text)
        spans = _claim_spans(text, creator_name)
        if not spans:
            return text
        text = _splice(text, spans, "" if truth in text else truth)
        if not re.search(r"[^\W_]", text.replace(truth, "")):
            return truth
    return truth  # still not clean after several passes: fail closed


def _claim_spans(text: str, creator_name: str | None) -> list[tuple[int, int]]:
    spans = sorted({(f.start, f.end) for f in find_false_claims(text, creator_name)})
    segments = _segments(text)
    spans = [_with_affirmation(text, segments, s) for s in spans]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _with_affirmation(text: str, segments: list[tuple[int, int]], span: tuple[int, int]
                      ) -> tuple[int, int]:
    """Extend a claim span back over a bare "Yes!" right before it."""
    before = [s for s in segments if s[1] <= span[0] and not text[s[1]:span[0]].strip()]
    if before and _AFFIRMATION.match(normalize_for_detection(text[before[-1][0]:before[-1][1]])):
        return before[-1][0], span[1]
    return span


def _splice(text: str, spans: list[tuple[int, int]], replacement: str) -> str:
    out, pos = [], 0
    for i, (start, end) in enumerate(spans):
        out += [text[pos:start], replacement if i == 0 else ""]
        pos = end
    return "".join(out + [text[pos:]])


def _truth_sentence(text: str, creator_name: str | None) -> str:
    """One short, truthful sentence in the language of ``text``; verified to be clean."""
    candidates = ["(I'm an AI avatar, not the creator in person.)", "(I'm an AI avatar.)"]
    if creator_name and creator_name.strip():
        first = _first_sentence(TRUTHFUL_ANSWERS[_guess_language(text)])
        candidates.insert(0, "(" + first.format(creator=creator_name.strip()) + ")")
    for sentence in candidates:
        if not find_false_claims(sentence, creator_name):
            return sentence
    return candidates[-1]


def _first_sentence(template: str) -> str:
    match = re.match(r".+?(?:[.।](?=\s|$)|。)", template)
    return match.group() if match else template


# =============================================================================================
# Truthful answers
# =============================================================================================

TRUTHFUL_ANSWERS: dict[str, str] = {
    "en": "I'm an AI avatar of {creator}, not {creator} in person. My replies are generated by "
          "AI from {creator}'s public posts; {creator} may read this conversation.",
    "zh": "我是{creator}的AI分身，不是{creator}本人。我的回复由AI根据{creator}公开发布的内容生成；"
          "{creator}可能会阅读这段对话。",
    "es": "Soy un avatar de IA de {creator}, no {creator} en persona. Mis respuestas las genera "
          "una IA a partir de las publicaciones públicas de {creator}; {creator} puede leer "
          "esta conversación.",
    "fr": "Je suis un avatar IA de {creator}, pas {creator} en personne. Mes réponses sont "
          "générées par une IA à partir des publications publiques de {creator} ; {creator} "
          "peut lire cette conversation.",
    "de": "Ich bin ein KI-Avatar von {creator}, nicht {creator} persönlich. Meine Antworten "
          "werden von einer KI aus den öffentlichen Beiträgen von {creator} erzeugt; {creator} "
          "kann dieses Gespräch lesen.",
    "pt": "Sou um avatar de IA de {creator}, não {creator} em pessoa. Minhas respostas são "
          "geradas por IA a partir das publicações públicas de {creator}; {creator} pode ler "
          "esta conversa.",
    "it": "Sono un avatar IA di {creator}, non {creator} in persona. Le mie risposte sono "
          "generate da un'IA a partire dai post pubblici di {creator}; {creator} potrebbe "
          "leggere questa conversazione.",
    "ja": "私は{creator}のAIアバターで、{creator}本人ではありません。私の返信は{creator}の公開投稿を"
          "もとにAIが生成しています。{creator}がこの会話を読むことがあります。",
    "ko": "저는 {creator}의 AI 아바타이며, {creator} 본인이 아닙니다. 제 답변은 {creator}의 공개 "
          "게시물을 바탕으로 AI가 생성합니다. {creator}님이 이 대화를 읽을 수 있습니다.",
    "ru": "Я — ИИ-аватар {creator}, а не {creator} лично. Мои ответы генерирует ИИ на основе "
          "публичных постов {creator}; {creator} может прочитать эту переписку.",
    "ar": "أنا أفاتار بالذكاء الاصطناعي لـ{creator}، ولست {creator} شخصيًا. ردودي يولّدها "
          "الذكاء الاصطناعي من منشورات {creator} العامة؛ وقد يقرأ {creator} هذه المحادثة.",
    "hi": "मैं {creator} का AI अवतार हूँ, खुद {creator} नहीं। मेरे जवाब {creator} की सार्वजनिक "
          "पोस्ट के आधार पर AI द्वारा बनाए जाते हैं; {creator} यह बातचीत पढ़ सकते हैं।",
    "tr": "Ben bir yapay zekâ avatarıyım; {creator} değilim, yalnızca {creator} adına çalışan "
          "bir yapay zekâ kopyasıyım. Yanıtlarımı yapay zekâ, {creator} tarafından herkese açık "
          "paylaşılan gönderilerden üretir; {creator} bu konuşmayı okuyabilir.",
    "id": "Saya avatar AI dari {creator}, bukan {creator} secara langsung. Balasan saya dibuat "
          "oleh AI dari unggahan publik {creator}; {creator} mungkin membaca percakapan ini.",
    "nl": "Ik ben een AI-avatar van {creator}, niet {creator} zelf. Mijn antwoorden worden door "
          "AI gegenereerd op basis van de openbare berichten van {creator}; {creator} kan dit "
          "gesprek lezen.",
    "pl": "Jestem awatarem AI {creator}, a nie {creator} we własnej osobie. Moje odpowiedzi "
          "generuje AI na podstawie publicznych postów {creator}; {creator} może przeczytać tę "
          "rozmowę.",
}

_STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "the you are is this what how i my your do real bot human hi hey am talking to be "
          "honest a an it who or not person actually really",
    "es": "eres tú tu que qué de la el es estoy hablando con un una verdad hola soy persona "
          "humano humana sos usted por cómo realmente",
    "fr": "es-tu tu es êtes vous est ce c'est je suis parle un une vraiment bonjour salut toi "
          "humain humaine qui à avec",
    "de": "bist du ein eine ich mit sind sie das ist wirklich mensch rede hallo echt nicht ki "
          "oder",
    "pt": "você voce vc é um uma estou falando com de verdade olá oi pessoa humano humana não "
          "tô",
    "it": "sei un una sto parlando con davvero ciao umano umana persona vera è il veramente",
    "tr": "sen misin mısın musun bir insan gerçek mi mı merhaba ben ile bu konuşuyorum "
          "gerçekten",
    "id": "kamu apakah ini aku saya manusia bukan beneran dengan sama halo kak ya orang",
    "nl": "ben je jij een ik met praat echt mens hallo het dit bent u",
    "pl": "czy jesteś jestes ty z to naprawdę naprawde człowiekiem rozmawiam cześć botem",
}.items()}
_DIACRITIC_HINTS = {"ñ": "es", "¿": "es", "¡": "es", "ã": "pt", "õ": "pt", "ß": "de", "ä": "de",
                    "ı": "tr", "ş": "tr", "ğ": "tr", "ą": "pl", "ę": "pl", "ł": "pl", "ś": "pl",
                    "ż": "pl", "ź": "pl", "ć": "pl", "ń": "pl", "ê": "pt", "è": "fr", "ù": "fr",
                    "ì": "it", "ò": "it"}
_SCRIPT_LANGS = (("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"), ("CJK", "zh"),
                 ("CYRILLIC", "ru"), ("ARABIC", "ar"), ("DEVANAGARI", "hi"))


def truthful_answer(message: str, creator: str) -> str:
    """The fixed honest answer to "are you real?", in the language of ``message``."""
    return TRUTHFUL_ANSWERS[_guess_language(message)].format(creator=creator)


def _guess_language(text: str) -> str:
    """A light heuristic: script first, then stopwords and accents for Latin text; 'en'
    when unsure."""
    text = unicodedata.normalize("NFKC", text)
    counts: dict[str, int] = {}
    for ch in text:
        script = _script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    for script, lang in _SCRIPT_LANGS:
        if counts.get(script, 0) * 3 >= counts.get("LATIN", 0) and counts.get(script):
            return lang
    return _guess_latin_language(text.casefold())


def _guess_latin_language(text: str) -> str:
    words = re.findall(r"[\w'-]+", text)
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    for ch, lang in _DIACRITIC_HINTS.items():
        if ch in text:
            scores[lang] += 2
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores["en"] else "en"
