"""Listing pages (§4): home, /last-news/ with its pagination trap, categories, tags and
authors. `ListingPage` is both what is rendered and what the manifest records."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from newsarchive.demosite.chrome import (
    attr,
    document,
    esc,
    head_common,
    link_path,
    long_date,
    relative_time,
    visible_date,
)
from newsarchive.demosite.edition_index import edition_index
from newsarchive.demosite.labels import CATEGORIES, LABELS
from newsarchive.demosite.model import Article, Author, Edition, Tag, has_media
from newsarchive.demosite.options import BASE

LAST_NEWS_PER_PAGE = 20
CATEGORY_PER_PAGE = 15
MAX_PAGE = 999
"""Pages past the last one answer 200 and empty up to here (the trap), then 404."""
DATE_HEADER_CATEGORIES = frozenset({"society", "incidents", "culture"})
SPECIAL_COVERAGE = "Special coverage"

ListingKind = Literal["home", "last_news", "category", "tag", "author"]


@dataclass(frozen=True, slots=True)
class ListingItem:
    href: str
    text: str
    published: datetime
    label: str | None


@dataclass(frozen=True, slots=True)
class ListingPage:
    path: str
    kind: ListingKind
    lang: str
    prefix: str
    title: str
    items: tuple[ListingItem, ...]
    page: int = 1
    last_page: int = 1
    base_path: str = ""
    """Path of page 1; page N lives at `{base_path}page/N/`."""
    links_past_last: bool = False
    """The last page links rel=next to the first empty page (the trap's way in)."""
    group_by_date: bool = False
    query_style: bool = False
    """Pages 2+ live at `{base_path}?page=N` (one en category) instead of `page/N/`."""

    @property
    def trap(self) -> bool:
        return self.page > self.last_page

    @property
    def paginated(self) -> bool:
        return self.kind in ("last_news", "category")

    def page_path(self, number: int) -> str:
        if number == 1:
            return self.base_path
        if self.query_style:
            return f"{self.base_path}?page={number}"
        return f"{self.base_path}page/{number}/"

    @property
    def prev_path(self) -> str | None:
        return self.page_path(self.page - 1) if self.paginated and self.page > 1 else None

    @property
    def next_path(self) -> str | None:
        if not self.paginated or self.page >= MAX_PAGE:
            return None
        if self.page < self.last_page or self.links_past_last:
            return self.page_path(self.page + 1)
        return None

    @property
    def last_path(self) -> str | None:
        return self.page_path(self.last_page) if self.paginated else None


def _item(article: Article, lang: str) -> ListingItem:
    labels = LABELS[lang]
    label = None
    if has_media(article.blocks, "video"):
        label = labels.label_video
    elif has_media(article.blocks, "figure"):
        label = labels.label_photo
    return ListingItem(link_path(article), article.title, article.published_visible, label)


def _page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def last_news_page(edition: Edition, number: int) -> ListingPage | None:
    """Page `number` of /last-news/ (empty past the last page, None past MAX_PAGE)."""
    return _paginated(
        edition,
        edition.articles,
        number,
        kind="last_news",
        base_path=f"{edition.prefix}/last-news/",
        title=LABELS[edition.lang].latest_news,
        per_page=LAST_NEWS_PER_PAGE,
    )


def category_page(edition: Edition, category: str, number: int) -> ListingPage | None:
    if category not in CATEGORIES:
        return None
    return _paginated(
        edition,
        edition_index(edition).by_category.get(category, ()),
        number,
        kind="category",
        base_path=f"{edition.prefix}/category/{category}/",
        title=LABELS[edition.lang].categories[category],
        per_page=CATEGORY_PER_PAGE,
        group_by_date=category in DATE_HEADER_CATEGORIES,
        query_style=category == query_style_category(edition),
    )


def query_style_category(edition: Edition) -> str | None:
    """The en category paginated as `?page=N` (its `page/N/` URLs redirect there): the
    largest one, so that it has a second page at any `size`."""
    if edition.lang != "en":
        return None
    by_category = edition_index(edition).by_category
    return max(CATEGORIES, key=lambda cat: len(by_category.get(cat, ())))


def _paginated(
    edition: Edition,
    articles: Sequence[Article],
    number: int,
    *,
    kind: ListingKind,
    base_path: str,
    title: str,
    per_page: int,
    group_by_date: bool = False,
    query_style: bool = False,
) -> ListingPage | None:
    if number < 1 or number > MAX_PAGE:
        return None
    last = _page_count(len(articles), per_page)
    chunk = articles[(number - 1) * per_page : number * per_page]
    page = ListingPage(
        path=base_path,
        kind=kind,
        lang=edition.lang,
        prefix=edition.prefix,
        title=title,
        items=tuple(_item(a, edition.lang) for a in chunk),
        page=number,
        last_page=last,
        base_path=base_path,
        links_past_last=kind == "last_news",
        group_by_date=group_by_date,
        query_style=query_style,
    )
    return dataclasses.replace(page, path=page.page_path(number))


def tag_page(edition: Edition, tag: Tag) -> ListingPage:
    articles = edition_index(edition).by_tag.get(tag, ())
    return ListingPage(
        path=f"{edition.prefix}/tag/{tag.slug}/",
        kind="tag",
        lang=edition.lang,
        prefix=edition.prefix,
        title=LABELS[edition.lang].tag_title.format(tag.name),
        items=tuple(_item(a, edition.lang) for a in articles),
    )


def author_page(edition: Edition, author: Author) -> ListingPage:
    articles = edition_index(edition).by_author.get(author, ())
    return ListingPage(
        path=f"{edition.prefix}/author/{author.slug}/",
        kind="author",
        lang=edition.lang,
        prefix=edition.prefix,
        title=LABELS[edition.lang].author_title.format(author.name),
        items=tuple(_item(a, edition.lang) for a in articles),
    )


def home_page(edition: Edition) -> ListingPage:
    """The home page's "Latest news" block is its listing; other blocks are rendered apart."""
    return ListingPage(
        path=f"{edition.prefix}/",
        kind="home",
        lang=edition.lang,
        prefix=edition.prefix,
        title=LABELS[edition.lang].home,
        items=tuple(_item(a, edition.lang) for a in edition.articles[:LAST_NEWS_PER_PAGE]),
    )


# -- rendering ---------------------------------------------------------------------------------


def _item_html(item: ListingItem, lang: str) -> str:
    label = f' <span class="label">{esc(item.label)}</span>' if item.label else ""
    when = esc(visible_date(item.published, lang))
    return (
        f'<li><span class="time">{when}</span> '
        f'<a href="{attr(item.href)}">{esc(item.text)}</a>{label}</li>'
    )


def _items_html(page: ListingPage) -> str:
    if not page.group_by_date or not page.items:
        rows = "\n".join(_item_html(item, page.lang) for item in page.items)
        return f"<ul>\n{rows}\n</ul>" if rows else "<ul></ul>"
    labels = LABELS[page.lang]
    parts: list[str] = []
    current = None
    for item in page.items:
        day = item.published.date()
        if day != current:
            if current is not None:
                parts.append("</ul>")
            parts.append(f'<h2 class="date-header">{esc(long_date(item.published, labels))}</h2>')
            parts.append("<ul>")
            current = day
        parts.append(_item_html(item, page.lang))
    parts.append("</ul>")
    return "\n".join(parts)


def pagination_html(page: ListingPage) -> str:
    if not page.paginated:
        return ""
    parts = []
    if page.prev_path:
        parts.append(f'<a rel="prev" href="{page.prev_path}">‹</a>')
    shown = sorted({1, page.last_page, *range(page.page - 2, page.page + 3)})
    previous = 0
    for number in shown:
        if number < 1 or number > max(page.last_page, page.page):
            continue
        if number - previous > 1:
            parts.append("…")
        previous = number
        rel = ' rel="last"' if number == page.last_page else ""
        if number == page.page:
            if rel:
                parts.append(
                    f'<a class="current" aria-current="page" href="{page.page_path(number)}"'
                    f"{rel}>{number}</a>"
                )
            else:
                parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{page.page_path(number)}"{rel}>{number}</a>')
    if page.next_path:
        parts.append(f'<a rel="next" href="{page.next_path}">›</a>')
    return '<nav class="pagination" aria-label="Pages">\n' + "\n".join(parts) + "\n</nav>"


def _head(page: ListingPage, extra: Sequence[str] = ()) -> str:
    labels = LABELS[page.lang]
    lines = list(extra)
    if page.paginated:
        for rel, path in (("prev", page.prev_path), ("next", page.next_path)):
            if path:
                lines.append(f'<link rel="{rel}" href="{BASE}{path}">')
        lines.append(f'<link rel="last" href="{BASE}{page.last_path}">')
        if page.page >= 2:
            lines.append('<meta name="robots" content="noindex, follow">')
    lines.append(
        f'<link rel="alternate" type="application/rss+xml" title="Qala News" '
        f'href="{BASE}{page.prefix}/feed/">'
    )
    title = page.title if page.page == 1 else f"{page.title} — {page.page}"
    return head_common(
        title=title,
        description=f"{page.title} — Qala News",
        canonical=page.path,
        og_type="website",
        labels=labels,
        extra=lines,
    )


def listing_document(page: ListingPage, edition: Edition, extra_html: str = "") -> str:
    """/last-news/, category, tag and author pages."""
    main = "\n".join(
        [
            '<main class="content">',
            f'<h1 class="page-title">{esc(page.title)}</h1>',
            '<div class="newslist3">',
            _items_html(page),
            "</div>",
            pagination_html(page),
            extra_html,
            "</main>",
        ]
    )
    return document(
        lang=page.lang, head=_head(page), body_class=f"page-{page.kind}", main=main, edition=edition
    )


def home_document(
    page: ListingPage,
    edition: Edition,
    picks: Sequence[tuple[str, str]],
    specials: Sequence[tuple[str, str]] = (),
) -> str:
    """Hero, one block per section, optional editor's picks and special coverage (the
    edge-case pages), then "Latest news"."""
    labels = LABELS[edition.lang]
    parts = ['<main class="content home">']
    if edition.articles:
        hero = edition.articles[0]
        image = ""
        if hero.lead_image is not None:
            image = f'<img src="{attr(hero.lead_image.src)}" alt="{attr(hero.lead_image.alt)}">'
        parts.append(
            f'<section class="hero">{image}<h2 class="hero__title">'
            f'<a href="{attr(link_path(hero))}">{esc(hero.title)}</a></h2>'
            f'<p class="hero__lead">{esc(hero.lead)}</p></section>'
        )
    for category in CATEGORIES:
        top = [a for a in edition.articles if a.section == category][:4]
        rows = "".join(f'<li><a href="{attr(link_path(a))}">{esc(a.title)}</a></li>' for a in top)
        parts.append(
            f'<section class="section-block section-block--{category}"><h2>'
            f'<a href="{edition.prefix}/category/{category}/">{esc(labels.categories[category])}'
            f"</a></h2><ul>{rows}</ul></section>"
        )
    for css, heading, links in (
        ("editors-picks", labels.editors_picks, picks),
        ("special-coverage", SPECIAL_COVERAGE, specials),
    ):
        if links:
            rows = "".join(
                f'<li><a href="{attr(href)}">{esc(text)}</a></li>' for href, text in links
            )
            parts.append(f'<section class="{css}"><h2>{esc(heading)}</h2><ul>{rows}</ul></section>')
    latest_rows = "\n".join(
        f'<li><span class="time">{esc(_relative(item.published, edition.lang))}</span> '
        f'<a href="{attr(item.href)}">{esc(item.text)}</a></li>'
        for item in page.items
    )
    parts += [
        '<div class="newslist3">',
        f'<h3 class="newslist3__title">{esc(labels.latest_news)}</h3>',
        f"<ul>\n{latest_rows}\n</ul>",
        f'<a class="newslist3__more" href="{edition.prefix}/last-news/">{esc(labels.all_news)}</a>',
        "</div>",
        "</main>",
    ]
    return document(
        lang=edition.lang,
        head=_head(page),
        body_class="page-home",
        main="\n".join(parts),
        edition=edition,
    )


def _relative(moment: datetime, lang: str) -> str:
    return relative_time(moment, LABELS[lang])
