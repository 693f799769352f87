"""Related-headline blocks: inline "Read also" lines, sidebar "Latest news", "Most read"...

All inline "Read also" lines of a page form one block (kind read_also) numbered in document
order. A list block is a <ul>/<ol> (or a related-classed element) of at least two links to
articles of the same site; its kind comes from its visible label ("Latest news",
"Последние новости") or from its class tokens. Blocks are returned in document order.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.body import BodyResult
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.urls import (
    looks_like_article_url,
    looks_like_listing_url,
    looks_like_service_url,
)
from newsarchive.extract.vocab import Role
from newsarchive.records import Related, RelatedKind

_MENU_TAGS = frozenset({"nav", "header", "footer", "menu"})
_MENU_ROLES = Role.NAV | Role.FOOTER | Role.SITE_HEADER | Role.COMMENT | Role.PAGINATION
_MENU_ROLES = _MENU_ROLES | Role.TAGS | Role.SHARE
_KIND_ROLES: tuple[tuple[int, RelatedKind], ...] = (
    (Role.READ_ALSO, "read_also"),
    (Role.LATEST, "latest_news"),
    (Role.POPULAR, "most_read"),
    (Role.RELATED, "related"),
)
_LABEL_SEARCH_LEVELS = 3
_ROLE_SEARCH_LEVELS = 3


@dataclass(slots=True)
class _Block:
    element: HtmlElement
    label: str | None
    kind: RelatedKind
    items: list[tuple[str, str]]


def kind_of_label(label: str | None) -> RelatedKind | None:
    if not label:
        return None
    cleaned = normalize_space(label).rstrip(":：").strip()
    for kind, pattern in vocab.RELATED_LABELS:
        if pattern.match(cleaned):
            return kind  # type: ignore[return-value]
    return None


def _kind_of_roles(dom: DomIndex, el: HtmlElement) -> RelatedKind | None:
    node: HtmlElement | None = el
    for _ in range(_ROLE_SEARCH_LEVELS):
        if node is None:
            break
        roles = dom.role(node)
        for role, kind in _KIND_ROLES:
            if roles & role:
                return kind
        node = node.getparent()
    return None


def _in_menu(dom: DomIndex, el: HtmlElement) -> bool:
    for node in (el, *el.iterancestors()):
        if node.tag in _MENU_TAGS or dom.role(node) & _MENU_ROLES:
            return True
        if dom.is_invisible(node):
            return True
    return False


def _label_text(dom: DomIndex, el: HtmlElement) -> str | None:
    if not isinstance(el.tag, str) or dom.is_invisible(el):
        return None
    text = dom.text(el)
    if not text or len(text) > vocab.MAX_LABEL_CHARS:
        return None
    heading = el.tag in vocab.HEADING_TAGS or bool(dom.role(el) & Role.HEADING)
    if heading or next(el.iter("a"), None) is None:
        return text.rstrip(":：").strip() or None
    return None


def _find_label(dom: DomIndex, block: HtmlElement) -> str | None:
    """The visible heading just before the block (climbing while the block leads its parent)."""
    node = block
    for _ in range(_LABEL_SEARCH_LEVELS):
        sibling = node.getprevious()
        while sibling is not None:
            label = _label_text(dom, sibling)
            if label:
                return label
            if dom.text(sibling):
                return None  # other content stands between the block and any heading
            sibling = sibling.getprevious()
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        node = parent
    return None


def _inner_label(dom: DomIndex, el: HtmlElement) -> str | None:
    for child in el.iter():
        if child is not el and (child.tag in vocab.HEADING_TAGS or dom.role(child) & Role.HEADING):
            label = _label_text(dom, child)
            if label:
                return label
    return None


def _item_links(dom: DomIndex, el: HtmlElement) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for a in el.iter("a"):
        if dom.is_invisible(a):
            continue
        url = dom.page.absolute(a.get("href"))
        title = dom.text(a) or normalize_space(a.get("title") or "")
        if url and title and url not in seen:
            seen.add(url)
            items.append((title, url))
    return items


def _list_items(dom: DomIndex, list_el: HtmlElement) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for li in list_el:
        if li.tag != "li" or dom.is_invisible(li):
            continue
        for title, url in _item_links(dom, li):
            if url not in seen:
                seen.add(url)
                items.append((title, url))
            break
    return items


def _articles_share(dom: DomIndex, items: list[tuple[str, str]]) -> int:
    own = {u for u in (dom.page.url, dom.page.base_url) if u}
    return sum(
        1
        for _, url in items
        if url not in own and dom.same_site(url) and looks_like_article_url(url)
    )


def _qualifies(dom: DomIndex, items: list[tuple[str, str]]) -> bool:
    return len(items) >= 2 and _articles_share(dom, items) >= max(2, 0.6 * len(items))


def _inside(el: HtmlElement, containers: tuple[HtmlElement, ...]) -> bool:
    return any(a in containers for a in el.iterancestors()) or el in containers


def _list_blocks(dom: DomIndex, body: BodyResult) -> list[_Block]:
    blocks: list[_Block] = []
    used: set[HtmlElement] = set()
    for list_el in dom.tagged("ul", "ol"):
        if any(a in used for a in list_el.iterancestors()) or _in_menu(dom, list_el):
            continue
        items = _list_items(dom, list_el)
        if not _qualifies(dom, items):
            continue
        label = _find_label(dom, list_el)
        kind = kind_of_label(label) or _kind_of_roles(dom, list_el)
        if kind is None and _inside(list_el, body.containers):
            kind = "in_article" if label else None
        if kind is None:
            if not label:
                continue
            kind = "other"
        used.add(list_el)
        blocks.append(_Block(list_el, label, kind, items))
    for el, roles in dom.roles.items():
        if not roles & (Role.RELATED | Role.LATEST | Role.POPULAR) or roles & Role.READ_ALSO:
            continue
        if el.tag in ("a", "li", "ul", "ol", "span") or _in_menu(dom, el):
            continue
        if any(a in used for a in el.iterancestors()) or any(
            lst in used for lst in el.iter("ul", "ol")
        ):
            continue
        items = _item_links(dom, el)
        if not _qualifies(dom, items):
            continue
        label = _inner_label(dom, el) or _find_label(dom, el)
        kind = kind_of_label(label) or _kind_of_roles(dom, el) or "related"
        if _inside(el, body.containers) and kind == "related":
            kind = "in_article"
        used.add(el)
        blocks.append(_Block(el, label, kind, items))
    return blocks


def _read_also_block(body: BodyResult) -> _Block | None:
    lines = [b for b in body.blocks if b.kind == "read_also"]
    if not lines:
        return None
    # Every line counts, even one repeating a link: positions follow the page.
    items = [link for line in lines for link in line.links]
    label = next((line.label for line in lines if line.label), None)
    return _Block(lines[0].element, label, "read_also", items)


def _profile_blocks(dom: DomIndex, profile: ExtractProfile) -> list[_Block]:
    blocks: list[_Block] = []
    for rule in profile.related:
        for el in compiled_selector(rule.selector)(dom.page.root):
            if dom.is_invisible(el):
                continue
            own = {u for u in (dom.page.url, dom.page.base_url) if u}
            # "All news" / "More" links of the block lead to listings, not to headlines.
            items = [
                (title, url)
                for title, url in _item_links(dom, el)
                if url not in own
                and not looks_like_listing_url(url)
                and not looks_like_service_url(url)
            ]
            if items:
                label = rule.block or _inner_label(dom, el) or _find_label(dom, el)
                blocks.append(_Block(el, label, rule.kind, items))
    return blocks


def extract_related(
    dom: DomIndex, body: BodyResult, profile: ExtractProfile | None
) -> tuple[Related, ...]:
    blocks: list[_Block] = []
    read_also = _read_also_block(body)
    if read_also is not None:
        blocks.append(read_also)
    if profile is not None and profile.related:
        blocks.extend(_profile_blocks(dom, profile))
    else:
        blocks.extend(_list_blocks(dom, body))
    if len(blocks) > 1:
        order = dom.stats.order
        blocks.sort(key=lambda b: order.get(b.element, 0))
    out: list[Related] = []
    for block in blocks:
        name = block.label or block.kind
        for position, (title, url) in enumerate(block.items, start=1):
            out.append(
                Related(title=title, url=url, position=position, block=name, kind=block.kind)
            )
    return tuple(out)
