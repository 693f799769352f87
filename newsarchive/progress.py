"""A one-line live progress display on stderr for interactive crawls."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ProgressExtension:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS"):
            raise NotConfigured  # quietly: no message, no warning
        return cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL"))

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def show(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        engine = self.crawler.engine
        queued = len(engine._slot.scheduler) if engine and engine._slot else 0  # type: ignore[arg-type]
        elapsed = time.monotonic() - self.started
        sys.stderr.write(
            f"\r{elapsed:6.0f}s  fetched {stats.get('newsarchive/capture/exchanges', 0):6d}"
            f"  articles {stats.get('newsarchive/articles/written', 0):5d}"
            f"  listings {stats.get('newsarchive/listings/written', 0):4d}"
            f"  queued {queued:5d}  errors {stats.get('log_count/ERROR', 0):3d} "
        )
        sys.stderr.flush()

    def spider_closed(self, spider: Any) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
            sys.stderr.write("\n")
