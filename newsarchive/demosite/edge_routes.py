"""The routes of the edge-case pages (§12) and how a crawler meets them: every one is linked
from the en home page ("Special coverage"), and all but the soft 404 are listed, with their
`<lastmod>`, in a sitemap of their own that the sitemap index names. The index also names the
two extension-less "latest" sitemaps of E22 (`edge_sitemaps`)."""

from __future__ import annotations

from newsarchive.demosite.articles import article_page
from newsarchive.demosite.edge_charset import CHARSET_KINDS
from newsarchive.demosite.edge_pages import APP_SCRIPT, edge_document
from newsarchive.demosite.edge_relative import resolved
from newsarchive.demosite.edge_sitemaps import LATEST_HTML_PATH, LATEST_SITEMAP_PATH, latest_routes
from newsarchive.demosite.feeds import sitemap_entry, urlset_document
from newsarchive.demosite.model import Article, EdgeKind, EdgePage, Edition, Figure, SiteModel
from newsarchive.demosite.page import Page, PageType, Route, encode_article, html_page

EDGE_SITEMAP_PATH = "/sitemap/special.xml"
INDEXED_SITEMAPS = (EDGE_SITEMAP_PATH, LATEST_SITEMAP_PATH, LATEST_HTML_PATH)
"""What the sitemap index lists after the editions' sitemaps (fault mode adds its own)."""
SOFT_404_LINK_TEXT = "Investigation: where the stadium money went"
"""The soft 404 is linked like a story that was taken down."""
_PAGE_TYPES: dict[EdgeKind, PageType] = {"soft_404": "soft_404"}


def page_type(page: EdgePage) -> PageType:
    """What the manifest calls the page: an article, except the soft 404. (The JavaScript-only
    shell is an article too: its text is read from the app state, `needs_js` says so.)"""
    return _PAGE_TYPES.get(page.kind, "article")


def edge_routes(model: SiteModel) -> list[Route]:
    routes = [_route(page, _edition(model, page)) for page in model.edge_pages]
    routes += [
        _second_page(page, _edition(model, page))
        for page in model.edge_pages
        if page.second_page is not None
    ]
    entries = tuple(sitemap_entry(p.article) for p in model.edge_pages if p.article is not None)

    def sitemap() -> Page:
        return Page(200, "application/xml; charset=utf-8", urlset_document(entries).encode())

    routes.append(Route(EDGE_SITEMAP_PATH, "sitemap", sitemap))
    return routes + latest_routes(model)


def _edition(model: SiteModel, page: EdgePage) -> Edition:
    return model.edition(page.article.lang if page.article is not None else "en")


def _route(page: EdgePage, edition: Edition) -> Route:
    article = page.article
    # The undated statement sends no Last-Modified either: only its sitemap entry has a date.
    dated = article is not None and page.kind != "undated"
    modified = (article.modified or article.published) if article is not None and dated else None

    def render() -> Page:
        if article is not None and page.kind in CHARSET_KINDS:
            return encode_article(article, article_page(article, edition))
        return html_page(edge_document(page, edition), last_modified=modified)

    return Route(
        page.path,
        page_type(page),
        render,
        article=article,
        canonical=page.path if article is not None else None,
        lang=edition.lang,
        edge=page,
    )


def _second_page(page: EdgePage, edition: Edition) -> Route:
    """E17's `?page=2`: the rest of the story, canonical to its first page."""
    assert page.second_page is not None and page.article is not None

    def render() -> Page:
        return html_page(edge_document(page, edition, part=2))

    return Route(
        page.second_page,
        "article_page",
        render,
        article=page.article,
        canonical=page.path,
        variant="story_page",
        lang=edition.lang,
    )


def variant_articles(model: SiteModel) -> list[Article]:
    """Edge articles rendered by the regular article template, which links their AMP and print
    copies: the site serves those like any article's."""
    return [p.article for p in model.edge_pages if p.kind in CHARSET_KINDS and p.article]


def home_links(model: SiteModel) -> list[tuple[str, str]]:
    """(href, text) of the home page's "Special coverage" block: every edge-case page."""
    return [
        (page.path, page.article.title if page.article is not None else SOFT_404_LINK_TEXT)
        for page in model.edge_pages
    ]


def asset_paths(model: SiteModel) -> set[str]:
    """Images and scripts of the site that the edge pages reference (as root-relative paths)."""
    paths = {APP_SCRIPT}
    for page in model.edge_pages:
        paths.update(figure.src for figure in page.gallery)
        article = page.article
        if article is None:
            continue
        if article.lead_image is not None:
            paths.add(article.lead_image.src)
        for block in article.blocks:
            if isinstance(block, Figure):
                paths.add(resolved(block.src) if page.kind == "relative_urls" else block.src)
    return {path for path in paths if path.startswith("/")}  # not E18's off-site image
