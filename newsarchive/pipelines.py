"""Thin Scrapy adapters: extract → validate → de-duplicate and write. The work is in process.py,
dedup.py and output.py, which replay uses too."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from newsarchive.capture import find_capture_extension
from newsarchive.dedup import ArticleDeduplicator
from newsarchive.output import JsonLinesWriter
from newsarchive.process import ProcessResult
from newsarchive.records import Article, Listing, to_json_dict
from newsarchive.spiders.items import PageItem
from newsarchive.stories import StoryJoiner, is_first_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsarchive.distributed.articles import SharedArticleDeduplicator

logger = logging.getLogger(__name__)

RESULT = "result"


class _Pipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def count(self, key: str, n: int = 1) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"newsarchive/{key}", n)


class ExtractPipeline(_Pipeline):
    """Runs extraction on every page; a failing page is logged and counted, the crawl goes on."""

    def process_item(self, item: PageItem) -> PageItem:
        spider: Any = self.crawler.spider
        exchange = item.exchange
        self.count("pages/seen")
        try:
            result = spider.processor.process(exchange, item.page, item.page_type)
        except Exception as exc:  # a loop boundary: one bad page must not stop the crawl
            logger.error("extraction failed for %s", exchange.url, exc_info=True)
            self.count(f"pages/failed/{type(exc).__name__}")
            raise DropItem(f"extraction failed for {exchange.url}", log_level="DEBUG") from exc
        item.meta[RESULT] = result
        return item


class ValidatePipeline(_Pipeline):
    """Keeps articles with a title and a body, and listings; counts everything else by reason."""

    def process_item(self, item: PageItem) -> PageItem:
        result: ProcessResult = item.meta[RESULT]
        if result.record is None:
            reason = result.drop_reason or "unknown"
            if reason == "status_304":
                # A conditional re-check answered "not modified": seen, unchanged.
                spider: Any = self.crawler.spider
                spider.state.touch(item.exchange.url, item.exchange.fetched_at, spider.run.run_id)
                self.count("articles/not_modified")
            elif result.page_type == "article":
                self.count(f"articles/dropped/{reason}")
                logger.info("dropped article %s: %s", item.exchange.url, reason)
                if reason == "before_since":
                    self.crawler.spider.note_old_article(item.series)  # type: ignore[union-attr]
            else:
                self.count(f"pages/skipped/{reason}")
            raise DropItem(f"{item.exchange.url}: {reason}", log_level="DEBUG")
        return item


class OutputPipeline(_Pipeline):
    """De-duplicates articles by canonical URL and writes the run's JSON lines."""

    def open_spider(self) -> None:
        run = self.crawler.spider.run  # type: ignore[union-attr]
        self.articles = JsonLinesWriter(run.articles_path)
        self.listings = JsonLinesWriter(run.listings_path)
        shared = getattr(self.crawler.spider, "shared_run", None)
        # Redis mode: one line per canonical URL across every worker of the run.
        self.dedup: ArticleDeduplicator | SharedArticleDeduplicator = (
            shared.deduplicator() if shared is not None else ArticleDeduplicator()
        )
        self.capture = find_capture_extension(self.crawler)
        self.stories = StoryJoiner()
        self._deferred_metadata: set[str] = set()
        """Record ids of first pages whose metadata waits for the rest of their story."""
        # ETag / Last-Modified of each article capture, until it is recorded in the state.
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def process_item(self, item: PageItem) -> PageItem:
        record = item.meta[RESULT].record
        if isinstance(record, Listing):
            self.listings.write(record)
            self.count("listings/written")
        elif isinstance(record, Article):
            self._validators[record.url] = (
                item.exchange.header("ETag"),
                item.exchange.header("Last-Modified"),
            )
            continues_at = item.meta[RESULT].continues_at
            if continues_at is not None and record.capture is not None and is_first_page(record):
                # Its line will hold the whole story: so will its metadata record.
                self._deferred_metadata.add(record.capture.record_id)
            else:
                self._write_metadata(record)
            for story in self.stories.offer(record, continues_at):
                self._write_article(story)
        return item

    def _write_metadata(self, article: Article) -> None:
        if article.capture is not None and self.capture is not None:
            # Every capture's derived data goes into the archive, duplicates and the later
            # pages of a story included.
            self.capture.write_metadata(
                article.capture,
                article.url,
                {"extractor_version": article.extractor_version, "record": to_json_dict(article)},
            )

    def _write_article(self, article: Article) -> None:
        if article.capture is not None and article.capture.record_id in self._deferred_metadata:
            self._deferred_metadata.discard(article.capture.record_id)
            self._write_metadata(article)
        spider: Any = self.crawler.spider
        for later in article.fields.pages[1:]:
            # The story's later pages are known through it: the next run does not fetch them
            # on their own.
            spider.state.alias(later, article.fields.canonical_url or article.url)
        accepted = self.dedup.offer(article)
        if accepted is not None:
            self._emit(accepted)
        elif article.fields.canonical_url:
            # A duplicate capture: remember its URL so the next incremental run skips it.
            spider.state.alias(article.url, article.fields.canonical_url)

    def _emit(self, article: Article) -> None:
        """Record the article in the site state; write it when new or changed (or --full)."""
        spider: Any = self.crawler.spider
        etag, last_modified = self._validators.pop(article.url, (None, None))
        revision = spider.state.record(
            article, spider.run.run_id, etag=etag, last_modified=last_modified, commit=False
        )
        if not revision.changed and not spider.full:
            spider.state.commit()
            self.count("articles/unchanged")
            return
        if revision.version > 1:
            self.count("articles/updated")
        self.articles.write(
            replace(article, version=revision.version, previous_digest=revision.previous_digest)
        )
        # The state learns of the article only once its line is on disk.
        spider.state.commit()
        self.count("articles/written")

    def close_spider(self) -> None:
        for story in self.stories.flush():
            self._write_article(story)
        self.count("articles/joined_pages", self.stories.joined)
        for article in self.dedup.flush():
            self._emit(article)
        self.count("articles/duplicates", self.dedup.duplicates)
        self.articles.close()
        self.listings.close()
