"""`Retry-After` on 429 and 503 answers, honoured up to NEWSARCHIVE_RETRY_AFTER_MAX seconds.

Scrapy's RetryMiddleware retries 429/503 at once. This middleware runs just before it on the
way back (priority 555, RetryMiddleware is 550):

- Retry-After within the cap: the host is paused until then. Every request to that host,
  the retry included (RetryMiddleware still makes it, counts it and bounds it by RETRY_TIMES),
  waits in `process_request`; other hosts go on.
- Retry-After over the cap: waiting that long would stall the run, and asking earlier than the
  server said is impolite, so that URL is given up for this run (`dont_retry`; the 429/503
  reaches the spider, which counts it and lists the article as not extracted) and a warning
  names the URL and the wait asked for.
- No Retry-After: RetryMiddleware's usual immediate retry.

The header is delay-seconds or an HTTP-date; a date is measured from the response's own `Date`
header when it has one (server clocks drift), else from now.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

STATUSES = frozenset({429, 503})
DEFAULT_MAX_SECONDS = 60.0
_DIGITS = re.compile(r"\d+")
_HUGE = float("inf")


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def retry_after_seconds(value: str | None, date: str | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or HTTP-date), never negative;
    None when absent or unreadable. A date is taken relative to `date` (the response's Date
    header) when that parses, else to now."""
    if not value:
        return None
    text = value.strip()
    if _DIGITS.fullmatch(text):
        return float(text) if len(text) <= 9 else _HUGE
    when = _http_date(text)
    if when is None:
        return None
    reference = _http_date(date) if date else None
    seconds = (when - (reference or datetime.now(UTC))).total_seconds()
    return max(seconds, 0.0)


def _header(response: Response, name: str) -> str | None:
    raw = response.headers.get(name)
    return raw.decode("latin-1") if raw else None


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_seconds = crawler.settings.getfloat(
            "NEWSARCHIVE_RETRY_AFTER_MAX", DEFAULT_MAX_SECONDS
        )
        self.paused_until: dict[str, float] = {}
        """netloc → time.monotonic() before which nothing is sent to it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured  # nothing is retried, so there is nothing to schedule
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        netloc = urlparse_cached(request).netloc
        until = self.paused_until.get(netloc)
        if until is None:
            return
        wait = until - time.monotonic()
        if wait <= 0:
            self.paused_until.pop(netloc, None)
            return
        await sleep(wait)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in STATUSES or request.meta.get("dont_retry"):
            return response
        raw = _header(response, "Retry-After")
        seconds = retry_after_seconds(raw, _header(response, "Date"))
        if seconds is None:
            return response
        netloc = urlparse_cached(request).netloc
        if seconds > self.max_seconds:
            request.meta["dont_retry"] = True
            self._count("over_cap")
            logger.warning(
                "%s answered %d with Retry-After: %s, more than NEWSARCHIVE_RETRY_AFTER_MAX="
                "%g s: not retried in this run",
                request.url,
                response.status,
                raw,
                self.max_seconds,
            )
            return response
        until = time.monotonic() + seconds
        self.paused_until[netloc] = max(until, self.paused_until.get(netloc, 0.0))
        self._count("waits")
        logger.info(
            "%s answered %d with Retry-After: %s: pausing %s for %.1f s",
            request.url,
            response.status,
            raw,
            netloc,
            seconds,
        )
        return response

    def _count(self, what: str) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"newsarchive/retry_after/{what}")
