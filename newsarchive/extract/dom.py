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

from lxml import etree
from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.roles import value_roles
from newsarchive.extract.vocab import Role

_NON_WORD = re.compile(r"\W+")
# A hidden element holding more than this share of the page's text is a wrapper, not content.
_HIDDEN_WRAPPER_SHARE = 0.5
_MIN_WRAPPER_CHARS = 2000
_MIN_WRAPPER_ELEMENTS = 40
_ROLE_TAGS = frozenset({"dialog", "details"})
_IMAGE_TAGS = frozenset({"img", "amp-img"})
_PAGE_TAGS = frozenset({"html", "body"})
_ROLE_ATTRS = frozenset(
    {"class", "id", "style", "hidden", "aria-hidden", "role", "itemprop", "itemtype"}
)


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
            self.set_stats(_text_stats(self))
        assert self._stats is not None
        return self._stats

    def set_stats(self, stats: TextStats) -> None:
        self._stats = stats
        # The hot lookups read these dicts directly.
        self._chars = stats.chars
        self._images = stats.images
        self._invisible = stats.invisible

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
        by_tag = el.tag in vocab.CHROME_TAGS
        if not roles and not by_tag:
            return False
        if roles & ~Role.FOOTER or (by_tag and el.tag != "footer"):
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
        parts: list[str] = []
        self._collect_text(el, parts)
        return normalize_space("".join(parts))

    def _collect_text(self, el: HtmlElement, parts: list[str]) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if not self.is_invisible(child):
                if child.tag in vocab.BLOCK_TAGS or child.tag == "br":
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


def _attribute_roles(el: HtmlElement, names: list[str], index: DomIndex) -> int:
    """Roles from the attributes `names` of `el` (reading only those present: each read of an
    lxml attribute costs about as much as listing them all)."""
    get = el.get
    roles = 0
    if el.tag not in _PAGE_TAGS:  # <body class="one-sidebar single-post">: the layout's
        if "class" in names:
            roles |= value_roles(get("class") or "")
        if "id" in names:
            roles |= value_roles(get("id") or "")
    if "hidden" in names or (
        "aria-hidden" in names and (get("aria-hidden") or "").strip().lower() == "true"
    ):
        roles |= Role.HIDDEN
    if "style" in names and vocab.HIDDEN_STYLE.search(get("style") or ""):
        roles |= Role.HIDDEN
    if "role" in names:
        roles |= vocab.ARIA_ROLES.get((get("role") or "").strip().lower(), 0)
    if "itemtype" in names:
        name = (get("itemtype") or "").strip().rstrip("/").rsplit("/", 1)[-1]
        index.itemtypes.setdefault(name, []).append(el)
    if "itemprop" in names:
        for name in (get("itemprop") or "").split():
            index.itemprops.setdefault(name, []).append(el)
            if name == "articleBody":
                roles |= Role.CONTENT
    if el.tag == "dialog" and "open" not in names:
        roles |= Role.HIDDEN
    return roles


def build_dom_index(page: HtmlPage, profile: ExtractProfile | None) -> DomIndex:
    """The page's DomIndex for `profile`, computed once and memoised on the page."""
    key = ("dom", profile)
    cached = page.memo.get(key)
    if isinstance(cached, DomIndex):
        return cached
    elements = list(page.root.iter(etree.Element))
    index = DomIndex(page=page, elements=elements)
    if profile is not None and profile.remove:
        removed: set[HtmlElement] = set()
        for selector in profile.remove:
            removed.update(compiled_selector(selector)(page.root))
        index.removed = frozenset(removed)
    _index_pass(index)
    if _unhide_page_wrappers(index):
        index.set_stats(_text_stats(index))
    page.memo[key] = index
    return index


def _index_pass(index: DomIndex) -> None:
    """Roles, tag lists and text statistics in one pass over the elements, last to first (so
    every child is seen before its parent)."""
    elements = index.elements
    roles, by_tag, removed = index.roles, index.by_tag, index.removed
    skipped, hidden = vocab.NON_CONTENT_TAGS, Role.HIDDEN
    chars: dict[HtmlElement, int] = {}
    linked: dict[HtmlElement, int] = {}
    images: dict[HtmlElement, int] = {}
    ends: dict[HtmlElement, int] = {}
    invisible: list[HtmlElement] = []
    for position in range(len(elements) - 1, -1, -1):
        el = elements[position]
        tag = el.tag
        bucket = by_tag.get(tag)
        if bucket is None:
            by_tag[tag] = [el]
        else:
            bucket.append(el)
        found = 0
        names = el.keys()
        if tag in _ROLE_TAGS or (names and not _ROLE_ATTRS.isdisjoint(names)):
            found = _attribute_roles(el, names, index)
            if found:
                roles[el] = found
        end = ends.setdefault(el, position)  # set before by its last child, if it has any
        if tag in skipped or found & hidden or (removed and el in removed):
            total = link = image = 0
            invisible.append(el)
        else:
            text = el.text
            total = chars.get(el, 0) + (len(text.strip()) if text else 0)
            link = total if tag == "a" else linked.get(el, 0)
            image = 1 if tag in _IMAGE_TAGS else images.get(el, 0)
        chars[el] = total
        if link:
            linked[el] = link
        if image:
            images[el] = image
        parent = el.getparent()
        if parent is not None:
            ends.setdefault(parent, end)
            tail = el.tail
            chars[parent] = chars.get(parent, 0) + total + (len(tail.strip()) if tail else 0)
            if link:
                linked[parent] = linked.get(parent, 0) + link
            if image:
                images[parent] = images.get(parent, 0) + image
    for bucket in by_tag.values():
        bucket.reverse()
    for bucket in index.itemprops.values():
        bucket.reverse()
    for bucket in index.itemtypes.values():
        bucket.reverse()
    order = {el: i for i, el in enumerate(elements)}
    stats = TextStats(
        chars=chars,
        linked=linked,
        images=images,
        order=order,
        ends=ends,
        invisible=frozenset(invisible),
    )
    index.set_stats(stats)


def _unhide_page_wrappers(index: DomIndex) -> bool:
    """A saved page can carry a hiding state meant to last a moment: an anti-flicker class on
    <html> (`async-hide`), `aria-hidden` on the page wrapper while a modal is open. Hiding
    <html>/<body> or a wrapper of most of the text is that state, not hidden content. True
    when something was unhidden."""
    roles, stats = index.roles, index.stats
    page_chars = 0
    changed = False
    for el, found in roles.items():
        if not found & Role.HIDDEN:
            continue
        if el.tag not in ("html", "body"):
            # Only a big subtree can be a page wrapper: measure its text just then.
            if stats.ends[el] - stats.order[el] < _MIN_WRAPPER_ELEMENTS:
                continue
            chars = len(el.text_content())
            if chars < _MIN_WRAPPER_CHARS:
                continue
            page_chars = page_chars or len(index.page.root.text_content())
            if chars < _HIDDEN_WRAPPER_SHARE * page_chars:
                continue
        roles[el] = found & ~Role.HIDDEN
        changed = True
    return changed


def _text_stats(dom: DomIndex) -> TextStats:
    elements = dom.elements or list(dom.page.root.iter(etree.Element))
    order = {el: i for i, el in enumerate(elements)}
    chars: dict[HtmlElement, int] = {}
    linked: dict[HtmlElement, int] = {}
    images: dict[HtmlElement, int] = {}
    ends: dict[HtmlElement, int] = {}
    invisible: list[HtmlElement] = []
    roles, removed, skipped = dom.roles, dom.removed, vocab.NON_CONTENT_TAGS
    hidden = Role.HIDDEN
    # Reversed document order visits every child before its parent: one pass sums the subtrees.
    for position in range(len(elements) - 1, -1, -1):
        el = elements[position]
        end = ends.setdefault(el, position)  # set before by its last child, if it has any
        tag = el.tag
        if tag in skipped or roles.get(el, 0) & hidden or (removed and el in removed):
            total = link = image = 0
            invisible.append(el)
        else:
            text = el.text
            total = chars.get(el, 0) + (len(text.strip()) if text else 0)
            link = total if tag == "a" else linked.get(el, 0)
            image = 1 if tag in _IMAGE_TAGS else images.get(el, 0)
        chars[el] = total
        linked[el] = link
        if image:
            images[el] = image
        parent = el.getparent()
        if parent is not None:
            ends.setdefault(parent, end)
            tail = el.tail
            chars[parent] = chars.get(parent, 0) + total + (len(tail.strip()) if tail else 0)
            if link:
                linked[parent] = linked.get(parent, 0) + link
            if image:
                images[parent] = images.get(parent, 0) + image
    return TextStats(
        chars=chars,
        linked=linked,
        images=images,
        order=order,
        ends=ends,
        invisible=frozenset(invisible),
    )
