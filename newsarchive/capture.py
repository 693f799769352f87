"""Scrapy glue that writes every HTTP exchange to WARC, exactly as received.

`CaptureDownloadHandler` stamps the WARC-Date when the request goes out. `CaptureExtension`
listens to `response_downloaded`, which Scrapy sends right after the download handler returns and
before any downloader middleware sees the response: the body is still gzip/br encoded, every
redirect hop and every retry passes through it, and so do robots.txt, feeds and sitemaps.
"""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from newsarchive import __version__
from newsarchive.warc.writer import HttpCapture, WarcWriter, WarcWriterConfig

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http.headers import Headers

    from newsarchive.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

WARC_DATE_META = "newsarchive_warc_date"
CAPTURE_META = "newsarchive_capture"


class CaptureDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, plus the moment the request left (shared by both records)."""

    async def download_request(self, request: Request) -> Response:
        request.meta[WARC_DATE_META] = datetime.now(UTC)
        return await super().download_request(request)


def header_pairs(headers: Headers) -> tuple[tuple[str, str], ...]:
    """Every value of every header (Scrapy keeps repeated headers as lists)."""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            pairs.append((key, text))
    return tuple(pairs)


def request_header_pairs(request: Request) -> tuple[tuple[str, str], ...]:
    """The headers as sent: Twisted adds Host, which Scrapy's request does not carry."""
    pairs = list(header_pairs(request.headers))
    if not any(name.lower() == "host" for name, _ in pairs):
        pairs.insert(0, ("Host", urlsplit(request.url).netloc))
    return tuple(pairs)


def http_capture(request: Request, response: Response) -> HttpCapture:
    warc_date = request.meta.get(WARC_DATE_META) or datetime.now(UTC)
    truncated: Literal["length"] | None = None
    if "partial" in response.flags or "dataloss" in response.flags:
        truncated = "length"
    ip = response.ip_address
    return HttpCapture(
        url=request.url,
        method=request.method,
        request_headers=request_header_pairs(request),
        request_body=request.body or b"",
        protocol=response.protocol or "HTTP/1.1",
        status=response.status,
        response_headers=header_pairs(response.headers),
        body=response.body,
        warc_date=warc_date,
        ip_address=str(ip) if ip is not None else None,
        truncated=truncated,
    )


class CaptureExtension:
    """Writes request + response records for every download into the run's `warc/` folder."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.writer: WarcWriter | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureExtension:
        if not crawler.settings.getbool("NEWSARCHIVE_CAPTURE_ENABLED", True):
            raise NotConfigured  # quietly: no message, no warning
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        run = getattr(spider, "run", None)
        if run is None:
            raise NotConfigured("the spider has no run directory (use the 'news' spider)")
        self.writer = WarcWriter(self._config(spider, run.warc_dir))

    def _config(self, spider: NewsSpider, warc_dir: Path) -> WarcWriterConfig:
        settings = self.crawler.settings
        profile = spider.profile
        robots = "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"
        warcinfo = {
            "software": f"newsarchive/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": settings.get("NEWSARCHIVE_COLLECTION") or profile.name,
            "operator": settings.get("NEWSARCHIVE_OPERATOR") or "",
            "hostname": socket.gethostname(),
            "robots": robots,
            "http-header-user-agent": settings.get("USER_AGENT"),
            "description": f"newsarchive crawl of {profile.description or profile.name}, "
            f"run {spider.run.run_id}",
        }
        return WarcWriterConfig(
            directory=warc_dir,
            prefix=profile.name,
            max_size=settings.getint("NEWSARCHIVE_WARC_MAX_SIZE"),
            digest_algorithm=settings.get("NEWSARCHIVE_WARC_DIGEST"),
            redact_headers=tuple(
                h.lower() for h in settings.getlist("NEWSARCHIVE_WARC_REDACT_HEADERS")
            ),
            warcinfo=warcinfo,
        )

    def response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        if self.writer is None:
            return
        stats = self.crawler.stats
        try:
            capture = self.writer.write_exchange(http_capture(request, response))
        except OSError:
            # Disk full or similar: nothing more can be archived, so the crawl must stop.
            logger.exception("cannot write WARC record for %s; stopping the crawl", request.url)
            if stats:
                stats.inc_value("newsarchive/capture/failed/OSError")
            if self.crawler.engine:
                deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="warc_write_failed")
                )
            return
        request.meta[CAPTURE_META] = capture
        if stats:
            stats.inc_value("newsarchive/capture/exchanges")
            stats.inc_value("newsarchive/capture/bytes", len(response.body))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.writer is None:
            return
        self.writer.close()
        stats = self.crawler.stats
        if stats:
            stats.set_value("newsarchive/warc/files", len(self.writer.files))
            stats.set_value("newsarchive/warc/bytes", self.writer.bytes_written)
        spider.run.warc_files = [p.name for p in self.writer.files]
