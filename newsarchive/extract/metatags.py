"""<meta> tags as a lookup table, and the small text helpers metadata extraction shares."""

from __future__ import annotations

from collections.abc import Iterable

from lxml.html import HtmlElement

from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.profile import compiled_selector

MetaTags = dict[str, list[str]]
"""Lower-cased property/name/itemprop/http-equiv → contents, in page order."""


def meta_tags(metas_elements: Iterable[HtmlElement]) -> MetaTags:
    """The lookup table of the given <meta> elements."""
    metas: MetaTags = {}
    for meta in metas_elements:
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                metas.setdefault(key.strip().lower(), []).append(content)
    return metas


def first(metas: MetaTags, *keys: str) -> str | None:
    """The first content of the first key present."""
    for key in keys:
        values = metas.get(key)
        if values:
            return values[0]
    return None


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Normalised, non-empty values, de-duplicated case-insensitively, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        cleaned = normalize_space(value)
        key = cleaned.casefold()
        if cleaned and key not in seen:
            seen.add(key)
            out.append(cleaned)
    return tuple(out)


def select_texts(page: HtmlPage, dom: DomIndex, selectors: tuple[str, ...]) -> list[str]:
    """Texts of the elements of the first selector that matches anything."""
    for selector in selectors:
        texts = [dom.text(el) for el in compiled_selector(selector)(page.root)]
        texts = [t for t in texts if t]
        if texts:
            return texts
    return []
