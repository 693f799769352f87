"""Is a page an article, a listing, or something else? Profile URL rules first, then signals."""

from __future__ import annotations

import logging
import re
from typing import Literal

from newsarchive.extract import vocab
from newsarchive.extract.body import extract_body
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.indexing import build_dom_index
from newsarchive.extract.listing import main_list_links
from newsarchive.extract.metadata import read_metadata
from newsarchive.extract.profile import ExtractProfile
from newsarchive.extract.urls import (
    looks_like_article_url,
    looks_like_listing_url,
    looks_like_service_url,
)

logger = logging.getLogger(__name__)

PageType = Literal["article", "listing", "not_found", "other"]

_ARTICLE_TYPE = re.compile(
    r'"@type"\s*:\s*\[?\s*"(?:News|Blog|Report|Scholarly|Tech)?Article"|"BlogPosting"'
    r'|"LiveBlogPosting"|"OpinionNewsArticle"|"AnalysisNewsArticle"'
)
# Points needed (and margins) for a verdict; see classify_page.
_ARTICLE_STRONG = 4
_LISTING_MIN = 3
_ARTICLE_MIN = 3


def _soft_404(page: HtmlPage) -> bool:
    headings = [h.text_content() for h in page.root.iter("h1")]
    title = page.root.findtext(".//title") or ""
    return any(vocab.NOT_FOUND_TITLE.search(text) for text in [*headings, title][:4])


def _declares_article(page: HtmlPage) -> bool:
    """og:type article or a JSON-LD article type: a story whose headline merely says 404."""
    for meta in page.root.iter("meta"):
        if meta.get("property") == "og:type" and (meta.get("content") or "").startswith("article"):
            return True
    for script in page.root.iter("script"):
        if script.get("type") == "application/ld+json" and _ARTICLE_TYPE.search(script.text or ""):
            return True
    return False


def classify_page(page: HtmlPage, profile: ExtractProfile | None = None) -> PageType:
    """ "article", "listing", "not_found" (a "Page not found" answered with 200) or "other"
    for one page. A soft 404 is told apart before the profile's URL rules: its URL looks like
    any story's."""
    url = page.url or page.base_url or ""
    if _soft_404(page) and not _declares_article(page):
        return "not_found"
    if profile is not None and url:
        if profile.matches("ignore_url_patterns", url):
            return "other"
        if profile.matches("article_url_patterns", url):
            return "article"
        if profile.matches("listing_url_patterns", url):
            return "listing"
    dom = build_dom_index(page, profile)
    meta = read_metadata(page, dom, profile)
    body = extract_body(dom, profile, meta)
    article = listing = 0
    og_type = meta.og_type or ""
    if og_type.startswith("article"):
        article += 3
    elif og_type.startswith("video"):
        article += 1
    if meta.jsonld_types & vocab.ARTICLE_TYPES:
        article += 3
    if meta.jsonld_types & vocab.LISTING_TYPES:
        listing += 2
    if url and looks_like_listing_url(url):
        listing += 4
    elif url and looks_like_article_url(url):
        article += 2
    chars = body.paragraph_chars
    if chars >= 1500 and body.link_density < 0.3:
        article += 3
    elif chars >= 400 and body.link_density < 0.35:
        article += 2
    elif chars < 150:
        article -= 1
    if meta.published:
        article += 1
    items = len(main_list_links(dom, profile))
    if items >= 8 and chars < 1000:
        listing += 3
    elif items >= 4 and chars < 400:
        listing += 2
    logger.debug("%s: article=%d listing=%d items=%d chars=%d", url, article, listing, items, chars)
    if url and looks_like_service_url(url) and article < _ARTICLE_STRONG + 1:
        return "other"
    if article >= _ARTICLE_STRONG and article >= listing:
        return "article"
    if listing >= _LISTING_MIN:
        return "listing"
    if article >= _ARTICLE_MIN:
        return "article"
    return "other"
