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
from newsarchive.extract.vocab import Role

_HYPHEN_RUNS = re.compile(r"-{2,}")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"\W+")
# A hidden element holding more than this share of the page's text is a wrapper, not content.
_HIDDEN_WRAPPER_SHARE = 0.5
_ROLE_TAGS = frozenset({"dialog", "details"})
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


def class_string(el: HtmlElement) -> str:
    """Lower-cased `class` + `id`, `_` read as `-`, for token matching."""
    return _class_key(el.get("class"), el.get("id"))


def _class_key(cls: str | None, ident: str | None) -> str:
    original = f"{cls or ''} {ident or ''}"
    raw = original.lower()
    if raw != original:
        # camelCase names carry their tokens in the case: `imageEmbedCaption` is image-embed-
        # caption. Both readings are kept (`articleBody` is also the token `articlebody`).
        split = _CAMEL_BOUNDARY.sub("-", original).lower()
        if split != raw:
            raw = f"{raw} {split}"
    raw = raw.replace("_", "-")
    return _HYPHEN_RUNS.sub("-", raw) if "--" in raw else raw


# Class strings repeat within a page and across pages of a site: their roles are cached for the
# process (bounded; cleared when full).
_ROLE_CACHE: dict[str, int] = {}
_ROLE_CACHE_MAX = 50_000
_NAME_CACHE: dict[str, int] = {}
_RAW_CLASS_CACHE: dict[tuple[str | None, str | None], tuple[str, int]] = {}
_COMPOUND_HEADS = frozenset(key.split("-", 1)[0] for key in vocab.ROLE_TABLE if "-" in key)


def _token_roles(value: str) -> int:
    if "hid" in value or "none" in value or "hide" in value:
        value = vocab.RESPONSIVE_HIDDEN.sub(" ", value)
        if vocab.RESPONSIVE_SHOWN.search(value):
            value = value.replace("d-none", " ")
    roles = 0
    for name in value.split():
        found = _NAME_CACHE.get(name)
        if found is None:
            if len(_NAME_CACHE) >= _ROLE_CACHE_MAX:
                _NAME_CACHE.clear()
            found = _NAME_CACHE[name] = _name_roles(name)
        roles |= found
    return roles


def _name_roles(name: str) -> int:
    """Roles of one class name or id (`article__body`): its tokens and their compounds."""
    tokens = [t.rstrip("0123456789") for t in name.split("-") if t]
    table = vocab.ROLE_TABLE
    heads = _COMPOUND_HEADS
    roles = 0
    count = len(tokens)
    for start, token in enumerate(tokens):
        roles |= table.get(token, 0)
        if token not in heads:
            continue
        compound = token
        for end in range(start + 1, min(count, start + vocab.MAX_COMPOUND)):
            compound = f"{compound}-{tokens[end]}"
            roles |= table.get(compound, 0)
    return roles


def class_roles(key: str) -> int:
    """Roles of a `class_string` value (cached)."""
    cached = _ROLE_CACHE.get(key)
    if cached is None:
        if len(_ROLE_CACHE) >= _ROLE_CACHE_MAX:
            _ROLE_CACHE.clear()
        cached = _ROLE_CACHE[key] = _token_roles(key)
    return cached


@dataclass(frozen=True, slots=True)
class TextStats:
    """Visible text per element, from one bottom-up pass over the page."""

    chars: dict[HtmlElement, int]
    """Characters of visible text under each element (its own tail excluded; each text node
    stripped; scripts, styles and hidden elements count nothing)."""
    linked: dict[HtmlElement, int]
    """Of those, the characters inside links."""
    order: dict[HtmlElement, int]
    """Position of every element in document order."""


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
    class_keys: dict[HtmlElement, str] = field(default_factory=dict)
    """`class_string` of every element that has a class or id."""
    itemtypes: dict[str, list[HtmlElement]] = field(default_factory=dict)
    """Elements by the last path segment of their `itemtype` (`BreadcrumbList`)."""
    _stats: TextStats | None = None

    def unhidden(self) -> DomIndex:
        """This index with nothing hidden by class, style or attribute: what the page shows
        once its scripts have run (articles revealed by JavaScript, "read more" expanders)."""
        key = ("dom-unhidden", id(self))
        cached = self.page.memo.get(key)
        if isinstance(cached, DomIndex):
            return cached
        roles = {el: found & ~Role.HIDDEN for el, found in self.roles.items()}
        index = DomIndex(
            page=self.page,
            roles={el: found for el, found in roles.items() if found},
            removed=self.removed,
            elements=self.elements,
            by_tag=self.by_tag,
            itemprops=self.itemprops,
            class_keys=self.class_keys,
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
            self._stats = _text_stats(self)
        return self._stats

    def chars(self, el: HtmlElement) -> int:
        """Visible characters under `el`."""
        return self.stats.chars.get(el, 0)

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
        tag = el.tag
        return (
            not isinstance(tag, str)
            or tag in vocab.NON_CONTENT_TAGS
            or bool(self.roles.get(el, 0) & Role.HIDDEN)
            or el in self.removed
        )

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
        stack = [root]
        while stack:
            el = stack.pop()
            if skip(el) and el is not root:
                continue
            yield el
            children = list(el)
            children.reverse()
            stack.extend(children)

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
        return _host(url) == _host(base)


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
    if "class" in names or "id" in names:
        raw = (get("class"), get("id"))
        known = _RAW_CLASS_CACHE.get(raw)
        if known is None:
            if len(_RAW_CLASS_CACHE) >= _ROLE_CACHE_MAX:
                _RAW_CLASS_CACHE.clear()
            key = _class_key(*raw)
            known = _RAW_CLASS_CACHE[raw] = (key, class_roles(key))
        index.class_keys[el] = known[0]
        roles |= known[1]
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


def _unhide_page_wrappers(root: HtmlElement, roles: dict[HtmlElement, int]) -> None:
    """A saved page can carry a hiding state meant to last a moment: an anti-flicker class on
    <html> (`async-hide`), `aria-hidden` on the page wrapper while a modal is open. Hiding
    <html>/<body> or a wrapper of most of the text is that state, not hidden content."""
    hidden = [el for el, found in roles.items() if found & Role.HIDDEN]
    if not hidden:
        return
    page_chars = 0
    for el in hidden:
        if el.tag not in ("html", "body"):
            page_chars = page_chars or len(root.text_content())
            if len(el.text_content()) < _HIDDEN_WRAPPER_SHARE * page_chars:
                continue
        roles[el] &= ~Role.HIDDEN


def build_dom_index(page: HtmlPage, profile: ExtractProfile | None) -> DomIndex:
    """The page's DomIndex for `profile`, computed once and memoised on the page."""
    key = ("dom", profile)
    cached = page.memo.get(key)
    if isinstance(cached, DomIndex):
        return cached
    elements = list(page.root.iter(etree.Element))
    index = DomIndex(page=page, elements=elements)
    roles, by_tag = index.roles, index.by_tag
    for el in elements:
        tag = el.tag
        bucket = by_tag.get(tag)
        if bucket is None:
            by_tag[tag] = [el]
        else:
            bucket.append(el)
        names = el.keys()
        if tag in _ROLE_TAGS or (names and not _ROLE_ATTRS.isdisjoint(names)):
            found = _attribute_roles(el, names, index)
            if found:
                roles[el] = found
    _unhide_page_wrappers(page.root, roles)
    if profile is not None and profile.remove:
        removed: set[HtmlElement] = set()
        for selector in profile.remove:
            removed.update(compiled_selector(selector)(page.root))
        index.removed = frozenset(removed)
    page.memo[key] = index
    return index


def _text_stats(dom: DomIndex) -> TextStats:
    elements = dom.elements or list(dom.page.root.iter(etree.Element))
    order = {el: i for i, el in enumerate(elements)}
    chars: dict[HtmlElement, int] = {}
    linked: dict[HtmlElement, int] = {}
    roles, removed, skipped = dom.roles, dom.removed, vocab.NON_CONTENT_TAGS
    hidden = Role.HIDDEN
    # Reversed document order visits every child before its parent: one pass sums the subtrees.
    for el in reversed(elements):
        if el.tag in skipped or roles.get(el, 0) & hidden or (removed and el in removed):
            total = link = 0
        else:
            text = el.text
            total = chars.get(el, 0) + (len(text.strip()) if text else 0)
            link = total if el.tag == "a" else linked.get(el, 0)
        chars[el] = total
        linked[el] = link
        parent = el.getparent()
        if parent is not None:
            tail = el.tail
            chars[parent] = chars.get(parent, 0) + total + (len(tail.strip()) if tail else 0)
            if link:
                linked[parent] = linked.get(parent, 0) + link
    return TextStats(chars=chars, linked=linked, order=order)


def first_link(el: HtmlElement) -> HtmlElement | None:
    for a in el.iter("a"):
        if a.get("href"):
            return a
    return None


def image_url(page: HtmlPage, img: HtmlElement) -> str | None:
    """Absolute URL of an <img>, preferring lazy-loading attributes over placeholder `src`."""
    for attr in ("data-src", "data-lazy-src", "data-original", "data-full-src", "src"):
        value = img.get(attr)
        if value and not value.strip().startswith("data:"):
            return page.absolute(value)
    srcset = img.get("data-srcset") or img.get("srcset")
    if srcset:
        first = srcset.split(",")[0].strip().split(" ")[0]
        return page.absolute(first)
    return None


def is_small_image(img: HtmlElement) -> bool:
    """Icons, pixels and avatars (by declared size) are not article images."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 60:
            return True
    return False
