"""Related-headline blocks: inline "Read also" lines, sidebar "Latest news", "Most read"...

All inline "Read also" lines of a page form one block (kind read_also) numbered in document
order. A list block is found three ways: a <ul>/<ol> of links to articles of the site, an
element whose class says what it is (`related`, `latest-news`, `most-read`), or a heading whose
text says it ("Most read", "Соңғы жаңалықтар") with the links that follow it. Its kind comes
from its label, else its class tokens; a headline list inside the article text without either
is `in_article`. Menus, tag clouds, pagination, footers, author and section links, "All news"
links and links in running paragraphs are not headlines. Blocks are returned in document order.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.body import BodyResult
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.teasers import (
    following_units,
    headline_items,
    headline_sized,
    qualifies,
    teasers_of,
)
from newsarchive.extract.urls import (
    looks_like_listing_url,
    looks_like_service_url,
)
from newsarchive.extract.vocab import Role
from newsarchive.records import Related, RelatedKind

_MENU_TAGS = frozenset({"nav", "header", "footer", "menu"})
_MENU_ROLES = Role.NAV | Role.FOOTER | Role.SITE_HEADER | Role.COMMENT | Role.PAGINATION
_MENU_ROLES = _MENU_ROLES | Role.TAGS | Role.SHARE | Role.BYLINE
_BLOCK_ROLES = Role.RELATED | Role.LATEST | Role.POPULAR
_KIND_ROLES: tuple[tuple[int, RelatedKind], ...] = (
    (Role.READ_ALSO, "read_also"),
    (Role.LATEST, "latest_news"),
    (Role.POPULAR, "most_read"),
    (Role.RELATED, "related"),
)
_LABEL_SEARCH_LEVELS = 3
_ROLE_SEARCH_LEVELS = 3
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


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
        if node.tag in _MENU_TAGS or dom.role(node) & _MENU_ROLES or dom.is_invisible(node):
            return True
    return False


def _label_text(dom: DomIndex, el: HtmlElement) -> str | None:
    if not isinstance(el.tag, str) or dom.is_invisible(el):
        return None
    text = dom.text(el)
    if not text or len(text) > vocab.MAX_LABEL_CHARS:
        return None
    if vocab.COUNTER_LINE.match(text) or not any(ch.isalpha() for ch in text):
        return None  # a carousel's "1 of 3", not a label
    heading = el.tag in vocab.HEADING_TAGS or bool(dom.role(el) & Role.HEADING)
    if el.tag not in vocab.HEADING_TAGS:
        # A title bar: the heading in it is the label, not the controls beside it ("Scroll
        # back to top").
        inner = next(el.iter(*vocab.HEADING_TAGS), None)
        if inner is not None and dom.text(inner) != text:
            return _label_text(dom, inner)
    if heading or next(el.iter("a"), None) is None:
        return text.rstrip(":：").strip() or None
    if kind_of_label(text) is not None:
        return text.rstrip(":：").strip()  # a linked heading: "<a href=/popular/>Most read</a>"
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
    """The block's own heading: one that comes before its first link (after it, a heading is
    a teaser's title)."""
    for child in el.iter():
        if child.tag == "a":
            return None
        if child is not el and (child.tag in vocab.HEADING_TAGS or dom.role(child) & Role.HEADING):
            label = _label_text(dom, child)
            if label:
                return label
    return None


def _inside(el: HtmlElement, containers: tuple[HtmlElement, ...]) -> bool:
    return el in containers or any(a in containers for a in el.iterancestors())


def _within_text(dom: DomIndex, body: BodyResult, el: HtmlElement) -> bool:
    """Inside the article text with more of the text after it (Meduza's RelatedBlock), not
    appended at its end."""
    if not _inside(el, body.containers):
        return False
    stats = dom.stats
    end = stats.ends.get(el, stats.order.get(el, 0))
    return any(b.kind == "text" and stats.order.get(b.element, -1) > end for b in body.blocks)


class _Finder:
    def __init__(self, dom: DomIndex, body: BodyResult) -> None:
        self.dom = dom
        self.body = body
        self.blocks: list[_Block] = []
        self.used: set[HtmlElement] = set()

    def taken(self, el: HtmlElement) -> bool:
        return el in self.used or any(a in self.used for a in el.iterancestors())

    def add(
        self, el: HtmlElement, label: str | None, kind: RelatedKind, items: list[tuple[str, str]]
    ) -> None:
        self.used.add(el)
        self.blocks.append(_Block(el, label, kind, items))

    def labelled_headings(self) -> None:
        """A heading that names a related block: its links are in what follows it."""
        dom = self.dom
        headings = {el for tag in _HEADINGS for el in dom.tagged(tag)}
        headings.update(el for el, roles in dom.roles.items() if roles & Role.HEADING)
        for el in sorted(headings, key=dom.stats.order.__getitem__):
            chars = dom.chars(el)
            if not chars or chars > vocab.MAX_LABEL_CHARS or dom.images(el):
                continue
            raw = " ".join(el.text_content().split()).rstrip(":：").strip()
            if not vocab.ANY_RELATED_LABEL.match(raw.lower()):
                continue
            label = _label_text(dom, el)
            kind = kind_of_label(label)
            if kind is None or kind == "read_also" or _in_menu(dom, el):
                continue
            target = el.getnext()
            while target is not None and not dom.chars(target):
                target = target.getnext()
            if target is None or self.taken(target):
                continue
            items, teasers = headline_items(dom, teasers_of(target), strict=False)
            if qualifies(items, teasers):
                self.add(target, label, kind, items)
                continue
            # The teasers may be the heading's own siblings (`h2 + div.item + div.item`).
            units = following_units(dom, el)
            items, teasers = headline_items(dom, units, strict=False)
            if qualifies(items, teasers) and not any(self.taken(u) for u in units):
                self.used.update(units[1:])
                self.add(units[0], label, kind, items)

    def lists(self) -> None:
        dom = self.dom
        for list_el in dom.tagged("ul", "ol"):
            if self.taken(list_el) or not headline_sized(dom, teasers_of(list_el)):
                continue
            if _in_menu(dom, list_el):
                continue
            label = _find_label(dom, list_el)
            kind = kind_of_label(label) or _kind_of_roles(dom, list_el)
            items, teasers = headline_items(dom, teasers_of(list_el), strict=kind is None)
            if not qualifies(items, teasers):
                continue
            if kind in (None, "related") and _within_text(dom, self.body, list_el):
                kind = "in_article"
            if kind is None:
                if not label:
                    continue
                kind = "other"
            self.add(list_el, label, kind, items)

    def classed(self) -> None:
        dom = self.dom
        candidates = [
            el
            for el, roles in dom.roles.items()
            if roles & _BLOCK_ROLES and not roles & Role.READ_ALSO
        ]
        for el in sorted(candidates, key=dom.stats.order.__getitem__):  # outer blocks first
            if el.tag in ("a", "li", "ul", "ol", "span") or _in_menu(dom, el):
                continue
            if self.taken(el) or any(d in self.used for d in el.iter()):
                continue
            items, teasers = headline_items(dom, teasers_of(el), strict=False)
            if not qualifies(items, teasers):
                continue
            label = _inner_label(dom, el) or _find_label(dom, el)
            kind = kind_of_label(label) or _kind_of_roles(dom, el) or "related"
            if kind == "related" and _within_text(dom, self.body, el):
                kind = "in_article"
            self.add(el, label, kind, items)


def _read_also_block(body: BodyResult, taken: set[HtmlElement]) -> _Block | None:
    """All "Read also" lines of the text, except those of a headline block found whole."""
    lines = [
        b
        for b in body.blocks
        if b.kind == "read_also"
        and b.element not in taken
        and not any(a in taken for a in b.element.iterancestors())
    ]
    if not lines:
        return None
    # Every line counts, even one repeating a link: positions follow the page. A link to the
    # home page ("Read more on our site") is not a headline.
    items = [
        (_without_label(title), url)
        for line in lines
        for title, url in line.links
        if not _is_home(url)
    ]
    if not items:
        return None
    label = next((line.label for line in lines if line.label), None)
    return _Block(lines[0].element, label, "read_also", items)


def _without_label(title: str) -> str:
    """The headline of a link that carries the label too (`<a>Read also: Headline</a>`)."""
    match = vocab.READ_ALSO_LABEL.match(title)
    if match is None or not (match.group("colon") or "").strip():
        return title
    return title[match.end() :].strip() or title


def _is_home(url: str) -> bool:
    rest = url.split("://", 1)[-1]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return path in ("", "index.html", "index.php") or path.startswith(("?", "#"))


def _profile_blocks(dom: DomIndex, profile: ExtractProfile) -> list[_Block]:
    blocks: list[_Block] = []
    own = {u for u in (dom.page.url, dom.page.base_url) if u}
    for rule in profile.related:
        for el in compiled_selector(rule.selector)(dom.page.root):
            if dom.is_invisible(el):
                continue
            # "All news" / "More" links of the block lead to listings, not to headlines.
            items: list[tuple[str, str]] = []
            for a in el.iter("a"):
                url = dom.page.absolute(a.get("href"))
                title = dom.text(a) or normalize_space(a.get("title") or "")
                if (
                    url
                    and title
                    and url not in own
                    and not looks_like_listing_url(url)
                    and not looks_like_service_url(url)
                    and url not in {u for _, u in items}
                ):
                    items.append((title, url))
            if items:
                label = rule.block or _inner_label(dom, el) or _find_label(dom, el)
                blocks.append(_Block(el, label, rule.kind, items))
    return blocks


def extract_related(
    dom: DomIndex, body: BodyResult, profile: ExtractProfile | None
) -> tuple[Related, ...]:
    blocks: list[_Block] = []
    taken: set[HtmlElement] = set()
    if profile is not None and profile.related:
        blocks.extend(_profile_blocks(dom, profile))
    else:
        finder = _Finder(dom, body)
        finder.lists()
        finder.classed()
        finder.labelled_headings()
        blocks.extend(finder.blocks)
        taken = finder.used
    read_also = _read_also_block(body, taken)
    if read_also is not None:
        blocks.append(read_also)
    if len(blocks) > 1:
        order = dom.stats.order
        blocks.sort(key=lambda b: order.get(b.element, 0))
    out: list[Related] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for block in blocks:
        name = block.label or block.kind
        # A block printed twice (one copy per screen size) is one list.
        copy_key = (name, tuple(url for _, url in block.items))
        if copy_key in seen:
            continue
        seen.add(copy_key)
        for position, (title, url) in enumerate(block.items, start=1):
            out.append(
                Related(title=title, url=url, position=position, block=name, kind=block.kind)
            )
    return tuple(out)
