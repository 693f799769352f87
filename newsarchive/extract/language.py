"""The page's language: what it declares (html lang, og:locale, JSON-LD, meta), checked against
the script of its text, because templates lie (a Kazakh edition served with `lang="ru"`, an
English edition with `lang="ru"` copied from the main site)."""

from __future__ import annotations

import re

_LANG_ALIASES = {"kz": "kk", "eng": "en", "rus": "ru", "kaz": "kk", "ua": "uk", "iw": "he"}
# Letters of Kazakh Cyrillic that Russian does not use.
_KAZAKH = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")
_CYRILLIC_LANGUAGES = frozenset({"ru", "kk", "uk", "be", "bg", "sr", "mk", "ky", "tg", "mn"})
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|in|is|that|for|with|was|on|are|by)\b")
_SAMPLE_CHARS = 4000
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
    """ru, kk or en from the letters of `text`; None when it cannot tell."""
    sample = text[:_SAMPLE_CHARS]
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    letters = cyrillic + latin
    if letters < _MIN_LETTERS:
        return None
    if cyrillic > 0.6 * letters:
        kazakh = len(_KAZAKH.findall(sample))
        return "kk" if kazakh > _KAZAKH_SHARE * cyrillic else "ru"
    if latin > 0.8 * letters:
        lowered = sample.lower()
        words = lowered.count(" ") + 1
        if len(_ENGLISH_WORDS.findall(lowered)) >= _ENGLISH_WORD_SHARE * words:
            return "en"
    return None


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
    return declared
