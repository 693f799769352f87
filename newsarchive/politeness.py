"""robots.txt Crawl-delay as a minimum per-host delay (Scrapy itself ignores Crawl-delay)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from protego import Protego
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CrawlDelayMiddleware:
    """Reads Crawl-delay from each robots.txt response and keeps the host's download slot at
    least that slow. It runs after AutoThrottle has adjusted the slot, so it wins."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or "*"
        self.max_delay = crawler.settings.getfloat("NEWSARCHIVE_CRAWL_DELAY_MAX")
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        if not crawler.settings.getbool("NEWSARCHIVE_OBEY_CRAWL_DELAY"):
            raise NotConfigured  # quietly: no message, no warning
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        netloc = urlparse_cached(request).netloc
        if urlparse_cached(request).path == "/robots.txt" and response.status == 200:
            self._learn(netloc, response)
        delay = self.delays.get(netloc)
        if delay:
            self._enforce(request, delay)
        return response

    def _learn(self, netloc: str, response: Response) -> None:
        text = response.body[:500_000].decode("utf-8", errors="replace")
        delay = Protego.parse(text).crawl_delay(self.user_agent)
        if delay:
            capped = min(float(delay), self.max_delay)
            self.delays[netloc] = capped
            logger.info("%s asks for Crawl-delay %s s; using %s s", netloc, delay, capped)

    def _enforce(self, request: Request, delay: float) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        key = request.meta.get(downloader.DOWNLOAD_SLOT)
        slot = downloader.slots.get(key) if key else None
        if slot is None:
            return
        # Scrapy spreads each delay by ±jitter; scale it so the shortest gap is still `delay`.
        jitter = float(getattr(slot, "jitter", 0.0) or 0.0)
        needed = delay / (1 - jitter) if 0 < jitter < 1 else delay
        if slot.delay < needed:
            slot.delay = needed
