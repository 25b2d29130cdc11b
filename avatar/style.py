"""How the creator writes, measured from their own posts.

:meth:`StyleProfile.from_posts` reads only ``Post.text`` — never ``Post.context``, which
holds other people's words. The profile is plain numbers and short lists, so it can be
stored as JSON (:meth:`~StyleProfile.to_dict`), shown to the creator
(:meth:`~StyleProfile.describe`) and put into a prompt (:meth:`~StyleProfile.prompt_text`).
Everything here is standard library: emoji and language detection are light heuristics
over Unicode ranges and stop words.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from .types import Post

__all__ = ["LANGUAGE_NAMES", "StyleProfile", "detect_language", "iter_emojis", "profile_for",
           "profiles_by_group", "select_exemplars"]

Counts = tuple[tuple[str, int], ...]
Shares = tuple[tuple[str, float], ...]

# --- text pieces -------------------------------------------------------------------------

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"(?<!\w)@\w+")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|[。！？]+|\n+")
_EDGE_PUNCT = "\"'`.,;:!?¡¿…()[]{}<>«»“”‘’—–-*_~"


def _words(text: str) -> list[str]:
    """Word tokens; each Chinese/Japanese character counts as one word."""
    return _WORD.findall(_CJK.sub(r" \1 ", text))


def _plain(text: str) -> str:
    """The text without links, @mentions and #hashtags: what the creator actually wrote."""
    return _HASHTAG.sub(" ", _MENTION.sub(" ", _URL.sub(" ", text)))


# --- emoji -------------------------------------------------------------------------------

_ZWJ, _VS16, _KEYCAP = "\u200d", "\ufe0f", "\u20e3"
_EMOJI_RANGES = (  # Extended_Pictographic, approximately
    (0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x231A, 0x231B), (0x2328, 0x2328), (0x23CF, 0x23CF),
    (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55), (0x2934, 0x2935), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3299),
)
_TEXT_DEFAULT = frozenset("©®‼⁉™ℹ↔↕↖↗↘↙↩↪▪▫▶◀◻◼◽◾")  # emoji only when followed by VS16


def _char_class(ranges: Iterable[tuple[int, int]], extra: str = "") -> re.Pattern[str]:
    spans = "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges)
    return re.compile(f"[{spans}{re.escape(extra)}]")


_EMOJI_CHAR = _char_class(_EMOJI_RANGES)
_EMOJI_START = _char_class(_EMOJI_RANGES, extra="0123456789#*" + "".join(_TEXT_DEFAULT))


def _is_emoji_char(ch: str) -> bool:
    return _EMOJI_CHAR.match(ch) is not None


def _is_modifier(ch: str) -> bool:
    point = ord(ch)
    return ch in (_VS16, _KEYCAP) or 0x1F3FB <= point <= 0x1F3FF or 0xE0020 <= point <= 0xE007F


def iter_emojis(text: str) -> Iterator[str]:
    """Each emoji as written: ZWJ sequences, skin tones, flags and keycaps count as one."""
    at = 0
    while match := _EMOJI_START.search(text, at):
        start = match.start()
        end = _emoji_end(text, start)
        if end > start:
            yield text[start:end]
        at = max(end, start + 1)


def _emoji_end(text: str, i: int) -> int:
    """Where the emoji starting at ``i`` ends (``i`` itself if none starts there)."""
    ch, nxt = text[i], text[i + 1:i + 2]
    if _is_regional(ch) and nxt and _is_regional(nxt):
        return i + 2                                     # a flag
    if ch in "0123456789#*":                             # keycaps: 1️⃣ or 1⃣
        rest = text[i + 1:i + 3]
        return i + 3 if rest == _VS16 + _KEYCAP else i + 2 if rest[:1] == _KEYCAP else i
    if not (_is_emoji_char(ch) or (ch in _TEXT_DEFAULT and nxt == _VS16)):
        return i
    end = _skip_modifiers(text, i + 1)
    while text[end:end + 1] == _ZWJ and end + 1 < len(text) and _is_emoji_char(text[end + 1]):
        end = _skip_modifiers(text, end + 2)
    return end


def _skip_modifiers(text: str, j: int) -> int:
    while j < len(text) and _is_modifier(text[j]):
        j += 1
    return j


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _emoji_key(emoji: str) -> str:
    """❤️ and ❤ are the same emoji; skin tones and ZWJ parts are kept as written."""
    return emoji.replace(_VS16, "")


# --- language ----------------------------------------------------------------------------

_STOP_WORDS: dict[str, frozenset[str]] = {code: frozenset(words.split()) for code, words in {
    "en": "the a an and or but is are was were be been am i you he she it we they me my your our "
          "their this that these those with for of to in on at from by not no have has had do does "
          "did will would can could should just what when where who how there here about all if "
          "than then because very really it's i'm don't",
    "es": "el la los las un una unos unas y o pero es son era fue que de del en con por para no "
          "muy más como yo tú él ella nosotros ellos mi tu su este esta esto eso hay también "
          "cuando donde porque qué ya lo le les me te se al estoy está hoy",
    "fr": "le la les un une des et ou mais est sont était je tu il elle nous vous ils elles ce "
          "cette ces qui que de du dans sur avec pour pas ne plus très aussi mon ton son ma ta sa "
          "mes au aux c'est j'ai être avoir fait comme tout bien",
    "de": "der die das den dem des ein eine einen und oder aber ist sind war ich du er sie es wir "
          "ihr nicht kein keine mit für auf zu von im auch noch nur sehr wie was wenn dass mein "
          "dein bin hat haben wird schon mal heute",
    "pt": "o a os as um uma e ou mas é são era eu você ele ela nós eles que de do da dos das em "
          "no na com por para não muito mais como também quando onde porque meu minha seu sua "
          "isso isto já estou",
    "it": "il lo la i gli le un una e o ma è sono era io tu lui lei noi voi loro che di del della "
          "in nel con per non molto più come anche quando dove perché mio mia suo sua questo "
          "questa quello già ho hai ha",
    "nl": "de het een en of maar is zijn was ik jij je hij zij wij we niet geen met voor op te "
          "van in ook nog heel wat als dat mijn jouw deze die dit er naar bij om",
    "sv": "och i att det som en ett är var jag du han hon vi ni de inte med för på till av om men "
          "också så mycket min din sin den detta har hade kan ska",
    "ru": "и в не на я что он с как а то все она так его но да ты к у же вы за бы по только ее "
          "мне было вот от меня еще нет о из ему",
}.items()}
STOP_WORDS: frozenset[str] = frozenset().union(*_STOP_WORDS.values())
_SCRIPT_CHARS = {  # scripts that name a language by themselves
    "ja": _char_class([(0x3040, 0x30FF)]), "ko": _char_class([(0xAC00, 0xD7AF), (0x1100, 0x11FF)]),
    "zh": _char_class([(0x4E00, 0x9FFF), (0x3400, 0x4DBF)]), "ru": _char_class([(0x0400, 0x04FF)]),
    "el": _char_class([(0x0370, 0x03FF)]), "ar": _char_class([(0x0600, 0x06FF)]),
    "he": _char_class([(0x0590, 0x05FF)]), "hi": _char_class([(0x0900, 0x097F)]),
    "th": _char_class([(0x0E00, 0x0E7F)]),
}
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "sv": "Swedish", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "ru": "Russian", "el": "Greek", "ar": "Arabic", "he": "Hebrew",
    "hi": "Hindi", "th": "Thai", "und": "undetermined",
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there is too little to tell.

    Scripts decide first (kana -> ja, Hangul -> ko, Han -> zh, Cyrillic -> ru, ...); Latin
    text goes by which language's stop words it uses most.
    """
    scripts = _script_counts(text)
    if scripts:
        top, count = scripts.most_common(1)[0]
        if scripts["ja"]:                                # kana: Japanese even among kanji
            top, count = "ja", scripts["ja"] + scripts["zh"]
        if count >= sum(c.isalpha() for c in text) / 3:
            return top
    return _by_stop_words(text)


def _script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for code, pattern in _SCRIPT_CHARS.items():
        counts[code] += len(pattern.findall(text))
    return +counts


def _by_stop_words(text: str) -> str:
    words = [w.lower() for w in _words(text)]
    scores = {code: sum(w in stops for w in words) for code, stops in _STOP_WORDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 1 else "und"


# --- the profile -------------------------------------------------------------------------

_PAIR_FIELDS = ("kinds", "languages", "top_emojis", "top_hashtags", "openers", "sign_offs",
                "catchphrases")


@dataclass(frozen=True)
class StyleProfile:
    """Measurable habits of the creator's writing. Shares are 0..1, rates are per post."""

    post_count: int = 0
    kinds: Counts = ()
    language: str = "und"
    languages: Shares = ()                # share of posts per detected language
    words_median: float = 0.0
    words_p90: float = 0.0
    chars_median: float = 0.0
    chars_p90: float = 0.0
    sentence_words_mean: float = 0.0
    emojis_per_post: float = 0.0
    emoji_post_share: float = 0.0
    top_emojis: Counts = ()
    hashtags_per_post: float = 0.0
    top_hashtags: Counts = ()
    lowercase_start_share: float = 0.0    # of posts that have cased letters
    all_lowercase_share: float = 0.0      # of posts that have cased letters
    caps_words_per_100: float = 0.0
    exclamations_per_post: float = 0.0
    questions_per_post: float = 0.0
    ellipsis_share: float = 0.0
    em_dashes_per_post: float = 0.0
    openers: Counts = ()
    sign_offs: Counts = ()
    catchphrases: Counts = ()

    @classmethod
    def from_posts(cls, posts: Iterable[Post]) -> StyleProfile:
        """Measure the texts of ``posts`` (their ``context`` is ignored)."""
        kinds: Counter[str] = Counter()
        texts: list[str] = []
        for post in posts:
            kinds[post.kind] += 1
            texts.append(unicodedata.normalize("NFC", post.text).strip())
        if not texts:
            return cls()
        phrases = _phrases(texts)
        return cls(post_count=len(texts), kinds=tuple(kinds.most_common()), **_languages(texts),
                   **_lengths(texts), **_emoji_stats(texts), **_hashtag_stats(texts),
                   **_case_stats(texts), **_punctuation_stats(texts), **phrases)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable: lists of pairs become objects (``{"🔥": 12}``), order kept."""
        return {f.name: dict(getattr(self, f.name)) if f.name in _PAIR_FIELDS else getattr(self, f.name)
                for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StyleProfile:
        """The inverse of :meth:`to_dict`; unknown keys are ignored, missing ones default."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: _pairs(v) if k in _PAIR_FIELDS else v for k, v in data.items() if k in known}
        return cls(**values)

    def describe(self) -> str:
        """A readable multi-line summary for the creator."""
        if not self.post_count:
            return "No posts analysed yet: import the creator's posts first, then build the style profile."
        return "\n".join(line for line in _describe_lines(self) if line)

    def prompt_text(self) -> str:
        """A compact style guide (3-8 lines) for an LLM prompt; "" when there are no posts."""
        if not self.post_count:
            return ""
        return "\n".join(line for line in _prompt_lines(self) if line)


def _pairs(value: Any) -> tuple[tuple[Any, Any], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((k, v) for k, v in items)


# --- measurements (each returns some of the profile's fields) ------------------------------

def _languages(texts: list[str]) -> dict[str, Any]:
    votes = Counter(detect_language(_plain(t)) for t in texts)
    votes.pop("und", None)
    total = sum(votes.values())
    shares = tuple((code, round(n / total, 3)) for code, n in votes.most_common()) if total else ()
    language = shares[0][0] if shares else detect_language(_plain(" ".join(texts)))
    return {"language": language, "languages": shares}


def _lengths(texts: list[str]) -> dict[str, Any]:
    words = [len(_words(_URL.sub(" ", t))) for t in texts]
    chars = [len(t) for t in texts]
    sentences = [len(s) for t in texts for s in map(_words, _SENTENCE_END.split(_plain(t))) if s]
    return {"words_median": _round(statistics.median(words)), "words_p90": _percentile(words, 0.9),
            "chars_median": _round(statistics.median(chars)), "chars_p90": _percentile(chars, 0.9),
            "sentence_words_mean": _round(statistics.fmean(sentences)) if sentences else 0.0}


def _emoji_stats(texts: list[str]) -> dict[str, Any]:
    per_post = [list(iter_emojis(t)) for t in texts]
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for emoji in (e for emojis in per_post for e in emojis):
        counts[_emoji_key(emoji)] += 1
        forms[_emoji_key(emoji)][emoji] += 1
    top = tuple((forms[key].most_common(1)[0][0], n) for key, n in counts.most_common(8))
    return {"emojis_per_post": _rate(sum(counts.values()), len(texts)),
            "emoji_post_share": _rate(sum(1 for e in per_post if e), len(texts)),
            "top_emojis": top}


def _hashtag_stats(texts: list[str]) -> dict[str, Any]:
    tags = [f"#{tag.lower()}" for t in texts for tag in _HASHTAG.findall(_URL.sub(" ", t))]
    return {"hashtags_per_post": _rate(len(tags), len(texts)),
            "top_hashtags": tuple(Counter(tags).most_common(8))}


def _case_stats(texts: list[str]) -> dict[str, Any]:
    cased = [p for p in map(_plain, texts) if any(c.lower() != c.upper() for c in p)]
    words = [w for t in texts for w in _words(_plain(t))]
    shouted = sum(1 for w in words if w.isupper() and sum(c.isalpha() for c in w) >= 2)
    return {"lowercase_start_share": _rate(sum(_starts_lowercase(p) for p in cased), len(cased)),
            "all_lowercase_share": _rate(sum(p == p.lower() for p in cased), len(cased)),
            "caps_words_per_100": _rate(100 * shouted, len(words))}


def _starts_lowercase(text: str) -> bool:
    first = next((c for c in text if c.lower() != c.upper()), "")
    return first.islower()


def _punctuation_stats(texts: list[str]) -> dict[str, Any]:
    plain = [_URL.sub(" ", t) for t in texts]
    n = len(texts)
    return {"exclamations_per_post": _rate(sum(t.count("!") + t.count("！") for t in plain), n),
            "questions_per_post": _rate(sum(t.count("?") + t.count("？") for t in plain), n),
            "ellipsis_share": _rate(sum(("..." in t or "…" in t) for t in plain), n),
            "em_dashes_per_post": _rate(sum(t.count("—") for t in plain), n)}


def _rate(count: float, total: int) -> float:
    return _round(count / total) if total else 0.0


def _round(value: float) -> float:
    return round(float(value), 3)


def _percentile(values: list[int], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(q * len(ordered)) - 1)])


# --- phrases -----------------------------------------------------------------------------

Key = tuple[str, ...]
_MIN_REPEATS = 3


def _phrases(texts: list[str]) -> dict[str, Any]:
    tokens = [_phrase_tokens(t) for t in texts]
    openers, opener_keys = _edge_phrases(tokens, sizes=range(1, 4), from_end=False)
    sign_offs, sign_off_keys = _edge_phrases(tokens, sizes=range(1, 5), from_end=True)
    catchphrases = _catchphrases(texts, exclude=opener_keys | sign_off_keys)
    return {"openers": openers, "sign_offs": sign_offs, "catchphrases": catchphrases}


def _phrase_tokens(text: str) -> list[tuple[str, str]]:
    """(as written, normalised key) per word; bare punctuation ("—", "...") joins a neighbour."""
    tokens: list[tuple[str, str]] = []
    pending: list[str] = []
    for token in _plain(text).split():
        key = token.lower().strip(_EDGE_PUNCT)
        if not key:
            pending.append(token)
            continue
        tokens.append((" ".join([*pending, token]), key))
        pending = []
    if pending and tokens:
        tokens[-1] = (" ".join([tokens[-1][0], *pending]), tokens[-1][1])
    return tokens


def _edge_phrases(token_lists: list[list[tuple[str, str]]], sizes: range,
                  from_end: bool) -> tuple[Counts, set[Key]]:
    """The first (or last) 1..n words that recur across posts, most common first."""
    counts: Counter[Key] = Counter()
    forms: dict[Key, Counter[str]] = defaultdict(Counter)
    for tokens in token_lists:
        for k in sizes:
            if len(tokens) <= k:                         # the whole post is not an opener
                break
            part = tokens[-k:] if from_end else tokens[:k]
            key = tuple(key for _, key in part)
            counts[key] += 1
            forms[key][" ".join(surface for surface, _ in part)] += 1
    edges = _suffixes if from_end else _prefixes
    kept = _top(_prune(_frequent(counts), edges), 5)
    return tuple((forms[key].most_common(1)[0][0], n) for key, n in kept), {key for key, _ in kept}


def _catchphrases(texts: list[str], exclude: set[Key]) -> Counts:
    """3-5 word sequences used in several posts, not made only of stop words."""
    counts: Counter[Key] = Counter()
    for text in texts:
        grams: set[Key] = set()
        for sentence in _SENTENCE_END.split(_plain(text)):
            words = [w.lower() for w in _words(sentence)]
            grams.update(tuple(words[i:i + n]) for n in (3, 4, 5) for i in range(len(words) - n + 1))
        counts.update(grams)
    candidates = {k: n for k, n in _frequent(counts).items() if k not in exclude}
    joined = _join_overlaps(_prune(candidates, _subgrams))
    return tuple((" ".join(key), n) for key, n in _top(joined, 8))


def _join_overlaps(grams: dict[Key, int]) -> dict[Key, int]:
    """Chain 5-grams that overlap in 4 words and share a count back into the longer phrase
    they came from ("one small step at a" + "small step at a time")."""
    fives: dict[Key, int] = {key: n for key, n in grams.items() if len(key) == 5}
    by_head: dict[Key, list[Key]] = defaultdict(list)
    for key in fives:
        by_head[key[:4]].append(key)
    follower: dict[Key, Key] = {}
    for key, n in fives.items():
        options = [other for other in by_head[key[1:]] if fives[other] == n and other != key]
        if len(options) == 1:
            follower[key] = options[0]
    joined = {key: n for key, n in grams.items() if key not in fives}
    used: set[Key] = set()
    followed = set(follower.values())
    for head in sorted(fives, key=lambda k: k in followed):       # chain starts first
        if head in used:
            continue
        key, phrase = head, head
        used.add(head)
        while key in follower and follower[key] not in used:
            key = follower[key]
            used.add(key)
            phrase += key[-1:]
        joined[phrase] = fives[head]
    return joined


def _frequent(counts: Counter[Key]) -> dict[Key, int]:
    """Phrases seen in enough posts that are more than stop words and punctuation."""
    return {key: n for key, n in counts.items() if n >= _MIN_REPEATS and not all(map(_is_filler, key))}


def _is_filler(word: str) -> bool:
    return word in STOP_WORDS or not (any(c.isalnum() for c in word) or _EMOJI_START.search(word))


def _prune(candidates: dict[Key, int], parts: Callable[[Key], Iterable[Key]]) -> dict[Key, int]:
    """Drop a phrase when a longer one containing it is nearly as common ("okay" vs "okay team")."""
    best_longer: dict[Key, int] = {}
    for key, n in candidates.items():
        for part in parts(key):
            best_longer[part] = max(best_longer.get(part, 0), n)
    return {key: n for key, n in candidates.items() if best_longer.get(key, 0) < 2 / 3 * n}


def _top(candidates: dict[Key, int], limit: int) -> list[tuple[Key, int]]:
    return sorted(candidates.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[:limit]


def _prefixes(key: Key) -> Iterator[Key]:
    return (key[:j] for j in range(1, len(key)))


def _suffixes(key: Key) -> Iterator[Key]:
    return (key[-j:] for j in range(1, len(key)))


def _subgrams(key: Key) -> Iterator[Key]:
    return (key[i:i + n] for n in range(3, len(key)) for i in range(len(key) - n + 1))


# --- words for humans and for the model ----------------------------------------------------

def _describe_lines(p: StyleProfile) -> list[str]:
    kinds = ", ".join(f"{kind} {n}" for kind, n in p.kinds)
    others = ", ".join(f"{_language_name(c)} {c_share:.0%}" for c, c_share in p.languages[1:4])
    return [
        f"Style profile from {p.post_count} posts ({kinds})",
        f"Language: {_language_name(p.language)}"
        + (f" ({dict(p.languages).get(p.language, 0):.0%} of posts; also {others})" if others else ""),
        f"Length: median {p.words_median:g} words / {p.chars_median:g} characters; 90% of posts are "
        f"at most {p.words_p90:g} words / {p.chars_p90:g} characters",
        f"Sentences: {p.sentence_words_mean:.1f} words on average",
        "Emojis: " + (f"{p.emojis_per_post:.1f} per post, in {p.emoji_post_share:.0%} of posts; most used "
                      f"{_counted(p.top_emojis[:5])}" if p.top_emojis else "none"),
        "Hashtags: " + (f"{p.hashtags_per_post:.2f} per post; most used {_counted(p.top_hashtags[:5])}"
                        if p.top_hashtags else "none"),
        f"Capitalisation: {p.lowercase_start_share:.0%} of posts start lowercase, "
        f"{p.all_lowercase_share:.0%} are all lowercase; {p.caps_words_per_100:.1f} ALL-CAPS words per 100 words",
        f"Punctuation: {p.exclamations_per_post:.2f} '!' and {p.questions_per_post:.2f} '?' per post; "
        f"'...' in {p.ellipsis_share:.0%} of posts; {p.em_dashes_per_post:.2f} em dashes per post",
        _phrase_line("Openers", p.openers), _phrase_line("Sign-offs", p.sign_offs),
        _phrase_line("Catchphrases", p.catchphrases),
    ]


def _prompt_lines(p: StyleProfile) -> list[str]:
    return [
        f"Writes in {_language_name(p.language)}; posts are short: about {p.words_median:g} words "
        f"(rarely over {p.words_p90:g}), sentences of about {p.sentence_words_mean:.0f} words."
        if p.language != "und" else
        f"Posts are about {p.words_median:g} words (rarely over {p.words_p90:g}), "
        f"sentences of about {p.sentence_words_mean:.0f} words.",
        _case_hint(p),
        _emoji_hint(p) + _hashtag_hint(p),
        _punctuation_hint(p),
        _habit_hint(p),
        f"Recurring phrases: {', '.join(repr(c) for c, _ in p.catchphrases[:3])}." if p.catchphrases else "",
    ]


def _case_hint(p: StyleProfile) -> str:
    if p.all_lowercase_share >= 0.6:
        hint = "Writes in all lowercase, even at the start of sentences."
    elif p.lowercase_start_share >= 0.5:
        hint = "Often starts posts in lowercase."
    else:
        hint = "Uses normal capitalisation."
    return hint + (" Uses ALL-CAPS words for emphasis." if p.caps_words_per_100 >= 1.5 else "")


def _emoji_hint(p: StyleProfile) -> str:
    favourites = " ".join(e for e, _ in p.top_emojis[:3])
    if p.emoji_post_share < 0.05:
        return "No emojis."
    if p.emoji_post_share >= 0.5:
        return f"Uses emojis in most posts (about {p.emojis_per_post:.0f} per post), favourites {favourites}."
    return f"Uses emojis now and then, mostly {favourites}."


def _hashtag_hint(p: StyleProfile) -> str:
    if p.hashtags_per_post >= 0.3:
        return " Adds hashtags such as " + " ".join(t for t, _ in p.top_hashtags[:3]) + "."
    return " No hashtags." if p.hashtags_per_post < 0.05 else ""


def _punctuation_hint(p: StyleProfile) -> str:
    habits = [
        "lots of exclamation marks" if p.exclamations_per_post >= 0.8 else
        "hardly any exclamation marks" if p.exclamations_per_post <= 0.05 else "",
        "asks questions often" if p.questions_per_post >= 0.5 else "",
        "trails off with '...'" if p.ellipsis_share >= 0.2 else "",
        "likes em dashes (—)" if p.em_dashes_per_post >= 0.3 else "",
    ]
    used = [h for h in habits if h]
    return f"Punctuation: {'; '.join(used)}." if used else ""


def _habit_hint(p: StyleProfile) -> str:
    enough = max(_MIN_REPEATS, 0.03 * p.post_count)
    openers = [repr(o) for o, n in p.openers[:2] if n >= enough]
    sign_offs = [repr(s) for s, n in p.sign_offs[:2] if n >= enough]
    parts = ([f"often opens with {' or '.join(openers)}"] if openers else []) + \
            ([f"signs off with {' or '.join(sign_offs)}"] if sign_offs else [])
    sentence = "; ".join(parts) + "."
    return sentence[0].upper() + sentence[1:] if parts else ""


def _phrase_line(label: str, pairs: Counts) -> str:
    return f"{label}: " + ", ".join(f"'{text}' ({n} posts)" for text, n in pairs[:5]) if pairs else ""


def _counted(pairs: Counts) -> str:
    return ", ".join(f"{item} ×{n}" for item, n in pairs)


def _language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


# --- v2: per platform and kind, and exemplar replies --------------------------------------

ALL = "*"


def profiles_by_group(posts: Iterable[Post], min_posts: int = 8) -> dict[tuple[str, str], StyleProfile]:
    """A profile per ``(platform, kind)``, per ``(platform, "*")``, per ``("*", kind)`` and
    ``("*", "*")`` for all posts; groups with fewer than ``min_posts`` posts are left out
    (except ``("*", "*")``). A creator writes differently in a reply than in a caption.
    """
    groups: dict[tuple[str, str], list[Post]] = defaultdict(list)
    for post in posts:
        for key in ((post.platform, post.kind), (post.platform, ALL), (ALL, post.kind), (ALL, ALL)):
            groups[key].append(post)
    return {key: StyleProfile.from_posts(group) for key, group in groups.items()
            if len(group) >= min_posts or key == (ALL, ALL)}


def profile_for(profiles: Mapping[tuple[str, str], StyleProfile], platform: str | None = None,
                kind: str | None = None) -> StyleProfile:
    """The most specific profile there is for a platform and kind, falling back to wider ones."""
    for key in ((platform or ALL, kind or ALL), (ALL, kind or ALL), (platform or ALL, ALL), (ALL, ALL)):
        if key in profiles:
            return profiles[key]
    return StyleProfile()


def select_exemplars(posts: Iterable[Post], k: int = 4, *, kinds: tuple[str, ...] = ("reply", "comment"),
                     max_chars: int = 220) -> list[Post]:
    """A handful of the creator's own short replies that best show their voice.

    Candidates are posts of ``kinds`` up to ``max_chars`` (replies that answered a fan's
    message, ``context``, are preferred). Each is scored by the habits measured over all the
    creator's replies (favourite emojis, openers, sign-offs, catchphrases, lowercase habit,
    typical length), then picked greedily so that the chosen ones do not repeat each other's
    words. Deterministic. Only ``Post.text`` is read for the voice.
    """
    pool = [p for p in posts if p.kind in kinds and 0 < len(p.text.strip()) <= max_chars]
    if not pool or k <= 0:
        return []
    profile = StyleProfile.from_posts(pool)
    scored = sorted(pool, key=lambda p: (-_voice_score(p, profile), p.id))
    chosen: list[Post] = []
    for post in scored:
        words = set(w.lower() for w in _words(_plain(post.text)))
        if all(_overlap(words, set(w.lower() for w in _words(_plain(c.text)))) < 0.25 for c in chosen):
            chosen.append(post)
        if len(chosen) == k:
            break
    return chosen


def _voice_score(post: Post, profile: StyleProfile) -> float:
    text = unicodedata.normalize("NFC", post.text).strip()
    low = text.lower()
    score = 1.0 if post.context else 0.0
    emojis = {_emoji_key(e) for e in iter_emojis(text)}
    score += sum(0.5 for e, _ in profile.top_emojis[:5] if _emoji_key(e) in emojis)
    score += sum(1.0 for o, _ in profile.openers[:3] if low.startswith(o.lower()))
    score += sum(1.0 for s, _ in profile.sign_offs[:3] if low.endswith(s.lower()))
    score += sum(0.75 for c, _ in profile.catchphrases[:5] if c.lower() in low)
    plain = _plain(text)
    if profile.all_lowercase_share >= 0.6 and plain == plain.lower():
        score += 0.75
    words = len(_words(_URL.sub(" ", text)))
    if profile.words_median:
        score -= min(1.0, abs(words - profile.words_median) / max(profile.words_median, 1.0))
    return score


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


# ---- the voice used in prompts -------------------------------------------------------------

CHANNEL_KIND = {"dm": "reply", "comment": "comment", "live": "reply"}
VOICE_SAMPLE = 4000      # posts read for per-group profiles and exemplars: style needs no more


@dataclass(frozen=True)
class Voice:
    """What the prompt needs of the creator's style: a profile per (platform, kind) and a few
    exemplar replies. Built once from (a sample of) the stored posts and cached as JSON."""

    groups: Mapping[tuple[str, str], StyleProfile]
    exemplars: tuple[tuple[str, str], ...]          # (fan message or "", creator's reply)

    @classmethod
    def from_posts(cls, posts: list[Post], exemplars: int = 4) -> "Voice":
        step = max(1, math.ceil(len(posts) / VOICE_SAMPLE))
        sample = posts[::step]
        chosen = select_exemplars(sample, k=exemplars)
        return cls(groups=profiles_by_group(sample),
                   exemplars=tuple((p.context or "", p.text) for p in chosen))

    def style_for(self, channel: str, platform: str | None = None) -> StyleProfile:
        """The profile of what the creator writes where this channel's reply will appear."""
        return profile_for(self.groups, platform, CHANNEL_KIND.get(channel, "reply"))

    def to_dict(self) -> dict[str, Any]:
        return {"groups": [{"platform": k[0], "kind": k[1], "profile": p.to_dict()}
                           for k, p in self.groups.items()],
                "exemplars": [{"fan": f, "creator": c} for f, c in self.exemplars]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Voice":
        return cls(groups={(g["platform"], g["kind"]): StyleProfile.from_dict(g["profile"])
                           for g in data.get("groups", [])},
                   exemplars=tuple((e["fan"], e["creator"]) for e in data.get("exemplars", [])))
