"""Load HTML bytes into an `HtmlPage`: bounded, decoded, parsed once, with its base URL."""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement, HTMLParser

from newsarchive.errors import NewsarchiveError
from newsarchive.extract.charset import decode_html

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 8_000_000
# Share of control bytes in the first 4 KiB above which the body is not text.
_BINARY_CONTROL_SHARE = 0.10
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))
# UTF-16/32 text is full of NUL bytes but is not binary.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# A <base> comes before the links it governs: the head, near the top of the document.
_BASE_SCAN_BYTES = 65_536
# (spelled out case by case: cheaper than lower-casing the head or an IGNORECASE search)
_BASE_TAG_BYTES = re.compile(rb"<[bB][aA][sS][eE][\s>/]")
_BASE_TAG_TEXT = re.compile(r"<[bB][aA][sS][eE][\s>/]")


class PageParseError(NewsarchiveError):
    """Nothing parseable in the response body (empty or binary); carries the URL."""


@dataclass(frozen=True, slots=True, eq=False)
class HtmlPage:
    """One parsed HTML document. Extraction functions never mutate `root`."""

    url: str | None
    """The URL the page was fetched from, as given."""
    base_url: str | None
    """Base for relative links: `url` (else the canonical link), then `<base href>`."""
    root: HtmlElement
    charset: str
    """Codec the body was decoded with."""
    charset_warnings: tuple[str, ...] = ()
    """Why a declared charset was not used, if any (lying headers, unknown labels)."""
    truncated: bool = False
    """True when the body was cut at `max_bytes`."""
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Per-page analysis results shared by classify/extract calls on this page only."""

    def absolute(self, href: str | None) -> str | None:
        """`href` resolved against the base URL; None for empty, script or invalid links."""
        return resolve_url(self.base_url, href)


def resolve_url(base: str | None, href: str | None) -> str | None:
    if not href:
        return None
    href = "".join(href.split()) if any(ch in href for ch in "\n\r\t") else href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
        return None
    if href.startswith(("https://", "http://")) and "/." not in href:
        return href  # already absolute (urljoin would only re-assemble it)
    try:
        url = urljoin(base, href) if base else href
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * _BINARY_CONTROL_SHARE


def _parser() -> HTMLParser:
    parser = HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        collect_ids=False,  # no id hash table: nothing looks elements up by id
    )
    # Every element an HtmlElement, looked up in C: lxml.html's default lookup calls back into
    # Python for each element proxy (form/input/label classes we never use), which doubles the
    # cost of every tree walk.
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=HtmlElement))
    return parser


def _parse(data: bytes, url: str | None) -> HtmlElement:
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise PageParseError(f"HTML parser failed: {exc}", url=url) from exc
    if root is None or not isinstance(root, HtmlElement):
        raise PageParseError("no HTML element in the document", url=url)
    return root


def _base_url(root: HtmlElement, url: str | None, *, has_base: bool) -> str | None:
    base = url
    if not base:
        candidates = [
            *(link.get("href") for link in root.iter("link") if link.get("rel") == "canonical"),
            *(m.get("content") for m in root.iter("meta") if m.get("property") == "og:url"),
        ]
        for value in candidates:
            candidate = resolve_url(None, value)
            if candidate:
                base = candidate
                break
    if has_base:  # a tree walk only when the text has a <base> tag at all
        element = next((b for b in root.iter("base") if b.get("href")), None)
        resolved = resolve_url(base, element.get("href")) if element is not None else None
        if resolved:
            base = resolved
    return base


def _declares_base(document: bytes | str) -> bool:
    """Whether the top of the document has a <base> tag (a cheap test before a tree walk)."""
    if isinstance(document, bytes):
        return _BASE_TAG_BYTES.search(document, 0, _BASE_SCAN_BYTES) is not None
    return _BASE_TAG_TEXT.search(document, 0, _BASE_SCAN_BYTES) is not None


def load_page(
    body: bytes,
    url: str | None,
    *,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> HtmlPage:
    """Decode and parse `body`; raise PageParseError only when nothing parseable is there."""
    data = bytes(body)
    truncated = len(data) > max_bytes
    if truncated:
        logger.warning("%s: body of %d bytes truncated to %d", url, len(data), max_bytes)
        data = data[:max_bytes]
    if not data.strip():
        raise PageParseError("empty document", url=url)
    if not data.startswith(_WIDE_BOMS) and _looks_binary(data):
        raise PageParseError("binary content, not HTML", url=url)
    decoded = decode_html(data, content_type, truncated=truncated)
    for warning in decoded.warnings:
        logger.info("%s: %s", url, warning)
    text = decoded.text
    has_nul = b"\x00" in data
    if has_nul:
        text = text.replace("\x00", "")
    if not text or text.isspace():
        raise PageParseError("empty document", url=url)
    # UTF-8 bytes that decoded strictly are exactly what the parser would get from re-encoding.
    raw_utf8 = decoded.exact and decoded.charset == "utf-8" and not has_nul
    root = _parse(data if raw_utf8 else text.encode("utf-8", "replace"), url)
    return HtmlPage(
        url=url,
        base_url=_base_url(root, url, has_base=_declares_base(data if raw_utf8 else text)),
        root=root,
        charset=decoded.charset,
        charset_warnings=decoded.warnings,
        truncated=truncated,
    )
