"""Page chrome shared by every HTML page: document shell, header, footer, cookie banner,
ads and the "Latest news" sidebar; plus escaping and date formatting helpers."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime

from newsarchive.demosite.labels import CATEGORIES, LABELS, SITE_NAME, Labels
from newsarchive.demosite.lexicon import to_kazakh_latin
from newsarchive.demosite.model import Article, Edition
from newsarchive.demosite.options import BASE, NOW

LATEST_COUNT = 20
LOGO_SRC = "/assets/img/logo.png"
STYLESHEET = "/assets/css/site.css"
PLACEHOLDER_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def link_path(article: Article) -> str:
    """The href pages use for an article (kk 137010 is linked with lowercase hex)."""
    return article.legacy_path or article.path


def visible_date(moment: datetime, lang: str, *, latin: bool = False) -> str:
    """The printed date: "29.03.2025, 14:32" (en), "29 марта 2025, 14:32" (ru/kk)."""
    if lang == "en":
        return f"{moment:%d.%m.%Y, %H:%M}"
    month = LABELS[lang].months[moment.month - 1]
    if latin:
        month = to_kazakh_latin(month)
    return f"{moment.day} {month} {moment.year}, {moment:%H:%M}"


def long_date(moment: datetime, labels: Labels) -> str:
    """A date-header day ("29 March 2025", "29 марта 2025")."""
    return f"{moment.day} {labels.months[moment.month - 1]} {moment.year}"


def relative_time(moment: datetime, labels: Labels) -> str:
    minutes = int((NOW - moment).total_seconds() // 60)
    if minutes < 60:
        return labels.minutes_ago.format(max(minutes, 1))
    if minutes < 24 * 60:
        return labels.hours_ago.format(minutes // 60)
    return labels.days_ago.format(minutes // (24 * 60))


def latest(edition: Edition) -> tuple[Article, ...]:
    return edition.articles[:LATEST_COUNT]


def head_common(
    *,
    title: str,
    description: str,
    canonical: str | None,
    og_type: str,
    labels: Labels,
    charset_meta: str | None = '<meta charset="utf-8">',
    extra: Iterable[str] = (),
) -> str:
    """The <head> contents every chrome page shares, then `extra` lines."""
    lines = []
    if charset_meta:
        lines.append(charset_meta)
    lines += [
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} — {SITE_NAME}</title>",
        f'<meta name="description" content="{attr(description)}">',
    ]
    if canonical is not None:
        lines.append(f'<link rel="canonical" href="{BASE}{attr(canonical)}">')
    lines += [
        f'<meta property="og:type" content="{og_type}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
        f'<meta property="og:title" content="{attr(title)}">',
        f'<meta property="og:description" content="{attr(description)}">',
        f'<meta property="og:locale" content="{labels.locale}">',
    ]
    if canonical is not None:
        lines.append(f'<meta property="og:url" content="{BASE}{attr(canonical)}">')
    lines.extend(extra)
    lines.append(f'<link rel="stylesheet" href="{STYLESHEET}">')
    return "\n".join(lines)


def document(*, lang: str, head: str, body_class: str, main: str, edition: Edition) -> str:
    """A full chrome page: cookie banner, header, top ad, `main`, footer."""
    labels = LABELS[lang]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{lang}" prefix="og: https://ogp.me/ns#">',
            "<head>",
            head,
            "</head>",
            f'<body class="{body_class}">',
            cookie_banner(labels, edition.prefix),
            site_header(labels, edition.prefix),
            ad_slot(labels, "top"),
            main,
            site_footer(labels, edition.prefix),
            "</body>",
            "</html>",
            "",
        ]
    )


def cookie_banner(labels: Labels, prefix: str) -> str:
    return (
        '<div id="cookie-consent" class="cookie-banner" role="dialog">'
        f'{esc(labels.cookie)} <a href="{prefix}/privacy/">{esc(labels.privacy)}</a> '
        f'<button type="button">{esc(labels.accept)}</button></div>'
    )


def site_header(labels: Labels, prefix: str) -> str:
    items = [f'<li><a href="{prefix}/last-news/">{esc(labels.latest_news)}</a></li>']
    items += [
        f'<li><a href="{prefix}/category/{cat}/">{esc(labels.categories[cat])}</a></li>'
        for cat in CATEGORIES
    ]
    items += ['<li><a href="/">EN</a></li>', '<li><a href="/ru/">RU</a></li>']
    items.append('<li><a href="/kk/">KZ</a></li>')
    return "\n".join(
        [
            '<header class="site-header">',
            f'<a class="site-header__logo" href="{prefix}/"><img src="{LOGO_SRC}" '
            f'alt="{SITE_NAME}" width="160" height="40"></a>',
            '<nav class="main-menu" role="navigation"><ul>',
            *items,
            "</ul></nav>",
            '<form class="search-form" action="/search-results.html" method="get">'
            f'<input type="search" name="q" placeholder="{attr(labels.search)}">'
            f'<button type="submit">{esc(labels.search)}</button></form>',
            "</header>",
        ]
    )


def ad_slot(labels: Labels, position: str) -> str:
    return (
        f'<div class="adv adv--{position}"><ins class="adsbygoogle"></ins>'
        f'<span class="adv__label">{esc(labels.advertisement)}</span></div>'
    )


def site_footer(labels: Labels, prefix: str) -> str:
    links = (
        ("about", labels.about),
        ("advertising", labels.advertising),
        ("contacts", labels.contacts),
        ("privacy", labels.privacy),
    )
    items = "".join(f'<li><a href="{prefix}/{slug}/">{esc(text)}</a></li>' for slug, text in links)
    return (
        f'<footer class="site-footer"><p class="site-footer__copy">{esc(labels.footer)}</p>'
        f'<ul class="site-footer__links">{items}</ul>'
        f'<p class="site-footer__feeds"><a href="{prefix}/feed/">RSS</a></p></footer>'
    )


def newslist_items(articles: Sequence[Article], *, with_time: bool = True) -> str:
    rows = []
    for article in articles:
        time = f'<span class="time">{article.published_visible:%H:%M}</span>' if with_time else ""
        rows.append(f'<li><a href="{attr(link_path(article))}">{esc(article.title)}</a>{time}</li>')
    return "\n".join(rows)


def sidebar(edition: Edition) -> str:
    """The "Latest news" block of 20 headlines beside articles and on error pages."""
    labels = LABELS[edition.lang]
    return "\n".join(
        [
            '<aside class="sidebar">',
            '<div class="newslist3">',
            f'<h3 class="newslist3__title">{esc(labels.latest_news)}</h3>',
            "<ul>",
            newslist_items(latest(edition)),
            "</ul>",
            f'<a class="newslist3__more" href="{edition.prefix}/last-news/">'
            f"{esc(labels.all_news)}</a>",
            "</div>",
            ad_slot(labels, "sidebar"),
            "</aside>",
        ]
    )
