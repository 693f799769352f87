"""What a generated article is built from: word lists and sentence templates per language,
plus the transliteration tables that turn titles into ASCII slugs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Pair = tuple[str, str]
"""(title form, sentence form) of a title piece."""


@dataclass(frozen=True, slots=True)
class CategoryWords:
    subjects: tuple[Pair, ...]
    verbs: tuple[Pair, ...]
    objects: tuple[Pair, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: Literal["en", "ru", "kk"]
    title_pattern: str
    """Uses {S} {V} {O} {Q}: title forms of subject, verb, object, qualifier."""
    lead_pattern: str
    """Uses {s} {v} {o} {q}: sentence forms."""
    categories: dict[str, CategoryWords]
    qualifiers: tuple[Pair, ...]
    sentences: tuple[str, ...]
    """Body sentence templates; slots are filled from `slots`, {person} and {said}."""
    slots: dict[str, tuple[str, ...]]
    persons: tuple[tuple[str, str], ...]
    """(name, "m" | "f") of people quoted in articles."""
    said: dict[str, str]
    quotes: tuple[str, ...]
    attribution: str
    """Attribution sentence after a block quote; uses {role} {person} {said}."""
    subheadings: tuple[str, ...]
    list_intro: tuple[str, ...]
    list_items: tuple[str, ...]
    tweet_intro: tuple[str, ...]
    tweets: tuple[str, ...]
    tweet_accounts: tuple[Pair, ...]
    """(display name, handle)."""
    captions: tuple[str, ...]
    alts: tuple[str, ...]
    credits: tuple[str, ...]
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    original_authors: tuple[str, ...] = ()


CYRILLIC_TO_ASCII = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh",
    "щ": "shh", "ъ": "", "ы": "y", "ь": "", "э": "je", "ю": "ju", "я": "ja", "ә": "a",
    "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ä": "a", "ğ": "g", "ñ": "n", "ö": "o", "ū": "u", "ü": "u", "ş": "sh", "ı": "i",
}  # fmt: skip

CYRILLIC_TO_KAZAKH_LATIN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

MAX_SLUG = 90


def _map_chars(text: str, table: dict[str, str]) -> str:
    out = []
    for char in text:
        lower = char.lower()
        mapped = table.get(lower)
        if mapped is None:
            out.append(char)
        elif char != lower and mapped:
            out.append(mapped[0].upper() + mapped[1:])
        else:
            out.append(mapped)
    return "".join(out)


def slugify(title: str) -> str:
    """ASCII slug: transliterated, lowercase, hyphens, at most 90 characters (cut at a hyphen)."""
    ascii_text = _map_chars(title.lower(), CYRILLIC_TO_ASCII)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or "news"


def to_kazakh_latin(text: str) -> str:
    """Kazakh Cyrillic → the 2021 Latin alphabet (the "latyn" mirror of kk sites)."""
    return _map_chars(text, CYRILLIC_TO_KAZAKH_LATIN)
