"""How a profile and the crawl options become Scrapy settings (before they freeze)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, Settings

from newsarchive import __version__
from newsarchive.output import RunDirectory
from newsarchive.recovery import (
    close_open_warcs,
    find_unfinished_run,
    repair_jsonl,
    written_article_keys,
)
from newsarchive.sites import SiteProfile

logger = logging.getLogger(__name__)


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpiderOptions:
    """Spider arguments (`-a key=value` on `scrapy crawl`, flags on `newsarchive crawl`)."""

    site: str
    demo_url: str | None = None
    demo_latency: int = 0
    demo_size: int = 120
    demo_faults: bool = False
    since: date | None = None
    max_pages: int = 0
    full: bool = False
    """Ignore the site state: fetch and emit every article, changed or not."""

    @classmethod
    def from_kwargs(cls, site: str, kwargs: dict[str, Any]) -> SpiderOptions:
        """Pops the options it knows from `kwargs` (strings from `-a`, typed from the CLI)."""
        since = kwargs.pop("since", None)
        if isinstance(since, str):
            since = date.fromisoformat(since[:10]) if since else None
        return cls(
            site=site,
            demo_url=kwargs.pop("demo_url", None) or None,
            demo_latency=int(kwargs.pop("demo_latency", 0) or 0),
            demo_size=int(kwargs.pop("demo_size", 120) or 120),
            demo_faults=_bool(kwargs.pop("demo_faults", False)),
            since=since,
            max_pages=int(kwargs.pop("max_pages", 0) or 0),
            full=_bool(kwargs.pop("full", False)),
        )


def apply_profile_settings(
    settings: Settings, profile: SiteProfile, options: SpiderOptions
) -> None:
    """Profile politeness and run limits at 'spider' priority: above the project's defaults,
    below the command line's `-s` (which Scrapy ranks 'cmdline')."""
    policy = profile.crawl
    pairs: dict[str, Any] = {
        "DOWNLOAD_DELAY": policy.download_delay,
        "NEWSARCHIVE_OBEY_CRAWL_DELAY": policy.obey_crawl_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": policy.concurrent_requests_per_domain,
        "AUTOTHROTTLE_ENABLED": policy.autothrottle,
        "NEWSARCHIVE_MAX_LISTING_PAGES": policy.max_listing_pages,
        "DOWNLOAD_TIMEOUT": policy.download_timeout,
    }
    if options.max_pages:
        pairs["CLOSESPIDER_PAGECOUNT"] = options.max_pages
        pairs["NEWSARCHIVE_MAX_PAGES"] = options.max_pages
    if options.since:
        pairs["NEWSARCHIVE_SINCE"] = options.since.isoformat()
    contact = settings.get("NEWSARCHIVE_CONTACT_URL")
    if contact and (settings.getpriority("USER_AGENT") or 0) <= SETTINGS_PRIORITIES["project"]:
        # The UA names the project and the operator's contact URL, which may come from `-s`.
        pairs["USER_AGENT"] = f"newsarchive/{__version__} (+{contact})"
    for key, value in pairs.items():
        if value is not None:
            settings.set(key, value, priority="spider")


def start_demo_site(options: SpiderOptions) -> tuple[Any, str]:
    """Start the bundled demo site in this process for the duration of the crawl."""
    from newsarchive.demosite import DemoOptions, DemoServer

    server = DemoServer(
        DemoOptions(
            latency_ms=options.demo_latency, size=options.demo_size, faults=options.demo_faults
        )
    )
    base = server.start()
    logger.info("demo site serving at %s", base)
    return server, base


def open_run(
    out: Path, site: str, settings: Settings, base: str | None
) -> tuple[RunDirectory, set[str]]:
    """The run directory: a new one, or (NEWSARCHIVE_RESUME) the unfinished one a crashed run
    left, repaired, with the keys of the articles it already wrote."""
    run_id = settings.get("NEWSARCHIVE_RUN_ID") or None
    resume = False
    if run_id is None and settings.getbool("NEWSARCHIVE_RESUME"):
        run_id = find_unfinished_run(out / site)
        resume = run_id is not None
    run = RunDirectory.create(out, site, run_id, resume=resume)
    if not resume:
        return run, set()
    logger.warning("resuming unfinished run %s", run.path)
    close_open_warcs(run.warc_dir)
    repair_jsonl(run.articles_path)
    repair_jsonl(run.listings_path)
    return run, written_article_keys(run.path, base)
