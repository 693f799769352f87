"""Every absolute http(s) link of a page, for the crawler to filter."""

from __future__ import annotations

from urllib.parse import urldefrag

from newsarchive.extract.html import HtmlPage

_LINK_RELS = frozenset({"amphtml", "next", "prev", "previous"})


def extract_links(page: HtmlPage, *, amphtml: bool = True) -> list[str]:
    """a[href], area[href] and link[rel=amphtml|next|prev|alternate hreflang], absolute, without
    fragments, de-duplicated in page order. `amphtml=False` leaves out the AMP alternate, which
    duplicates the page itself."""
    out: list[str] = []
    seen: set[str] = set()
    for el in page.root.xpath("//a[@href] | //area[@href] | //link[@href][@rel]"):
        if el.tag == "link":
            rels = set((el.get("rel") or "").lower().split())
            if not (rels & _LINK_RELS or ("alternate" in rels and el.get("hreflang"))):
                continue
            if not amphtml and rels == {"amphtml"}:
                continue
        url = page.absolute(el.get("href"))
        if not url:
            continue
        url = urldefrag(url).url
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out
