"""classify_page (article / listing / other) and extract_listing (items, pagination)."""

from __future__ import annotations

import pytest

from newsarchive.extract import ExtractProfile, classify_page, extract_listing
from newsarchive.records import ListingItem
from tests.extract_pages import ARTICLE_URL, BASE, SIDEBAR, load, orda_page, paragraphs

TITLES = [f"Headline number {n} about the city budget" for n in range(1, 21)]


def listing_page(
    items: list[str] = TITLES,
    *,
    pagination: str = "",
    head: str = "",
    og_type: str = "website",
    grouped: bool = False,
) -> str:
    lis = [
        f'<li><span class="time">29.03.2025, 16:0{n % 10}</span> '
        f'<a href="/headline-number-{n}-{5700 + n}/">{title}</a>'
        f"{' <span class=label>Photo</span>' if n % 3 == 0 else ''}</li>"
        for n, title in enumerate(items, start=1)
    ]
    if grouped:
        half = len(lis) // 2
        ul = (
            '<h2 class="date-header">29 March 2025</h2><ul>' + "".join(lis[:half]) + "</ul>"
            '<h2 class="date-header">28 March 2025</h2><ul>' + "".join(lis[half:]) + "</ul>"
        )
    else:
        ul = "<ul>" + "".join(lis) + "</ul>"
    return f"""<html lang="en"><head><meta property="og:type" content="{og_type}">{head}
    <title>Latest news — Qala News</title></head><body>
    <header class="site-header"><nav class="main-menu"><a href="/last-news/">Latest</a>
    <a href="/category/politics/">Politics</a></nav></header>
    <main class="content"><h1 class="page-title">Latest news</h1>
    <div class="newslist3">{ul}</div>{pagination}</main>{SIDEBAR}
    <footer class="site-footer"><a href="/about/">About</a></footer></body></html>"""


PAGINATION = """<nav class="pagination" aria-label="Pages">
<a rel="prev" href="/last-news/">‹</a><a href="/last-news/">1</a><span class="current">2</span>
<a href="/last-news/page/3/">3</a> … <a href="/last-news/page/8/" rel="last">8</a>
<a rel="next" href="/last-news/page/3/">›</a></nav>"""


def test_listing_items_in_page_order() -> None:
    page = load(listing_page(pagination=PAGINATION), url=f"{BASE}/last-news/page/2/")
    listing = extract_listing(page)
    assert len(listing.items) == 20
    assert listing.items[0] == ListingItem(
        title=TITLES[0], url=f"{BASE}/headline-number-1-5701/", position=1
    )
    assert [i.title for i in listing.items] == TITLES
    assert [i.position for i in listing.items] == list(range(1, 21))
    assert listing.next_url == f"{BASE}/last-news/page/3/"
    assert listing.last_url == f"{BASE}/last-news/page/8/"


def test_sidebar_is_not_part_of_the_main_list() -> None:
    listing = extract_listing(load(listing_page(), url=f"{BASE}/last-news/"))
    assert "Kazakhstan to Extend Gas Export Ban" not in [i.title for i in listing.items]


def test_list_grouped_under_date_headers_is_one_list() -> None:
    listing = extract_listing(load(listing_page(grouped=True), url=f"{BASE}/category/economy/"))
    assert [i.title for i in listing.items] == TITLES


def test_secondary_block_after_the_main_list_is_left_out() -> None:
    special = (
        '<div class="newslist3 newslist3--special"><h2>Special reports</h2><ul>'
        + "".join(f'<li><a href="/special-{n}-{9000 + n}/">Special {n}</a></li>' for n in range(5))
        + "</ul></div>"
    )
    html = listing_page(pagination=PAGINATION).replace(
        "</nav></main>", "</nav>" + special + "</main>"
    )
    listing = extract_listing(load(html, url=f"{BASE}/last-news/"))
    assert [i.title for i in listing.items] == TITLES


def test_pagination_without_rel_attributes() -> None:
    pagination = """<div class="page-numbers"><span class="current">1</span>
    <a href="?page=2">2</a><a href="?page=3">3</a><a href="?page=12">12</a>
    <a class="next" href="?page=2">Next</a></div>"""
    page = load(listing_page(pagination=pagination), url=f"{BASE}/category/economy/")
    listing = extract_listing(page)
    assert listing.next_url == f"{BASE}/category/economy/?page=2"
    assert listing.last_url == f"{BASE}/category/economy/?page=12"


def test_empty_trap_page_has_no_items() -> None:
    page = load(listing_page(items=[], pagination=PAGINATION), url=f"{BASE}/last-news/page/999/")
    assert extract_listing(page).items == ()
    assert classify_page(page) == "listing"


def test_head_link_rel_next() -> None:
    head = f'<link rel="next" href="{BASE}/last-news/page/3/">'
    listing = extract_listing(load(listing_page(head=head), url=f"{BASE}/last-news/page/2/"))
    assert listing.next_url == f"{BASE}/last-news/page/3/"
    assert listing.last_url is None


def test_profile_listing_items_selector() -> None:
    profile = ExtractProfile.from_mapping({"listing_items": ["main div.newslist3 li"]})
    page = load(listing_page(), url=f"{BASE}/last-news/")
    assert [i.title for i in extract_listing(page, profile).items] == TITLES


@pytest.mark.parametrize(
    ("url", "html_kind", "expected"),
    [
        (ARTICLE_URL, "article", "article"),
        (f"{BASE}/last-news/", "listing", "listing"),
        (f"{BASE}/last-news/page/2/", "listing", "listing"),
        (f"{BASE}/category/economy/?page=3", "listing", "listing"),
        (f"{BASE}/tag/almaty/", "listing", "listing"),
        (f"{BASE}/author/aigerim-sadykova/", "listing", "listing"),
        (f"{BASE}/", "listing", "listing"),
        (f"{BASE}/about/", "about", "other"),
        (f"{BASE}/contacts/", "about", "other"),
        (f"{BASE}/soft-404-test-9006/", "soft404", "not_found"),
        (f"{BASE}/search-results.html?q=tram", "search", "other"),
        (f"{BASE}/multipage-story-9018/?page=2", "article", "article"),
    ],
)
def test_classify(url: str, html_kind: str, expected: str) -> None:
    pages = {
        "article": orda_page(paragraphs()),
        "listing": listing_page(pagination=PAGINATION),
        "about": (
            '<html><head><meta property="og:type" content="website"><title>About us</title></head>'
            "<body><header class='site-header'><nav><a href='/last-news/'>News</a></nav></header>"
            "<main><h1>About Qala News</h1><p>Qala News is an independent newsroom in Almaty.</p>"
            "</main></body></html>"
        ),
        "soft404": (
            "<html><head><title>Page not found — Qala News</title></head><body><main>"
            "<h1>Page not found</h1><p>The page you requested does not exist.</p></main>"
            f"{SIDEBAR}</body></html>"
        ),
        "search": (
            "<html><head><title>Search</title></head><body><div id='app'></div>"
            "<script>loadSearch()</script></body></html>"
        ),
    }
    assert classify_page(load(pages[html_kind], url=url)) == expected


def test_profile_url_patterns_come_first() -> None:
    profile = ExtractProfile.from_mapping(
        {
            "article_url_patterns": [r"-\d+/?$"],
            "listing_url_patterns": [r"/last-news/"],
            "ignore_url_patterns": [r"/print/"],
        }
    )
    article_html = orda_page(paragraphs())
    assert classify_page(load(listing_page(), url=f"{BASE}/story-5719/"), profile) == "article"
    assert classify_page(load(article_html, url=f"{BASE}/last-news/"), profile) == "listing"
    assert classify_page(load(article_html, url=f"{BASE}/print/5719/"), profile) == "other"
