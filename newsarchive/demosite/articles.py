"""Article pages: the orda-like default template (§6) and the "modern" template
(<article>, itemprop=articleBody, <figure>, address.byline). Both render the same model."""

from __future__ import annotations

from newsarchive.demosite.chrome import (
    PLACEHOLDER_GIF,
    ad_slot,
    attr,
    document,
    esc,
    head_common,
    sidebar,
    visible_date,
)
from newsarchive.demosite.jsonld import script_tags
from newsarchive.demosite.labels import LABELS, Labels
from newsarchive.demosite.model import (
    AdSlot,
    Article,
    Block,
    Edition,
    Figure,
    ListBlock,
    Paragraph,
    Promo,
    PullQuote,
    Quote,
    ReadAlso,
    Subheading,
    Table,
    Tweet,
    Video,
)
from newsarchive.demosite.options import BASE, FOREIGN


def paragraph_html(block: Paragraph) -> str:
    if block.link is None:
        return f"<p>{esc(block.text)}</p>"
    phrase, href = block.link
    before, _, after = block.text.partition(phrase)
    return f'<p>{esc(before)}<a href="{attr(href)}">{esc(phrase)}</a>{esc(after)}</p>'


def read_also_html(block: ReadAlso, labels: Labels) -> str:
    link = f'<a href="{attr(block.href)}">{esc(block.text)}</a>'
    if block.style == "bare":
        return f"<p>{link}</p>"
    if labels.lang == "en":
        return f"<p><b>{esc(labels.read_also)}</b> {link}</p>"
    if labels.lang == "ru":
        return f"<p><strong>{esc(labels.read_also)}</strong> {link}</p>"
    return f"<p>{esc(labels.read_also)} {link}</p>"


def figure_html(block: Figure, *, modern: bool) -> str:
    src, alt = attr(block.src), attr(block.alt)
    caption = f'{esc(block.caption)} <span class="credit">{esc(block.credit.raw)}</span>'
    if modern:
        return f'<figure><img src="{src}" alt="{alt}"><figcaption>{caption}</figcaption></figure>'
    if block.form == "media_pair":
        return (
            f'<div class="media"><img src="{src}" alt="{alt}">'
            f'<p class="media__text">{esc(block.caption)}</p>'
            f'<p class="media__text media__src">{esc(block.credit.raw)}</p></div>'
        )
    lazy = (
        f'<img data-src="{src}" src="{PLACEHOLDER_GIF}" alt="{alt}">'
        f'<noscript><img src="{src}" alt="{alt}"></noscript>'
    )
    modal = ""
    if block.form == "modal_copy":
        modal = (
            f'<div class="ui-modal__hide" aria-hidden="true"><img src="{src}" alt="{alt}">'
            f'<p class="doc_media__text">{esc(block.caption)}</p>'
            f'<p class="doc_media__text doc_media__src">{esc(block.credit.raw)}</p></div>'
        )
    return f'<figure class="inline-figure">{lazy}<figcaption>{caption}</figcaption>{modal}</figure>'


def table_html(block: Table) -> str:
    head = "".join(f"<th>{esc(cell)}</th>" for cell in block.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
    )
    return f'<table class="data-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def tweet_html(block: Tweet, lang: str) -> str:
    return (
        f'<blockquote class="twitter-tweet"><p lang="{lang}" dir="ltr">{esc(block.text)}</p>'
        f"&mdash; {esc(block.author)} (@{block.handle}) "
        f'<a href="{attr(block.url)}">{esc(block.date_text)}</a></blockquote>\n'
        f'<script async src="{FOREIGN}/widgets.js" charset="utf-8"></script>'
    )


def promo_html(labels: Labels) -> str:
    return (
        f'<p class="promo">{esc(labels.promo_before)}<a href="{FOREIGN}/qala_news">'
        f"{esc(labels.promo_link)}</a>{esc(labels.promo_after)}</p>"
    )


def block_html(block: Block, labels: Labels, *, modern: bool) -> str:
    match block:
        case Paragraph():
            return paragraph_html(block)
        case Subheading():
            return f"<h{block.level}>{esc(block.text)}</h{block.level}>"
        case Table():
            return table_html(block)
        case ListBlock():
            return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>"
        case Quote():
            return (
                f'<blockquote class="quote">{esc(block.text)}</blockquote>'
                f"<p>{esc(block.attribution)}</p>"
            )
        case PullQuote():
            return f'<aside class="pull-quote"><p>{esc(block.text)}</p></aside>'
        case Figure():
            return figure_html(block, modern=modern)
        case ReadAlso():
            return read_also_html(block, labels)
        case Tweet():
            return tweet_html(block, labels.lang)
        case Video():
            return (
                f'<div class="embed embed--video"><iframe src="{attr(block.url)}" width="560" '
                'height="315" allowfullscreen></iframe></div>'
            )
        case AdSlot():
            return ad_slot(labels, "inread")
        case Promo():
            return promo_html(labels)
    raise TypeError(f"unknown block {block!r}")


def tags_html(article: Article, prefix: str) -> str:
    items = "".join(
        f'<li><a href="{prefix}/tag/{tag.slug}/">{esc(tag.name)}</a></li>' for tag in article.tags
    )
    return f'<ul class="tags">{items}</ul>'


def original_author_html(article: Article, labels: Labels) -> str:
    if article.original_author is None:
        return ""
    text = f"{labels.original_author} {article.original_author}"
    return f'<p class="original-author">{esc(text)}</p>'


def newstext_inner(article: Article, prefix: str) -> str:
    """Everything inside div.newstext of the orda template (also the RSS content:encoded)."""
    labels = LABELS[article.lang]
    image = article.lead_image
    parts = []
    if image is not None and image.credit is not None and image.placement == "first_paragraph":
        parts.append(f"<p>{esc(image.credit.raw)}</p>")
    parts.append(f"<p>{esc(article.lead)}</p>")
    if image is not None and image.credit is not None and image.placement == "after_first":
        parts.append(f'<p class="photo-credit">{esc(image.credit.raw)}</p>')
    parts += [block_html(block, labels, modern=False) for block in article.blocks]
    parts.append(original_author_html(article, labels))
    parts.append(tags_html(article, prefix))
    return "\n".join(part for part in parts if part)


def share_bar(article: Article, labels: Labels, position: str, *, printable: bool = True) -> str:
    """Share links; the bottom bar also links the print version when the article has one."""
    url = f"{BASE}{article.path}"
    networks = ("telegram", "whatsapp", "facebook") if position == "top" else ("telegram", "x")
    links = " ".join(
        f'<a href="{FOREIGN}/share/{name}?url={attr(url)}">{name.capitalize()}</a>'
        for name in networks
    )
    label = f"{esc(labels.share)} " if position == "bottom" else ""
    print_link = ""
    if position == "bottom" and printable:
        print_link = (
            f' <a class="print-link" href="/print/{article.id}/">{esc(labels.print_label)}</a>'
        )
    return f'<div class="share share--{position}">{label}{links}{print_link}</div>'


def _byline_links(article: Article, prefix: str, rel: str) -> str:
    return ", ".join(
        f'<a{rel} href="{prefix}/author/{a.slug}/">{esc(a.name)}</a>' if a.slug else esc(a.name)
        for a in article.authors
    )


def meta_line(article: Article, edition: Edition, labels: Labels, *, dated: bool = True) -> str:
    """Date, views, section and byline under the headline; `dated=False` leaves out the date
    (and the update time), as on the undated statement (E12)."""
    latin = article.script == "latn"
    when = visible_date(article.published_visible, article.lang, latin=latin)
    iso = article.published_visible.isoformat()
    section = labels.categories[article.section]
    time = f'<time itemprop="datePublished" datetime="{iso}">{esc(when)}</time> ' if dated else ""
    updated = ""
    if article.modified is not None and dated:
        modified = visible_date(article.modified, article.lang, latin=latin)
        updated = f' <span class="post-meta__updated">{esc(labels.updated)} {esc(modified)}</span>'
    views = f"{article.views:,}".replace(",", " ")
    byline = _byline_links(article, edition.prefix, "")
    return (
        '<div class="post-meta">'
        f"{time}"
        f'<span class="post-meta__views">{views}</span> '
        f'<a class="post-meta__category" href="{edition.prefix}/category/{article.section}/">'
        f"{esc(section)}</a> "
        f'<span class="post-meta__author">{esc(labels.by)} {byline}</span>'
        f"{updated}</div>"
    )


def _orda_main(article: Article, edition: Edition, labels: Labels) -> str:
    image = article.lead_image
    postpic = ""
    if image is not None:
        caption = ""
        if image.credit is not None and image.placement == "postpic":
            caption = f'<div class="postpic__caption">{esc(image.credit.raw)}</div>'
        postpic = (
            f'<div class="postpic"><img src="{attr(image.src)}" alt="{attr(image.alt)}" '
            f'width="1440" height="810">{caption}</div>'
        )
    return "\n".join(
        [
            '<main class="content">',
            breadcrumbs_html(article, edition, labels),
            '<div class="fulltext">',
            f'<h1 class="post-title">{esc(article.title)}</h1>',
            meta_line(article, edition, labels),
            postpic,
            share_bar(article, labels, "top"),
            '<div class="newstext">',
            newstext_inner(article, edition.prefix),
            "</div>",
            share_bar(article, labels, "bottom"),
            "</div>",
            sidebar(edition),
            "</main>",
        ]
    )


def _modern_main(article: Article, edition: Edition, labels: Labels) -> str:
    image = article.lead_image
    figure = ""
    if image is not None:
        credit = ""
        if image.credit is not None:
            credit = f' <span class="credit">{esc(image.credit.raw)}</span>'
        figure = (
            f'<figure class="story__image"><img src="{attr(image.src)}" alt="{attr(image.alt)}">'
            f"<figcaption>{esc(image.caption or '')}{credit}</figcaption></figure>"
        )
    latin = article.script == "latn"
    when = visible_date(article.published_visible, article.lang, latin=latin)
    body = "\n".join(block_html(block, labels, modern=True) for block in article.blocks)
    byline = _byline_links(article, edition.prefix, ' rel="author"')
    return "\n".join(
        [
            '<main class="content">',
            breadcrumbs_html(article, edition, labels),
            '<article class="story" itemscope itemtype="https://schema.org/NewsArticle">',
            '<header class="story__header">',
            f'<p class="story__kicker"><a href="{edition.prefix}/category/{article.section}/">'
            f"{esc(labels.categories[article.section])}</a></p>",
            f'<h1 class="story__title" itemprop="headline">{esc(article.title)}</h1>',
            f'<p class="story__standfirst">{esc(article.lead)}</p>',
            f'<address class="byline">{esc(labels.by)} {byline}</address>',
            f'<time itemprop="datePublished" datetime="{article.published_visible.isoformat()}">'
            f"{esc(when)}</time>",
            "</header>",
            figure,
            share_bar(article, labels, "top"),
            f'<div class="story__body" itemprop="articleBody">\n{body}\n</div>',
            '<footer class="story__footer">',
            original_author_html(article, labels),
            tags_html(article, edition.prefix),
            share_bar(article, labels, "bottom"),
            "</footer>",
            "</article>",
            sidebar(edition),
            "</main>",
        ]
    )


def breadcrumbs_html(article: Article, edition: Edition, labels: Labels) -> str:
    return (
        f'<ol class="breadcrumbs"><li><a href="{edition.prefix}/">{esc(labels.home)}</a></li>'
        f'<li><a href="{edition.prefix}/category/{article.section}/">'
        f"{esc(labels.categories[article.section])}</a></li></ol>"
    )


def _charset_meta(article: Article) -> str | None:
    if article.charset_declaration in ("header-lie", "undeclared", "bom-over-header"):
        return None
    if article.charset_declaration == "meta-only":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={article.charset}">'
    return f'<meta charset="{article.charset}">'


def article_head_extra(article: Article, edition: Edition) -> list[str]:
    labels = LABELS[article.lang]
    lines = [f'<link rel="alternate" hreflang="{article.lang}" href="{BASE}{article.path}">']
    lines += [
        f'<link rel="alternate" hreflang="{lang}" href="{BASE}{path}">'
        for lang, path in article.translations
    ]
    lines += [
        f'<link rel="alternate" type="application/rss+xml" title="Qala News" '
        f'href="{BASE}{edition.prefix}/feed/">',
        f'<link rel="amphtml" href="{BASE}/amp{article.path}">',
        f'<meta name="author" content="{attr(", ".join(a.name for a in article.authors))}">',
    ]
    if article.lead_image is not None:
        lines.append(f'<meta property="og:image" content="{BASE}{article.lead_image.src}">')
    lines.append(
        f'<meta property="article:published_time" content="{article.published.isoformat()}">'
    )
    if article.modified is not None:
        lines.append(
            f'<meta property="article:modified_time" content="{article.modified.isoformat()}">'
        )
    lines.append(
        f'<meta property="article:section" content="{attr(labels.categories[article.section])}">'
    )
    lines += [f'<meta property="article:tag" content="{attr(t.name)}">' for t in article.tags]
    lines += script_tags(article, edition.prefix)
    return lines


def article_page(article: Article, edition: Edition) -> str:
    """The full HTML of an article (str; the caller encodes it in `article.charset`)."""
    labels = LABELS[article.lang]
    head = head_common(
        title=article.title,
        description=article.lead,
        canonical=article.path,
        og_type="article",
        labels=labels,
        charset_meta=_charset_meta(article),
        extra=article_head_extra(article, edition),
    )
    main = (
        _modern_main(article, edition, labels)
        if article.template == "modern"
        else _orda_main(article, edition, labels)
    )
    return document(
        lang=article.lang, head=head, body_class="page-article", main=main, edition=edition
    )
