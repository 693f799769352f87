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
    chars: dict[HtmlElement, int] = {}
    linked: dict[HtmlElement, int] = {}
    images: dict[HtmlElement, int] = {}
    ends: dict[HtmlElement, int] = {}
    invisible: list[HtmlElement] = []
    tags: dict[HtmlElement, str] = {}
    loose: set[HtmlElement] = set()
    # Bound methods as locals: this loop runs once per element of every page.
    chars_get, linked_get, images_get = chars.get, linked.get, images.get
    ends_setdefault, by_tag_get, loose_add = ends.setdefault, by_tag.get, loose.add
    for position in range(len(elements) - 1, -1, -1):
        el = elements[position]
        tag = tags[el] = el.tag
        bucket = by_tag_get(tag)
        if bucket is None:
            by_tag[tag] = [el]
        else:
            bucket.append(el)
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
        end = ends_setdefault(el, position)  # set before by its last child, if it has any
        if tag in skipped or found & hidden or (removed and el in removed):
            total = link = image = 0
            invisible.append(el)
        else:
            text = el.text
            own = len(text.strip()) if text else 0
            if own:
                loose_add(el)
            total = chars_get(el, 0) + own
            link = total if tag == "a" else linked_get(el, 0)
            image = 1 if tag in _IMAGE_TAGS else images_get(el, 0)
        chars[el] = total
        if link:
            linked[el] = link
        if image:
            images[el] = image
        parent = el.getparent()
        if parent is not None:
            ends_setdefault(parent, end)
            tail = el.tail
            extra = len(tail.strip()) if tail else 0
            if extra:
                loose_add(parent)
            chars[parent] = chars_get(parent, 0) + total + extra
            if link:
                linked[parent] = linked_get(parent, 0) + link
            if image:
                images[parent] = images_get(parent, 0) + image
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
        tags=tags,
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
