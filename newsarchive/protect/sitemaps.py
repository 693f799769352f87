"""Big sitemaps are streamed, not parsed into one tree.

A 50 MB urlset (the protocol's limit) parsed whole costs several times its size in lxml nodes;
`discovery.iter_sitemap` reads it entry by entry and frees each one. Bodies over
NEWSARCHIVE_SITEMAP_STREAM_BYTES, and every gzip body (its inflated size is unknown until
inflated), take that path. Both paths use the same hostile-input-safe parser settings.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsarchive.discovery import (
    SitemapEntry,
    SitemapError,
    iter_sitemap,
    parse_sitemap,
    sitemap_kind,
)

DEFAULT_STREAM_BYTES = 1_000_000
_GZIP_MAGIC = b"\x1f\x8b"


def sitemap_entries(
    body: bytes, url: str, *, stream_over: int = DEFAULT_STREAM_BYTES
) -> tuple[str, Iterable[SitemapEntry], bool]:
    """(kind, entries, streamed) of a sitemap body. A streamed iterable may raise
    `SitemapError` part-way; a parsed one raised it here already."""
    if body[:2] == _GZIP_MAGIC or len(body) > stream_over:
        kind = sitemap_kind(body)
        if kind is None:
            raise SitemapError(url, "the root element is neither urlset nor sitemapindex")
        return kind, iter_sitemap(body, url), True
    sitemap = parse_sitemap(body, url)
    return sitemap.kind, sitemap.entries, False
