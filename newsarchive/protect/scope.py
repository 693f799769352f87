"""Every request stays on the profile's hosts and under the URL length limit, redirect targets
and retries included.

Scrapy's own OffsiteMiddleware compares host names only (not ports) and lets any request with
`dont_filter` through, which every retried request has: a page that answers 503 once and then
redirects off-site would be followed. This middleware checks each request with the same
`in_scope` the spider uses for links.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals

from newsarchive.accounting import note_unextracted
from newsarchive.discovery import in_scope
from newsarchive.protect.refusals import Refused

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_URL_MAX_LENGTH = 2048


def url_refusal(url: str, max_length: int) -> str | None:
    """Why a URL is never requested (`url_too_long`, `not_http`), or None. `max_length` 0 turns
    the length limit off."""
    if max_length and len(url) > max_length:
        return "url_too_long"
    if not url[:8].lower().startswith(("http://", "https://")):
        return "not_http"
    return None


class ScopeMiddleware:
    """Refuses requests off the profile's hosts or over NEWSARCHIVE_URL_MAX_LENGTH, whatever
    produced them (links, redirects, retries).

    Checked when a request is scheduled (where Scrapy's OffsiteMiddleware checks too, and where
    a refusal drops the request without an errback: counted and reported here), and again
    before it is sent, for requests that never pass the scheduler (robots.txt).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_length = crawler.settings.getint(
            "NEWSARCHIVE_URL_MAX_LENGTH", DEFAULT_URL_MAX_LENGTH
        )
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    def refusal(self, request: Request) -> str | None:
        profile = getattr(self.crawler.spider, "profile", None)
        if profile is None:
            return None  # not the news spider: nothing to scope by
        reason = url_refusal(request.url, self.max_length)
        if reason is None and not in_scope(request.url, profile.allowed_hosts):
            reason = "off_scope"
        return reason

    def request_scheduled(self, request: Request, spider: Any = None) -> None:
        reason = self.refusal(request)
        if reason is None:
            return
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"newsarchive/refused/{reason}")
        note_unextracted(self.crawler, request, f"refused: {reason}")
        self._refuse(request, reason)

    def process_request(self, request: Request) -> None:
        reason = self.refusal(request)
        if reason is not None:
            self._refuse(request, reason)

    def _refuse(self, request: Request, reason: str) -> None:
        origin = _redirected_from(request)
        logger.warning(
            "refused %s (%s)%s",
            request.url[:300],
            reason,
            f", redirected from {origin}" if origin else "",
        )
        raise Refused(reason, f"{reason}: {request.url[:300]}")


def _redirected_from(request: Request) -> str | None:
    chain = request.meta.get("redirect_urls") or []
    return str(chain[-1]) if chain else None
