"""What became of every page, and which articles were not extracted and why (both in run.json).

`counts.page_outcomes` splits `counts.pages` (every response the spider handed to the pipelines)
by what it became, so that the identity

    pages == article_written + article_unchanged + article_duplicate + article_dropped
             + article_joined + listing + skipped + extract_failed

holds for every run (tests check it on the demo and fault-mode crawls).

`unextracted_articles` lists, per URL, the articles that were asked for and did not become an
article line, with a reason: a download error ("error: DownloadTimeoutError"), a refusal
("refused: robots", "refused: redirect_loop"), an answer that was no article ("status_404",
"not_html", "no_body", "parse_error") or a failure of the extractor ("extract_failed: ..."). The
list is bounded by NEWSARCHIVE_UNEXTRACTED_LIST_MAX; `by_reason` and `total` count them all.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.http import Response

from newsarchive.pipelines import RESULT

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

KIND_META = "newsarchive_kind"
"""Request meta key the spider sets to "article" on article requests."""
PREFIX = "newsarchive/"
DEFAULT_LIST_MAX = 1000
_NOT_A_FAILURE = frozenset({"status_304"})  # a conditional re-check answered "not modified"


class UnextractedArticles:
    """Bounded record of article URLs that gave no article line, with the first reason seen."""

    def __init__(self, limit: int = DEFAULT_LIST_MAX) -> None:
        self.limit = limit
        self.total = 0
        self.by_reason: Counter[str] = Counter()
        self._listed: dict[str, str] = {}
        self._omitted = 0

    def add(self, url: str, reason: str) -> None:
        if url in self._listed:
            return
        self.total += 1
        self.by_reason[reason] += 1
        if len(self._listed) < self.limit:
            self._listed[url] = reason
        else:
            self._omitted += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_reason": dict(sorted(self.by_reason.items())),
            "listed": [{"url": url, "reason": reason} for url, reason in self._listed.items()],
            "omitted": self._omitted,
        }


def is_article_request(request: Request | None) -> bool:
    return request is not None and request.meta.get(KIND_META) == "article"


def _first_url(request: Request) -> str:
    """The URL the spider asked for (before any redirect)."""
    chain = request.meta.get("redirect_urls") or []
    return str(chain[0]) if chain else request.url


class AccountingExtension:
    """Counts extraction failures (`pages/extract_failed`) and keeps `UnextractedArticles`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        limit = crawler.settings.getint("NEWSARCHIVE_UNEXTRACTED_LIST_MAX", DEFAULT_LIST_MAX)
        self.unextracted = UnextractedArticles(limit)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AccountingExtension:
        return cls(crawler)

    def item_dropped(
        self, item: Any, response: Response | None, exception: BaseException, spider: Any = None
    ) -> None:
        meta = getattr(item, "meta", None)
        if not isinstance(meta, dict):
            return
        result = meta.get(RESULT)
        if result is None:
            # ExtractPipeline stores its result before anything else can drop the item.
            if self.crawler.stats:
                self.crawler.stats.inc_value(PREFIX + "pages/extract_failed")
            cause = exception.__cause__ or exception
            reason = f"extract_failed: {type(cause).__name__}"
            page_type = None
        else:
            reason = str(result.drop_reason or "dropped")
            page_type = result.page_type
        if reason in _NOT_A_FAILURE or response is None:
            return
        request = response.request
        if is_article_request(request) or page_type == "article":
            url = _first_url(request) if request is not None else response.url
            self.unextracted.add(url, reason)

    def note(self, request: Request, reason: str) -> None:
        if is_article_request(request):
            self.unextracted.add(_first_url(request), reason)


def find_accounting(crawler: Crawler) -> AccountingExtension | None:
    if crawler.extensions is None:
        return None
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, AccountingExtension):
            return extension
    return None


def note_unextracted(crawler: Crawler, request: Request, reason: str) -> None:
    """Record that the article `request` asked for gave no line, if it was an article request."""
    accounting = find_accounting(crawler)
    if accounting is not None:
        accounting.note(request, reason)


def unextracted_json(crawler: Crawler) -> dict[str, Any] | None:
    accounting = find_accounting(crawler)
    return accounting.unextracted.as_json() if accounting is not None else None


def _total(stats: dict[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix))


def page_outcomes(stats: dict[str, Any]) -> dict[str, int]:
    """What every page (`pages/seen`) became; the values add up to `pages`."""

    def get(key: str) -> int:
        return int(stats.get(PREFIX + key, 0))

    return {
        "article_written": get("articles/written"),
        "article_unchanged": get("articles/unchanged") + get("articles/not_modified"),
        "article_duplicate": get("articles/duplicates"),
        "article_dropped": _total(stats, PREFIX + "articles/dropped/"),
        # a later page of a story, appended to its first page's line
        "article_joined": get("articles/joined_pages"),
        "listing": get("listings/written"),
        "skipped": _total(stats, PREFIX + "pages/skipped/"),
        "extract_failed": get("pages/extract_failed"),
    }
