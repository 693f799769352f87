"""The one spider: what to fetch, driven by a site profile. It follows links; records are built
by the pipelines (newsarchive/process.py), and the raw bytes are archived by capture.py."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from newsarchive.accounting import note_unextracted
from newsarchive.dedup import article_key
from newsarchive.discovery import (
    FeedError,
    SitemapError,
    in_scope,
    is_sitemap_body,
    parse_feed,
    url_matches_any,
)
from newsarchive.distributed.mode import redis_url
from newsarchive.errors import ProfileError
from newsarchive.extract import HtmlPage, PageParseError, extract_links, extract_listing
from newsarchive.extract.multipage import continuation_url
from newsarchive.lock import SiteLock
from newsarchive.process import PageProcessor, is_html
from newsarchive.protect.refusals import refusal_reason
from newsarchive.protect.scope import url_refusal
from newsarchive.protect.sitemaps import sitemap_entries
from newsarchive.sites import SiteProfile, load_profile
from newsarchive.spiders.items import PageItem, exchange_from_response
from newsarchive.spiders.setup import (
    SpiderOptions,
    apply_profile_settings,
    open_run,
    start_demo_site,
)
from newsarchive.state import SiteState, is_recent

if TYPE_CHECKING:
    from newsarchive.distributed.worker import SharedRun

logger = logging.getLogger(__name__)

NUMBERED = "{N}"
# Consecutive missing numbered sitemaps after which the sequence is taken to be over.
NUMBERED_SITEMAP_MISSES = 3
PAGE_NUMBER_RE = re.compile(r"(?:/page/|[?&]page=|[?&]paged=)(\d+)")


# Scheduling order: sitemaps and feeds (they list the most), start pages, then a listing's next
# page before the articles already queued. A pagination chain is sequential (each page names
# the next) but has one request out at a time: queued behind every article it would become
# the crawl's long tail.
LISTING_PRIORITY = 3
ARTICLE_PRIORITY = 2


class NewsSpider(scrapy.Spider):
    """`scrapy crawl news -a site=demo` / `newsarchive crawl demo`."""

    name = "news"
    profile: SiteProfile
    processor: PageProcessor
    # The only methods a Redis queue entry may name as callback or errback (distributed/codec.py).
    queue_callbacks = frozenset({"parse_page", "parse_feed", "parse_sitemap", "on_error"})

    def __init__(self, site: str = "demo", **kwargs: Any) -> None:
        self.options = SpiderOptions.from_kwargs(site, kwargs)
        super().__init__(**kwargs)
        self.old_series: set[str] = set()
        self._demo_server: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup(crawler)
        return spider

    def setup(self, crawler: Crawler) -> None:
        settings = crawler.settings
        profile = load_profile(self.options.site)
        shared_redis = redis_url(settings)
        self.shared_run: SharedRun | None = None
        # Keys relative to the base URL when the site's address changes between runs.
        self.key_base: str | None = None
        if profile.needs_base_url:
            base = self.options.demo_url
            if not base and shared_redis:
                raise ProfileError(
                    f"profile {profile.name!r}: in Redis mode every worker must crawl the same "
                    "site: pass --demo-url URL of a running `newsarchive demo-site`"
                )
            if not base and profile.name == "demo":
                self._demo_server, base = start_demo_site(self.options)
                crawler.signals.connect(self._stop_demo_site, signal=signals.engine_stopped)
            if not base:
                raise ProfileError(
                    f"profile {profile.name!r} has {{BASE}} URLs: pass --demo-url URL "
                    "(scrapy crawl: -a demo_url=URL)"
                )
            profile = profile.with_base_url(base)
            self.key_base = profile.base_url
        self.profile = profile
        apply_profile_settings(settings, profile, self.options)
        self.allowed_domains = sorted({h.split(":")[0] for h in profile.allowed_hosts})
        self.since = self.options.since
        self.max_listing_pages = settings.getint("NEWSARCHIVE_MAX_LISTING_PAGES")
        self.url_max_length = settings.getint("NEWSARCHIVE_URL_MAX_LENGTH")
        self.sitemap_stream_bytes = settings.getint("NEWSARCHIVE_SITEMAP_STREAM_BYTES")
        self.processor = PageProcessor(profile, since=self.since)
        self.article_patterns = profile.compiled("article_url_patterns")
        self.listing_patterns = profile.compiled("listing_url_patterns")
        self.deny_patterns = profile.compiled("deny_url_patterns")
        out = Path(settings.get("NEWSARCHIVE_OUTPUT_DIR"))
        if shared_redis:
            from newsarchive.distributed.worker import join_shared_run

            # Redis mode: no site lock, the run is shared; Redis knows what was written.
            self.shared_run = join_shared_run(settings, out, profile.name, shared_redis)
        elif not settings.getbool("NEWSARCHIVE_LOCK_HELD"):
            # `scrapy crawl` path; `newsarchive crawl` takes the lock before Scrapy starts.
            self._lock = SiteLock(out / profile.name).acquire()
            crawler.signals.connect(self._lock.release, signal=signals.engine_stopped)
        self.state = SiteState(out / profile.name / "state.sqlite", base=self.key_base)
        crawler.signals.connect(self.state.close, signal=signals.engine_stopped)
        self.full = self.options.full
        self.recheck_window = timedelta(hours=settings.getfloat("NEWSARCHIVE_RECHECK_HOURS"))
        self.started = datetime.now(UTC)
        if self.shared_run is not None:
            self.run, self.already_written = self.shared_run.run, set[str]()
        else:
            self.run, self.already_written = open_run(out, profile.name, settings, self.key_base)

    def _stop_demo_site(self) -> None:
        if self._demo_server is not None:
            self._demo_server.stop()
            self._demo_server = None

    # --- start ---------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        shared = self.shared_run
        if shared is not None and not shared.claim_seeding():
            return  # Redis mode: another worker seeds this run (once per run)
        for request in self.seed_requests():
            yield request
        if shared is not None:
            shared.seeding_done()

    def seed_requests(self) -> Iterator[Request]:
        for url in self.profile.start_urls:
            yield self._request(url, self.parse_page, series=url, depth=0, priority=5)
        for url in self.profile.feeds:
            yield self._request(url, self.parse_feed, priority=10)
        for url in self.profile.sitemaps:
            if NUMBERED in url:
                yield self._numbered_sitemap(url, 1, misses=0)
            else:
                yield self._request(url, self.parse_sitemap, priority=10)

    def _request(self, url: str, callback: Any, **meta: Any) -> Request:
        priority = meta.pop("priority", 0)
        if callback == self.parse_page and self.wanted(url) == "article":
            meta.setdefault("kind", "article")  # run.json lists it if it gives no article
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=priority,
            meta={f"newsarchive_{k}": v for k, v in meta.items()},
        )

    def _numbered_sitemap(self, template: str, number: int, *, misses: int) -> Request:
        url = template.replace(NUMBERED, str(number))
        return self._request(
            url, self.parse_sitemap, template=template, number=number, misses=misses, priority=10
        )

    def _listing(self, url: str, *, series: str | None, depth: int) -> Request:
        return self._request(
            url, self.parse_page, series=series, depth=depth, priority=LISTING_PRIORITY
        )

    def _article(self, url: str, priority: int = ARTICLE_PRIORITY, **meta: Any) -> Request | None:
        """A request for an article link, unless this run or the state says it is not needed."""
        key = article_key(url, self.key_base)
        if key in self.already_written:
            self._count("articles/skipped/written_before_resume")
            return None
        request = self._request(url, self.parse_page, priority=priority, **meta)
        if self.full:
            return request
        known = self.state.known(url)
        if known is None:
            return request
        if not is_recent(known, self.started, self.recheck_window):
            self._count("articles/skipped/known")
            return None
        if known.key != key:
            # Another address of a known article (AMP, tracking copy): re-check the article
            # under its own URL only.
            self._count("articles/skipped/alias")
            return None
        # Re-check a recent article; a 304 answer means it did not change.
        self._count("articles/rechecked")
        if known.etag:
            request.headers["If-None-Match"] = known.etag
        if known.last_modified:
            request.headers["If-Modified-Since"] = known.last_modified
        return request

    # --- classification of links -----------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """In scope, within the URL limits and not denied by the profile."""
        return (
            url_refusal(url, self.url_max_length) is None
            and in_scope(url, self.profile.allowed_hosts)
            and not url_matches_any(url, self.deny_patterns)
        )

    def wanted(self, url: str) -> str | None:
        """'article', 'listing' or None for a link found on a page, by the profile's patterns."""
        if not self.allowed(url):
            return None
        if url_matches_any(url, self.article_patterns):
            return "article"
        if url_matches_any(url, self.listing_patterns):
            return "listing"
        return None

    # --- callbacks -------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        exchange = exchange_from_response(response)
        if response.status != 200:
            # Counted by the pipeline: 404s, 304s of conditional re-checks...
            yield PageItem(exchange=exchange, page=None, page_type="error")
            return
        if not is_html(exchange):
            self._count("pages/not_html")
            if response.request is not None:
                note_unextracted(self.crawler, response.request, "not_html")
            return
        try:
            page = self.processor.load(exchange)
        except PageParseError as exc:
            logger.warning("cannot parse %s: %s", response.url, exc)
            self._count("pages/failed/PageParseError")
            yield PageItem(exchange=exchange, page=None, page_type="unparsed")
            return
        page_type = self.processor.classify(page)
        series = response.meta.get("newsarchive_series")
        yield PageItem(exchange=exchange, page=page, page_type=page_type, series=series)
        depth = int(response.meta.get("newsarchive_depth", 0))
        if page_type == "article" and (request := self._continuation(page, series)):
            yield request
        if page_type == "listing":
            listing = extract_listing(page, self.processor.extract_profile)
            if not listing.items:
                # Empty page: the end of a paginated list, or a trap (page/999/).
                self._count("listings/empty")
                return
            yield from self._follow_listing(listing.items, listing.next_url, series, depth)
        yield from self._follow_links(extract_links(page, amphtml=False), series, depth)

    def _continuation(self, page: HtmlPage, series: str | None) -> Request | None:
        """The next page of a story printed over several pages: fetched whatever the profile's
        URL patterns say of it (the story links it as its own), the scope rules still apply."""
        url = continuation_url(page)
        if url is None or not self.allowed(url):
            return None
        self._count("articles/continuations")
        return self._request(url, self.parse_page, priority=ARTICLE_PRIORITY + 1, series=series)

    def _follow_listing(
        self, items: Any, next_url: str | None, series: str | None, depth: int
    ) -> Iterator[Request]:
        for item in items:
            if self.wanted(item.url) == "article" and (
                request := self._article(item.url, series=series)
            ):
                yield request
        if next_url and self._may_page(next_url, series, depth):
            yield self._listing(next_url, series=series, depth=depth + 1)

    def _may_page(self, url: str, series: str | None, depth: int) -> bool:
        if self.wanted(url) != "listing":
            return False
        if series in self.old_series:
            self._count("listings/stopped_since")
            return False
        return depth + 1 <= self.max_listing_pages

    def _follow_links(self, links: list[str], series: str | None, depth: int) -> Iterator[Request]:
        for url in links:
            kind = self.wanted(url)
            if kind == "article":
                if request := self._article(url, series=series):
                    yield request
            elif kind == "listing":
                match = PAGE_NUMBER_RE.search(url)
                # A plain section link starts a new series; a page number continues this one.
                if match is None:
                    if depth == 0:
                        yield self._listing(url, series=url, depth=1)
                elif self._may_page(url, series, depth):
                    yield self._listing(url, series=series, depth=depth + 1)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            self._count(f"feeds/status_{response.status}")
            return
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            logger.warning("%s", exc)
            self._count("feeds/failed/FeedError")
            return
        self._count("feeds/parsed")
        for entry in entries:
            if self.since and entry.published and entry.published[:10] < self.since.isoformat():
                continue
            if self.wanted(entry.url) == "article" and (request := self._article(entry.url)):
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        template = response.meta.get("newsarchive_template")
        if response.status != 200:
            self._count(f"sitemaps/status_{response.status}")
            if template:
                yield from self._next_numbered(response, found=False)
            return
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if not is_sitemap_body(response.body, content_type, response.url):
            logger.warning(
                "ignoring %s: not a sitemap (Content-Type %s)", response.url, content_type
            )
            self._count("sitemaps/not_sitemap")
            return
        kind, fresh = "urlset", 0
        try:
            kind, entries, streamed = sitemap_entries(
                response.body, response.url, stream_over=self.sitemap_stream_bytes
            )
            if streamed:
                self._count("sitemaps/streamed")
            for entry in entries:
                if kind == "sitemapindex":
                    if in_scope(entry.loc, self.profile.allowed_hosts):
                        yield self._request(entry.loc, self.parse_sitemap, priority=10)
                    continue
                when = entry.news_publication_date or entry.lastmod
                if self.since and when and when[:10] < self.since.isoformat():
                    continue
                fresh += 1
                if self.wanted(entry.loc) == "article" and (request := self._article(entry.loc)):
                    yield request
        except SitemapError as exc:
            logger.warning("%s", exc)
            self._count("sitemaps/failed/SitemapError")
            return
        self._count("sitemaps/parsed")
        if template and kind == "urlset":
            yield from self._next_numbered(response, found=fresh > 0)

    def _next_numbered(self, response: Response, *, found: bool) -> Iterator[Request]:
        template = response.meta["newsarchive_template"]
        number = int(response.meta["newsarchive_number"])
        misses = 0 if found else int(response.meta["newsarchive_misses"]) + 1
        if found or misses < NUMBERED_SITEMAP_MISSES:
            yield self._numbered_sitemap(template, number + 1, misses=misses)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if isinstance(failure.value, IgnoreRequest):
            # robots.txt said no, or a middleware chose to skip it: a decision, not an error.
            reason = refusal_reason(failure.value)
            logger.debug("skipped %s: %s", url, failure.getErrorMessage())
            self._count("requests/ignored")
            self._count(f"refused/{reason}")
            if request is not None:
                note_unextracted(self.crawler, request, f"refused: {reason}")
            return
        kind = failure.type.__name__ if failure.type else "Error"
        logger.warning("failed %s: %s: %s", url, kind, failure.getErrorMessage())
        self._count(f"errors/{kind}")
        if request is not None:
            note_unextracted(self.crawler, request, f"error: {kind}")

    def _count(self, key: str) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"newsarchive/{key}")

    def note_old_article(self, series: str | None) -> None:
        """Called by the pipeline when --since drops an article: stop paging its listing."""
        if series:
            self.old_series.add(series)


def parse_since(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None
