"""Writes `run.json` at the end of every crawl: times, counts, errors, versions and settings."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newsarchive import __version__
from newsarchive.output import write_json_atomic

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

PREFIX = "newsarchive/"
RECORDED_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
    "RETRY_TIMES",
    "REDIRECT_MAX_TIMES",
    "NEWSARCHIVE_OBEY_CRAWL_DELAY",
    "NEWSARCHIVE_MAX_PAGES",
    "NEWSARCHIVE_MAX_LISTING_PAGES",
    "NEWSARCHIVE_SINCE",
    "NEWSARCHIVE_WARC_MAX_SIZE",
    "NEWSARCHIVE_WARC_DIGEST",
)


def versions() -> dict[str, str]:
    found = {"newsarchive": __version__, "python": platform.python_version()}
    for dist in ("scrapy", "warcio", "lxml", "twisted"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "missing"
    return found


def _group(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    """Counts for run.json from the crawler's stats (keys `newsarchive/<stage>/<outcome>`)."""
    errors = _group(stats, PREFIX + "errors/")
    errors.update({f"extract/{k}": v for k, v in _group(stats, PREFIX + "pages/failed/").items()})
    errors.update({f"capture/{k}": v for k, v in _group(stats, PREFIX + "capture/failed/").items()})
    return {
        "exchanges": int(stats.get(PREFIX + "capture/exchanges", 0)),
        "responses": int(stats.get("response_received_count", 0)),
        "pages": int(stats.get(PREFIX + "pages/seen", 0)),
        "articles": int(stats.get(PREFIX + "articles/written", 0)),
        "articles_duplicate": int(stats.get(PREFIX + "articles/duplicates", 0)),
        "articles_dropped": _group(stats, PREFIX + "articles/dropped/"),
        "listings": int(stats.get(PREFIX + "listings/written", 0)),
        "pages_skipped": _group(stats, PREFIX + "pages/skipped/"),
        "status_counts": _group(stats, "downloader/response_status_count/"),
        "requests_ignored": int(stats.get(PREFIX + "requests/ignored", 0)),
        "robots_forbidden": int(stats.get("robotstxt/forbidden", 0)),
        "feeds_parsed": int(stats.get(PREFIX + "feeds/parsed", 0)),
        "sitemaps_parsed": int(stats.get(PREFIX + "sitemaps/parsed", 0)),
        "warc_files": int(stats.get(PREFIX + "warc/files", 0)),
        "warc_bytes": int(stats.get(PREFIX + "warc/bytes", 0)),
        "errors": errors,
        "error_total": sum(errors.values()),
    }


class RunLogExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = datetime.now(UTC)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLogExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.started = datetime.now(UTC)

    def spider_closed(self, spider: Any, reason: str) -> None:
        run = getattr(spider, "run", None)
        if run is None or not self.crawler.stats:
            return
        finished = datetime.now(UTC)
        stats = self.crawler.stats.get_stats()
        settings = self.crawler.settings
        record = {
            "site": spider.profile.name,
            "run_id": run.run_id,
            "base_url": spider.profile.base_url,
            "started_at": self.started.isoformat(),
            "finished_at": finished.isoformat(),
            "duration_s": round((finished - self.started).total_seconds(), 3),
            "finish_reason": reason,
            "counts": summarize(stats),
            "warc_files": list(run.warc_files),
            "outputs": {
                "articles": run.articles_path.name,
                "listings": run.listings_path.name,
                "warc_dir": run.warc_dir.name,
            },
            "versions": versions(),
            "settings": {key: settings.get(key) for key in RECORDED_SETTINGS},
            "command": sys.argv,
        }
        write_json_atomic(run.run_json_path, record)
        spider.run_record = record
