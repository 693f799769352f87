"""load_page: charset decoding (E8–E8e), bounded parsing, base URL, parse errors, robustness."""

from __future__ import annotations

import codecs
import random

import pytest

from newsarchive.extract import (
    PageParseError,
    classify_page,
    extract_article,
    extract_links,
    extract_listing,
    load_page,
)
from tests.extract_pages import ARTICLE_URL, BASE, load, orda_page, paragraphs

RU_TEXT = (
    "В Алматы открыли новый парк площадью двенадцать гектаров. Горожане смогут гулять по "
    "аллеям, кататься на велосипедах и отдыхать у фонтанов, сообщает пресс-служба акимата. "
    "Строительство обошлось бюджету в три миллиарда тенге, работы шли почти два года."
)


def ru_page(meta: str = "") -> str:
    return (
        f"<html><head>{meta}<title>Новый парк</title></head><body><h1>В Алматы открыли парк</h1>"
        + "".join(f"<p>{RU_TEXT}</p>" for _ in range(4))
        + "</body></html>"
    )


def test_cp1251_with_header() -> None:
    body = ru_page('<meta charset="windows-1251">').encode("cp1251")
    page = load_page(body, ARTICLE_URL, content_type="text/html; charset=windows-1251")
    assert page.charset == "cp1251"
    assert RU_TEXT in extract_article(page).body


def test_cp1251_declared_only_in_meta_http_equiv() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    page = load_page(ru_page(meta).encode("cp1251"), ARTICLE_URL, content_type="text/html")
    assert page.charset == "cp1251"
    assert RU_TEXT in extract_article(page).body


def test_cp1251_without_any_declaration_is_detected() -> None:
    page = load_page(ru_page().encode("cp1251"), ARTICLE_URL, content_type="text/html")
    assert page.charset == "cp1251"
    assert RU_TEXT in extract_article(page).body


def test_bom_beats_header() -> None:
    body = codecs.BOM_UTF8 + ru_page().encode("utf-8")
    page = load_page(body, ARTICLE_URL, content_type="text/html; charset=windows-1251")
    assert page.charset == "utf-8"
    assert RU_TEXT in extract_article(page).body
    assert any("byte order mark" in w for w in page.charset_warnings)


def test_lying_utf8_header_over_cp1251_bytes_falls_back() -> None:
    """E8e: the header says utf-8, the bytes are windows-1251."""
    body = ru_page('<meta charset="windows-1251">').encode("cp1251")
    page = load_page(body, ARTICLE_URL, content_type="text/html; charset=utf-8")
    assert page.charset == "cp1251"
    assert any("header charset utf-8" in w for w in page.charset_warnings)
    assert "\ufffd" not in extract_article(page).body


def test_utf8_body_under_single_byte_header_is_read_as_utf8() -> None:
    page = load_page(
        ru_page().encode("utf-8"), ARTICLE_URL, content_type="text/html; charset=cp1251"
    )
    assert page.charset == "utf-8"
    assert RU_TEXT in extract_article(page).body


def test_utf16_with_bom() -> None:
    page = load_page(ru_page().encode("utf-16"), ARTICLE_URL)
    assert RU_TEXT in extract_article(page).body


def test_unknown_charset_label_is_ignored() -> None:
    page = load_page(
        ru_page().encode("utf-8"), ARTICLE_URL, content_type="text/html; charset=x-foo"
    )
    assert page.charset == "utf-8"
    assert any("unknown" in w for w in page.charset_warnings)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n\t ",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
        b"\x1f\x8b\x08\x00" + b"\x00" * 600,
    ],
)
def test_nothing_parseable_raises_page_parse_error(body: bytes) -> None:
    with pytest.raises(PageParseError) as info:
        load_page(body, ARTICLE_URL)
    assert info.value.url == ARTICLE_URL
    assert ARTICLE_URL in str(info.value)


def test_nul_bytes_are_stripped_and_plain_text_parses() -> None:
    page = load_page(b"<p>Hello\x00 world, this is a page.</p>", ARTICLE_URL)
    assert "Hello world" in extract_article(page).body


def test_input_is_truncated_at_max_bytes() -> None:
    html = orda_page(paragraphs()).encode("utf-8")
    page = load_page(html + b"<p>" + b"x" * 5000 + b"</p>", ARTICLE_URL, max_bytes=len(html))
    assert page.truncated
    assert "xxxxx" not in extract_article(page).body


def test_base_url_from_canonical_and_base_href() -> None:
    html = (
        f'<html><head><link rel="canonical" href="{BASE}/story-5719/"><base href="/ru/"></head>'
        '<body><a href="../other-5720/">x</a><a href="news-1/">y</a>'
        '<a href="//127.0.0.2:8080/img.webp">z</a></body></html>'
    )
    page = load_page(html.encode(), None)
    assert page.base_url == f"{BASE}/ru/"
    assert extract_links(page) == [
        f"{BASE}/other-5720/",
        f"{BASE}/ru/news-1/",
        "https://127.0.0.2:8080/img.webp",
    ]


def test_extract_links_filters_and_dedupes() -> None:
    html = """<html><head><link rel="amphtml" href="/amp/a-1/">
    <link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="ru" href="/ru/a-2/">
    <link rel="alternate" type="application/rss+xml" href="/feed/">
    <link rel="next" href="/page/2/"></head><body><a href="/a-1/#comments">a</a>
    <a href="/a-1/">a</a>
    <a href="mailto:x@y.z">m</a><a href="javascript:void(0)">j</a><a href=" /spaced-3/ ">s</a>
    <a href="ftp://x/">f</a><map><area href="/area-4/"></map></body></html>"""
    assert extract_links(load(html, url=f"{BASE}/")) == [
        f"{BASE}/amp/a-1/",
        f"{BASE}/ru/a-2/",
        f"{BASE}/page/2/",
        f"{BASE}/a-1/",
        f"{BASE}/spaced-3/",
        f"{BASE}/area-4/",
    ]


def test_calls_in_any_order_give_the_same_result() -> None:
    html = orda_page(paragraphs())
    first = load(html)
    article = extract_article(first)
    assert classify_page(first) == "article"
    extract_listing(first)
    extract_links(first)
    assert extract_article(first) == article
    fresh = load(html)
    assert classify_page(fresh) == "article"
    assert extract_article(fresh) == article


def test_random_bytes_never_crash() -> None:
    rng = random.Random(20250329)
    seeds = [orda_page(paragraphs()).encode(), b"<html><body><p>x</p></body></html>"]
    for _ in range(60):
        base = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 40)):
            pos = rng.randrange(len(base))
            base[pos : pos + rng.randint(0, 30)] = bytes(
                rng.randrange(256) for _ in range(rng.randint(0, 30))
            )
        try:
            page = load_page(bytes(base), ARTICLE_URL)
        except PageParseError:
            continue
        extract_article(page)
        extract_listing(page)
        classify_page(page)


def test_deeply_nested_markup_does_not_crash() -> None:
    html = "<div>" * 5000 + "<p>" + "deep text, " * 10 + "</p>" + "</div>" * 5000
    page = load(f"<html><body>{html}</body></html>")
    extract_article(page)
    classify_page(page)
