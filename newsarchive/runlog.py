"""The run's own records: a log file per run (`crawl.log`) and, at the end, `run.json` (times,
counts, errors, versions, settings). Both are also archived as `resource` records in the last
WARC file before it is closed, so an archive alone tells how it was made."""

from __future__ import annotations

import json
import logging
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newsarchive import __version__
from newsarchive.accounting import page_outcomes, unextracted_json
from newsarchive.capture import find_capture_extension
from newsarchive.output import write_json_atomic
from newsarchive.protect.disk import QuietFileHandler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

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
        "articles_joined_pages": int(stats.get(PREFIX + "articles/joined_pages", 0)),
        "articles_new": int(stats.get(PREFIX + "articles/written", 0))
        - int(stats.get(PREFIX + "articles/updated", 0)),
        "articles_updated": int(stats.get(PREFIX + "articles/updated", 0)),
        "articles_unchanged": int(stats.get(PREFIX + "articles/unchanged", 0))
        + int(stats.get(PREFIX + "articles/not_modified", 0)),
        "articles_skipped": _group(stats, PREFIX + "articles/skipped/"),
        "articles_dropped": _group(stats, PREFIX + "articles/dropped/"),
        "listings": int(stats.get(PREFIX + "listings/written", 0)),
        "revisits": _group(stats, PREFIX + "capture/revisit/"),
        "truncated": _group(stats, PREFIX + "capture/truncated/"),
        "pages_skipped": _group(stats, PREFIX + "pages/skipped/"),
        # pages == the sum of page_outcomes (newsarchive/accounting.py).
        "page_outcomes": page_outcomes(stats),
        "pages_not_html": int(stats.get(PREFIX + "pages/not_html", 0)),
        "requests_refused": _group(stats, PREFIX + "refused/"),
        "status_counts": _group(stats, "downloader/response_status_count/"),
        "requests_ignored": int(stats.get(PREFIX + "requests/ignored", 0)),
        "robots_forbidden": int(stats.get("robotstxt/forbidden", 0)),
        "feeds_parsed": int(stats.get(PREFIX + "feeds/parsed", 0)),
        "sitemaps_parsed": int(stats.get(PREFIX + "sitemaps/parsed", 0)),
        "sitemaps_streamed": int(stats.get(PREFIX + "sitemaps/streamed", 0)),
        "warc_files": int(stats.get(PREFIX + "warc/files", 0)),
        "warc_bytes": int(stats.get(PREFIX + "warc/bytes", 0)),
        "errors": errors,
        "error_total": sum(errors.values()),
    }


# Keep the archived copy of a huge log bounded; the file on disk stays whole.
MAX_ARCHIVED_LOG = 64 * 1024 * 1024
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


class RunLogExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = datetime.now(UTC)
        self.log_handler: logging.Handler | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLogExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.started = datetime.now(UTC)
        run = getattr(spider, "run", None)
        if run is None:
            return
        handler = QuietFileHandler(run.log_path, encoding="utf-8")  # quiet once the disk is full
        handler.setLevel(self.crawler.settings.get("NEWSARCHIVE_LOG_FILE_LEVEL"))
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logging.getLogger().addHandler(handler)
        self.log_handler = handler

    def spider_closed(self, spider: Any, reason: str) -> None:
        run = getattr(spider, "run", None)
        if run is None or not self.crawler.stats:
            return
        record = self.build_record(spider, reason)
        logger.info("run %s finished (%s): %s", run.run_id, reason, json.dumps(record["counts"]))
        capture = find_capture_extension(self.crawler)
        if capture is not None:
            self._archive_run_records(capture, spider, record)
            capture.close(spider)
            record = self.build_record(spider, reason)  # now with the final WARC counts
        write_json_atomic(run.record_path, record)
        if run.worker is not None:
            from newsarchive.distributed.runmerge import merge_run_records

            merge_run_records(run.path)  # Redis mode: run.json covers every worker
        spider.run_record = record
        if self.log_handler is not None:
            logging.getLogger().removeHandler(self.log_handler)
            self.log_handler.close()

    def _archive_run_records(self, capture: Any, spider: Any, record: dict[str, Any]) -> None:
        run = spider.run
        urn = f"urn:newsarchive:{spider.profile.name}:{run.run_id}"
        if self.log_handler is not None:
            self.log_handler.flush()
        if run.log_path.exists():
            with run.log_path.open("rb") as fh:
                log_bytes = fh.read(MAX_ARCHIVED_LOG)
            capture.write_resource(
                f"{urn}:{run.log_path.name}", "text/plain; charset=utf-8", log_bytes
            )
        payload = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
        capture.write_resource(f"{urn}:{run.record_path.name}", "application/json", payload)

    def build_record(self, spider: Any, reason: str) -> dict[str, Any]:
        assert self.crawler.stats is not None
        run = spider.run
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
                "log": run.log_path.name,
            },
            "versions": versions(),
            "settings": {key: settings.get(key) for key in RECORDED_SETTINGS},
            "command": sys.argv,
            "unextracted_articles": unextracted_json(self.crawler),
            **({"worker": run.worker} if run.worker else {}),
        }
        return record
