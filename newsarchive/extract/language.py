"""The page's language: what it declares (html lang, og:locale, JSON-LD, meta), checked against
the script of its text, because templates lie (a Kazakh edition served with `lang="ru"`, an
English edition with `lang="ru"` copied from the main site)."""

from __future__ import annotations

import re

_LANG_ALIASES = {"kz": "kk", "eng": "en", "rus": "ru", "kaz": "kk", "ua": "uk", "iw": "he"}
# Letters of Kazakh Cyrillic that Russian does not use.
_KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")
_NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_CYRILLIC_LANGUAGES = frozenset({"ru", "kk", "uk", "be", "bg", "sr", "mk", "ky", "tg", "mn"})
_ENGLISH_WORDS = frozenset(
    {"the", "and", "of", "to", "in", "is", "that", "for", "with", "was", "on", "are", "by"}
)
# Frequent short words of other Latin-script languages, for pages declared English (a copied
# template) whose text is not.
_LATIN_WORDS: dict[str, frozenset[str]] = {
    "de": frozenset({"der", "die", "und", "das", "ist", "nicht", "mit", "von", "den", "ein"}),
    "fr": frozenset({"le", "les", "et", "des", "est", "une", "pour", "dans", "qui", "du"}),
    "es": frozenset({"el", "los", "las", "y", "que", "es", "por", "una", "del", "con"}),
    "it": frozenset({"il", "che", "di", "per", "non", "sono", "della", "una", "gli", "del"}),
    "pt": frozenset({"o", "os", "que", "do", "da", "em", "não", "uma", "para", "com"}),
    "nl": frozenset({"het", "een", "en", "van", "is", "dat", "niet", "op", "voor", "zijn"}),
    "id": frozenset({"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari"}),
}
_OTHER_WORD_SHARE = 0.08
_SAMPLE_CHARS = 2000
_MIN_LETTERS = 200
# Share of Kazakh-only letters among Cyrillic ones above which a text is Kazakh (they are
# about 5–8 % of Kazakh text and absent from Russian).
_KAZAKH_SHARE = 0.015
_ENGLISH_WORD_SHARE = 0.12


def normalize_language(raw: str | None) -> str | None:
    """`en` for "en-US", "EN", "en_GB"; aliases mapped (`kz` → `kk`); None when not a code."""
    if not raw:
        return None
    primary = re.split(r"[-_\s,;]", raw.strip().lower(), maxsplit=1)[0]
    primary = _LANG_ALIASES.get(primary, primary)
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def detect_language(text: str) -> str | None:
    """ru or kk from the letters of `text`, en or another Latin-script language from its
    frequent words; None when it cannot tell."""
    sample = text[:_SAMPLE_CHARS]
    # Counted with bytes methods: a regex or a loop over every character costs ten times more.
    # Cyrillic letters are the UTF-8 sequences that start with 0xD0-0xD3.
    encoded = sample.encode("utf-8")
    cyrillic = sum(encoded.count(lead) for lead in _CYRILLIC_LEADS)
    latin = len(sample.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    letters = cyrillic + latin
    if letters < _MIN_LETTERS:
        return None
    if cyrillic > 0.6 * letters:
        kazakh = sum(sample.count(ch) for ch in _KAZAKH)
        return "kk" if kazakh > _KAZAKH_SHARE * cyrillic else "ru"
    if latin > 0.8 * letters:
        words = sample.lower().split()
        if not words:
            return None
        english = sum(1 for word in words if word in _ENGLISH_WORDS)
        if english >= _ENGLISH_WORD_SHARE * len(words):
            return "en"
        return _other_latin(words, english / len(words))
    return None


def _other_latin(words: list[str], english_share: float) -> str | None:
    """The Latin-script language whose frequent words make up the text, if one clearly does
    (English words such as "in" and "is" occur in other languages too)."""
    shares = sorted(
        ((sum(1 for w in words if w in common) / len(words), code)
         for code, common in _LATIN_WORDS.items()),
        reverse=True,
    )  # fmt: skip
    (best, code), (second, _) = shares[0], shares[1]
    clear = best >= _OTHER_WORD_SHARE and best >= 1.5 * second and best >= 2 * english_share
    return code if clear else None


def resolve_language(declared: str | None, text: str) -> str | None:
    """The declared language unless the text plainly says otherwise."""
    detected = detect_language(text)
    if detected is None:
        return declared
    if declared is None:
        return detected
    if detected in ("ru", "kk") and declared in ("ru", "kk"):
        return detected  # the kk/ru edition mix-up: the letters decide
    if (detected in _CYRILLIC_LANGUAGES) != (declared in _CYRILLIC_LANGUAGES):
        return detected  # declared a Latin-script language over Cyrillic text, or the reverse
    if declared == "en" and detected != "en":
        return detected  # an English template over German, Portuguese... text
    return declared
