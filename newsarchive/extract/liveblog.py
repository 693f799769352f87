"""Live blogs: the updates (time, headline, text) and the body in reading order.

A live blog lists its updates newest first; read as a record, the story runs from the first
update to the last. An update is a child of one element whose children (three or more) each
carry one `<time>`; the body keeps what stands before and after the updates (key points, the
introduction) in place and puts the updates oldest first.
"""

from __future__ import annotations

from datetime import datetime

from lxml.html import HtmlElement

from newsarchive.extract.blocks import Block
from newsarchive.extract.dom import DomIndex
from newsarchive.records import LiveEntry

_MIN_ENTRIES = 3
_PAGE_TAGS = frozenset({"html", "body"})
_ENTRY_SHARE = 0.6


def _entry_list(dom: DomIndex, containers: tuple[HtmlElement, ...]) -> list[HtmlElement]:
    """The children of the element that holds the updates, in page order; [] when none."""
    times = [t for c in containers for t in c.iter("time")]
    if len(times) < _MIN_ENTRIES:
        return []
    seen: set[HtmlElement] = set()
    for time in times:
        for holder in time.iterancestors():
            if holder in seen:
                break
            seen.add(holder)
            children = [c for c in holder if isinstance(c.tag, str) and not dom.is_invisible(c)]
            timed = [c for c in children if sum(1 for _ in c.iter("time")) == 1]
            if len(timed) >= _MIN_ENTRIES and len(timed) >= _ENTRY_SHARE * len(children):
                return timed
            if any(holder is c for c in containers):
                break
    return []


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _newest_first(entries: list[tuple[HtmlElement, str | None]]) -> bool:
    first, last = _moment(entries[0][1]), _moment(entries[-1][1])
    if first is None or last is None or (first.tzinfo is None) != (last.tzinfo is None):
        return False
    return first > last


def _looks_live(elements: list[HtmlElement], url: str | None) -> bool:
    """Named so: an update or its list says `live` in its class, or the URL does."""
    holder = elements[0].getparent()
    for el in (elements[0], holder):
        if el is not None and "live" in f"{el.get('class') or ''} {el.get('id') or ''}".lower():
            return True
    return "/live" in (url or "").lower()


def live_entries(
    dom: DomIndex, containers: tuple[HtmlElement, ...], blocks: list[Block], *, declared: bool
) -> tuple[tuple[LiveEntry, ...], list[Block]]:
    """(updates oldest first, body blocks in that order); no updates and the blocks unchanged
    when the page has no update list. `declared`: JSON-LD says LiveBlogPosting (otherwise the
    list must be named live, so that a dated timeline in an article keeps its order)."""
    elements = _entry_list(dom, containers)
    if not elements or not (declared or _looks_live(elements, dom.page.url)):
        return (), blocks
    timed: list[tuple[HtmlElement, str | None]] = []
    for el in elements:
        time = next(el.iter("time"))
        timed.append((el, time.get("datetime") or dom.text(time) or None))
    reverse = _newest_first(timed)
    owner = {el: i for i, (el, _) in enumerate(timed)}
    groups: list[list[Block]] = [[] for _ in timed]
    before: list[Block] = []
    after: list[Block] = []
    for block in blocks:
        index = _entry_of(block.element, owner)
        if index is not None:
            groups[index].append(block)
        elif any(groups):
            after.append(block)
        else:
            before.append(block)
    order = range(len(timed) - 1, -1, -1) if reverse else range(len(timed))
    entries: list[LiveEntry] = []
    for i in order:
        texts = [b for b in groups[i] if b.kind in ("text", "heading")]
        title = next((b.text for b in texts if b.kind == "heading"), None)
        text = "\n\n".join(b.text for b in texts if b.text != title)
        if text or title:
            entries.append(LiveEntry(time=timed[i][1], title=title, text=text))
    ordered = before + [b for i in order for b in groups[i]] + after
    return tuple(entries), ordered


def _entry_of(el: HtmlElement, owner: dict[HtmlElement, int]) -> int | None:
    if el in owner:
        return owner[el]
    for ancestor in el.iterancestors():
        if ancestor in owner:
            return owner[ancestor]
        if ancestor.tag in _PAGE_TAGS:
            return None
    return None
