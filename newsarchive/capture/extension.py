"""The extension that owns the run's WARC writer.

It listens to `response_downloaded`, which Scrapy sends right after the download handler returns
and before any downloader middleware sees the response: the body is still gzip/br encoded, every
redirect hop and every retry passes through it, and so do robots.txt, feeds and sitemaps.
Downloads cut short reach it from the download handler instead (see handler.py).
"""

from __future__ import annotations

import logging
import socket
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from newsarchive import __version__
from newsarchive.capture.exchange import CAPTURE_META, http_capture
from newsarchive.protect.disk import REASON as DISK_FULL
from newsarchive.protect.disk import is_disk_full
from newsarchive.records import Capture
from newsarchive.warc.digest_index import DigestIndex
from newsarchive.warc.revisit import RevisitPolicy
from newsarchive.warc.revisit_writer import write_capture
from newsarchive.warc.writer import HttpCapture, WarcWriter, WarcWriterConfig

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsarchive.spiders.news import NewsSpider

logger = logging.getLogger(__name__)


def find_capture_extension(crawler: Crawler) -> CaptureExtension | None:
    """The crawler's capture extension (the pipeline and download handler write through it)."""
    if crawler.extensions is None:
        return None
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, CaptureExtension):
            return extension
    return None


class CaptureExtension:
    """Writes request + response records for every download into the run's `warc/` folder."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.writer: WarcWriter | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureExtension:
        if not crawler.settings.getbool("NEWSARCHIVE_CAPTURE_ENABLED", True):
            raise NotConfigured  # quietly: no message, no warning
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        run = getattr(spider, "run", None)
        if run is None:
            raise NotConfigured("the spider has no run directory (use the 'news' spider)")
        self.spider = spider
        self.writer = WarcWriter(self._config(spider, run.warc_dir))
        settings = self.crawler.settings
        self.policy = RevisitPolicy(
            mode=settings.get("NEWSARCHIVE_REVISIT_POLICY"),
            blackout_seconds=settings.getfloat("NEWSARCHIVE_REVISIT_BLACKOUT"),
            min_size=settings.getint("NEWSARCHIVE_REVISIT_MIN_SIZE"),
        )
        self.index = DigestIndex(spider.state.path)

    def _config(self, spider: NewsSpider, warc_dir: Path) -> WarcWriterConfig:
        settings = self.crawler.settings
        profile = spider.profile
        robots = "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"
        warcinfo = {
            "software": f"newsarchive/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": settings.get("NEWSARCHIVE_COLLECTION") or profile.name,
            # Who to contact about this archive: the operator, else the crawler's contact URL.
            "operator": settings.get("NEWSARCHIVE_OPERATOR")
            or settings.get("NEWSARCHIVE_CONTACT_URL"),
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
        truncated = "disconnect" if {"partial", "dataloss"} & set(response.flags) else None
        self.write(request, http_capture(request, response), truncated=truncated)

    def write(self, request: Request, capture: HttpCapture, *, truncated: str | None) -> None:
        """Archive one exchange and remember where, for the records derived from it."""
        if self.writer is None:
            return
        stats = self.crawler.stats
        try:
            pointer, kind = self._write(capture)
        except (OSError, sqlite3.Error) as exc:
            # sqlite3 too: on a full disk the digest index fails before the WARC does.
            self._fail(f"cannot write the WARC record for {request.url}: {exc}", exc)
            return
        request.meta[CAPTURE_META] = pointer
        if stats:
            stats.inc_value("newsarchive/capture/exchanges")
            stats.inc_value("newsarchive/capture/bytes", len(capture.body))
            if kind != "response":
                stats.inc_value(f"newsarchive/capture/{kind}")
            if truncated:
                stats.inc_value(f"newsarchive/capture/truncated/{truncated}")

    def _write(self, capture: HttpCapture) -> tuple[Capture | None, str]:
        """A response, a revisit, or (blackout policy) nothing; with the pointer for records."""
        assert self.writer is not None
        if capture.status == 304:
            known = self.spider.state.known(capture.url)
            if known is not None and known.record_id and known.capture_uri:
                pointer = self.writer.write_revisit(
                    capture,
                    refers_to=known.record_id,
                    refers_to_target_uri=known.capture_uri,
                    refers_to_date=known.capture_date or "",
                    profile="server-not-modified",
                    payload_digest=known.payload_digest,
                )
                return pointer, "revisit/server-not-modified"
        outcome = write_capture(self.writer, self.index, self.policy, capture)
        if outcome.decision == "skip":
            prior = outcome.prior
            skipped_to: Capture | None = None
            if prior is not None:
                # Nothing written: derived records point at the archived copy instead.
                skipped_to = Capture(
                    warc_file=prior.warc_file,
                    offset=prior.offset,
                    length=prior.length,
                    record_id=prior.record_id,
                    payload_digest=prior.payload_digest,
                )
            return skipped_to, "skipped_blackout"
        if outcome.decision == "revisit":
            return outcome.capture, "revisit/identical-payload-digest"
        return outcome.capture, "response"

    def write_metadata(self, pointer: Capture, url: str, payload: dict[str, Any]) -> None:
        """A `metadata` record holding what was extracted from the response at `pointer`."""
        if self.writer is None:
            return
        try:
            self.writer.write_metadata(pointer.record_id, url, payload)
        except OSError as exc:
            self._fail(f"cannot write the metadata record for {url}: {exc}", exc)

    def write_resource(self, uri: str, content_type: str, payload: bytes) -> None:
        if self.writer is None:
            return
        try:
            self.writer.write_resource(uri, content_type, payload)
        except OSError as exc:
            self._fail(f"cannot write the resource record {uri}: {exc}", exc)

    def _fail(self, message: str, error: BaseException) -> None:
        # Disk full or similar: nothing more can be archived, so the crawl must stop.
        logger.error("%s; stopping the crawl (free disk space, or choose another --out)", message)
        if self.crawler.stats:
            self.crawler.stats.inc_value("newsarchive/errors/WarcWriteError")
        if self.crawler.engine and self.crawler.engine.running:
            reason = DISK_FULL if is_disk_full(error) else "warc_write_failed"
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def close(self, spider: Any) -> None:
        """Finish the last file (rename `.open` away) and record the WARC counts."""
        if self.writer is None:
            return
        try:
            self.writer.close()
        except OSError as exc:
            logger.error("cannot close the WARC file cleanly: %s", exc)
        self.index.close()
        stats = self.crawler.stats
        if stats:
            stats.set_value("newsarchive/warc/files", len(self.writer.files))
            stats.set_value("newsarchive/warc/bytes", self.writer.bytes_written)
        spider.run.warc_files = [p.name for p in self.writer.files]

    def engine_stopped(self) -> None:
        # Normally RunLogExtension has closed the writer by now (after archiving the run's own
        # records); this is the safety net that never leaves a `.open` file behind.
        if self.writer is not None:
            self.writer.close()
