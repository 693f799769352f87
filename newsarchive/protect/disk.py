"""A full disk stops the crawl cleanly instead of failing page after page.

- Before it is full: after each download the free space of the file system holding the run
  directory is checked (one statvfs call); under NEWSARCHIVE_MIN_FREE_BYTES the crawl
  stops, leaving room to finish the WARC, the run's resource records and run.json.
- When a write fails anyway (another process filled the disk, a quota, a file size limit):
  the WARC writer cuts the failed record off and the capture extension stops the crawl
  (`warc_write_failed`); the JSON lines and the site state (SQLite) fail inside the item
  pipelines or spider callbacks, where Scrapy would log and go on with the next page, so the
  first such error that means "no space" (ENOSPC, EDQUOT, EFBIG; SQLite's full and I/O errors)
  stops it here.

The close reason is `disk_full` (exit status 3); WARC files are finished as on any close.
`QuietFileHandler` keeps the run's crawl.log from printing a traceback for every line it can
no longer write.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_SQLITE_STORAGE_ERRORS = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR})
REASON = "disk_full"
DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024


def is_disk_full(error: BaseException) -> bool:
    """Whether `error` (or what it was raised from) means the storage is full or failing."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in NO_SPACE_ERRNOS:
            return True
        code = getattr(current, "sqlite_errorcode", None)
        # `code & 0xFF`: the primary code of an extended one (SQLITE_IOERR_WRITE...).
        if isinstance(current, sqlite3.Error) and isinstance(code, int):
            return code & 0xFF in _SQLITE_STORAGE_ERRORS
        current = current.__cause__ or current.__context__
    return False


class QuietFileHandler(logging.FileHandler):
    """A log file that, once the disk is full, says so once on stderr and stops writing
    (logging's default prints a traceback for every record it fails to write)."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if error is None or not is_disk_full(error):
            super().handleError(record)
            return
        self.failed = True
        sys.stderr.write(f"newsarchive: {self.baseFilename}: {error}; the log goes on here\n")


class DiskFullExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.min_free = crawler.settings.getint(
            "NEWSARCHIVE_MIN_FREE_BYTES", DEFAULT_MIN_FREE_BYTES
        )
        self.stopping = False
        self.directory: Path | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFullExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        run = getattr(spider, "run", None)
        self.directory = getattr(run, "path", None)
        self._check_free_space()

    def response_downloaded(self, response: Any, request: Any, spider: Any = None) -> None:
        self._check_free_space()

    def _check_free_space(self) -> None:
        if self.directory is None or self.min_free <= 0 or self.stopping:
            return
        try:
            free = shutil.disk_usage(self.directory).free
        except OSError as error:
            logger.warning("cannot read the free space of %s: %s", self.directory, error)
            return
        if free < self.min_free:
            self._stop(
                f"only {free} bytes free on the file system of {self.directory}, under "
                f"NEWSARCHIVE_MIN_FREE_BYTES={self.min_free}"
            )

    def item_error(self, item: Any, response: Any, failure: Failure, spider: Any = None) -> None:
        self._check(failure, getattr(response, "url", "?"))

    def spider_error(self, failure: Failure, response: Any, spider: Any = None) -> None:
        self._check(failure, getattr(response, "url", "?"))

    def _check(self, failure: Failure, url: str) -> None:
        if failure.value is not None and is_disk_full(failure.value):
            self._stop(f"cannot write what {url} gave ({failure.value})")

    def _stop(self, why: str) -> None:
        if self.stopping:
            return
        self.stopping = True
        logger.error(
            "disk full: %s; stopping the crawl. Free disk space or choose another --out, then "
            "run the same command again to resume",
            why,
        )
        if self.crawler.stats:
            self.crawler.stats.inc_value("newsarchive/errors/DiskFull")
        engine = self.crawler.engine
        if engine is not None and engine.running:
            deferred_from_coro(engine.close_spider_async(reason=REASON))
