"""What a route answers: `Page` (status, headers, bytes with placeholders) and `Route` (a URL
with its page type and what the manifest needs to describe it)."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from newsarchive.demosite.listings import ListingPage
from newsarchive.demosite.model import Article, EdgePage
from newsarchive.demosite.options import BASE

PageType = Literal[
    "article",
    "listing",
    "home",
    "feed",
    "sitemap",
    "robots",
    "page",
    "redirect",
    "error",
    "duplicate",
    "asset",
    "fault",
    "soft_404",
    "article_page",
]
"""`fault`: a fault-mode response that is neither an article nor a redirect (bombs, binary,
empty bodies, the XXE probe). `soft_404`: "Page not found" answered with 200 (E6).
`article_page`: a later page of a story printed over several pages (E17): its text belongs to
the first page's article."""
Delivery = Literal["normal", "truncate", "reset", "stall_headers", "stall_body"]
"""How the server writes the response: whole; half the body then close (FIN) or reset (RST);
nothing for `stall_seconds`; or headers and half the body, then nothing for `stall_seconds`."""

HTML_UTF8 = "text/html; charset=utf-8"
HEADER_CHARSET_UNDER_BOM = "windows-1251"
"""What the header of E8d claims; its bytes are a UTF-8 BOM and UTF-8 (`Article.charset`)."""


@dataclass(frozen=True, slots=True)
class Page:
    status: int
    content_type: str
    body: bytes
    location: str | None = None
    """Redirect target: root-relative (made absolute when served), or absolute with the
    {FOREIGN} placeholder, or any absolute URL (sent as is; the server never connects there)."""
    last_modified: datetime | None = None
    """Set on article pages and their duplicates (with an ETag)."""
    head_allowed: bool = True
    delivery: Delivery = "normal"
    once_status: int | None = None
    """Fault mode: the first request of this URL per server answers this status instead."""
    content_encoding: str | None = None
    """The body is already in this coding (or claims to be): sent as is with this
    Content-Encoding, whatever the request's Accept-Encoding."""


@dataclass(frozen=True, slots=True)
class Route:
    url: str
    page_type: PageType
    render: Callable[[], Page] = field(compare=False)
    article: Article | None = None
    listing: ListingPage | None = None
    canonical: str | None = None
    variant: str | None = None
    """For duplicates and redirects: amp, print, tracking, legacy_path, no_slash, page_one."""
    fault: str | None = None
    lang: str | None = None
    edge: EdgePage | None = None
    """The §12 edge-case page this route serves (its manifest entry comes from `edge_truth`)."""


def html_page(
    text: str,
    status: int = 200,
    *,
    last_modified: datetime | None = None,
    head_allowed: bool = True,
) -> Page:
    body = text.encode("utf-8")
    return Page(status, HTML_UTF8, body, last_modified=last_modified, head_allowed=head_allowed)


def redirect_page(target: str, status: int = 301) -> Page:
    href = f"{BASE}{target}" if target.startswith("/") else target
    body = f'<!DOCTYPE html><html><body><a href="{href}">Moved</a></body></html>\n'
    return Page(status, HTML_UTF8, body.encode("utf-8"), location=target)


def encode_article(article: Article, text: str) -> Page:
    content_type = {
        "header+meta": f"text/html; charset={article.charset}",
        "meta-only": "text/html",
        "header-lie": "text/html; charset=utf-8",
        "undeclared": "text/html",
        "bom-over-header": f"text/html; charset={HEADER_CHARSET_UNDER_BOM}",
    }[article.charset_declaration]
    body = text.encode(article.charset)
    if article.charset_declaration == "bom-over-header":
        body = codecs.BOM_UTF8 + body
    return Page(200, content_type, body, last_modified=article.modified or article.published)
