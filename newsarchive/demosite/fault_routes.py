"""The routes of fault mode and the crawlable block that links them from /last-news/."""

from __future__ import annotations

from collections.abc import Callable

from newsarchive.demosite import faults, hostile
from newsarchive.demosite.chrome import attr, esc, link_path
from newsarchive.demosite.fault_articles import UNICODE_PATH
from newsarchive.demosite.model import Article, Edition, SiteModel
from newsarchive.demosite.page import HTML_UTF8, Page, PageType, Route, redirect_page

ArticleRoute = Callable[[Article, Edition], Route]

SITEMAPS = (faults.ENTITY_BOMB_SITEMAP, faults.EXTERNAL_ENTITY_SITEMAP)
"""Fault sitemaps, listed in the sitemap index in fault mode."""
_SITEMAP_LOCS = 3

_HTML_FAULTS: tuple[tuple[str, str, Callable[[], Page]], ...] = (
    (
        faults.GZIP_BOMB,
        "gzip_bomb",
        lambda: Page(
            200,
            HTML_UTF8,
            hostile.gzip_bomb(faults.BOMB_EXPANDED_BYTES),
            content_encoding="gzip",
        ),
    ),
    (
        faults.BROTLI_BOMB,
        "brotli_bomb",
        lambda: Page(
            200,
            HTML_UTF8,
            hostile.brotli_bomb(faults.BOMB_EXPANDED_BYTES),
            content_encoding="br",
        ),
    ),
    (faults.BINARY_AS_HTML, "binary_as_html", lambda: Page(200, HTML_UTF8, hostile.binary_body())),
    (faults.EMPTY_PAGE, "empty_200", lambda: Page(200, HTML_UTF8, b"")),
    (
        faults.EMPTY_GZIP,
        "empty_200_gzip",
        lambda: Page(200, HTML_UTF8, b"", content_encoding="gzip"),
    ),
)
"""(path, fault, render) of the fault responses that are neither articles nor redirects."""

LINK_TEXT = {
    faults.LOOP_A: "Story that moved twice",
    faults.SELF_LOOP: "Story that points at itself",
    faults.CHAIN_START: "Story that moved five times",
    faults.GZIP_BOMB: "Compressed archive of the week",
    faults.BROTLI_BOMB: "Even more compressed archive",
    faults.BINARY_AS_HTML: "Scanned front page",
    faults.EMPTY_PAGE: "Blank page",
    faults.EMPTY_GZIP: "Blank compressed page",
    faults.OFFSITE_STORY: "Story on a partner site",
    faults.OFFSITE_REDIRECT: "Story moved to a partner site",
    faults.METADATA_REDIRECT: "Story moved to the cloud",
}
"""Non-article fault URLs linked from the fault block, in order, with their link text."""


def chain_hops() -> list[tuple[str, str, int]]:
    """(url, target, status) of the five redirects from CHAIN_START to the chain's end."""
    urls = [faults.CHAIN_START] + [
        f"{faults.CHAIN_START}hop-{n}/" for n in range(2, faults.CHAIN_HOPS + 1)
    ]
    targets = [*urls[1:], f"/redirect-chain-end-{faults.CHAIN_END_ID}/"]
    return list(zip(urls, targets, faults.CHAIN_STATUSES, strict=True))


def fault_routes(model: SiteModel, article_route: ArticleRoute) -> list[Route]:
    """Routes that exist only in fault mode."""
    routes: list[Route] = []
    for article in model.fault_articles:
        route = article_route(article, model.edition(article.lang))
        routes.append(route)
        if article.id == faults.DOT_SEGMENTS_ID:
            routes.append(_alias(route, faults.DOT_SEGMENTS_LINK, "dot_segments"))
        elif article.id == faults.ENCODED_DOTS_ID:
            routes.append(_alias(route, faults.ENCODED_DOTS_NORMALISED, "normalised_path"))
    redirects = [
        (faults.LOOP_A, faults.LOOP_B, 301, "redirect_loop"),
        (faults.LOOP_B, faults.LOOP_A, 301, "redirect_loop"),
        (faults.SELF_LOOP, faults.SELF_LOOP, 302, "redirect_loop"),
        *[(url, target, status, "redirect_chain") for url, target, status in chain_hops()],
        (faults.OFFSITE_REDIRECT, faults.OFFSITE_STORY, 302, "offsite_redirect"),
        (faults.METADATA_REDIRECT, faults.METADATA_URL, 302, "private_redirect"),
    ]
    for url, target, status, fault in redirects:
        routes.append(_route(url, "redirect", _redirect(target, status), fault))
    for path, fault, render in _HTML_FAULTS:
        routes.append(_route(path, "fault", render, fault))
    locs = tuple(a.path for a in model.edition("en").articles[:_SITEMAP_LOCS])
    bomb = hostile.entity_bomb_sitemap(locs)
    external = hostile.external_entity_sitemap(locs, faults.XXE_PROBE)
    routes.append(_route(faults.ENTITY_BOMB_SITEMAP, "sitemap", _xml(bomb), "entity_bomb_sitemap"))
    routes.append(
        _route(faults.EXTERNAL_ENTITY_SITEMAP, "sitemap", _xml(external), "external_entity_sitemap")
    )
    probe = Page(200, "application/xml-dtd", hostile.xxe_probe_dtd())
    routes.append(_route(faults.XXE_PROBE, "fault", lambda: probe, "xxe_probe"))
    return routes


def _route(url: str, page_type: PageType, render: Callable[[], Page], fault: str) -> Route:
    return Route(url, page_type, render, fault=fault, lang="en", variant=None)


def _redirect(target: str, status: int) -> Callable[[], Page]:
    return lambda: redirect_page(target, status)


def _xml(text: str) -> Callable[[], Page]:
    return lambda: Page(200, "application/xml; charset=utf-8", text.encode("utf-8"))


def _alias(route: Route, url: str, variant: str) -> Route:
    """The same article answered at another spelling of its URL."""
    return Route(
        url,
        "duplicate",
        route.render,
        article=route.article,
        canonical=route.canonical,
        variant=variant,
        fault=route.fault,
        lang=route.lang,
    )


def _article_link(article: Article) -> str:
    if article.id == faults.DOT_SEGMENTS_ID:
        return faults.DOT_SEGMENTS_LINK
    if article.id == faults.UNICODE_PATH_ID:
        return UNICODE_PATH  # raw, as some CMSs print it; crawlers percent-encode it
    return link_path(article)


def special_block(model: SiteModel) -> str:
    """Links to every fault URL a crawler can meet on a page, shown on /last-news/ only in
    fault mode (the end of the redirect chain is reached through the chain only). An <aside>,
    so that the page's main list (the listing ground truth) stays the 20 stories."""
    rows = [
        f'<li><a href="{attr(_article_link(a))}">{esc(a.title)}</a></li>'
        for a in model.fault_articles
        if a.id != faults.CHAIN_END_ID
    ]
    rows += [f'<li><a href="{attr(url)}">{esc(text)}</a></li>' for url, text in LINK_TEXT.items()]
    return (
        '<aside class="special-reports"><div class="newslist3 newslist3--special">'
        '<h2 class="newslist3__title">Special reports</h2><ul>\n'
        + "\n".join(rows)
        + "\n</ul></div></aside>"
    )
