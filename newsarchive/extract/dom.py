"""Per-page DOM analysis shared by the extractors: element roles, visibility, text and links.

`DomIndex` is computed once per (page, profile) and memoised on the page; it never mutates the
tree. Roles come from vocab.py (class/id tokens, ARIA roles, hiding attributes) and from the
profile's `remove` selectors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.vocab import Role

_NON_WORD = re.compile(r"\W+")


def comparable(text: str) -> str:
    """Case- and punctuation-insensitive form of a text, for equality tests."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def normalize_space(text: str) -> str:
    """Collapse whitespace (including NBSP) and drop zero-width characters."""
    if not text.isascii():
        for char in vocab.INVISIBLE:
            if char in text:
                text = text.replace(char, "")
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class TextStats:
    """Visible text per element, from one bottom-up pass over the page."""

    chars: dict[HtmlElement, int]
    """Characters of visible text under each element (its own tail excluded; each text node
    stripped; scripts, styles and hidden elements count nothing)."""
    linked: dict[HtmlElement, int]
    """Of those, the characters inside links."""
    images: dict[HtmlElement, int]
    """Visible <img> elements under each element (itself included); absent means none."""
    order: dict[HtmlElement, int]
    """Position of every element in document order (in `DomIndex.elements`)."""
    ends: dict[HtmlElement, int]
    """Position of the last element of each subtree: `elements[order[el] : ends[el] + 1]` is
    `el` and all its descendants."""
    invisible: frozenset[HtmlElement] = frozenset()
    """Elements never rendered themselves: scripts, media, hidden ones, profile removals."""
    tags: dict[HtmlElement, str] = field(default_factory=dict)
    """Tag of every element (reading `el.tag` from lxml builds a new string each time)."""
    loose: frozenset[HtmlElement] = frozenset()
    """Elements with text of their own outside child elements (their text or a child's tail)."""


@dataclass(slots=True)
class DomIndex:
    """Roles of the elements of one page (only elements with a non-empty role are stored)."""

    page: HtmlPage
    roles: dict[HtmlElement, int] = field(default_factory=dict)
    removed: frozenset[HtmlElement] = frozenset()
    """Elements named by the profile's `remove` selectors."""
    elements: list[HtmlElement] = field(default_factory=list)
    """Every element of the page in document order."""
    by_tag: dict[str, list[HtmlElement]] = field(default_factory=dict)
    """Elements by tag name, in document order (instead of one tree walk per lookup)."""
    itemprops: dict[str, list[HtmlElement]] = field(default_factory=dict)
    """Elements by `itemprop` value (each of its space-separated names), in document order."""
    itemtypes: dict[str, list[HtmlElement]] = field(default_factory=dict)
    """Elements by the last path segment of their `itemtype` (`BreadcrumbList`)."""
    _stats: TextStats | None = None
    _chars: dict[HtmlElement, int] = field(default_factory=dict)
    _images: dict[HtmlElement, int] = field(default_factory=dict)
    _invisible: frozenset[HtmlElement] = frozenset()
    _tags: dict[HtmlElement, str] = field(default_factory=dict)
    _base_host: str | None = None

    def unhidden(self) -> DomIndex:
        """This index with nothing hidden by class, style or attribute: what the page shows
        once its scripts have run (articles revealed by JavaScript, "read more" expanders)."""
        key = ("dom-unhidden", id(self))
        cached = self.page.memo.get(key)
        if isinstance(cached, DomIndex):
            return cached
        roles = dict(self.roles)
        for el, found in self.roles.items():
            # Text hidden behind a paywall or subscription prompt stays hidden: only the
            # readable teaser is the article's body.
            if found & Role.HIDDEN and not any(
                self.roles.get(node, 0) & Role.PROMO for node in (el, *el.iterancestors())
            ):
                roles[el] = found & ~Role.HIDDEN
        index = DomIndex(
            page=self.page,
            roles={el: found for el, found in roles.items() if found},
            removed=self.removed,
            elements=self.elements,
            by_tag=self.by_tag,
            itemprops=self.itemprops,
            itemtypes=self.itemtypes,
        )
        self.page.memo[key] = index
        return index

    def tagged(self, *tags: str) -> list[HtmlElement]:
        """Elements with one of `tags`, in document order."""
        if len(tags) == 1:
            return self.by_tag.get(tags[0], [])
        wanted = frozenset(tags)
        return [el for el in self.elements if el.tag in wanted]

    def with_itemprop(self, name: str) -> list[HtmlElement]:
        return self.itemprops.get(name, [])

    @property
    def stats(self) -> TextStats:
        """Per-element visible text counts and document order (computed on first use)."""
        if self._stats is None:
            from newsarchive.extract.indexing import text_stats

            self.set_stats(text_stats(self))
        assert self._stats is not None
        return self._stats

    def set_stats(self, stats: TextStats) -> None:
        self._stats = stats
        # The hot lookups read these dicts directly.
        self._chars = stats.chars
        self._images = stats.images
        self._invisible = stats.invisible
        self._tags = stats.tags

    def chars(self, el: HtmlElement) -> int:
        """Visible characters under `el`."""
        if self._stats is None:
            self.stats  # noqa: B018 - computes the statistics
        return self._chars.get(el, 0)

    def images(self, el: HtmlElement) -> int:
        """Visible <img> elements in `el` (copies in <noscript> do not count)."""
        if self._stats is None:
            self.stats  # noqa: B018
        return self._images.get(el, 0)

    def link_density(self, el: HtmlElement) -> float:
        """Share of the visible text under `el` that sits inside links."""
        stats = self.stats
        total = stats.chars.get(el, 0)
        return min(1.0, stats.linked.get(el, 0) / total) if total else 0.0

    def role(self, el: HtmlElement) -> int:
        return self.roles.get(el, 0)

    def is_hidden(self, el: HtmlElement) -> bool:
        return bool(self.roles.get(el, 0) & Role.HIDDEN)

    def tag(self, el: HtmlElement) -> str:
        """The tag of an element of the page ("" for anything else), without asking lxml."""
        if self._stats is None:
            self.stats  # noqa: B018
        found = self._tags.get(el)
        return found if found is not None else ""

    def is_invisible(self, el: HtmlElement) -> bool:
        """Never rendered as text: scripts, media, hidden elements, profile removals."""
        if self._stats is None:
            self.stats  # noqa: B018
        return el in self._invisible or not isinstance(el.tag, str)

    def is_chrome(self, el: HtmlElement) -> bool:
        """Invisible, or page chrome (nav, sidebar, footer, comments, related lists...)."""
        if self.is_invisible(el):
            return True
        roles = self.roles.get(el, 0) & vocab.CHROME
        tag = self._tags.get(el)
        by_tag = tag in vocab.CHROME_TAGS
        if not roles and not by_tag:
            return False
        if roles & ~Role.FOOTER or (by_tag and tag != "footer"):
            return True
        # An article's own footer (tags, author) is part of the article, not page chrome.
        return next(el.iterancestors("article"), None) is None

    def in_chrome(self, el: HtmlElement) -> bool:
        """`el` or one of its ancestors is chrome (or invisible)."""
        return self.is_chrome(el) or any(self.is_chrome(a) for a in el.iterancestors())

    def walk(self, root: HtmlElement, *, skip_chrome: bool = False) -> Iterator[HtmlElement]:
        """Elements under `root` in document order, pruning invisible (or chrome) subtrees."""
        skip = self.is_chrome if skip_chrome else self.is_invisible
        stats = self.stats
        elements, ends = self.elements, stats.ends
        position, stop = stats.order[root], ends[root]
        while position <= stop:
            el = elements[position]
            if el is not root and skip(el):
                position = ends[el] + 1
                continue
            position += 1
            yield el

    def text(self, el: HtmlElement) -> str:
        """Visible text of `el` (invisible descendants pruned, their tails kept), normalised."""
        if self._stats is None:
            self.stats  # noqa: B018
        parts: list[str] = []
        self._collect_text(el, parts)
        return normalize_space("".join(parts))

    def _collect_text(self, el: HtmlElement, parts: list[str]) -> None:
        if el.text:
            parts.append(el.text)
        tags, invisible = self._tags, self._invisible
        for child in el:
            if child not in invisible:
                tag = tags.get(child)
                if tag is not None:  # (None: not an element of the page, e.g. an entity)
                    if tag in vocab.BLOCK_TAGS or tag == "br":
                        parts.append(" ")
                    self._collect_text(child, parts)
            if child.tail:
                parts.append(child.tail)

    def same_site(self, url: str) -> bool:
        """True when `url` is on the page's site (any subdomain of the same registrable domain)."""
        base = self.page.base_url
        if not base:
            return True
        if self._base_host is None:
            self._base_host = _host(base)
        if url.startswith(("https://", "http://")):
            # Fast path: the host is what follows the scheme up to the next slash.
            start = url.index("//") + 2
            end = url.find("/", start)
            host = url[start : end if end >= 0 else len(url)].lower()
            if host == self._base_host or host.endswith("." + self._base_host):
                return True
        return _host(url) == self._base_host


_GENERIC_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ltd", "plc"})


def _host(url: str) -> str:
    """Registrable part of the host: `en.example.kz` → `example.kz`, `a.bbc.co.uk` → `bbc.co.uk`."""
    host = urlsplit(url).hostname or ""
    labels = host.split(".")
    if len(labels) <= 2 or host.replace(".", "").isdigit():
        return host
    keep = 3 if labels[-2] in _GENERIC_SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])
