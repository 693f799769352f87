"""Pure extraction: HTML bytes + URL → article / listing fields. lxml only (no Scrapy, no WARC).

    page = load_page(body, url, content_type=header)
    kind = classify_page(page, profile)
    fields = extract_article(page, profile)     # ArticleFields
    listing = extract_listing(page, profile)    # ListingFields
    links = extract_links(page)

Functions never mutate the page and may be called in any order on the same HtmlPage; results of
shared analysis steps are memoised on that page only.
"""

from __future__ import annotations

import dataclasses
import logging

from newsarchive.extract.appstate import StateArticle, state_article
from newsarchive.extract.assemble import body_text
from newsarchive.extract.body import extract_body
from newsarchive.extract.captions import extract_captions
from newsarchive.extract.classify import PageType, classify_page
from newsarchive.extract.dates import normalize_datetime, not_after
from newsarchive.extract.embeds import find_embeds
from newsarchive.extract.formats import is_paywalled, needs_js, page_format
from newsarchive.extract.html import HtmlPage, PageParseError, load_page
from newsarchive.extract.indexing import build_dom_index
from newsarchive.extract.language import resolve_language
from newsarchive.extract.links import extract_links
from newsarchive.extract.listing import main_list_links, pagination
from newsarchive.extract.liveblog import live_entries
from newsarchive.extract.metadata import PageMetadata, read_metadata
from newsarchive.extract.profile import ExtractProfile, RelatedBlockRule
from newsarchive.extract.related import extract_related
from newsarchive.records import ArticleFields, ListingFields

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractProfile",
    "HtmlPage",
    "PageParseError",
    "PageType",
    "RelatedBlockRule",
    "classify_page",
    "extract_article",
    "extract_links",
    "extract_listing",
    "load_page",
]

EXTRACTOR_VERSION = "0.4.0"
"""Bump whenever the output for the same input changes."""

logger = logging.getLogger(__name__)


def extract_article(
    page: HtmlPage, profile: ExtractProfile | None = None, *, fetched_at: str | None = None
) -> ArticleFields:
    """The article fields of `page` (body without captions, credits, related lines or chrome).

    `fetched_at` (ISO 8601), when known, rules out publication dates after the capture.
    """
    dom = build_dom_index(page, profile)
    meta = read_metadata(page, dom, profile, capture_time=fetched_at)
    body = extract_body(dom, profile, meta)
    entries, ordered = live_entries(
        dom, body.containers, list(body.blocks), declared="liveblogposting" in meta.jsonld_types
    )
    if entries:
        body = dataclasses.replace(body, blocks=tuple(ordered))
    captions = extract_captions(dom, body, meta, profile)
    related = extract_related(dom, body, profile)
    text = body_text(body, captions, related)
    embeds = find_embeds(dom, body.scope)
    shell = needs_js(dom, len(text))
    state = state_article(dom) if shell else None
    if state is not None:
        text, meta = state.body, _with_state(meta, state, fetched_at)
    paywalled = is_paywalled(dom, meta)
    return ArticleFields(
        title=meta.title,
        lead=body.standfirst or meta.description,
        body=text,
        captions=captions,
        related=related,
        authors=meta.authors,
        published=meta.published,
        modified=meta.modified,
        language=resolve_language(meta.language, text),
        section=meta.section,
        tags=meta.tags,
        canonical_url=meta.canonical_url,
        original_author=meta.original_author,
        format=page_format(
            dom, meta, len(text), captions, embeds, entries, scope=body.scope, paywalled=paywalled
        ),
        paywalled=paywalled,
        needs_js=shell,
        embeds=embeds,
        entries=entries,
    )


def _with_state(meta: PageMetadata, state: StateArticle, fetched_at: str | None) -> PageMetadata:
    """The page's metadata, completed from its app state where the HTML said nothing."""
    stated = not_after(normalize_datetime(state.published), fetched_at)
    return dataclasses.replace(
        meta,
        published=meta.published or stated,
        authors=meta.authors or state.authors,
        tags=meta.tags or state.tags,
        section=meta.section or state.section,
    )


def extract_listing(page: HtmlPage, profile: ExtractProfile | None = None) -> ListingFields:
    """The main list's article links in page order, and the next/last pagination links."""
    dom = build_dom_index(page, profile)
    meta = read_metadata(page, dom, profile)
    next_url, last_url = pagination(dom)
    return ListingFields(
        items=main_list_links(dom, profile),
        next_url=next_url,
        last_url=last_url,
        canonical_url=meta.canonical_url,
    )
