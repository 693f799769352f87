"""URL → route. Every URL the site answers is a `Route` whose `render()` gives a `Page` (status,
headers, bytes with {BASE}/{FOREIGN} placeholders). Rendering is lazy; the responder caches."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote

from newsarchive.demosite import edge_routes, fault_routes, faults, feeds, hostile, listings, static
from newsarchive.demosite.articles import article_page
from newsarchive.demosite.assets import asset_for
from newsarchive.demosite.chrome import LOGO_SRC, STYLESHEET
from newsarchive.demosite.content import build_model
from newsarchive.demosite.model import Article, Edition, Figure, SiteModel
from newsarchive.demosite.options import DemoOptions
from newsarchive.demosite.page import (
    Page,
    PageType,
    Route,
    encode_article,
    html_page,
    redirect_page,
)
from newsarchive.demosite.variants import amp_page, print_page

NO_SLASH_ID = 5705
"""Its slash-less URL is linked from the en home page ("Editor's picks"): a crawler meets a 301."""
SHOWCASE_ID = 5710
"""E10: its AMP URL and its ?utm_ tracking URL are linked from the en home page."""
TRACKING_QUERY = "utm_source=telegram&utm_medium=social"
_PAGED = re.compile(r"^(?P<base>.*/)page/(?P<n>\d+)/$")
_QUERY_PAGE = re.compile(r"page=(?P<n>\d+)")
_PRINT = re.compile(r"^/print/(?P<id>\d+)/$")


class RouteTable:
    """All routes of one site build; `resolve()` maps any request target to a route."""

    def __init__(self, options: DemoOptions, model: SiteModel | None = None) -> None:
        self.options = options
        self._exact: dict[str, Route] = {}
        self._articles: dict[str, Article] = {}
        self._query_style_bases: set[str] = set()
        with _no_cyclic_gc():
            self.model = model or build_model(options)
            self.en = self.model.edition("en")
            self.editions = list(self.model.editions.values())
            self._build()

    # -- table -------------------------------------------------------------------------------
    def _add(self, route: Route) -> None:
        self._exact[unquote(route.url)] = route

    def _build(self) -> None:
        for edition in self.editions:
            self._add_edition(edition)
        for route in edge_routes.edge_routes(self.model):
            self._add(route)
        for article in edge_routes.variant_articles(self.model):
            self._articles[unquote(article.path)] = article  # their AMP copies
        self._add(self._robots_route())
        others = [e for e in self.editions if e.lang != "en"]
        faulty = fault_routes.SITEMAPS if self.options.faults else ()
        extra = (*edge_routes.INDEXED_SITEMAPS, *faulty)
        index = _xml_lazy(feeds.sitemap_index_document, self.en, others, extra)
        self._add(Route(feeds.SITEMAP_INDEX_PATH, "sitemap", index))
        for path, entries in feeds.numbered_sitemaps(self.en):
            self._add(Route(path, "sitemap", _xml_lazy(feeds.urlset_document, entries)))
        news = feeds.news_sitemap_document
        self._add(Route(feeds.NEWS_SITEMAP_PATH, "sitemap", _xml_lazy(news, self.en)))
        for edition in others:
            entries = tuple(feeds.sitemap_entry(a) for a in edition.articles)
            path = feeds.edition_sitemap_path(edition)
            self._add(Route(path, "sitemap", _xml_lazy(feeds.urlset_document, entries)))
        self._add(Route(static.SEARCH_PATH, "page", lambda: html_page(static.search_document())))
        if self.options.faults:
            for route in fault_routes.fault_routes(self.model, self._article_route):
                self._add(route)

    def _robots_route(self) -> Route:
        render = _text_page(feeds.robots_document())
        if not self.options.robots_500_once:
            return Route(faults.ROBOTS, "robots", render)

        def failing_once() -> Page:
            return dataclasses.replace(render(), once_status=500)

        return Route(faults.ROBOTS, "robots", failing_once, fault="robots_500_once")

    def _feed_route(self, edition: Edition) -> Route:
        mime = "application/rss+xml; charset=utf-8"
        if not (self.options.faults and edition.lang == "en"):
            render = _lazy_bytes(mime, feeds.rss_document, edition)
            return Route(feeds.feed_path(edition), "feed", render, lang=edition.lang)
        garbage = hostile.garbage_feed_items(faults.EMPTY_PAGE, self._nul_page_path())
        render = _lazy_bytes(mime, feeds.rss_document, edition, garbage)
        return Route(
            feeds.feed_path(edition), "feed", render, lang=edition.lang, fault="feed_garbage"
        )

    def _nul_page_path(self) -> str:
        article = self.model.by_id.get(faults.NUL_PATH_ID)
        return article.path if article is not None else faults.EMPTY_PAGE

    def _add_edition(self, edition: Edition) -> None:
        prefix = edition.prefix
        home = listings.home_page(edition)
        picks = self._editors_picks() if edition.lang == "en" else []
        specials = edge_routes.home_links(self.model) if edition.lang == "en" else []
        self._add(
            Route(
                home.path,
                "home",
                lambda: html_page(listings.home_document(home, edition, picks, specials)),
                listing=home,
                canonical=home.path,
                lang=edition.lang,
            )
        )
        for article in edition.articles:
            self._add(self._article_route(article, edition))
        first = listings.last_news_page(edition, 1)
        assert first is not None
        for number in range(1, first.last_page + 2):
            self._add_listing(listings.last_news_page(edition, number), edition)
        self._add(
            self._redirect(f"{first.base_path}page/1/", first.base_path, "page_one", edition.lang)
        )
        for category in edition.categories:
            page = listings.category_page(edition, category, 1)
            assert page is not None
            for number in range(1, page.last_page + 1):
                self._add_listing(listings.category_page(edition, category, number), edition)
            if page.query_style:
                self._query_style_bases.add(page.base_path)
                for number in range(2, page.last_page + 1):
                    url = f"{page.base_path}page/{number}/"
                    target = page.page_path(number)
                    self._add(self._redirect(url, target, "pagination_style", edition.lang))
        for tag in edition.tags:
            self._add_listing(listings.tag_page(edition, tag), edition)
        for author in edition.authors:
            self._add_listing(listings.author_page(edition, author), edition)
        for slug in static.STATIC_SLUGS:
            self._add(
                Route(
                    f"{prefix}/{slug}/",
                    "page",
                    _lazy_html(static.static_document, edition, slug),
                    canonical=f"{prefix}/{slug}/",
                    lang=edition.lang,
                )
            )
        self._add(self._feed_route(edition))

    def _add_listing(self, page: listings.ListingPage | None, edition: Edition) -> None:
        if page is not None:
            self._add(self._listing_route(page, edition))

    def _listing_route(self, page: listings.ListingPage, edition: Edition) -> Route:
        special = ""
        if self.options.faults and page.kind == "last_news" and page.page == 1 and not page.prefix:
            special = fault_routes.special_block(self.model)
        head_allowed = page.kind != "last_news"

        def render() -> Page:
            html = listings.listing_document(page, edition, special)
            return html_page(html, head_allowed=head_allowed)

        page_type: PageType = "listing" if page.paginated else "page"
        return Route(
            page.path, page_type, render, listing=page, canonical=page.path, lang=page.lang
        )

    def _redirect(self, url: str, target: str, variant: str, lang: str | None) -> Route:
        return Route(
            url,
            "redirect",
            lambda: redirect_page(target),
            canonical=target,
            variant=variant,
            lang=lang,
        )

    def _article_route(self, article: Article, edition: Edition) -> Route:
        self._articles[unquote(article.path)] = article

        def render() -> Page:
            page = encode_article(article, article_page(article, edition))
            return faults.transform_article(article, page)

        return Route(
            article.path,
            "article",
            render,
            article=article,
            canonical=article.path,
            fault=article.fault,
            lang=article.lang,
        )

    def _editors_picks(self) -> list[tuple[str, str]]:
        no_slash = self.showcase(NO_SLASH_ID)
        showcase = self.showcase(SHOWCASE_ID)
        if no_slash is None or showcase is None:
            return []
        return [
            (no_slash.path.rstrip("/"), no_slash.title),
            (f"/amp{showcase.path}", f"{showcase.title} (AMP)"),
            (f"{showcase.path}?{TRACKING_QUERY}", f"{showcase.title} (Telegram)"),
        ]

    def showcase(self, wanted_id: int) -> Article | None:
        """Article `wanted_id`, or the newest en article when `size` leaves it out."""
        article = self.model.by_id.get(wanted_id)
        if article is not None and article.lang == "en" and article.fault is None:
            return article
        return self.en.articles[0] if self.en.articles else None

    def edition_of(self, path: str) -> Edition:
        for edition in self.editions:
            if edition.prefix and (path == edition.prefix or path.startswith(edition.prefix + "/")):
                return edition
        return self.en

    # -- lookup ------------------------------------------------------------------------------
    def resolve(self, target: str) -> Route:
        """The route answering a request target (path plus optional query)."""
        raw_path, _, query = target.partition("?")
        path = unquote(raw_path)
        if query:
            route = self._exact.get(f"{path}?{query}")
            if route is not None:
                return route
            paged = _QUERY_PAGE.fullmatch(query)
            if paged and path in self._query_style_bases:
                beyond = self._listing_beyond(path, int(paged["n"]), target, query_form=True)
                return beyond or self.not_found(raw_path)
        route = self._exact.get(path)
        if route is not None:
            if route.page_type == "article" and "utm_" in query:
                return self._duplicate(route, target, "tracking")
            if route.page_type == "article" and raw_path != route.url:
                return self._duplicate(route, raw_path, "legacy_path")
            return route
        return self._dynamic(raw_path, path) or self.not_found(raw_path)

    def _dynamic(self, raw_path: str, path: str) -> Route | None:
        if path + "/" in self._exact:
            target = self._exact[path + "/"].url
            return Route(
                raw_path,
                "redirect",
                lambda: redirect_page(target),
                canonical=target,
                variant="no_slash",
            )
        if path.startswith("/amp/") and path[4:] in self._articles:
            article = self._articles[path[4:]]
            return self._variant(raw_path, article, "amp", lambda: amp_page(article))
        match = _PRINT.match(path)
        if match and int(match["id"]) in self.model.by_id:
            article = self.model.by_id[int(match["id"])]
            if article.fault is None or self.options.faults:
                return self._variant(raw_path, article, "print", lambda: print_page(article))
        match = _PAGED.match(path)
        if match:
            return self._listing_beyond(match["base"], int(match["n"]), raw_path, query_form=False)
        asset = asset_for(path)
        if asset is not None:
            content_type, body = asset
            return Route(raw_path, "asset", lambda: Page(200, content_type, body))
        return None

    def _listing_beyond(
        self, base: str, number: int, url: str, *, query_form: bool
    ) -> Route | None:
        """Pages past the last one (the 200-and-empty trap), or a 301 for page 1 and for the
        other pagination style of a listing."""
        edition = self.edition_of(base)
        page: listings.ListingPage | None = None
        if base == f"{edition.prefix}/last-news/":
            page = listings.last_news_page(edition, number)
        elif base.startswith(f"{edition.prefix}/category/"):
            category = base[len(f"{edition.prefix}/category/") : -1]
            page = listings.category_page(edition, category, number)
        if page is None:
            return None
        if number == 1 or page.query_style != query_form:
            variant = "page_one" if number == 1 else "pagination_style"
            return self._redirect(url, page.path, variant, page.lang)
        return self._listing_route(page, edition)

    def _variant(
        self, url: str, article: Article, variant: str, render: Callable[[], str]
    ) -> Route:
        def page() -> Page:
            return html_page(render(), last_modified=article.modified or article.published)

        return Route(
            url,
            "duplicate",
            page,
            article=article,
            canonical=article.path,
            variant=variant,
            lang=article.lang,
        )

    def _duplicate(self, route: Route, url: str, variant: str) -> Route:
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

    def not_found(self, raw_path: str) -> Route:
        edition = self.edition_of(unquote(raw_path))
        return Route(
            raw_path,
            "error",
            lambda: html_page(static.not_found_document(edition), status=404),
            lang=edition.lang,
        )

    # -- enumeration (for the manifest) ------------------------------------------------------
    def iter_routes(self) -> Iterator[Route]:
        """Every URL worth listing: the table, each article's variants, known 404s, assets."""
        yield from self._exact.values()
        articles = [a for e in self.editions for a in e.articles]
        if self.options.faults:
            articles += list(self.model.fault_articles)
        articles += edge_routes.variant_articles(self.model)
        for article in articles:
            yield self.resolve(article.path.rstrip("/"))
            yield self.resolve(f"/amp{article.path}")
            yield self.resolve(f"/print/{article.id}/")
            yield self.resolve(f"{article.path}?{TRACKING_QUERY}")
            if article.legacy_path:
                yield self.resolve(article.legacy_path)
        yield self.resolve(static.MISSING_ARTICLE_PATH)
        for entry in feeds.junk_entries(self.en):
            yield self.resolve(entry.loc)
        for path in sorted(self._asset_paths(articles) | edge_routes.asset_paths(self.model)):
            yield self.resolve(path)

    @staticmethod
    def _asset_paths(articles: list[Article]) -> set[str]:
        paths = {LOGO_SRC, STYLESHEET}
        for article in articles:
            if article.lead_image is not None:
                paths.add(article.lead_image.src)
            paths.update(b.src for b in article.blocks if isinstance(b, Figure))
        return paths


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Building a large site allocates hundreds of thousands of small acyclic objects; the
    cyclic collector would rescan the growing heap again and again (a third of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _text_page(text: str) -> Callable[[], Page]:
    return lambda: Page(200, "text/plain; charset=utf-8", text.encode("utf-8"))


def _xml_lazy(func: Callable[..., str], *args: object) -> Callable[[], Page]:
    return _lazy_bytes("application/xml; charset=utf-8", func, *args)


def _lazy_bytes(content_type: str, func: Callable[..., str], *args: object) -> Callable[[], Page]:
    return lambda: Page(200, content_type, func(*args).encode("utf-8"))


def _lazy_html(func: Callable[..., str], *args: object) -> Callable[[], Page]:
    return lambda: html_page(func(*args))
