"""The ground-truth manifest (§13): one JSON object per URL the site serves, derived from the
same routes and model the server uses, with a `crawlable` flag computed by walking the links
of the rendered pages the way a polite crawler would.

In fault mode every URL that carries a fault has `fault` (a name from `faults.FAULTS`),
`expected` (what a robust crawler observes) and `expect_article`; `delivery` says how the
server cuts or stalls the response, `content_encoding` what it claims the body is in."""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import unescape as xml_unescape

from newsarchive.demosite.edge_sitemaps import latest_truth
from newsarchive.demosite.edge_truth import edge_truth
from newsarchive.demosite.faults import FAULTS, OFFSITE_STORY
from newsarchive.demosite.feeds import (
    NEWS_SITEMAP_PATH,
    ROBOTS_DISALLOW,
    SITEMAP_INDEX_PATH,
    WRAPPED_LINK_ITEM,
    feed_articles,
)
from newsarchive.demosite.listings import ListingPage
from newsarchive.demosite.options import BASE, FOREIGN, DemoOptions
from newsarchive.demosite.page import Route
from newsarchive.demosite.responder import Responder
from newsarchive.demosite.routes import RouteTable
from newsarchive.demosite.truth import article_truth

_A_HREF = re.compile(r"<a\s[^>]*?href=\"([^\"]+)\"", re.IGNORECASE)
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
_RSS_LINK = re.compile(r"<link>\s*([^<\s]+)\s*</link>")
_ENTITY_REF = re.compile(r"&[A-Za-z_][\w.-]*;")
_PREDEFINED_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos);")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
MAX_REDIRECTS = 10


def _robots_allowed(url: str) -> bool:
    path, _, query = url.partition("?")
    for rule in ROBOTS_DISALLOW:
        if rule == "/*?utm_":
            if query.startswith("utm_") or "&utm_" in query:
                return False
        elif path.startswith(rule):
            return False
    return True


def _internal(href: str) -> str | None:
    """Root-relative form of a same-site link, or None for off-site/non-HTTP links. Like a
    browser, it removes dot segments and percent-encodes non-ASCII characters as UTF-8."""
    href = html.unescape(href).split("#", 1)[0]
    if href.startswith(BASE):
        href = href[len(BASE) :] or "/"
    if not href.startswith("/") or href.startswith("//"):
        return None
    path, mark, query = href.partition("?")
    if "/." in path:
        trailing = "/" if path.endswith("/") and path.rstrip("/") else ""
        path = posixpath.normpath(path) + trailing
    return _NON_ASCII.sub(lambda match: quote(match.group()), path + mark + query)


def _xml_text(value: str) -> str | None:
    """An XML <loc>/<link> text with the predefined entities resolved; None when it uses any
    other entity (fault mode's entity bombs: a safe parser does not expand them)."""
    if _ENTITY_REF.search(_PREDEFINED_ENTITY.sub("", value)):
        return None
    return xml_unescape(value, {"&quot;": '"', "&apos;": "'"})


def _links(route: Route, body: bytes, content_type: str) -> list[str]:
    text = body.decode("utf-8", errors="replace")  # hrefs: ASCII or UTF-8 (fault mode)
    if content_type.startswith("text/html"):
        found = _A_HREF.findall(text)
    elif "xml" in content_type:
        found = [
            loc
            for loc in (_xml_text(v) for v in _LOC.findall(text) + _RSS_LINK.findall(text))
            if loc is not None
        ]
    elif route.page_type == "robots":
        found = [
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("Sitemap:")
        ]
    else:
        found = []
    return [link for link in (_internal(h) for h in found) if link is not None]


def crawl_seeds(table: RouteTable) -> list[str]:
    seeds = ["/", "/robots.txt", SITEMAP_INDEX_PATH, NEWS_SITEMAP_PATH]
    return seeds + [f"{e.prefix}/feed/" for e in table.editions]


def crawlable_urls(table: RouteTable, responder: Responder) -> set[str]:
    """URLs a robots-obeying crawler reaches from `/`, robots.txt, sitemaps and feeds by
    following <a href>, <loc> and RSS <link>, and redirects; it stops at empty listing pages."""
    seen: set[str] = set()
    queue = deque(crawl_seeds(table))
    while queue:
        url = queue.popleft()
        if url in seen or not _robots_allowed(url):
            continue
        seen.add(url)
        route = table.resolve(url)
        rendered = responder.rendered(route)
        page = rendered.page
        if page.location is not None:
            target = _internal(page.location)
            if target is not None:
                queue.append(target)
            continue
        if route.listing is not None and route.listing.trap:
            continue
        queue.extend(_links(route, rendered.body, page.content_type))
    return seen


def _final_url(table: RouteTable, responder: Responder, route: Route) -> str | None:
    visited = {route.url}
    current = route
    for _ in range(MAX_REDIRECTS):
        location = responder.rendered(current).page.location
        if location is None:
            return current.url
        if not location.startswith("/"):
            return location  # off-site: {FOREIGN}/… or an absolute URL
        if location in visited:
            return None
        visited.add(location)
        current = table.resolve(location)
    return None


def _listing_fields(page: ListingPage) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": page.title,
        "items": [{"href": item.href, "text": item.text} for item in page.items],
    }
    if page.paginated:
        fields.update(
            page=page.page,
            last_page=page.last_page,
            prev_url=page.prev_path,
            next_url=page.next_path,
            last_url=page.last_path,
            trap=page.trap,
        )
    return fields


def _feed_fields(table: RouteTable, route: Route) -> dict[str, Any]:
    edition = table.edition_of(route.url)
    items = [{"href": a.path, "id": str(a.id), "title": a.title} for a in feed_articles(edition)]
    return {"items": items, "wrapped_link_item": WRAPPED_LINK_ITEM if items else None}


def _sitemap_fields(route: Route, body: bytes) -> dict[str, Any]:
    texts = (_xml_text(loc) for loc in _LOC.findall(body.decode("utf-8")))
    locs = [_internal(text) for text in texts if text is not None]
    fields: dict[str, Any] = {"locs": locs}
    if route.url == NEWS_SITEMAP_PATH:
        fields["news_count"] = len(locs)
    return fields


def describe(
    table: RouteTable, responder: Responder, route: Route, crawlable: set[str]
) -> dict[str, Any]:
    rendered = responder.rendered(route)
    page = rendered.page
    entry: dict[str, Any] = {
        "url": route.url,
        "status": page.status,
        "final_url": _final_url(table, responder, route),
        "canonical_url": route.canonical,
        "page_type": route.page_type,
        "crawlable": route.url in crawlable,
        "fault": route.fault,
        "content_type": page.content_type,
        "lang": route.lang,
    }
    if page.once_status is not None:
        entry["first_status"] = page.once_status
    if route.fault is not None:
        entry.update(_fault_fields(route.fault))
    if page.delivery != "normal":
        entry["delivery"] = page.delivery
    if page.content_encoding is not None:
        entry["content_encoding"] = page.content_encoding
    if page.location is not None:
        entry["location"] = page.location
    if route.variant is not None:
        entry["variant"] = route.variant
    if route.edge is not None:
        entry.update(edge_truth(route.edge, table.edition_of(route.url)))
    elif route.article is not None:
        edition = table.model.edition(route.article.lang)
        if route.page_type == "article":
            entry.update(article_truth(route.article, edition))
        else:
            entry["id"] = str(route.article.id)
    if route.listing is not None:
        entry.update(_listing_fields(route.listing))
    if route.page_type == "feed":
        entry.update(_feed_fields(table, route))
        if route.fault == "feed_garbage":
            entry["garbage_items"] = rendered.body.count(b"<item>") - len(entry["items"])
    if route.page_type == "sitemap":
        entry.update(_sitemap_fields(route, rendered.body))
        entry.update(latest_truth(route.url))
    return entry


def _fault_fields(name: str) -> dict[str, Any]:
    fault = FAULTS[name]
    return {"expected": fault.expected, "expect_article": fault.expect_article}


def offsite_entries() -> list[dict[str, Any]]:
    """The off-scope URL fault pages link and redirect to (served by the 127.0.0.2 listener,
    never by the site itself): `url` keeps the {FOREIGN} placeholder."""
    return [
        {
            "url": OFFSITE_STORY,
            "status": 200,
            "final_url": OFFSITE_STORY,
            "canonical_url": None,
            "page_type": "fault",
            "crawlable": False,
            "fault": "offsite_link",
            "content_type": "text/html; charset=utf-8",
            "lang": None,
            **_fault_fields("offsite_link"),
        }
    ]


def _unique(routes: Iterable[Route]) -> list[Route]:
    seen: set[str] = set()
    out = []
    for route in routes:
        if route.url not in seen:
            seen.add(route.url)
            out.append(route)
    return out


def build_manifest(options: DemoOptions) -> list[dict[str, Any]]:
    """Ground truth for a site built with `options`: one dict per served URL (root-relative
    `url`; absolute values elsewhere keep the {FOREIGN} placeholder for 127.0.0.2:port)."""
    table = RouteTable(options)
    responder = Responder(table, BASE, FOREIGN)
    crawlable = crawlable_urls(table, responder)
    routes = _unique(table.iter_routes())
    known = {route.url for route in routes}
    routes += [table.resolve(url) for url in sorted(crawlable - known)]
    entries = [describe(table, responder, route, crawlable) for route in routes]
    if options.faults:
        entries += offsite_entries()
    return entries


def write_manifest(path: Path, options: DemoOptions) -> int:
    """Write the manifest as JSON lines; returns the number of lines."""
    entries = build_manifest(options)
    with path.open("w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return len(entries)
