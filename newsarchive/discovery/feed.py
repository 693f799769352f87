"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: the article URLs they list, with what they say of each."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from newsarchive.discovery.errors import FeedError
from newsarchive.discovery.urls import resolve_http_url
from newsarchive.discovery.xmlsafe import (
    GZIP_MAGIC,
    SNIFF_BYTES,
    XmlBodyError,
    child_elements,
    decoded_body,
    gunzip_prefix,
    local_name,
    namespace_of,
    root_element_name,
    safe_xml_parser,
    text_content,
)

logger = logging.getLogger(__name__)

# Namespaces of elements that mean the same thing across feed dialects.
_RSS_CORE_NS = frozenset(
    {None, "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"}
)
_ATOM_NS = frozenset({"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"})
_ATOM_OR_BARE_NS = _ATOM_NS | {None}
_DC_NS = frozenset({"http://purl.org/dc/elements/1.1/"})
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"

_FEED_ROOTS = frozenset({"rss", "rdf", "feed"})
_FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
    | {"text/xml"}
)
_TAG = re.compile(r"<[^>]*>")
_ISO_DATE_START = re.compile(r"^\d{4}-\d{2}")


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEntry:
    """One item of an RSS feed or entry of an Atom feed."""

    url: str
    """Absolute http(s) URL of the article (`<link>`, a permalink `<guid>`, Atom alternate link)."""
    title: str | None = None
    """Title with whitespace collapsed (markup removed from Atom `type="html"` titles)."""
    published: str | None = None
    """ISO 8601 (with offset when the feed gives one) from pubDate / dc:date / Atom
    published-or-updated; the raw string when it cannot be parsed."""
    guid: str | None = None
    """RSS `<guid>`, Atom `<id>` or RDF `rdf:about`."""
    authors: tuple[str, ...] = ()
    """dc:creator, RSS author, Atom author/name, in order, without duplicates."""
    categories: tuple[str, ...] = ()
    """RSS category, dc:subject, Atom category term, in order, without duplicates."""


def parse_feed(body: bytes, url: str, *, max_bytes: int = 20_000_000) -> list[FeedEntry]:
    """The entries of a feed body, in document order.

    Items without a usable http(s) link are skipped with a warning. Raises `FeedError` (naming
    `url`) for a body over `max_bytes` (after gunzip), one that is not XML, or one whose root is
    not rss / rdf:RDF / feed.
    """
    try:
        data = decoded_body(body, max_bytes)
    except XmlBodyError as exc:
        raise FeedError(url, str(exc)) from exc
    try:
        root = etree.fromstring(data, safe_xml_parser(), base_url=url)
    except etree.LxmlError as exc:
        raise FeedError(url, f"not parseable as XML ({exc}); is it a feed?") from exc
    if root is None:
        raise FeedError(url, "no XML element found; the body is not a feed")
    kind = local_name(root).lower()
    if kind not in _FEED_ROOTS:
        raise FeedError(url, f"root element is <{kind[:50]}>, not rss, rdf:RDF or feed")
    if kind == "feed":
        items = [child for child in child_elements(root) if local_name(child) == "entry"]
    else:
        items = [
            element for element in root.iter(tag=etree.Element) if local_name(element) == "item"
        ]
    entries: list[FeedEntry] = []
    for index, item in enumerate(items):
        base = item.base or url
        entry = _atom_entry(item, base) if kind == "feed" else _rss_entry(item, base)
        if entry is None:
            logger.warning("feed %s: skipped item #%d, it has no usable http(s) link", url, index)
        else:
            entries.append(entry)
    return entries


def is_feed_body(body: bytes, content_type: str | None) -> bool:
    """Whether a body is an RSS/RDF/Atom feed: by its root element, else by its Content-Type."""
    prefix = gunzip_prefix(body) if body.startswith(GZIP_MAGIC) else body[:SNIFF_BYTES]
    name = root_element_name(prefix)
    if name is not None:
        return name in _FEED_ROOTS
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type in _FEED_MEDIA_TYPES


class _Children:
    """An item's child elements, looked up by (namespace set, local name)."""

    def __init__(self, item: etree._Element) -> None:
        self._children = [
            (namespace_of(child), local_name(child), child) for child in child_elements(item)
        ]

    def find(self, namespaces: frozenset[str | None], name: str) -> list[etree._Element]:
        return [el for ns, local, el in self._children if local == name and ns in namespaces]

    def texts(self, namespaces: frozenset[str | None], name: str) -> list[str]:
        values = (_collapse(text_content(el)) for el in self.find(namespaces, name))
        return [value for value in values if value]

    def first_text(self, *lookups: tuple[frozenset[str | None], str]) -> str | None:
        for namespaces, name in lookups:
            values = self.texts(namespaces, name)
            if values:
                return values[0]
        return None


def _rss_entry(item: etree._Element, base: str) -> FeedEntry | None:
    children = _Children(item)
    candidates = [
        text_content(el).strip() or el.get("href", "") for el in children.find(_RSS_CORE_NS, "link")
    ]
    candidates += [
        text_content(el)
        for el in children.find(_RSS_CORE_NS, "guid")
        if el.get("isPermaLink", "true").strip().lower() != "false"
    ]
    candidates += _atom_alternate_hrefs(children)
    candidates.append(item.get(_RDF_ABOUT, ""))
    url = _first_http_url(candidates, base)
    if url is None:
        return None
    raw_date = children.first_text(
        (_RSS_CORE_NS, "pubDate"), (_DC_NS, "date"), (_ATOM_NS, "updated")
    )
    authors = children.texts(_DC_NS, "creator") + children.texts(_RSS_CORE_NS, "author")
    categories = children.texts(_RSS_CORE_NS, "category") + children.texts(_DC_NS, "subject")
    return FeedEntry(
        url=url,
        title=children.first_text((_RSS_CORE_NS, "title"), (_DC_NS, "title")),
        published=_iso_datetime(raw_date),
        guid=children.first_text((_RSS_CORE_NS, "guid")) or item.get(_RDF_ABOUT),
        authors=_unique(authors),
        categories=_unique(categories),
    )


def _atom_entry(entry: etree._Element, base: str) -> FeedEntry | None:
    children = _Children(entry)
    url = _first_http_url(_atom_alternate_hrefs(children, bare_too=True), base)
    if url is None:
        return None
    raw_date = children.first_text(
        (_ATOM_OR_BARE_NS, "published"),
        (_ATOM_OR_BARE_NS, "issued"),
        (_ATOM_OR_BARE_NS, "updated"),
        (_ATOM_OR_BARE_NS, "modified"),
        (_DC_NS, "date"),
    )
    authors = [
        name
        for author in children.find(_ATOM_OR_BARE_NS, "author")
        for name in _Children(author).texts(_ATOM_OR_BARE_NS, "name")
    ] + children.texts(_DC_NS, "creator")
    categories = [
        _collapse(el.get("term") or el.get("label") or "")
        for el in children.find(_ATOM_OR_BARE_NS, "category")
    ] + children.texts(_DC_NS, "subject")
    return FeedEntry(
        url=url,
        title=_atom_title(children),
        published=_iso_datetime(raw_date),
        guid=children.first_text((_ATOM_OR_BARE_NS, "id")),
        authors=_unique(authors),
        categories=_unique(categories),
    )


def _atom_alternate_hrefs(children: _Children, *, bare_too: bool = False) -> list[str]:
    """hrefs of alternate links, HTML ones first (Atom `rel` defaults to alternate)."""
    namespaces = _ATOM_OR_BARE_NS if bare_too else _ATOM_NS
    links = [
        el
        for el in children.find(namespaces, "link")
        if (el.get("rel") or "alternate").strip().lower() == "alternate" and el.get("href")
    ]
    html_first = sorted(links, key=lambda el: "html" not in (el.get("type") or "html"))
    return [el.get("href", "") for el in html_first]


def _atom_title(children: _Children) -> str | None:
    titles = children.find(_ATOM_OR_BARE_NS, "title")
    if not titles:
        return None
    text = text_content(titles[0])
    if (titles[0].get("type") or "").lower() == "html":
        text = html.unescape(_TAG.sub(" ", text))
    return _collapse(text) or None


def _first_http_url(candidates: list[str], base: str) -> str | None:
    for candidate in candidates:
        resolved = resolve_http_url(candidate, base)
        if resolved is not None:
            return resolved
    return None


def _iso_datetime(raw: str | None) -> str | None:
    """ISO 8601 from an RFC 822 or W3C date; the raw string when neither parses."""
    if raw is None:
        return None
    parsed: datetime | None = None
    try:
        if _ISO_DATE_START.match(raw):
            parsed = datetime.fromisoformat(raw)
        else:
            parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    return parsed.isoformat() if parsed is not None else raw


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))
