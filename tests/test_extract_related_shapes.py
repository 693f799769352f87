"""Related-headline blocks in shapes the zoo does not cover: a trending list inside the text
keeps the kind its label names, a carousel counter is not a label, and a "Read more on our
site" link to the home page is not a headline; a block printed twice is one list."""

from __future__ import annotations

import pytest

from newsarchive.extract import extract_article
from newsarchive.extract.related import kind_of_label
from tests.extract_pages import BASE, load, orda_page, paragraphs

TEASERS = [
    ("Almaty buses switch to cashless fares next month", "/almaty-buses-cashless-5702/"),
    ("Astana opens a second metro line for testing", "/astana-metro-line-5703/"),
    ("Shymkent airport gets a new terminal this spring", "/shymkent-airport-5704/"),
]


def teaser_list() -> str:
    return "<ul>" + "".join(f'<li><a href="{u}">{t}</a></li>' for t, u in TEASERS) + "</ul>"


def test_trending_list_inside_the_text_is_most_read() -> None:
    block = f"<div><h3>Trending News</h3>{teaser_list()}</div>"
    fields = extract_article(load(orda_page(paragraphs(2) + block + paragraphs(4)[-400:])))
    trending = [r for r in fields.related if r.block == "Trending News"]
    assert [(r.title, r.kind, r.position) for r in trending] == [
        (t, "most_read", i) for i, (t, _) in enumerate(TEASERS, start=1)
    ]


def test_carousel_counter_is_not_a_block_label() -> None:
    block = f'<div class="related-carousel"><span>1 of 3</span>{teaser_list()}</div>'
    fields = extract_article(load(orda_page(paragraphs(), after=block)))
    carousel = [r for r in fields.related if r.url.endswith(("5702/", "5703/", "5704/"))]
    assert len(carousel) == 3
    assert {r.block for r in carousel} == {"related"}


def test_read_more_link_to_the_home_page_is_not_a_headline() -> None:
    lines = (
        '<p><b>Read also:</b> <a href="/almaty-buses-cashless-5702/">Almaty buses switch to '
        "cashless fares next month</a></p>"
        f'<p><b>Read more:</b> <a href="{BASE}/">Read more news on Qala News</a></p>'
    )
    fields = extract_article(load(orda_page(paragraphs(2) + lines + paragraphs(4)[-300:])))
    read_also = [r for r in fields.related if r.kind == "read_also"]
    assert [r.url for r in read_also] == [f"{BASE}/almaty-buses-cashless-5702/"]


def test_block_printed_twice_for_two_screen_sizes_is_one_list() -> None:
    block = f'<div class="related-posts"><h3>More on this story</h3>{teaser_list()}</div>'
    fields = extract_article(load(orda_page(paragraphs(), after=block + block)))
    story = [(r.title, r.position) for r in fields.related if r.block == "More on this story"]
    assert story == [(t, i) for i, (t, _) in enumerate(TEASERS, start=1)]


def test_title_bar_label_is_its_heading_not_the_controls_beside_it() -> None:
    block = (
        '<div class="block-title"><h2>Related Articles</h2><div class="side"><a href="#top">'
        f'Scroll Back To Top</a></div></div><div class="related-block">{teaser_list()}</div>'
    )
    fields = extract_article(load(orda_page(paragraphs(), after=block)))
    assert {r.block for r in fields.related if r.url.endswith("5702/")} == {"Related Articles"}


def test_label_inside_the_link_is_not_part_of_the_headline() -> None:
    title, url = TEASERS[0]
    line = f'<p><a href="{url}">Читайте также: {title}</a></p>'
    fields = extract_article(load(orda_page(paragraphs(2) + line + paragraphs(3))))
    read_also = [(r.title, r.block) for r in fields.related if r.kind == "read_also"]
    assert read_also == [(title, "Читайте также")]
    assert title not in fields.body


def test_teasers_as_siblings_of_their_heading_with_dates_and_thumbnails() -> None:
    dated = (
        "<section><h2>Latest headlines</h2>"
        + "".join(
            f'<div class="item"><span class="date">29.03.2025</span><a href="{u}">{t}</a></div>'
            for t, u in TEASERS
        )
        + '<a href="/last-news/">All news</a></section>'
    )
    pictured = (
        '<div class="widget-latest"><h4>Соңғы жаңалықтар</h4>'
        + "".join(
            f'<a href="{u}" title="{t}"><img src="/t{i}.jpg" alt=""></a>'
            f'<a href="{u}">12:3{i} {t}</a>'
            for i, (t, u) in enumerate(TEASERS)
        )
        + "</div>"
    )
    fields = extract_article(load(orda_page(paragraphs(), after=dated + pictured)))
    for label in ("Latest headlines", "Соңғы жаңалықтар"):
        block = [(r.title, r.position, r.kind) for r in fields.related if r.block == label]
        assert block == [(t, i, "latest_news") for i, (t, _) in enumerate(TEASERS, start=1)]


def test_headline_of_a_link_around_the_whole_teaser_and_a_trailing_date() -> None:
    cards = (
        "<div><h3>Top Stories</h3><ul>"
        + "".join(
            f'<li><a href="{u}"><h4>{t}</h4><p>A summary of the story.</p></a> '
            "20 November 2019</li>"
            if i
            else f'<li><a href="{u}">{t} 22 August 2019</a></li>'
            for i, (t, u) in enumerate(TEASERS)
        )
        + "</ul></div>"
    )
    fields = extract_article(load(orda_page(paragraphs(), after=cards)))
    titles = [r.title for r in fields.related if r.block == "Top Stories"]
    assert titles == [t for t, _ in TEASERS]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Artigos relacionados", "related"),
        ("Berita Terkait", "related"),
        ("Verwandte Artikel", "related"),
        ("Lo más leído", "most_read"),
        ("Les plus lus", "most_read"),
        ("Top Posts & Pages", "most_read"),
        ("Últimas notícias", "latest_news"),
        ("Tulisan Terkini", "latest_news"),
        ("Leia também", "read_also"),
        ("Baca juga", "read_also"),
    ],
)
def test_block_labels_in_other_languages(label: str, kind: str) -> None:
    assert kind_of_label(label) == kind


def test_read_also_line_in_portuguese_and_indonesian() -> None:
    (t1, u1), (t2, u2) = TEASERS[:2]
    lines = (
        f'<p><strong>Leia também:</strong> <a href="{u1}">{t1}</a></p>'
        f'<p>Baca juga: <a href="{u2}">{t2}</a></p>'
    )
    fields = extract_article(load(orda_page(paragraphs(2) + lines + paragraphs(3))))
    assert [(r.title, r.kind) for r in fields.related if r.kind == "read_also"] == [
        (t1, "read_also"),
        (t2, "read_also"),
    ]
    assert t1 not in fields.body and t2 not in fields.body
