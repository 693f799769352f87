"""HTML of the edge-case pages (§12): the paywall teaser (E1), the live blog (E2), the photo
gallery (E3), the video-only page (E4), the soft 404 (E6), the undated statement (E12), the
JavaScript-only article (E16), the relative-URL page (E18) and the hidden-content page (E19).
All but E16 wear the site's chrome and the orda article layout. (The charset pages E8c/E8d are
regular article pages: `articles.article_page`.)"""

from __future__ import annotations

from newsarchive.demosite.articles import (
    block_html,
    breadcrumbs_html,
    meta_line,
    share_bar,
    tags_html,
)
from newsarchive.demosite.chrome import attr, document, esc, head_common, sidebar
from newsarchive.demosite.edge_hidden import hidden_body
from newsarchive.demosite.edge_relative import BASE_HREF
from newsarchive.demosite.jsonld import (
    breadcrumbs,
    dumps,
    live_blog,
    news_article,
    paywalled_article,
    video_object,
)
from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.model import Article, EdgePage, Edition, Paragraph
from newsarchive.demosite.options import BASE
from newsarchive.demosite.static import not_found_document

PAYWALL_TEXT = "Subscribe to continue reading…"
PAYWALL_SELECTOR = ".paywall"
LIVE_HEADER = "Live updates"
APP_SCRIPT = "/assets/js/app.js"
"""The JavaScript bundle the E16 shell loads (served, never run by a crawler)."""
MULTIPAGE_NEXT_TEXT = "Continue reading: page 2"
MULTIPAGE_PREV_TEXT = "Back to page 1"


def edge_document(page: EdgePage, edition: Edition, *, part: int = 1) -> str:
    """The full HTML of one edge-case page (`part` 2: the second page of a two-page story)."""
    if page.article is None:
        return not_found_document(edition)  # E6, answered with 200
    if page.kind == "js_only":
        return _js_shell(page.article)
    article = page.article
    labels = LABELS[article.lang]
    head = head_common(
        title=article.title,
        description=article.lead,
        canonical=article.path,
        og_type="video.other" if page.kind == "video" else "article",
        labels=labels,
        extra=_head_extra(page, article, edition) + _pager_links(page, part),
    )
    parts = [
        '<main class="content">',
        breadcrumbs_html(article, edition, labels),
        f'<div class="fulltext fulltext--{page.kind}">',
        f'<h1 class="post-title">{esc(article.title)}</h1>',
        meta_line(article, edition, labels, dated=page.kind != "undated"),
        share_bar(article, labels, "top"),
        _story_page(page, article, part) if page.first_page_paragraphs else _body(page, article),
        tags_html(article, edition.prefix) if article.tags else "",
        share_bar(article, labels, "bottom", printable=False),
        "</div>",
        sidebar(edition),
        "</main>",
    ]
    main = "\n".join(part for part in parts if part)
    return document(
        lang=article.lang,
        head=head,
        body_class=f"page-article page-{page.kind}",
        main=main,
        edition=edition,
    )


def _head_extra(page: EdgePage, article: Article, edition: Edition) -> list[str]:
    labels = LABELS[article.lang]
    # E18: the body's relative URLs resolve against /ru/ (every other URL is absolute or
    # root-relative, which a base does not change).
    lines = [f'<base href="{BASE_HREF}">'] if page.kind == "relative_urls" else []
    lines += [
        f'<link rel="alternate" type="application/rss+xml" title="Qala News" '
        f'href="{BASE}{edition.prefix}/feed/">',
        f'<meta name="author" content="{attr(", ".join(a.name for a in article.authors))}">',
    ]
    if page.kind == "undated":
        return lines  # no article:* meta and no JSON-LD: nothing states a date
    if page.kind == "video":
        assert page.video_url is not None
        lines += [
            f'<meta property="og:video" content="{attr(page.video_url)}">',
            f'<meta property="video:release_date" content="{article.published.isoformat()}">',
        ]
    else:
        lines.append(
            f'<meta property="article:published_time" content="{article.published.isoformat()}">'
        )
        if article.modified is not None:
            lines.append(
                f'<meta property="article:modified_time" content="{article.modified.isoformat()}">'
            )
        section = labels.categories[article.section]
        lines.append(f'<meta property="article:section" content="{attr(section)}">')
        lines += [f'<meta property="article:tag" content="{attr(t.name)}">' for t in article.tags]
    prefix = edition.prefix
    match page.kind:
        case "paywall":
            main = paywalled_article(article, prefix, PAYWALL_SELECTOR)
        case "liveblog":
            main = live_blog(article, prefix, page.entries)
        case "video":
            assert page.video_url is not None
            main = video_object(article, page.video_url)
        case _:
            main = news_article(article, prefix)
    lines += [
        f'<script type="application/ld+json">{dumps(main)}</script>',
        f'<script type="application/ld+json">{dumps(breadcrumbs(article, prefix))}</script>',
    ]
    return lines


def _pager_links(page: EdgePage, part: int) -> list[str]:
    if page.second_page is None:
        return []
    if part == 1:
        return [f'<link rel="next" href="{attr(page.second_page)}">']
    return [f'<link rel="prev" href="{attr(page.path)}">']


def _story_page(page: EdgePage, article: Article, part: int) -> str:
    """One page of a story printed over two (E17): its share of the paragraphs and the pager.
    (Both pages name the first as canonical, as such sites do.)"""
    texts = body_texts(article)
    split = 1 + page.first_page_paragraphs  # (the standfirst opens the first page)
    shown = texts[:split] if part == 1 else texts[split:]
    assert page.second_page is not None
    if part == 1:
        pager = f'<a rel="next" href="{attr(page.second_page)}">{esc(MULTIPAGE_NEXT_TEXT)}</a>'
    else:
        pager = f'<a rel="prev" href="{attr(page.path)}">{esc(MULTIPAGE_PREV_TEXT)}</a>'
    parts = [f"<p>{esc(text)}</p>" for text in shown]
    return _newstext(parts) + f'\n<div class="article-pager">{pager}</div>'


def body_texts(article: Article) -> list[str]:
    """The standfirst and the paragraphs: an edge page's body has nothing else."""
    return [article.lead] + [block.text for block in article.blocks if isinstance(block, Paragraph)]


def _paragraphs(article: Article) -> list[str]:
    return [f"<p>{esc(text)}</p>" for text in body_texts(article)]


def _body(page: EdgePage, article: Article) -> str:
    match page.kind:
        case "paywall":
            parts = [*_paragraphs(article), f'<div class="paywall">{esc(PAYWALL_TEXT)}</div>']
            return _newstext(parts)
        case "liveblog":
            return _live_entries(page)
        case "gallery":
            return _newstext(_paragraphs(article)) + "\n" + _gallery(page)
        case "video":
            assert page.video_url is not None
            player = (
                f'<div class="video-player"><iframe src="{attr(page.video_url)}" width="560" '
                'height="315" title="YouTube video player" allow="autoplay; encrypted-media; '
                'picture-in-picture" allowfullscreen></iframe></div>'
            )
            return player + "\n" + _newstext(_paragraphs(article))
        case "relative_urls":
            labels = LABELS[article.lang]
            blocks = [block_html(block, labels, modern=False) for block in article.blocks]
            return _newstext([f"<p>{esc(article.lead)}</p>", *blocks])
        case "concealed_text":
            return _newstext(hidden_body(article))
        case _:
            return _newstext(_paragraphs(article))


def _newstext(parts: list[str]) -> str:
    return '<div class="newstext">\n' + "\n".join(parts) + "\n</div>"


def _live_entries(page: EdgePage) -> str:
    """The header, then one div per entry, newest first; entry-1 is the oldest."""
    rows = [
        f'<div class="live-entry" id="entry-{number}">'
        f'<time datetime="{entry.time.isoformat()}">{entry.time:%H:%M}</time>'
        f"<p>{esc(entry.text)}</p></div>"
        for number, entry in reversed(list(enumerate(page.entries, start=1)))
    ]
    header = (
        f'<header class="live-header"><span class="live-header__title">{esc(LIVE_HEADER)}'
        f'</span> <span class="live-header__count">{len(page.entries)}</span></header>'
    )
    return "\n".join([header, '<div class="live-entries">', *rows, "</div>"])


def _gallery(page: EdgePage) -> str:
    """A carousel of captioned figures, then a strip of the same images as thumbnails."""
    slides = []
    thumbs = []
    for number, figure in enumerate(page.gallery, start=1):
        src, alt = attr(figure.src), attr(figure.alt)
        slides.append(
            f'<figure class="gallery__slide" id="slide-{number}">'
            f'<img src="{src}" alt="{alt}" width="1440" height="810">'
            f"<figcaption>{esc(figure.caption)} "
            f'<span class="credit">{esc(figure.credit.raw)}</span></figcaption></figure>'
        )
        thumbs.append(
            f'<li><button type="button" data-slide="{number}">'
            f'<img src="{src}" alt="{alt}" width="160" height="90"></button></li>'
        )
    return "\n".join(
        [
            '<div class="gallery" data-carousel="true">',
            *slides,
            "</div>",
            '<ol class="gallery__thumbs">',
            *thumbs,
            "</ol>",
        ]
    )


def nuxt_state(article: Article) -> dict[str, object]:
    """What the E16 shell's `window.__NUXT__` holds: the whole article, as JSON."""
    labels = LABELS[article.lang]
    return {
        "layout": "default",
        "data": [
            {
                "article": {
                    "id": article.id,
                    "url": f"{BASE}{article.path}",
                    "title": article.title,
                    "lead": article.lead,
                    "published": article.published.isoformat(),
                    "section": labels.categories[article.section],
                    "tags": [tag.name for tag in article.tags],
                    "authors": [author.name for author in article.authors],
                    "blocks": [
                        {"type": "paragraph", "text": text} for text in body_texts(article)[1:]
                    ],
                }
            }
        ],
        "error": None,
        "serverRendered": False,
        "config": {"app": {"basePath": "/", "assetsPath": "/assets/js/"}},
    }


def _js_shell(article: Article) -> str:
    """E16: no chrome, no text; the client-side app renders the article from the state."""
    labels = LABELS[article.lang]
    head = head_common(
        title=article.title,
        description=article.lead,
        canonical=article.path,
        og_type="article",
        labels=labels,
        extra=[f'<script src="{APP_SCRIPT}" defer></script>'],
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{article.lang}">',
            "<head>",
            head,
            "</head>",
            '<body class="page-app">',
            '<div id="app"></div>',
            f"<script>window.__NUXT__={dumps(nuxt_state(article))}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )
