"""Build the DomIndex of a page in one pass over its elements: roles from class, id and the
hiding attributes, elements by tag, itemprop and itemtype, and the text statistics.

The pass runs last element to first, so every child is seen before its parent and subtree sums
need no second walk. lxml attribute reads are the cost here (each builds a new string): every
element is read once, and later steps use the recorded tags.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.dom import DomIndex, TextStats
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.roles import VALUE_CACHE, value_roles
from newsarchive.extract.vocab import Role

# A hidden element holding more than this share of the page's text is a wrapper, not content.
_HIDDEN_WRAPPER_SHARE = 0.5
_MIN_WRAPPER_CHARS = 2000
_MIN_WRAPPER_ELEMENTS = 40
_ROLE_TAGS = frozenset({"dialog", "details"})
_IMAGE_TAGS = frozenset({"img", "amp-img"})
_PAGE_TAGS = frozenset({"html", "body"})
_RARE_ROLE_ATTRS = frozenset({"style", "hidden", "aria-hidden", "role", "itemprop", "itemtype"})
_ITEM_ATTRS = frozenset({"itemprop", "itemtype"})


def _rare_attribute_roles(el: HtmlElement, tag: str, names: list[str], index: DomIndex) -> int:
    """Roles from the attributes other than class and id (reading only those present: each
    read of an lxml attribute costs about as much as listing them all)."""
    get = el.get
    roles = 0
    if "hidden" in names or (
        "aria-hidden" in names and (get("aria-hidden") or "").strip().lower() == "true"
    ):
        roles |= Role.HIDDEN
    if "style" in names:
        style = (get("style") or "").lower()
        # (cheap substring tests first: most styles are sizes and margins)
        if ("none" in style or "hidden" in style or ":-" in style or ": -" in style) and (
            vocab.HIDDEN_STYLE.search(style)
        ):
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
    if tag == "dialog" and "open" not in names:
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
        index.set_stats(text_stats(index))
    page.memo[key] = index
    return index


def _index_pass(index: DomIndex) -> None:
    """Roles, tag lists and text statistics in one pass over the elements, last to first (so
    every child is seen before its parent)."""
    elements = index.elements
    roles, by_tag, removed = index.roles, index.by_tag, index.removed
    value_cache = VALUE_CACHE
    skipped, hidden = vocab.NON_CONTENT_TAGS, Role.HIDDEN
    count = len(elements)
    order = {el: i for i, el in enumerate(elements)}
    # Sums by position, not by element: list indexing is cheaper than hashing in this loop,
    # which runs once per element of every page. A parent's position comes from `order`.
    tags: list[str] = [""] * count
    chars = [0] * count
    linked = [0] * count
    images = [0] * count
    ends = [-1] * count  # position of a subtree's last element; -1 until its last child is seen
    invisible: list[HtmlElement] = []
    loose: set[HtmlElement] = set()
    by_tag_get, loose_add, position_of = by_tag.get, loose.add, order.get
    for position in range(count - 1, -1, -1):
        el = elements[position]
        tag = tags[position] = el.tag
        bucket = by_tag_get(tag)
        if bucket is None:
            by_tag[tag] = [el]
        else:
            bucket.append(el)
        end = ends[position]
        if end < 0:
            end = ends[position] = position
        parent = el.getparent()
        up = position_of(parent) if parent is not None else None
        if up is not None and ends[up] < 0:
            ends[up] = end
        if tag in skipped:
            # Never rendered: no roles or text to read, only the schema.org properties of
            # <meta itemprop> and the like.
            names = el.keys()
            if names and not _ITEM_ATTRS.isdisjoint(names):
                _rare_attribute_roles(el, tag, names, index)
            invisible.append(el)
            chars[position] = linked[position] = images[position] = 0
            if up is not None:
                tail = el.tail
                extra = len(tail.strip()) if tail else 0
                if extra:
                    loose_add(parent)
                    chars[up] += extra
            continue
        found = 0
        names = el.keys()
        if names:
            # class and id inline (most elements have nothing else); the rest in a helper
            if "class" in names and tag not in _PAGE_TAGS:
                value = el.get("class")
                cached = value_cache.get(value)
                found = cached if cached is not None else value_roles(value)
            if "id" in names and tag not in _PAGE_TAGS:
                value = el.get("id")
                cached = value_cache.get(value)
                found |= cached if cached is not None else value_roles(value)
            if tag in _ROLE_TAGS or not _RARE_ROLE_ATTRS.isdisjoint(names):
                found |= _rare_attribute_roles(el, tag, names, index)
        elif tag in _ROLE_TAGS:
            found = _rare_attribute_roles(el, tag, names, index)
        if found:
            roles[el] = found
        if found & hidden or (removed and el in removed):
            total = link = image = 0
            invisible.append(el)
            chars[position] = linked[position] = images[position] = 0
        else:
            text = el.text
            own = len(text.strip()) if text else 0
            if own:
                loose_add(el)
            total = chars[position] = chars[position] + own
            if tag == "a":
                link = linked[position] = total
            else:
                link = linked[position]
            if tag in _IMAGE_TAGS:
                image = images[position] = 1
            else:
                image = images[position]
        if up is not None:
            tail = el.tail
            extra = len(tail.strip()) if tail else 0
            if extra:
                loose_add(parent)
            chars[up] += total + extra
            if link:
                linked[up] += link
            if image:
                images[up] += image
    for bucket in by_tag.values():
        bucket.reverse()
    for bucket in index.itemprops.values():
        bucket.reverse()
    for bucket in index.itemtypes.values():
        bucket.reverse()
    stats = TextStats(
        chars=dict(zip(elements, chars, strict=True)),
        linked={el: n for el, n in zip(elements, linked, strict=True) if n},
        images={el: n for el, n in zip(elements, images, strict=True) if n},
        order=order,
        ends=dict(zip(elements, ends, strict=True)),
        invisible=frozenset(invisible),
        tags=dict(zip(elements, tags, strict=True)),
        loose=frozenset(loose),
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


def text_stats(dom: DomIndex) -> TextStats:
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
    known = dom._stats
    return TextStats(
        chars=chars,
        linked=linked,
        images=images,
        order=order,
        ends=ends,
        invisible=frozenset(invisible),
        tags=known.tags if known is not None else {el: el.tag for el in elements},
        loose=known.loose if known is not None else _loose_elements(elements),
    )


def _loose_elements(elements: list[HtmlElement]) -> frozenset[HtmlElement]:
    found = set()
    for el in elements:
        if (el.text or "").strip():
            found.add(el)
        parent = el.getparent()
        if parent is not None and (el.tail or "").strip():
            found.add(parent)
    return frozenset(found)
