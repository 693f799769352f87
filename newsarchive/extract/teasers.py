"""The teasers of a headline block: which element is one teaser, and its headline link.

A teaser is a list item, else a child of the block that holds a link (through single wrappers),
else one of the elements after the block's heading. Its headline is the longest link text to a
story of the site (the heading inside a link around the whole teaser; a time or date printed
in the link left out). Menus fail the size test: their links are not headline-length.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.dates import date_span
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.urls import (
    looks_like_article_url,
    looks_like_listing_url,
    looks_like_service_url,
    looks_like_story_url,
)
from newsarchive.extract.vocab import Role

MIN_TITLE_CHARS = 12
_WRAPPER_LEVELS = 8
_MAX_SIBLING_TEASERS = 30
# A time or date printed in a headline link, before or after the headline.
_TIME_AROUND = re.compile(
    r"^\s*(?:\d{1,2}[:.]\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4}(?:,?\s*\d{1,2}:\d{2})?)\s*[|–—-]?\s*"
    r"|\s*[|–—-]?\s*(?:\d{1,2}:\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4}(?:,?\s*\d{1,2}:\d{2})?)\s*$"
)


def headline_url(dom: DomIndex, url: str, own: set[str], strict: bool) -> bool:
    if url in own:
        return True  # the page itself in its own "Latest news" list keeps its place
    if not dom.same_site(url):
        return False
    if looks_like_listing_url(url) or looks_like_service_url(url):
        return False
    return looks_like_article_url(url) if strict else looks_like_story_url(url)


def best_link(
    dom: DomIndex, el: HtmlElement, own: set[str], strict: bool
) -> tuple[str, str] | None:
    """The headline link of one teaser: the longest text among its links to an article."""
    best: tuple[str, str] | None = None
    for a in el.iter("a"):
        if dom.is_invisible(a):
            continue
        url = dom.page.absolute(a.get("href"))
        if not url or not headline_url(dom, url, own, strict):
            continue
        # A link around a whole teaser: its heading is the headline, not the summary too.
        heading = next(a.iter(*vocab.HEADING_TAGS), None)
        text = dom.text(heading) if heading is not None else dom.text(a)
        title = without_time(text) or normalize_space(a.get("title") or "")
        if title and (best is None or len(title) > len(best[0])):
            best = (title, url)
    return best


def without_time(title: str) -> str:
    """A headline without the time or date printed in its link ("12:30 Headline", "Headline
    22 August 2019")."""
    if not (title[:1].isdigit() or title[-1:].isdigit()):
        return title
    stripped = _TIME_AROUND.sub("", title)
    span = date_span(stripped)
    if span is not None and span[1] == len(stripped):
        stripped = stripped[: span[0]].rstrip(" |–—-,")
    elif span is not None and span[0] == 0:
        stripped = stripped[span[1] :].lstrip(" |–—-,")
    return stripped if len(stripped) >= MIN_TITLE_CHARS else title


def headline_sized(dom: DomIndex, units: list[HtmlElement]) -> bool:
    """At least two teasers hold a link with headline-length text (menus do not): a cheap test
    before any URL is resolved."""
    found = 0
    for unit in units:
        if any(dom.chars(a) >= MIN_TITLE_CHARS for a in unit.iter("a")):
            found += 1
            if found >= 2:
                return True
    return False


def headline_items(
    dom: DomIndex, units: list[HtmlElement], strict: bool
) -> tuple[list[tuple[str, str]], int]:
    """(headlines, teaser count) of the given teaser elements, one headline per teaser."""
    if not headline_sized(dom, units):
        return [], len(units)
    own = {u for u in (dom.page.url, dom.page.base_url) if u}
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    teasers = len(units)
    for unit in units:
        if dom.is_invisible(unit):
            continue
        found = best_link(dom, unit, own, strict)
        if found and found[1] in seen:
            teasers -= 1  # the picture link beside its headline link: one teaser
        elif found:
            seen.add(found[1])
            items.append(found)
    return items, teasers


def teasers_of(el: HtmlElement) -> list[HtmlElement]:
    """The teaser elements of a block: list items, else the children holding links, descending
    through single wrappers."""
    node = el
    for _ in range(_WRAPPER_LEVELS):
        if node.tag in ("ul", "ol"):
            return [li for li in node if li.tag == "li"]
        children = [
            c for c in node if isinstance(c.tag, str) and next(c.iter("a"), None) is not None
        ]
        if len(children) == 1 and children[0].tag != "a":
            node = children[0]
            continue
        return children
    return [node]


def following_units(dom: DomIndex, heading: HtmlElement) -> list[HtmlElement]:
    """The elements after a heading, up to the next heading: each with a link is a teaser."""
    units: list[HtmlElement] = []
    node = heading.getnext()
    while node is not None and len(units) < _MAX_SIBLING_TEASERS:
        tag = dom.tag(node)
        if tag in vocab.HEADING_TAGS or (tag and dom.role(node) & Role.HEADING):
            break
        if tag and (tag == "a" or next(node.iter("a"), None) is not None):
            units.append(node)
        node = node.getnext()
    return units


def qualifies(items: list[tuple[str, str]], teasers: int) -> bool:
    titled = [t for t, _ in items if len(t) >= MIN_TITLE_CHARS]
    return len(titled) >= 2 and len(items) >= 0.6 * teasers
