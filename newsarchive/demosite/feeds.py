"""Machine-readable entry points: RSS 2.0 feeds (§9), sitemaps (§8) and robots.txt (§10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from newsarchive.demosite.articles import newstext_inner
from newsarchive.demosite.labels import LABELS, SITE_NAME
from newsarchive.demosite.model import Article, Edition
from newsarchive.demosite.options import BASE, NOW, TZ_ALMATY

FEED_ITEMS = 30
SITEMAP_URLS = 50
NEWS_SITEMAP_ITEMS = 20
WRAPPED_LINK_ITEM = 2
"""0-based index of the feed item whose <link> is wrapped in newlines."""
JUNK_SITEMAP = 2
SITEMAP_INDEX_PATH = "/sitemap.xml"
NEWS_SITEMAP_PATH = "/sitemap/news.xml"
ROBOTS_DISALLOW = ("/search-results.html", "/print/", "/admin/", "/*?utm_")

_NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:atom="http://www.w3.org/2005/Atom"'
)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def feed_path(edition: Edition) -> str:
    return f"{edition.prefix}/feed/"


def feed_articles(edition: Edition) -> tuple[Article, ...]:
    return edition.articles[:FEED_ITEMS]


def _feed_item(article: Article, edition: Edition, wrapped: bool) -> str:
    labels = LABELS[article.lang]
    link = f"{BASE}{article.path}"
    lines = [
        "<item>",
        f"<title>{escape(article.title)}</title>",
        f"<link>\n{link}\n</link>" if wrapped else f"<link>{link}</link>",
        f'<guid isPermaLink="false">qala-{article.id}</guid>',
        f"<pubDate>{format_datetime(article.published)}</pubDate>",
    ]
    lines += [f"<dc:creator>{_cdata(author.name)}</dc:creator>" for author in article.authors]
    lines.append(f"<category>{_cdata(labels.categories[article.section])}</category>")
    lines += [f"<category>{_cdata(tag.name)}</category>" for tag in article.tags]
    lines.append(f"<description>{_cdata(article.lead)}</description>")
    lines.append(
        f"<content:encoded>{_cdata(newstext_inner(article, edition.prefix))}</content:encoded>"
    )
    image = article.lead_image
    if image is not None:
        credit = f"<media:credit>{escape(image.credit.text)}</media:credit>" if image.credit else ""
        lines.append(
            f'<media:content url="{BASE}{image.src}" medium="image" type="image/webp" '
            f'width="1440" height="810">{credit}</media:content>'
        )
    lines.append("</item>")
    return "\n".join(lines)


def rss_document(edition: Edition, extra_items: Sequence[str] = ()) -> str:
    """The edition's feed; `extra_items` (raw XML, fault mode's garbage) go after the items."""
    items = [
        _feed_item(article, edition, index == WRAPPED_LINK_ITEM)
        for index, article in enumerate(feed_articles(edition))
    ]
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<rss version="2.0" {_NAMESPACES}>',
            "<channel>",
            f"<title>{SITE_NAME}</title>",
            f"<link>{BASE}{edition.prefix}/</link>",
            f"<description>{escape(LABELS[edition.lang].latest_news)} — {SITE_NAME}</description>",
            f"<language>{edition.lang}</language>",
            f"<lastBuildDate>{format_datetime(NOW)}</lastBuildDate>",
            f'<atom:link href="{BASE}{feed_path(edition)}" rel="self" type="application/rss+xml"/>',
            *items,
            *extra_items,
            "</channel>",
            "</rss>",
            "",
        ]
    )


# -- sitemaps ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    """Root-relative, exactly as written in <loc> after {BASE}."""
    lastmod: str
    alternates: tuple[tuple[str, str], ...] = ()


def sitemap_entry(article: Article) -> SitemapEntry:
    lastmod = (article.modified or article.published).astimezone(TZ_ALMATY).isoformat()
    alternates: tuple[tuple[str, str], ...] = ()
    if article.translations:
        alternates = ((article.lang, article.path), *article.translations)
    return SitemapEntry(article.path, lastmod, alternates)


def numbered_sitemaps(edition: Edition) -> list[tuple[str, tuple[SitemapEntry, ...]]]:
    """(path, entries) of /sitemap/sitemap_news{N}.xml, newest first, 50 articles each; the
    orda-style junk entries (404s) sit in sitemap 2 (or the last one when there are fewer)."""
    chunks = [
        edition.articles[start : start + SITEMAP_URLS]
        for start in range(0, max(len(edition.articles), 1), SITEMAP_URLS)
    ]
    junk_index = min(JUNK_SITEMAP, len(chunks)) - 1
    out = []
    for index, chunk in enumerate(chunks):
        entries = [sitemap_entry(article) for article in chunk]
        if index == junk_index:
            entries += junk_entries(edition)
        out.append((f"/sitemap/sitemap_news{index + 1}.xml", tuple(entries)))
    return out


def junk_entries(edition: Edition) -> list[SitemapEntry]:
    """A WordPress-trash slug and an U+FFFC slug, both answering 404 (seen in orda sitemaps)."""
    slug = edition.articles[-1].slug if edition.articles else "news"
    when = "2025-01-20T10:00:00+05:00"
    return [
        SitemapEntry(f"/{slug}__trashed-9021/", when),
        SitemapEntry(f"/{slug}-%ef%bf%bc-9022/", when),
    ]


def urlset_document(entries: tuple[SitemapEntry, ...]) -> str:
    rows = []
    for entry in entries:
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(BASE + path)}/>'
            for lang, path in entry.alternates
        )
        rows.append(
            f"<url><loc>{escape(BASE + entry.loc)}</loc><lastmod>{entry.lastmod}</lastmod>"
            f"{links}</url>"
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
            *rows,
            "</urlset>",
            "",
        ]
    )


def edition_sitemap_path(edition: Edition) -> str:
    return f"{edition.prefix}/sitemap.xml"


def sitemap_index_children(
    en: Edition, others: list[Edition], extra: Sequence[str] = ()
) -> list[str]:
    children = [path for path, _ in numbered_sitemaps(en)]
    children.append(NEWS_SITEMAP_PATH)
    children += [edition_sitemap_path(edition) for edition in others]
    return children + list(extra)


def sitemap_index_document(en: Edition, others: list[Edition], extra: Sequence[str] = ()) -> str:
    """The index of every sitemap; `extra` (fault mode's hostile sitemaps) come last."""
    lastmod = NOW.isoformat()
    rows = [
        f"<sitemap><loc>{BASE}{path}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for path in sitemap_index_children(en, others, extra)
    ]
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            *rows,
            "</sitemapindex>",
            "",
        ]
    )


def news_sitemap_articles(edition: Edition) -> tuple[Article, ...]:
    return edition.articles[:NEWS_SITEMAP_ITEMS]


def news_sitemap_document(edition: Edition) -> str:
    rows = []
    for article in news_sitemap_articles(edition):
        rows.append(
            f"<url><loc>{BASE}{article.path}</loc><news:news><news:publication>"
            f"<news:name>{SITE_NAME}</news:name><news:language>{article.lang}</news:language>"
            f"</news:publication><news:publication_date>{article.published.isoformat()}"
            f"</news:publication_date><news:title>{escape(article.title)}</news:title>"
            "</news:news></url>"
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
            *rows,
            "</urlset>",
            "",
        ]
    )


def robots_document() -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += [
        "Crawl-delay: 1",
        "",
        "User-agent: BadBot",
        "Disallow: /",
        "",
        f"Sitemap: {BASE}{SITEMAP_INDEX_PATH}",
        f"Sitemap: {BASE}{NEWS_SITEMAP_PATH}",
        "",
    ]
    return "\n".join(lines)
