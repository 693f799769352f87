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
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.vocab import Role

_WS = re.compile(r"\s+")
_HYPHEN_RUNS = re.compile(r"-{2,}")
_ROLE_ATTRS_XPATH = (
    "//*[@class or @id or @style or @hidden or @aria-hidden or @role or @itemprop]"
    " | //dialog | //details"
)


def normalize_space(text: str) -> str:
    """Collapse whitespace (including NBSP) and drop zero-width characters."""
    return _WS.sub(" ", text.translate(vocab.INVISIBLE_CHARS)).strip()


def class_string(el: HtmlElement) -> str:
    """Lower-cased `class` + `id`, `_` read as `-`, for token matching."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower().replace("_", "-")
    return _HYPHEN_RUNS.sub("-", raw)


def _token_roles(value: str) -> Role:
    value = vocab.RESPONSIVE_HIDDEN.sub(" ", value)
    if vocab.RESPONSIVE_SHOWN.search(value):
        value = value.replace("d-none", " ")
    roles = Role.NONE
    for role, pattern in vocab.ROLE_PATTERNS:
        if pattern.search(value):
            roles |= role
    return roles


@dataclass(slots=True)
class DomIndex:
    """Roles of the elements of one page (only elements with a non-empty role are stored)."""

    page: HtmlPage
    roles: dict[HtmlElement, Role] = field(default_factory=dict)
    removed: frozenset[HtmlElement] = frozenset()
    """Elements named by the profile's `remove` selectors."""

    def role(self, el: HtmlElement) -> Role:
        return self.roles.get(el, Role.NONE)

    def is_hidden(self, el: HtmlElement) -> bool:
        return bool(self.roles.get(el, Role.NONE) & Role.HIDDEN)

    def is_invisible(self, el: HtmlElement) -> bool:
        """Never rendered as text: scripts, media, hidden elements, profile removals."""
        tag = el.tag
        return (
            not isinstance(tag, str)
            or tag in vocab.NON_CONTENT_TAGS
            or bool(self.roles.get(el, Role.NONE) & Role.HIDDEN)
            or el in self.removed
        )

    def is_chrome(self, el: HtmlElement) -> bool:
        """Invisible, or page chrome (nav, sidebar, footer, comments, related lists...)."""
        return (
            self.is_invisible(el)
            or el.tag in vocab.CHROME_TAGS
            or bool(self.roles.get(el, Role.NONE) & vocab.CHROME)
        )

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
    """The registrable part of the host: `en.orda.kz` → `orda.kz`, `news.bbc.co.uk` → `bbc.co.uk`."""
    host = urlsplit(url).hostname or ""
    labels = host.split(".")
    if len(labels) <= 2 or host.replace(".", "").isdigit():
        return host
    keep = 3 if labels[-2] in _GENERIC_SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def _attribute_roles(el: HtmlElement, token_cache: dict[str, Role]) -> Role:
    roles = Role.NONE
    if el.get("class") is not None or el.get("id") is not None:
        key = class_string(el)
        cached = token_cache.get(key)
        if cached is None:
            cached = _token_roles(key)
            token_cache[key] = cached
        roles |= cached
    if el.get("hidden") is not None or el.get("aria-hidden", "").strip().lower() == "true":
        roles |= Role.HIDDEN
    style = el.get("style")
    if style and vocab.HIDDEN_STYLE.search(style):
        roles |= Role.HIDDEN
    aria = el.get("role")
    if aria:
        roles |= vocab.ARIA_ROLES.get(aria.strip().lower(), Role.NONE)
    itemprop = el.get("itemprop")
    if itemprop == "articleBody":
        roles |= Role.CONTENT
    if el.tag == "dialog" and el.get("open") is None:
        roles |= Role.HIDDEN
    return roles


def build_dom_index(page: HtmlPage, profile: ExtractProfile | None) -> DomIndex:
    """The page's DomIndex for `profile`, computed once and memoised on the page."""
    key = ("dom", profile)
    cached = page.memo.get(key)
    if isinstance(cached, DomIndex):
        return cached
    token_cache: dict[str, Role] = {}
    roles: dict[HtmlElement, Role] = {}
    for el in page.root.xpath(_ROLE_ATTRS_XPATH):
        found = _attribute_roles(el, token_cache)
        if found:
            roles[el] = found
    removed: set[HtmlElement] = set()
    if profile is not None:
        for selector in profile.remove:
            removed.update(compiled_selector(selector)(page.root))
    index = DomIndex(page=page, roles=roles, removed=frozenset(removed))
    page.memo[key] = index
    return index


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


def doc_order(page: HtmlPage) -> dict[HtmlElement, int]:
    """Position of every element in document order (memoised on the page)."""
    cached = page.memo.get("doc_order")
    if isinstance(cached, dict):
        return cached
    order = {el: i for i, el in enumerate(page.root.iter())}
    page.memo["doc_order"] = order
    return order
