"""A one-line live progress display on stderr for interactive crawls."""

from __future__ import annotations

import shutil
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
        fetched = int(stats.get("newsarchive/capture/exchanges", 0))
        errors = sum(v for k, v in stats.items() if k.startswith("newsarchive/errors/"))
        megabytes = stats.get("newsarchive/capture/bytes", 0) / 1_000_000
        warc = self._current_warc()
        line = (
            f"\r{elapsed:5.0f}s  fetched {fetched:6d} ({fetched / max(elapsed, 1e-3):5.1f}/s)"
            f"  articles {stats.get('newsarchive/articles/written', 0):5d}"
            f"  queued {queued:5d}  errors {errors:3d}  {megabytes:7.1f} MB  {warc}"
        )
        width = shutil.get_terminal_size((120, 20)).columns
        sys.stderr.write(line[: width - 1].ljust(width - 1))
        sys.stderr.flush()

    def _current_warc(self) -> str:
        from newsarchive.capture import find_capture_extension

        capture = find_capture_extension(self.crawler)
        writer = capture.writer if capture else None
        return writer.files[-1].name if writer is not None and writer.files else ""

    def spider_closed(self, spider: Any) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
            sys.stderr.write("\n")
