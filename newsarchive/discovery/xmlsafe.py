"""Hostile-input-safe XML reading shared by sitemaps and feeds.

Every XML body the crawler discovers comes from the network, so: no entity expansion, no DTD or
network fetches, libxml2's size/depth limits left on, and compressed bodies inflated only up to a
bound (a 20 KB gzip can hold gigabytes of zeros).
"""

from __future__ import annotations

import re
import zlib
from typing import IO

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
# Enough to see past an XML declaration, comments and a DOCTYPE to the root element's name.
SNIFF_BYTES = 16_384

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_PROLOGUE_ITEM = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>",
    re.DOTALL | re.IGNORECASE,
)
_ELEMENT_START = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


class XmlBodyError(ValueError):
    """A body could not be inflated within its bound; callers wrap it with their URL."""


def safe_xml_parser() -> etree.XMLParser:
    """A fresh lxml parser that never expands entities, loads DTDs or touches the network.

    `recover=True` keeps the valid entries of a sitemap or feed with garbage in it; huge_tree stays
    off so libxml2 keeps its depth, text-size and entity-amplification limits.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def iterparse_safely(source: IO[bytes] | BoundedReader) -> etree.iterparse:
    """`lxml.etree.iterparse` with the same protections as `safe_xml_parser`."""
    return etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Inflate a (possibly multi-member) gzip body, refusing to produce more than `max_bytes`."""
    out = bytearray()
    inflater = zlib.decompressobj(_GZIP_WBITS)
    pending = data
    try:
        while True:
            room = max_bytes + 1 - len(out)
            out += inflater.decompress(pending, room)
            if len(out) > max_bytes:
                raise XmlBodyError(
                    f"gzip body inflates to more than max_bytes={max_bytes}; "
                    "raise max_bytes if this file is legitimate"
                )
            if inflater.unconsumed_tail:
                pending = inflater.unconsumed_tail
                continue
            if inflater.eof:
                pending = inflater.unused_data
                if pending.startswith(GZIP_MAGIC):
                    inflater = zlib.decompressobj(_GZIP_WBITS)
                    continue
                return bytes(out)  # trailing junk after the last member is ignored, as gzip(1) does
            raise XmlBodyError("gzip body is truncated; refetch it")
    except zlib.error as exc:
        raise XmlBodyError(f"gzip body is corrupt ({exc}); refetch it") from exc


def gunzip_prefix(data: bytes, size: int = SNIFF_BYTES) -> bytes:
    """The first `size` inflated bytes of a gzip body (for sniffing), or b"" if unreadable."""
    try:
        return zlib.decompressobj(_GZIP_WBITS).decompress(data, size)
    except zlib.error:
        return b""


def decoded_body(body: bytes, max_bytes: int) -> bytes:
    """The XML bytes of a body: inflated when it has the gzip magic, and never over `max_bytes`."""
    if body.startswith(GZIP_MAGIC):
        return gunzip_bounded(body, max_bytes)
    if len(body) > max_bytes:
        raise XmlBodyError(
            f"body is {len(body)} bytes, over max_bytes={max_bytes}; "
            "raise max_bytes if this file is legitimate"
        )
    return body


def root_element_name(prefix: bytes) -> str | None:
    """Lower-cased local name of the first element in `prefix`, skipping the XML prologue.

    None when the prefix has no element start where one is expected (text, or a prologue longer
    than the prefix).
    """
    if prefix.startswith(_UTF8_BOM):
        text = prefix[len(_UTF8_BOM) :].decode("utf-8", "replace")
    elif prefix[:2] in _UTF16_BOMS:
        text = prefix[: len(prefix) - len(prefix) % 2].decode("utf-16", "replace")
    else:
        # Markup is ASCII in every encoding a sitemap or feed realistically uses.
        text = prefix.decode("utf-8", "replace")
    position = 0
    while match := _PROLOGUE_ITEM.match(text, position):
        position = match.end()
    element = _ELEMENT_START.match(text, position)
    return element.group(1).lower() if element else None


def local_name(element: etree._Element) -> str:
    """Local name of an element, whatever namespace (or none) it is in.

    Read from the tag string rather than with `etree.QName`, which raises on the `prefix:name`
    tags that recover mode leaves for an undeclared prefix.
    """
    name = str(element.tag).rpartition("}")[2]
    return name.rpartition(":")[2]


def namespace_of(element: etree._Element) -> str | None:
    """Namespace URI of an element, or None (also for an undeclared prefix)."""
    tag = str(element.tag)
    return tag[1 : tag.index("}")] if tag.startswith("{") and "}" in tag else None


def child_elements(element: etree._Element) -> list[etree._Element]:
    """Child elements only: unresolved entity references and other nodes are skipped."""
    return [child for child in element if isinstance(child.tag, str)]


def text_content(element: etree._Element) -> str:
    """All text inside an element, leaving out unresolved entity references.

    lxml's `itertext()` yields `&name;` for an unresolved entity and XPath `string()` yields the
    entity's declared value, so neither may touch hostile XML.
    """
    parts: list[str] = []
    _collect_text(element, parts)
    return "".join(parts)


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)


class BoundedReader:
    """A `read()`-only stream that raises once more than `max_bytes` have passed through it.

    Read and inflate errors of the wrapped stream are turned into `XmlBodyError`, so a parser
    reading from it sees one kind of failure.
    """

    def __init__(self, source: IO[bytes], max_bytes: int, prefix: bytes = b"") -> None:
        self._source = source
        self._max_bytes = max_bytes
        self._prefix = prefix
        self._total = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._take_prefix(size)
        if not chunk:
            try:
                chunk = self._source.read(size)
            except (OSError, EOFError, zlib.error) as exc:
                raise XmlBodyError(f"body cannot be read or inflated ({exc}); refetch it") from exc
        self._total += len(chunk)
        if self._total > self._max_bytes:
            raise XmlBodyError(
                f"body is over max_bytes={self._max_bytes} (after decompression); "
                "raise max_bytes if this file is legitimate"
            )
        return chunk

    def _take_prefix(self, size: int) -> bytes:
        if not self._prefix:
            return b""
        if size < 0:
            size = len(self._prefix)
        chunk, self._prefix = self._prefix[:size], self._prefix[size:]
        return chunk
