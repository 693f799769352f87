"""Redirect loops reported as such.

A loop is stopped by Scrapy before it costs anything: the redirect back to an already fetched
URL is dropped by the scheduler's duplicate filter, and a chain that never repeats a URL ends at
REDIRECT_MAX_TIMES. The first stop is silent, so this extension watches dropped requests and
names the loop (`a → b → a`): logged, counted as `refused/redirect_loop`, and the article it
was meant to be listed in run.json as not extracted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals

from newsarchive.accounting import note_unextracted

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def redirect_loop(request: Request) -> list[str] | None:
    """The URLs of the loop `request` closes (first and last equal), or None."""
    chain = [str(url) for url in request.meta.get("redirect_urls") or []]
    if request.url not in chain:
        return None
    return [*chain[chain.index(request.url) :], request.url]


class RedirectLoopExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopExtension:
        return cls(crawler)

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        loop = redirect_loop(request)
        if loop is None:
            return
        logger.warning("redirect loop, not followed: %s", " → ".join(u[:200] for u in loop))
        if self.crawler.stats:
            self.crawler.stats.inc_value("newsarchive/refused/redirect_loop")
        note_unextracted(self.crawler, request, "refused: redirect_loop")
