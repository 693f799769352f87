"""Ground truth of the edge-case pages (§12, "Ground truth" column): the fields of a regular
article entry (`truth.article_truth`) where they apply, plus what makes each page special.

Every edge entry has `edge` (the catalogue row, "E1"...) and `expect_article` (whether a
crawler that does not run JavaScript should emit an article for it)."""

from __future__ import annotations

from typing import Any

from newsarchive.demosite.edge_hidden import HIDDEN_TEXTS
from newsarchive.demosite.edge_pages import (
    LIVE_HEADER,
    MULTIPAGE_NEXT_TEXT,
    MULTIPAGE_PREV_TEXT,
    PAYWALL_TEXT,
)
from newsarchive.demosite.edge_relative import BASE_HREF, resolved
from newsarchive.demosite.feeds import sitemap_entry
from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.model import Article, EdgePage, Edition, Figure
from newsarchive.demosite.page import HEADER_CHARSET_UNDER_BOM
from newsarchive.demosite.truth import article_truth

_JSONLD = {"paywall": "paywalled", "liveblog": "live_blog", "video": "video_object"}
"""The `jsonld` value of pages whose JSON-LD is not the default NewsArticle."""


def edge_truth(page: EdgePage, edition: Edition) -> dict[str, Any]:
    common: dict[str, Any] = {"edge": page.code, "id": str(page.id)}
    article = page.article
    if article is None:  # E6
        labels = LABELS[edition.lang]
        return {
            **common,
            "title": labels.not_found_title,
            "is_article": False,
            "expect_article": False,
        }
    truth = article_truth(article, edition)
    truth.update(common)
    truth["is_article"] = True
    truth["expect_article"] = True
    if article.jsonld != "none":
        truth["jsonld"] = _JSONLD.get(page.kind, "default")
    must_not_contain: list[str] = truth["must_not_contain"]
    match page.kind:
        case "paywall":
            truth["paywalled"] = True
            must_not_contain.append(PAYWALL_TEXT)
        case "liveblog":
            truth["format"] = "liveblog"
            truth["entries"] = [
                {"time": entry.time.isoformat(), "text": entry.text} for entry in page.entries
            ]
            must_not_contain.append(LIVE_HEADER)
        case "gallery":
            truth["format"] = "gallery"
            truth["figures"] = [
                {
                    "src": f.src,
                    "alt": f.alt,
                    "caption": f.caption,
                    "credit": f.credit.text,
                    "credit_raw": f.credit.raw,
                    "illustrative": f.credit.illustrative,
                    "form": "gallery",
                }
                for f in page.gallery
            ]
            truth["gallery"] = [
                {"text": f.caption, "credit": f.credit.text, "image_url": f.src}
                for f in page.gallery
            ]
            for figure in page.gallery:
                must_not_contain += [figure.caption, figure.credit.raw]
        case "video":
            truth["format"] = "video"
            truth["embeds"] = [{"provider": "youtube", "url": page.video_url}]
        case "undated":
            truth.update(published=None, published_visible=None, modified=None)
            truth["sitemap_lastmod"] = sitemap_entry(article).lastmod
        case "js_only":
            # No chrome at all; `body` is the text in window.__NUXT__, for JSON-state extraction.
            truth["needs_js"] = True
            truth.update(latest_news=[], must_not_contain=[])
        case "charset_bom":
            # The bytes are a UTF-8 BOM and UTF-8 (`charset`); the header claims otherwise.
            truth.update(header_charset=HEADER_CHARSET_UNDER_BOM, bom=True)
        case "relative_urls":
            truth.update(_resolved_urls(article, truth))
        case "multipage":
            assert page.second_page is not None
            truth["pages"] = [page.path, page.second_page]
            must_not_contain += [MULTIPAGE_NEXT_TEXT, MULTIPAGE_PREV_TEXT]
        case "concealed_text":
            truth["captions"] = _captions(article, truth["figures"])
            truth["hidden_texts"] = list(HIDDEN_TEXTS)
            must_not_contain += HIDDEN_TEXTS
    return truth


def _captions(article: Article, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an extractor's `captions` hold for an edge page without a lead image: one per
    figure (a hidden modal copy is not a second caption), image URLs resolved."""
    assert article.lead_image is None
    return [{"text": f["caption"], "credit": f["credit"], "image_url": f["src"]} for f in figures]


def _resolved_urls(article: Article, truth: dict[str, Any]) -> dict[str, Any]:
    """E18: figures and "Read also" links where they point (root-relative on the site,
    `{FOREIGN}/…` off it), with the hrefs as printed beside them."""
    figures = [
        {**entry, "src": resolved(block.src), "printed_src": block.src}
        for entry, block in zip(
            truth["figures"], [b for b in article.blocks if isinstance(b, Figure)], strict=True
        )
    ]
    related = [
        {**entry, "href": resolved(entry["href"]), "printed_href": entry["href"]}
        for entry in truth["inline_related"]
    ]
    return {
        "base_href": BASE_HREF,
        "figures": figures,
        "inline_related": related,
        "captions": _captions(article, figures),
    }
