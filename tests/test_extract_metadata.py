"""Metadata: JSON-LD (including malformed blocks), dates with the page's own offset, language,
section, tags, authors, canonical URL and title."""

from __future__ import annotations

import json

import pytest

from newsarchive.extract import extract_article
from newsarchive.extract.dates import normalize_datetime, parse_visible_date
from newsarchive.extract.jsonld import parse_block, strip_json_noise
from tests.extract_pages import (
    ARTICLE_URL,
    BASE,
    KK_PARAGRAPHS,
    PARAGRAPHS,
    RU_PARAGRAPHS,
    load,
    orda_page,
    paragraphs,
)

NEWS_ARTICLE = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "JSON-LD headline",
    "datePublished": "2024-02-14T10:00:00+06:00",
    "dateModified": "2024-02-14T12:30:00+06:00",
    "inLanguage": "ru",
    "articleSection": "Society",
    "keywords": ["Almaty", "transport"],
    "author": [{"@type": "Person", "name": "Aigerim Sadykova"}],
}


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-02-18T12:41:00+05:00", "2025-02-18T12:41:00+05:00"),
        ("2024-02-14T10:00:00+06:00", "2024-02-14T10:00:00+06:00"),
        ("2025-02-18T12:41+0500", "2025-02-18T12:41:00+05:00"),
        ("2025-02-18T07:41:00Z", "2025-02-18T07:41:00+00:00"),
        ("2025-02-18T07:41:00.123456-03:30", "2025-02-18T07:41:00-03:30"),
        ("2025-02-18 12:41:00", "2025-02-18T12:41:00"),
        ("2025-02-18", "2025-02-18"),
        ("Tue, 18 Feb 2025 12:41:00 +0500", "2025-02-18T12:41:00+05:00"),
        ("18.02.2025, 12:41", "2025-02-18T12:41:00"),
        ("29 марта 2025", "2025-03-29"),
        ("29 наурыз 2025, 14:32", "2025-03-29T14:32:00"),
        ("March 29, 2025", "2025-03-29"),
        ("2025-13-45T10:00:00", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_normalize_datetime(raw: str, expected: str | None) -> None:
    assert normalize_datetime(raw) == expected


def test_visible_date_needs_a_date() -> None:
    assert parse_visible_date("1 284 views") is None


@pytest.mark.parametrize(
    "text",
    [
        '{"@type": "NewsArticle", "headline": "x", "author": {"name": "A"},}',
        '{"@type": "NewsArticle", // comment\n "headline": "x"}',
        '{"@type": "NewsArticle", "headline": "x\u0001y", /* block */ "name": "z"}',
        '<!-- {"@type": "NewsArticle", "headline": "x"} -->',
    ],
)
def test_parse_block_repairs_common_damage(text: str) -> None:
    values = parse_block(text)
    assert values
    assert values[0]["@type"] == "NewsArticle"


def test_strip_json_noise_keeps_urls_in_strings() -> None:
    text = '{"url": "https://example.com/a//b", "list": [1, 2,], }'
    assert json.loads(strip_json_noise(text)) == {"url": "https://example.com/a//b", "list": [1, 2]}


def test_unrepairable_block_is_ignored() -> None:
    assert parse_block('{"@type": "NewsArticle", "headline": ') == []


def test_jsonld_wins_and_keeps_its_offset() -> None:
    """E14: visible "14.02.2024, 10:00" and meta differ; JSON-LD +06:00 is kept."""
    head = jsonld(NEWS_ARTICLE) + (
        '<meta property="article:published_time" content="2024-02-14T09:00:00+05:00">'
    )
    fields = extract_article(load(orda_page(paragraphs(), head=head)))
    assert fields.published == "2024-02-14T10:00:00+06:00"
    assert fields.modified == "2024-02-14T12:30:00+06:00"
    assert fields.authors == ("Aigerim Sadykova",)
    assert fields.tags == ("Almaty", "transport")
    assert fields.section == "Society"


@pytest.mark.parametrize(
    "broken",
    [
        '{"@type": "NewsArticle", "datePublished": "2020-01-01T00:00:00+05:00", "headline": ',
        '{"@type": "NewsArticle" "datePublished": "2020-01-01T00:00:00+05:00"}',
    ],
)
def test_malformed_jsonld_falls_back_to_meta_and_dom(broken: str) -> None:
    head = (
        f'<script type="application/ld+json">{broken}</script>'
        '<meta property="article:published_time" content="2025-03-29T14:30:00+05:00">'
        '<meta name="author" content="Raushan Temirova">'
    )
    fields = extract_article(load(orda_page(paragraphs(), head=head)))
    assert fields.published == "2025-03-29T14:30:00+05:00"
    assert fields.authors == ("Raushan Temirova",)
    assert fields.title == "Almaty Akimat Postpones LRT Tender for Third Time"


def test_jsonld_with_trailing_comma_is_still_used() -> None:
    text = json.dumps(NEWS_ARTICLE)[:-1] + ",}"
    head = f'<script type="application/ld+json">{text}</script>'
    fields = extract_article(load(orda_page(paragraphs(), head=head)))
    assert fields.published == "2024-02-14T10:00:00+06:00"


def test_jsonld_graph_form() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": ARTICLE_URL},
            {**NEWS_ARTICLE, "author": {"@type": "Organization", "name": "Qala News"}},
        ],
    }
    fields = extract_article(load(orda_page(paragraphs(), head=jsonld(graph))))
    assert fields.published == "2024-02-14T10:00:00+06:00"
    assert fields.authors == ()  # an Organization is not a person


def test_time_element_then_visible_date() -> None:
    fields = extract_article(load(orda_page(paragraphs())))
    assert fields.published == "2025-03-29T14:32:00+05:00"
    html = orda_page(paragraphs()).replace('datetime="2025-03-29T14:32:00+05:00"', "")
    assert extract_article(load(html)).published == "2025-03-29T14:32:00"


def test_undated_page_has_no_date() -> None:
    html = f"<html><body><h1>Undated statement</h1>{paragraphs()}</body></html>"
    assert extract_article(load(html)).published is None


def test_original_author_is_not_an_author() -> None:
    html = orda_page(
        paragraphs() + '<p class="original-author">Original Author: Raushan Temirova</p>',
        after='<address class="byline">By <a rel="author" href="/author/a/">Daniyar Omarov</a>'
        "</address>",
    )
    assert extract_article(load(html)).authors == ("Daniyar Omarov",)


def _text(paragraph_texts: tuple[str, ...]) -> str:
    return "\n".join(f"<p>{text}</p>" for text in paragraph_texts)


@pytest.mark.parametrize(
    ("html_lang", "head", "texts", "expected"),
    [
        ("en", "", PARAGRAPHS, "en"),
        ("ru-RU", "", RU_PARAGRAPHS, "ru"),
        ("kz", "", KK_PARAGRAPHS, "kk"),
        ("", '<meta property="og:locale" content="kk_KZ">', KK_PARAGRAPHS, "kk"),
        ("", jsonld(NEWS_ARTICLE), RU_PARAGRAPHS, "ru"),
    ],
)
def test_declared_language(
    html_lang: str, head: str, texts: tuple[str, ...], expected: str
) -> None:
    html = orda_page(_text(texts), head=head, lang=html_lang)
    assert extract_article(load(html)).language == expected


@pytest.mark.parametrize(
    ("html_lang", "texts", "expected"),
    [
        ("ru", KK_PARAGRAPHS, "kk"),  # a Kazakh edition on the Russian template
        ("kk", RU_PARAGRAPHS, "ru"),
        ("ru", PARAGRAPHS, "en"),  # an English edition with the main site's lang="ru"
        ("en", RU_PARAGRAPHS, "ru"),
        ("", KK_PARAGRAPHS, "kk"),  # nothing declared: the letters decide
    ],
)
def test_language_of_pages_that_lie(html_lang: str, texts: tuple[str, ...], expected: str) -> None:
    html = orda_page(_text(texts), lang=html_lang)
    assert extract_article(load(html)).language == expected


def test_language_declared_when_the_text_cannot_tell() -> None:
    html = orda_page("<p>Short note.</p>", lang="de")
    assert extract_article(load(html)).language == "de"


def test_tags_from_meta_and_dom_deduplicated_in_order() -> None:
    head = (
        '<meta property="article:tag" content="Almaty"><meta property="article:tag" content="LRT">'
    )
    tags = (
        '<ul class="tags"><li><a href="/tag/almaty/">Almaty</a></li>'
        '<li><a href="/tag/budget/">#Budget</a></li></ul>'
    )
    fields = extract_article(load(orda_page(paragraphs() + tags, head=head)))
    assert fields.tags == ("Almaty", "LRT", "Budget")


def test_section_from_breadcrumbs() -> None:
    crumbs = (
        '<ol class="breadcrumbs"><li><a href="/">Home</a></li>'
        '<li><a href="/category/society/">Society</a></li></ol>'
    )
    html = orda_page(paragraphs()).replace(
        '<div class="fulltext">', crumbs + '<div class="fulltext">'
    )
    assert extract_article(load(html)).section == "Society"


def test_section_from_jsonld_breadcrumb_list() -> None:
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{BASE}/"},
            {"@type": "ListItem", "position": 2, "name": "Economy", "item": f"{BASE}/economy/"},
            {"@type": "ListItem", "position": 3, "name": "Story", "item": ARTICLE_URL},
        ],
    }
    assert extract_article(load(orda_page(paragraphs(), head=jsonld(crumbs)))).section == "Economy"


def test_canonical_url_is_absolute() -> None:
    html = orda_page(paragraphs()).replace(f'href="{ARTICLE_URL}"', 'href="/canonical-story-5719/"')
    fields = extract_article(load(html, url=f"{BASE}/amp/story-5719/"))
    assert fields.canonical_url == f"{BASE}/canonical-story-5719/"


def test_canonical_falls_back_to_og_url_then_url() -> None:
    html = (
        f"<html><head><meta property='og:url' content='{BASE}/og-5719/'></head><body></body></html>"
    )
    assert extract_article(load(html)).canonical_url == f"{BASE}/og-5719/"
    bare = "<html><body><p>Nothing declared here at all.</p></body></html>"
    assert extract_article(load(bare)).canonical_url == ARTICLE_URL


def test_title_prefers_visible_headline_matching_og_title() -> None:
    head = '<meta property="og:title" content="Almaty Akimat Postpones LRT Tender for Third Time">'
    fields = extract_article(load(orda_page(paragraphs(), head=head)))
    assert fields.title == "Almaty Akimat Postpones LRT Tender for Third Time"


def test_title_from_head_title_without_site_name() -> None:
    head = "<head><title>Story headline here - Qala News</title></head>"
    html = f"<html>{head}<body>{paragraphs()}</body></html>"
    assert extract_article(load(html)).title == "Story headline here"
