"""Runs one crawl in this process with the project's settings (the CLI's `crawl` command)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newsarchive.errors import NewsarchiveError, ProfileError
from newsarchive.lock import SiteLock
from newsarchive.sites import load_profile
from newsarchive.spiders.news import NewsSpider

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlOptions:
    site: str
    out: Path = Path("archives")
    max_pages: int = 0
    since: date | None = None
    run_id: str | None = None
    demo_url: str | None = None
    demo_latency: int = 0
    demo_size: int = 120
    demo_faults: bool = False
    full: bool = False
    redis_url: str | None = None
    """Redis mode: share the crawl with other workers (README: Scale-out with Redis)."""
    settings: dict[str, str] = field(default_factory=dict)
    log_level: str = "WARNING"
    progress: bool = False


def project_settings(options: CrawlOptions) -> Settings:
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("NEWSARCHIVE_OUTPUT_DIR", str(options.out), priority="cmdline")
    if options.run_id:
        settings.set("NEWSARCHIVE_RUN_ID", options.run_id, priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level, priority="cmdline")
    if options.redis_url:
        settings.set("NEWSARCHIVE_REDIS_URL", options.redis_url, priority="cmdline")
    if options.progress:
        settings.set("NEWSARCHIVE_PROGRESS", True, priority="cmdline")
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["newsarchive.progress.ProgressExtension"] = 500
        settings.set("EXTENSIONS", extensions, priority="cmdline")
    for name, value in options.settings.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(options: CrawlOptions) -> dict[str, Any] | None:
    """Crawl, block until done, and return the run.json record (None if it was not written)."""
    if options.out.exists() and not options.out.is_dir():
        raise NewsarchiveError("is not a directory; pass another --out", path=str(options.out))
    profile = load_profile(options.site)
    if profile.needs_base_url and not options.demo_url and profile.name != "demo":
        raise ProfileError(
            f"profile {profile.name!r} has {{BASE}} URLs: pass --demo-url URL", path=options.site
        )
    if options.redis_url:
        # Workers share the run through Redis: no site lock. Fail now, before Scrapy starts,
        # if Redis cannot be reached (RedisUnavailable).
        if profile.needs_base_url and not options.demo_url:
            raise ProfileError(
                "in Redis mode every worker must crawl the same site: pass --demo-url URL",
                path=options.site,
            )
        return _crawl(options, check_redis=True)
    lock = SiteLock(options.out / profile.name).acquire()  # raises AlreadyRunning
    try:
        return _crawl(options)
    finally:
        lock.release()


def _crawl(options: CrawlOptions, *, check_redis: bool = False) -> dict[str, Any] | None:
    settings = project_settings(options)
    if check_redis and options.redis_url:
        from newsarchive.distributed.connection import connect

        timeout = settings.getfloat("NEWSARCHIVE_REDIS_TIMEOUT")
        connect(options.redis_url, timeout=timeout).close()
    settings.set("NEWSARCHIVE_LOCK_HELD", True, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(
        crawler,
        site=options.site,
        demo_url=options.demo_url,
        demo_latency=options.demo_latency,
        demo_size=options.demo_size,
        demo_faults=options.demo_faults,
        since=options.since,
        max_pages=options.max_pages,
        full=options.full,
    )
    process.start()
    spider: Any = crawler.spider
    run = getattr(spider, "run", None)
    if run is None or not run.record_path.exists():
        return None
    record: dict[str, Any] = json.loads(run.record_path.read_text(encoding="utf-8"))
    record["run_dir"] = str(run.path)
    return record
