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

_HYPHEN_RUNS = re.compile(r"-{2,}")
_NON_WORD = re.compile(r"\W+")
_TOKEN_SPLIT = re.compile(r"[\s-]+")
_TRAILING_DIGITS = re.compile(r"\d+$")
# A hidden element holding more than this share of the page's text is a wrapper, not content.
_HIDDEN_WRAPPER_SHARE = 0.5
_ROLE_ATTRS_XPATH = (
    "//*[@class or @id or @style or @hidden or @aria-hidden or @role or @itemprop]"
    " | //dialog | //details"
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
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower().replace("_", "-")
    return _HYPHEN_RUNS.sub("-", raw)


def _token_roles(value: str) -> int:
    if "hid" in value or "none" in value or "hide" in value:
        value = vocab.RESPONSIVE_HIDDEN.sub(" ", value)
        if vocab.RESPONSIVE_SHOWN.search(value):
            value = value.replace("d-none", " ")
    tokens = [_TRAILING_DIGITS.sub("", t) for t in _TOKEN_SPLIT.split(value) if t]
    table = vocab.ROLE_TABLE
    roles = 0
    count = len(tokens)
    for start in range(count):
        compound = ""
        for end in range(start, min(count, start + vocab.MAX_COMPOUND)):
            compound = tokens[end] if end == start else f"{compound}-{tokens[end]}"
            roles |= table.get(compound, 0)
    return roles


@dataclass(slots=True)
class DomIndex:
    """Roles of the elements of one page (only elements with a non-empty role are stored)."""

    page: HtmlPage
    roles: dict[HtmlElement, int] = field(default_factory=dict)
    removed: frozenset[HtmlElement] = frozenset()
    """Elements named by the profile's `remove` selectors."""

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


def _attribute_roles(el: HtmlElement, token_cache: dict[str, int]) -> int:
    roles = 0
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
        roles |= vocab.ARIA_ROLES.get(aria.strip().lower(), 0)
    itemprop = el.get("itemprop")
    if itemprop == "articleBody":
        roles |= Role.CONTENT
    if el.tag == "dialog" and el.get("open") is None:
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
    token_cache: dict[str, int] = {}
    roles: dict[HtmlElement, int] = {}
    for el in page.root.xpath(_ROLE_ATTRS_XPATH):
        found = _attribute_roles(el, token_cache)
        if found:
            roles[el] = found
    _unhide_page_wrappers(page.root, roles)
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
