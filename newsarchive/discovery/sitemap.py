"""Sitemaps (urlset and sitemap index, plain or gzip) and the Sitemap lines of robots.txt.

Parsed here rather than with `scrapy.utils.sitemap.Sitemap`, which flattens `<news:news>` to an
empty string and so loses Google News titles and dates.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Literal, cast

from lxml import etree

from newsarchive.discovery.errors import SitemapError
from newsarchive.discovery.urls import resolve_http_url
from newsarchive.discovery.xmlsafe import (
    GZIP_MAGIC,
    SNIFF_BYTES,
    BoundedReader,
    XmlBodyError,
    child_elements,
    decoded_body,
    gunzip_prefix,
    iterparse_safely,
    local_name,
    root_element_name,
    safe_xml_parser,
    text_content,
)

logger = logging.getLogger(__name__)

SitemapKind = Literal["urlset", "sitemapindex"]
# Root element → the element that holds one entry.
_ENTRY_ELEMENT: dict[str, str] = {"urlset": "url", "sitemapindex": "sitemap"}
_XML_MEDIA_TYPES = frozenset({"application/xml", "text/xml"})
_GZIP_MEDIA_TYPES = frozenset({"application/gzip", "application/x-gzip"})
_ROBOTS_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S.*?)\s*$", re.IGNORECASE)
_ROBOTS_COMMENT = re.compile(r"(?:^|\s)#.*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class SitemapEntry:
    """One `<url>` of a urlset, or one `<sitemap>` of a sitemap index."""

    loc: str
    """Absolute http(s) URL, whitespace-stripped and joined to the sitemap URL; not normalised."""
    lastmod: str | None = None
    """`<lastmod>` exactly as written (surrounding whitespace aside)."""
    news_title: str | None = None
    """Google News `news:news/news:title`."""
    news_publication_date: str | None = None
    """Google News `news:news/news:publication_date`, as written."""
    news_language: str | None = None
    """Google News `news:publication/news:language`."""
    news_publication_name: str | None = None
    """Google News `news:publication/news:name`."""
    alternates: tuple[tuple[str, str], ...] = ()
    """`(hreflang, href)` of each `<xhtml:link rel="alternate">`, in document order."""
    image_locs: tuple[str, ...] = ()
    """`image:image/image:loc` URLs, in document order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sitemap:
    """A parsed sitemap: its kind and its entries, in document order."""

    kind: SitemapKind
    """`urlset` (entries are pages) or `sitemapindex` (entries are further sitemaps)."""
    entries: tuple[SitemapEntry, ...]


def parse_sitemap(
    body: bytes, url: str, *, max_bytes: int = 50_000_000, max_entries: int = 50_000
) -> Sitemap:
    """Parse a sitemap body (plain or gzip, whatever its URL or Content-Type says).

    Entries without a usable http(s) `<loc>` are skipped; a sitemap with garbage in it gives the
    entries libxml2 can recover. Raises `SitemapError` (naming `url`) for a body over `max_bytes`
    once inflated, one that is not XML, or one whose root is not urlset/sitemapindex. Stops after
    `max_entries` entries with a warning.
    """
    try:
        data = decoded_body(body, max_bytes)
    except XmlBodyError as exc:
        raise SitemapError(url, str(exc)) from exc
    try:
        root = etree.fromstring(data, safe_xml_parser(), base_url=url)
    except etree.LxmlError as exc:
        raise SitemapError(url, f"not parseable as XML ({exc}); is it a sitemap?") from exc
    if root is None:
        raise SitemapError(url, "no XML element found; the body is not a sitemap")
    kind = _sitemap_kind(root, url)
    entries: list[SitemapEntry] = []
    skipped = 0
    for element in child_elements(root):
        if local_name(element) != _ENTRY_ELEMENT[kind]:
            continue
        if len(entries) >= max_entries:
            logger.warning("sitemap %s: stopped at max_entries=%d", url, max_entries)
            break
        entry = _entry_from_element(element, url)
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    _log_skipped(url, skipped)
    return Sitemap(kind=kind, entries=tuple(entries))


def iter_sitemap(
    body_or_stream: bytes | IO[bytes],
    url: str,
    *,
    max_bytes: int = 50_000_000,
    max_entries: int = 50_000,
) -> Iterator[SitemapEntry]:
    """Stream the entries of a sitemap without building its tree (for very large sitemaps).

    Accepts bytes or a binary stream, plain or gzip. `max_bytes` bounds the inflated data as it is
    read. Raises `SitemapError` as `parse_sitemap` does, possibly after some entries were yielded.
    Use `sitemap_kind` to learn whether the entries are pages or sitemaps.
    """
    reader = _bounded_stream(body_or_stream, url, max_bytes)
    kind: str | None = None
    depth = 0
    count = skipped = 0
    try:
        for event, element in iterparse_safely(reader):
            if event == "start":
                depth += 1
                if depth == 1:
                    kind = _sitemap_kind(element, url)
                continue
            depth -= 1
            if depth != 1 or kind is None:
                continue
            if local_name(element) == _ENTRY_ELEMENT[kind]:
                if count >= max_entries:
                    logger.warning("sitemap %s: stopped at max_entries=%d", url, max_entries)
                    return
                entry = _entry_from_element(element, url)
                if entry is None:
                    skipped += 1
                else:
                    count += 1
                    yield entry
            _release(element)
    except XmlBodyError as exc:
        raise SitemapError(url, str(exc)) from exc
    except etree.LxmlError as exc:
        raise SitemapError(url, f"not parseable as XML ({exc}); is it a sitemap?") from exc
    if kind is None:
        raise SitemapError(url, "no XML element found; the body is not a sitemap")
    _log_skipped(url, skipped)


def sitemap_kind(body: bytes) -> SitemapKind | None:
    """`urlset` or `sitemapindex` from the start of a (plain or gzip) body, else None."""
    prefix = gunzip_prefix(body) if body.startswith(GZIP_MAGIC) else body[:SNIFF_BYTES]
    name = root_element_name(prefix)
    return cast(SitemapKind, name) if name in _ENTRY_ELEMENT else None


def is_sitemap_body(body: bytes, content_type: str | None, url: str) -> bool:
    """Whether a response should be parsed as a sitemap, judged by its bytes first.

    A gzip body, or one whose root element is urlset/sitemapindex, is a sitemap whatever its URL
    or Content-Type (`/sitemap/latest` served as application/xml); a body whose root is another
    element (an HTML page, a feed) is not. Only when the start of the body shows no element does
    the Content-Type (XML or gzip) or an `<?xml` declaration decide. `url` is used for logging.
    """
    if body.startswith(GZIP_MAGIC):
        return True
    name = root_element_name(body[:SNIFF_BYTES])
    if name is not None:
        if name not in _ENTRY_ELEMENT:
            logger.debug("%s: root element <%s> is not a sitemap", url, name)
        return name in _ENTRY_ELEMENT
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in _XML_MEDIA_TYPES or media_type in _GZIP_MEDIA_TYPES:
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")


def sitemap_urls_from_robots(body: bytes, base_url: str) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt body, absolute, http(s) only, deduplicated, in order."""
    text = body.decode("utf-8", "replace").removeprefix("\ufeff")
    found: list[str] = []
    for line in text.splitlines():
        match = _ROBOTS_SITEMAP_LINE.match(_ROBOTS_COMMENT.sub("", line))
        if not match:
            continue
        resolved = resolve_http_url(match.group(1), base_url)
        if resolved is None:
            logger.debug("robots %s: ignoring Sitemap line %r", base_url, line[:200])
        elif resolved not in found:
            found.append(resolved)
    return found


def _sitemap_kind(root: etree._Element, url: str) -> SitemapKind:
    name = local_name(root)
    if name not in _ENTRY_ELEMENT:
        raise SitemapError(
            url, f"root element is <{name[:50]}>, not urlset or sitemapindex; it is not a sitemap"
        )
    return cast(SitemapKind, name)


def _entry_from_element(element: etree._Element, base_url: str) -> SitemapEntry | None:
    loc: str | None = None
    lastmod: str | None = None
    news: dict[str, str] = {}
    alternates: list[tuple[str, str]] = []
    images: list[str] = []
    for child in child_elements(element):
        name = local_name(child)
        if name == "loc" and loc is None:
            loc = resolve_http_url(text_content(child), base_url)
        elif name == "lastmod" and lastmod is None:
            lastmod = text_content(child).strip() or None
        elif name == "news":
            news = _news_fields(child)
        elif name == "link":
            alternate = _alternate(child, base_url)
            if alternate is not None:
                alternates.append(alternate)
        elif name == "image":
            images.extend(_image_locs(child, base_url))
    if loc is None:
        return None
    return SitemapEntry(
        loc=loc,
        lastmod=lastmod,
        news_title=news.get("title"),
        news_publication_date=news.get("publication_date"),
        news_language=news.get("language"),
        news_publication_name=news.get("name"),
        alternates=tuple(alternates),
        image_locs=tuple(images),
    )


def _news_fields(news: etree._Element) -> dict[str, str]:
    """First non-empty title / publication_date / name / language under `<news:news>`."""
    fields: dict[str, str] = {}
    for element in news.iter(tag=etree.Element):
        name = local_name(element)
        if name in ("title", "publication_date", "name", "language") and name not in fields:
            value = " ".join(text_content(element).split())
            if value:
                fields[name] = value
    return fields


def _alternate(link: etree._Element, base_url: str) -> tuple[str, str] | None:
    if (link.get("rel") or "").strip().lower() != "alternate":
        return None
    hreflang = (link.get("hreflang") or "").strip()
    href = resolve_http_url(link.get("href") or "", base_url)
    return (hreflang, href) if hreflang and href else None


def _image_locs(image: etree._Element, base_url: str) -> list[str]:
    locs = []
    for child in child_elements(image):
        if local_name(child) == "loc":
            resolved = resolve_http_url(text_content(child), base_url)
            if resolved is not None:
                locs.append(resolved)
    return locs


def _bounded_stream(body_or_stream: bytes | IO[bytes], url: str, max_bytes: int) -> BoundedReader:
    """A reader of the inflated XML with `max_bytes` enforced on what the parser receives."""
    if isinstance(body_or_stream, bytes | bytearray | memoryview):
        source: IO[bytes] = io.BytesIO(bytes(body_or_stream))
    else:
        source = body_or_stream
    try:
        magic = source.read(len(GZIP_MAGIC))
    except OSError as exc:
        raise SitemapError(url, f"cannot read the sitemap stream ({exc}); refetch it") from exc
    raw = BoundedReader(source, max_bytes, prefix=magic)
    if magic != GZIP_MAGIC:
        return raw
    # GzipFile only needs `read()`, which BoundedReader provides.
    inflated = gzip.GzipFile(fileobj=cast(IO[bytes], raw), mode="rb")
    return BoundedReader(cast(IO[bytes], inflated), max_bytes)


def _release(element: etree._Element) -> None:
    """Free a finished entry and the ones before it, so memory stays flat while streaming."""
    element.clear(keep_tail=False)  # type: ignore[call-arg]  # lxml-stubs lag behind lxml
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _log_skipped(url: str, skipped: int) -> None:
    if skipped:
        logger.warning(
            "sitemap %s: skipped %d entries without a usable http(s) <loc>", url, skipped
        )
