"""Metadata from templates that mislead: a German text under an English `lang`, bylines that
are CMS accounts or carry the organisation after a full stop (or the photographer after the
writer), a person linked in the running text who is not the author, the site's domain offered
as a section; dates in bylines, before their time or relative to the capture; labelled author
lines and news keywords."""

from __future__ import annotations

import pytest

from newsarchive.extract import extract_article, load_page
from newsarchive.extract.language import detect_language, resolve_language
from tests.extract_pages import PARAGRAPHS, load, orda_page, paragraphs

GERMAN = (
    "Die Digitalisierung ist in fast allen Branchen angekommen, und auch die Krankenhäuser "
    "stehen nicht mehr am Anfang. Der Bedarf an Lösungen wächst mit jedem Jahr, denn die "
    "Kosten steigen und die Zahl der Patienten ist hoch. Mit der elektronischen Akte soll "
    "das anders werden: Die Daten sind dann an einem Ort, und der Arzt hat sie mit einem "
    "Klick. Das ist ein großer Schritt für die Versorgung, sagen die Fachleute von der Kasse."
)


def test_german_text_under_an_english_lang_is_german() -> None:
    assert detect_language(GERMAN) == "de"
    assert resolve_language("en", GERMAN) == "de"
    assert resolve_language("en", " ".join(PARAGRAPHS)) == "en"
    html = orda_page("".join(f"<p>{GERMAN}</p>" for _ in range(3)))
    assert extract_article(load(html)).language == "de"


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ('<span class="entry-author">| BY: <a href="/author/qala/">Qala News</a></span>', ()),
        ('<span class="byline">admin</span>', ()),
        ('<span class="byline">By Dana Seitkali. Qala News International</span>',
         ("Dana Seitkali",)),
        ('<span class="byline">By J. R. Tolkien</span>', ("J. R. Tolkien",)),
    ],
)  # fmt: skip
def test_bylines_give_people_only(byline: str, authors: tuple[str, ...]) -> None:
    html = orda_page(paragraphs(), after=byline)
    assert extract_article(load(html)).authors == authors


def test_person_linked_in_the_text_is_not_the_author() -> None:
    mention = (
        '<p>The decision was announced by <a href="/people/kassym-tokayev/">Kassym-Jomart '
        "Tokayev</a> on Monday, after a meeting with the regional governors in Astana.</p>"
    )
    html = orda_page(paragraphs(2) + mention + paragraphs(4)[-300:])
    assert extract_article(load(html)).authors == ()


def test_the_sites_domain_is_not_a_section() -> None:
    head = '<meta property="article:section" content="qala.example">'
    assert extract_article(load(orda_page(paragraphs(), head=head))).section is None
    head = '<meta property="article:section" content="Society">'
    assert extract_article(load(orda_page(paragraphs(), head=head))).section == "Society"


def test_date_in_the_byline_and_printed_date_published_first_in_the_page() -> None:
    def published(meta_html: str, after: str = "") -> str | None:
        html = (
            f"<html><head><title>Depot opens</title></head><body><h1>Depot opens</h1>{meta_html}"
            "<div class='text'>"
            + "<p>The depot opened on Tuesday, the akimat said.</p>" * 5
            + f"</div>{after}</body></html>"
        )
        page = load_page(html.encode(), "https://qala.example/depot-5719/")
        return extract_article(page).published

    assert published("<p class='byline'>By Aidos Erlanov | March 29, 2025 2:32 PM</p>") == (
        "2025-03-29T14:32:00"
    )
    printed = (
        '<span class="storyDate">Posted: <span itemprop="datePublished">Fri 6:45 PM, Feb 16, '
        '2018</span></span> <span class="storyDate" itemprop="dateModified">Updated: Sat 8:31 '
        "PM, Feb 17, 2018</span>"
    )
    assert published(printed) == "2018-02-16T18:45:00"
    teasers = '<div class="more"><span class="date">1 April 2025</span></div>'
    assert published('<div class="date">29 March 2025</div>', teasers) == "2025-03-29"


def test_labelled_author_line_and_news_keywords() -> None:
    html = (
        '<html lang="ru"><head><title>Депо открыли</title><meta name="news_keywords" '
        'content="Алматы, ЛРТ, транспорт"></head><body><h1>Депо открыли</h1><p class="meta">'
        "Текст: Дана Садыкова</p><div class='text'>"
        + "<p>Новое депо открыли во вторник, сообщили в акимате города.</p>" * 5
        + "</div></body></html>"
    )
    fields = extract_article(load_page(html.encode(), "https://qala.example/ru/depo-5719/"))
    assert fields.authors == ("Дана Садыкова",)
    assert fields.tags == ("Алматы", "ЛРТ", "транспорт")


def test_relative_date_line_needs_the_capture_time() -> None:
    html = (
        "<html><head><title>Depot opens</title></head><body><h1>Depot opens</h1><div "
        'class="date">Сегодня, 14:32</div><div class="text">'
        + "<p>The depot opened on Tuesday, the akimat said.</p>" * 5
        + "</div></body></html>"
    )
    page = load_page(html.encode(), "https://qala.example/depot-5719/")
    assert extract_article(page, fetched_at="2025-04-01T09:00:00+00:00").published == (
        "2025-04-01T14:32:00"
    )
    page = load_page(html.encode(), "https://qala.example/depot-5719/")
    assert extract_article(page).published is None


def test_byline_naming_writer_and_photographer() -> None:
    html = (
        "<html lang='ru'><head><title>Депо открыли</title></head><body><div class='article'>"
        "<h1>Депо открыли</h1><div class='byline'>Текст: Дана Садыкова, Фото: Айдос Ерланов"
        "</div><div class='text'><p><img src='/uploads/depo.jpg' width='800' alt=''></p>"
        + "<p>Новое депо открыли во вторник, сообщили в акимате города.</p>" * 5
        + "</div></div></body></html>"
    )
    fields = extract_article(load_page(html.encode(), "https://qala.example/ru/depo-5719/"))
    assert fields.authors == ("Дана Садыкова",)
    assert [(c.text, c.credit) for c in fields.captions] == [("", "Айдос Ерланов")]
    assert "Айдос" not in fields.body
