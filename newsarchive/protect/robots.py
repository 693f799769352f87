"""robots.txt that cannot be read means "disallow everything" (RFC 9309 §2.3.1.4).

Scrapy's RobotsTxtMiddleware parses whatever body its robots.txt request got: a 500 page, or
nothing at all after a network error, becomes "everything allowed". The robots.txt request goes
through the downloader middlewares like any other, so RetryMiddleware already retries a 5xx
(RETRY_TIMES, honouring Retry-After: a "500 once, then 200" robots.txt is read on the second
try and the crawl goes on). This middleware sits behind RetryMiddleware (priority 540 < 550)
and sees only what it gave up on: a robots.txt still answering 5xx (or 429, which servers use
for overload and Google treats as 5xx), or a download that failed, is replaced by a body that
disallows everything. The host is then off limits for the rest of the run, the log says so at
ERROR level, and `errors/RobotsUnreachable` makes the run end with exit status 1. What the
server really sent is in the WARC already (capture happens before any middleware).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
_DONE_META = "newsarchive_robots_disallowed"


def is_robots_request(request: Request) -> bool:
    """The request Scrapy's RobotsTxtMiddleware makes for a host's robots.txt."""
    return (
        request.callback is NO_CALLBACK
        and bool(request.meta.get("dont_obey_robotstxt"))
        and urlparse_cached(request).path == "/robots.txt"
    )


def unreachable_status(status: int) -> bool:
    return status >= 500 or status == 429


class RobotsUnreachableMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsUnreachableMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            not is_robots_request(request)
            or not unreachable_status(response.status)
            or request.meta.get(_DONE_META)
        ):
            return response
        self._disallow(request, f"answered {response.status}")
        return response.replace(body=DISALLOW_ALL)

    def process_exception(self, request: Request, exception: Exception) -> Response | None:
        if not is_robots_request(request) or isinstance(exception, IgnoreRequest):
            return None  # refused on purpose (scope, address): its pages are refused too
        self._disallow(request, f"failed ({type(exception).__name__}: {exception})")
        return Response(request.url, status=599, body=DISALLOW_ALL, request=request)

    def _disallow(self, request: Request, what: str) -> None:
        request.meta[_DONE_META] = True
        attempts = int(request.meta.get("retry_times", 0)) + 1
        netloc = urlparse_cached(request).netloc
        logger.error(
            "%s %s after %d attempt(s): RFC 9309 reads an unreachable robots.txt as "
            "disallow-all, so nothing else is fetched from %s in this run",
            request.url,
            what,
            attempts,
            netloc,
        )
        if self.crawler.stats:
            self.crawler.stats.inc_value("newsarchive/errors/RobotsUnreachable")
