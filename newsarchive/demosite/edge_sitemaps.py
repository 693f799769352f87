"""E22 (§12): a sitemap URL without an extension, served once as XML and once as HTML. The
sitemap index names two such URLs: `/sitemap/latest`, an `application/xml` urlset of the newest
en articles (a crawler must parse it: neither the URL nor anything but the Content-Type and the
body says it is XML), and `/ru/sitemap/latest`, the same idea as a human-readable `text/html`
page of the newest ru headlines (a sitemap parser must ignore it, as Scrapy's `SitemapSpider`
does with "Ignoring invalid sitemap")."""

from __future__ import annotations

from typing import Any

from newsarchive.demosite.chrome import attr, document, esc, head_common, visible_date
from newsarchive.demosite.feeds import sitemap_entry, urlset_document
from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.model import Edition, SiteModel
from newsarchive.demosite.page import Page, Route, html_page

LATEST_SITEMAP_PATH = "/sitemap/latest"
LATEST_HTML_PATH = "/ru/sitemap/latest"
LATEST_ITEMS = 10
HTML_TITLE = "Карта сайта: последние новости"


def latest_routes(model: SiteModel) -> list[Route]:
    en, ru = model.edition("en"), model.edition("ru")
    entries = tuple(sitemap_entry(article) for article in en.articles[:LATEST_ITEMS])

    def xml() -> Page:
        return Page(200, "application/xml; charset=utf-8", urlset_document(entries).encode())

    def html() -> Page:
        return html_page(latest_html_document(ru))

    return [
        Route(LATEST_SITEMAP_PATH, "sitemap", xml),
        Route(LATEST_HTML_PATH, "sitemap", html, canonical=LATEST_HTML_PATH, lang=ru.lang),
    ]


def latest_html_document(edition: Edition) -> str:
    """A plain chrome page: a heading and the newest headlines with their dates."""
    labels = LABELS[edition.lang]
    head = head_common(
        title=HTML_TITLE,
        description=HTML_TITLE,
        canonical=LATEST_HTML_PATH,
        og_type="website",
        labels=labels,
    )
    rows = "\n".join(
        f'<li><a href="{attr(article.path)}">{esc(article.title)}</a> '
        f'<time datetime="{article.published.isoformat()}">'
        f"{esc(visible_date(article.published, edition.lang))}</time></li>"
        for article in edition.articles[:LATEST_ITEMS]
    )
    main = "\n".join(
        [
            '<main class="content">',
            f'<h1 class="page-title">{esc(HTML_TITLE)}</h1>',
            f'<ul class="sitemap-list">\n{rows}\n</ul>',
            "</main>",
        ]
    )
    return document(
        lang=edition.lang, head=head, body_class="page-sitemap", main=main, edition=edition
    )


def latest_truth(url: str) -> dict[str, Any]:
    """The manifest's E22 keys for one of the two URLs (empty for any other URL):
    `parse_as_sitemap` says whether a crawler should read it as a sitemap."""
    variants = {LATEST_SITEMAP_PATH: "xml", LATEST_HTML_PATH: "html"}
    if url not in variants:
        return {}
    return {
        "edge": "E22",
        "sitemap_variant": variants[url],
        "parse_as_sitemap": variants[url] == "xml",
        "is_article": False,
        "expect_article": False,
    }
