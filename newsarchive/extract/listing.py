"""Listing pages: the main list's article links in page order, and the pagination links."""

from __future__ import annotations

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.urls import looks_like_article_url, page_number
from newsarchive.extract.vocab import Role
from newsarchive.records import ListingItem

# Where a listing's main list is never looked for (a "Latest news" class is fine: on a listing
# page that may be the main list itself).
_LISTING_CHROME = (
    Role.HIDDEN
    | Role.COOKIE
    | Role.NAV
    | Role.FOOTER
    | Role.SIDEBAR
    | Role.SITE_HEADER
    | Role.COMMENT
    | Role.PAGINATION
    | Role.SHARE
    | Role.TAGS
)
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "menu", "dialog", "header"})
_ANCESTOR_WINDOW = 6
_MAIN_LIST_SHARE = 0.6

Link = tuple[HtmlElement, str]


def _walk_links(dom: DomIndex, root: HtmlElement) -> list[Link]:
    own = {u for u in (dom.page.url, dom.page.base_url) if u}
    links: list[Link] = []
    stack = [root]
    while stack:
        el = stack.pop()
        tag = el.tag
        if el is not root and (
            not isinstance(tag, str)
            or dom.is_invisible(el)
            or tag in _CHROME_TAGS
            or dom.role(el) & _LISTING_CHROME
        ):
            continue
        if tag == "a":
            url = dom.page.absolute(el.get("href"))
            if url:
                url = url.split("#", 1)[0]
                if url not in own and dom.same_site(url) and looks_like_article_url(url):
                    links.append((el, url))
            continue
        children = list(el)
        children.reverse()
        stack.extend(children)
    return links


def _main_container(links: list[Link]) -> HtmlElement | None:
    counts: dict[HtmlElement, int] = {}
    for a, _ in links:
        for level, node in enumerate(a.iterancestors()):
            if level >= _ANCESTOR_WINDOW:
                break
            counts[node] = counts.get(node, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    strong = [el for el, n in counts.items() if n >= _MAIN_LIST_SHARE * best]
    container = max(strong, key=lambda el: sum(1 for _ in el.iterancestors()))
    parent = container.getparent()
    # One list cut into groups (under date headers): take the parent of the sibling groups.
    if parent is not None and any(
        sibling is not container
        and sibling.tag == container.tag
        and sibling.get("class") == container.get("class")
        and counts.get(sibling, 0) > 0
        for sibling in parent
    ):
        return parent
    return container


def _title_of(dom: DomIndex, a: HtmlElement) -> str:
    text = dom.text(a)
    if text:
        return text
    img = a.find(".//img")
    alt = img.get("alt") if img is not None else None
    return normalize_space(a.get("title") or alt or "")


def _items(dom: DomIndex, links: list[Link]) -> tuple[ListingItem, ...]:
    titles: dict[str, str] = {}
    order: list[str] = []
    for a, url in links:
        if url not in titles:
            order.append(url)
            titles[url] = ""
        if not titles[url]:
            titles[url] = _title_of(dom, a)
    out = [url for url in order if titles[url]]
    return tuple(
        ListingItem(title=titles[url], url=url, position=i) for i, url in enumerate(out, start=1)
    )


def main_list_links(dom: DomIndex, profile: ExtractProfile | None) -> tuple[ListingItem, ...]:
    """The listing's items (memoised on the page)."""
    key = ("listing_items", profile)
    cached = dom.page.memo.get(key)
    if isinstance(cached, tuple):
        return cached
    root = dom.page.root
    links: list[Link] = []
    if profile is not None and profile.listing_items:
        for selector in profile.listing_items:
            for item in compiled_selector(selector)(root):
                a = item if item.tag == "a" else next(item.iter("a"), None)
                url = dom.page.absolute(a.get("href")) if a is not None else None
                if a is not None and url and not dom.is_invisible(item):
                    links.append((a, url.split("#", 1)[0]))
            if links:
                break
    else:
        candidates = _walk_links(dom, root)
        container = _main_container(candidates)
        if container is not None:
            inside = set(_walk_links(dom, container))
            links = [link for link in candidates if link in inside]
    items = _items(dom, links)
    dom.page.memo[key] = items
    return items


def _first_href(dom: DomIndex, xpath: str) -> str | None:
    for href in dom.page.root.xpath(xpath):
        url = dom.page.absolute(str(href))
        if url:
            return url
    return None


def pagination(dom: DomIndex) -> tuple[str | None, str | None]:
    """(next_url, last_url) from rel=next/last, else the pagination block's links."""
    next_url = _first_href(
        dom,
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
        " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href",
    )
    last_url = _first_href(
        dom,
        "//a[contains(concat(' ', normalize-space(@rel), ' '), ' last ')]/@href"
        " | //link[contains(concat(' ', normalize-space(@rel), ' '), ' last ')]/@href",
    )
    if next_url and last_url:
        return next_url, last_url
    current = page_number(dom.page.url or "")
    numbered: list[tuple[int, str]] = []
    for el, roles in dom.roles.items():
        if not roles & Role.PAGINATION or dom.is_invisible(el):
            continue
        for a in el.iter("a"):
            url = dom.page.absolute(a.get("href"))
            if not url:
                continue
            text = dom.text(a).casefold()
            a_roles = dom.role(a)
            if not next_url and (text in vocab.NEXT_TEXTS or "next" in (a.get("class") or "")):
                next_url = url
            elif not last_url and (text in vocab.LAST_TEXTS or "last" in (a.get("class") or "")):
                last_url = url
            elif text.isdigit() and not a_roles & Role.HIDDEN:
                numbered.append((int(text), url))
    if not last_url and numbered:
        number, url = max(numbered)
        if number > current:
            last_url = url
    return next_url, last_url
