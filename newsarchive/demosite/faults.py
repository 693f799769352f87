"""Fault mode (`faults=True`): broken responses added on top of the default site, which itself
only serves well-formed ones. Each fault is a named article or route; the server applies
`Page.delivery` / `Page.once_status`. To add a fault: give it an article in
`content.FAULT_SLUGS` (or a route in `fault_routes`) and a case in `transform_article`."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from newsarchive.demosite.chrome import attr, esc, link_path
from newsarchive.demosite.model import Article, Edition, SiteModel
from newsarchive.demosite.page import Page, Route, redirect_page

LOOP_A = "/loop-a-9008/"
LOOP_B = "/loop-b-9008/"
RETRY_AFTER_SECONDS = 1
FAULT_NAMES = (
    "broken_gzip",
    "charset_lie",
    "malformed_html",
    "rate_limited_once",
    "unavailable_once",
    "truncated_body",
    "connection_reset",
    "redirect_loop",
)


def fault_routes(
    model: SiteModel, article_route: Callable[[Article, Edition], Route]
) -> list[Route]:
    """Routes that exist only in fault mode."""
    routes = [article_route(a, model.edition(a.lang)) for a in model.fault_articles]
    for source, target in ((LOOP_A, LOOP_B), (LOOP_B, LOOP_A)):
        routes.append(
            Route(
                source,
                "redirect",
                _redirect_to(target),
                canonical=None,
                variant="loop",
                fault="redirect_loop",
                lang="en",
            )
        )
    return routes


def _redirect_to(target: str) -> Callable[[], Page]:
    return lambda: redirect_page(target)


def transform_article(article: Article, page: Page) -> Page:
    """Apply the article's fault to its rendered page (identity for normal articles)."""
    match article.fault:
        case "broken_gzip":
            return dataclasses.replace(page, delivery="gzip_header_over_plain")
        case "rate_limited_once":
            return dataclasses.replace(page, once_status=429)
        case "unavailable_once":
            return dataclasses.replace(page, once_status=503)
        case "truncated_body":
            return dataclasses.replace(page, delivery="truncate")
        case "connection_reset":
            return dataclasses.replace(page, delivery="reset")
        case "malformed_html":
            return dataclasses.replace(page, body=malform(page.body))
    return page


def malform(body: bytes) -> bytes:
    """Unclosed tags, a NUL byte and JSON-LD with a trailing comma; the text stays the same."""
    text = body.decode("utf-8")
    text = text.replace('"isAccessibleForFree":true}', '"isAccessibleForFree":true,}', 1)
    text = text.replace("</p>\n<p>", "\n<p>")
    text = text.replace('<div class="newstext">', '<div class="newstext"><div class="inner">', 1)
    text = text.replace('<div class="story__body"', '<div class="inner"><div class="story__body"')
    text = text.replace("</main>\n", "</main>\n<!-- build \x00 -->\n", 1)
    return text.encode("utf-8")


def special_block(model: SiteModel) -> str:
    """Links to every fault URL, shown on /last-news/ only in fault mode."""
    rows = [
        f'<li><a href="{attr(link_path(a))}">{esc(a.title)}</a></li>' for a in model.fault_articles
    ]
    rows.append(f'<li><a href="{LOOP_A}">Story that moved twice</a></li>')
    return (
        '<div class="newslist3 newslist3--special"><h2 class="newslist3__title">Special reports'
        "</h2><ul>\n" + "\n".join(rows) + "\n</ul></div>"
    )


class OnceState:
    """Remembers which URLs already had their one failure (per server instance)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: set[str] = set()

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._done:
                return False
            self._done.add(key)
            return True
