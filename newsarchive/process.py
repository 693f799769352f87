"""Exchange → classify → extract → record: the one path shared by the crawl and replay.

Nothing here knows whether the bytes came from the network or from a WARC file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from newsarchive.extract import (
    EXTRACTOR_VERSION,
    ExtractProfile,
    HtmlPage,
    PageParseError,
    classify_page,
    extract_article,
    extract_listing,
    load_page,
)
from newsarchive.extract.multipage import continuation_url
from newsarchive.records import Article, Exchange, Listing, content_digest
from newsarchive.sites import SiteProfile

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessResult:
    record: Article | Listing | None = None
    page_type: str = "other"
    drop_reason: str | None = None
    """Why no record was made ("status_404", "not_html", "no_body", "before_since", ...)."""
    continues_at: str | None = None
    """For an article printed over several pages: the URL of its next page."""


def extract_profile_for(profile: SiteProfile) -> ExtractProfile:
    mapping = dict(profile.extract)
    mapping.setdefault("article_url_patterns", list(profile.article_url_patterns))
    mapping.setdefault("listing_url_patterns", list(profile.listing_url_patterns))
    return ExtractProfile.from_mapping(mapping)


def is_html(exchange: Exchange) -> bool:
    content_type = (exchange.content_type or exchange.header("Content-Type") or "").lower()
    if not content_type:
        return exchange.body.lstrip()[:1] == b"<"
    return content_type.split(";")[0].strip() in HTML_TYPES


class PageProcessor:
    """Turns exchanges of one site into article and listing records."""

    def __init__(self, profile: SiteProfile, *, since: date | None = None) -> None:
        self.profile = profile
        self.site = profile.name
        self.since = since
        self.extract_profile = extract_profile_for(profile)

    def load(self, exchange: Exchange) -> HtmlPage:
        return load_page(exchange.body, exchange.url, content_type=exchange.content_type)

    def classify(self, page: HtmlPage) -> str:
        return str(classify_page(page, self.extract_profile))

    def process(
        self, exchange: Exchange, page: HtmlPage | None = None, page_type: str | None = None
    ) -> ProcessResult:
        if exchange.status != 200:
            return ProcessResult(drop_reason=f"status_{exchange.status}")
        if exchange.meta.get("decode_error"):
            return ProcessResult(drop_reason="content_decoding_error")
        if not is_html(exchange):
            return ProcessResult(drop_reason="not_html")
        if page is None:
            try:
                page = self.load(exchange)
            except PageParseError as exc:
                logger.warning("cannot parse %s: %s", exchange.url, exc)
                return ProcessResult(drop_reason="parse_error")
        page_type = page_type or self.classify(page)
        if page_type == "article":
            return self._article(exchange, page)
        if page_type == "listing":
            fields = extract_listing(page, self.extract_profile)
            listing = Listing(
                url=exchange.url,
                site=self.site,
                fetched_at=exchange.fetched_at,
                status=exchange.status,
                items=fields.items,
                capture=exchange.capture,
            )
            return ProcessResult(record=listing, page_type="listing")
        if page_type == "not_found":
            return ProcessResult(page_type=page_type, drop_reason="soft_404")
        return ProcessResult(page_type=page_type, drop_reason="not_article")

    def _article(self, exchange: Exchange, page: HtmlPage) -> ProcessResult:
        fields = extract_article(page, self.extract_profile, fetched_at=exchange.fetched_at)
        if not fields.title:
            return ProcessResult(page_type="article", drop_reason="no_title")
        if not fields.body.strip():
            # An app shell whose state held no readable text: a browser would be needed.
            reason = "needs_js" if fields.needs_js else "no_body"
            return ProcessResult(page_type="article", drop_reason=reason)
        if self.since and fields.published and fields.published[:10] < self.since.isoformat():
            return ProcessResult(page_type="article", drop_reason="before_since")
        article = Article(
            url=exchange.url,
            site=self.site,
            fetched_at=exchange.fetched_at,
            status=exchange.status,
            extractor_version=EXTRACTOR_VERSION,
            fields=fields,
            capture=exchange.capture,
            content_digest=content_digest(fields),
        )
        return ProcessResult(
            record=article, page_type="article", continues_at=continuation_url(page)
        )
