"""Duplicate renderings of an article: the AMP page and the chrome-less print page. Both carry
rel=canonical to the main URL and the same body text."""

from __future__ import annotations

from collections.abc import Sequence

from newsarchive.demosite.articles import figure_html, table_html
from newsarchive.demosite.chrome import attr, esc, visible_date
from newsarchive.demosite.labels import SITE_NAME
from newsarchive.demosite.model import (
    Article,
    Block,
    Figure,
    ListBlock,
    Paragraph,
    Quote,
    Subheading,
    Table,
)
from newsarchive.demosite.options import BASE, FOREIGN


def _text_blocks(blocks: Sequence[Block]) -> list[str]:
    """Body text only (paragraphs, subheadings, lists, quotes, tables) plus figures; no embeds."""
    out = []
    for block in blocks:
        match block:
            case Paragraph():
                out.append(f"<p>{esc(block.text)}</p>")
            case Subheading():
                out.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
            case Table():
                out.append(table_html(block))
            case ListBlock():
                out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in block.items) + "</ul>")
            case Quote():
                out.append(f"<blockquote>{esc(block.text)}</blockquote>")
                out.append(f"<p>{esc(block.attribution)}</p>")
            case Figure():
                out.append(figure_html(block, modern=True))
            case _:
                pass
    return out


def _byline(article: Article) -> str:
    return ", ".join(a.name for a in article.authors)


def amp_page(article: Article) -> str:
    when = visible_date(article.published_visible, article.lang, latin=article.script == "latn")
    image = ""
    if article.lead_image is not None:
        credit = article.lead_image.credit
        image = (
            f'<amp-img src="{attr(article.lead_image.src)}" width="1440" height="810" '
            f'layout="responsive" alt="{attr(article.lead_image.alt)}"></amp-img>'
        )
        if credit is not None:
            image += f'\n<p class="amp-credit">{esc(credit.raw)}</p>'
    return "\n".join(
        [
            "<!doctype html>",
            f'<html amp lang="{article.lang}">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{esc(article.title)} — {SITE_NAME}</title>",
            f'<link rel="canonical" href="{BASE}{article.path}">',
            '<meta name="viewport" content="width=device-width">',
            "<style amp-boilerplate>body{visibility:hidden}</style>",
            f'<script async src="{FOREIGN}/v0.js"></script>',
            "</head>",
            '<body class="amp">',
            f'<header class="amp-header"><a href="{_home(article)}">{SITE_NAME}</a></header>',
            '<article class="amp-article">',
            f"<h1>{esc(article.title)}</h1>",
            f'<p class="amp-meta"><time datetime="{article.published_visible.isoformat()}">'
            f"{esc(when)}</time> · {esc(_byline(article))}</p>",
            image,
            '<div class="amp-body">',
            f"<p>{esc(article.lead)}</p>",
            *_text_blocks(article.blocks),
            "</div>",
            "</article>",
            "</body>",
            "</html>",
            "",
        ]
    )


def print_page(article: Article) -> str:
    when = visible_date(article.published_visible, article.lang, latin=article.script == "latn")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{article.lang}">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{esc(article.title)} — {SITE_NAME}</title>",
            f'<link rel="canonical" href="{BASE}{article.path}">',
            '<meta name="robots" content="noindex">',
            "</head>",
            '<body class="print" onload="window.print()">',
            f"<h1>{esc(article.title)}</h1>",
            f'<p class="print-meta"><time datetime="{article.published_visible.isoformat()}">'
            f"{esc(when)}</time> · {esc(_byline(article))}</p>",
            f"<p>{esc(article.lead)}</p>",
            *_text_blocks(article.blocks),
            "</body>",
            "</html>",
            "",
        ]
    )


def _home(article: Article) -> str:
    return "/" if article.lang == "en" else f"/{article.lang}/"
