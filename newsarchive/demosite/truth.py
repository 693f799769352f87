"""Ground truth of one article, from the model, with the extractor's rules (§13): what a
perfect extractor returns for body, captions, related links, embeds and metadata."""

from __future__ import annotations

from typing import Any

from newsarchive.demosite.chrome import latest, link_path
from newsarchive.demosite.labels import LABELS, SITE_NAME
from newsarchive.demosite.model import (
    Article,
    Credit,
    Edition,
    Figure,
    ListBlock,
    Paragraph,
    Quote,
    ReadAlso,
    Subheading,
    Table,
    Tweet,
    Video,
)


def body_paragraphs(article: Article) -> list[str]:
    """Standfirst first, then paragraphs, subheadings, list items, quotes and attributions.

    A data table is one paragraph (see `Table.text`). Excluded: credits, captions, "Read
    also", promos, ads, embeds' text, pull-quotes (they repeat a body sentence), tags, Original
    Author, share bars and the sidebar.
    """
    out = [article.lead]
    for block in article.blocks:
        match block:
            case Paragraph() | Subheading():
                out.append(block.text)
            case ListBlock():
                out.extend(block.items)
            case Quote():
                out += [block.text, block.attribution]
            case Table():
                out.append(block.text)
            case _:
                pass
    return out


def _credit(credit: Credit | None) -> dict[str, Any]:
    if credit is None:
        return {"credit": None, "credit_raw": None, "illustrative": False}
    return {"credit": credit.text, "credit_raw": credit.raw, "illustrative": credit.illustrative}


def lead_image(article: Article) -> dict[str, Any] | None:
    image = article.lead_image
    if image is None:
        return None
    return {
        "src": image.src,
        "alt": image.alt,
        "caption": image.caption,
        **_credit(image.credit),
        "placement": image.placement,
    }


def figures(article: Article) -> list[dict[str, Any]]:
    """Inline figures, each once (the hidden modal copy is not a second figure)."""
    return [
        {"src": b.src, "alt": b.alt, "caption": b.caption, **_credit(b.credit), "form": b.form}
        for b in article.blocks
        if isinstance(b, Figure)
    ]


def embeds(article: Article) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in article.blocks:
        if isinstance(block, Tweet):
            out.append(
                {
                    "type": "tweet",
                    "url": block.url,
                    "text": block.text,
                    "author": block.author,
                    "handle": block.handle,
                }
            )
        elif isinstance(block, Video):
            out.append({"type": "video", "url": block.url})
    return out


def must_not_contain(article: Article, edition: Edition) -> list[str]:
    """Strings that are on the page but must never appear in the extracted body."""
    labels = LABELS[article.lang]
    strings = [
        labels.cookie,
        labels.advertisement,
        labels.read_also,
        labels.promo_before + labels.promo_link + labels.promo_after,
        labels.original_author,
        labels.latest_news,
        labels.share,
        labels.footer.split(f"{SITE_NAME}. ", 1)[1],
    ]
    if article.lead_image is not None and article.lead_image.credit is not None:
        strings.append(article.lead_image.credit.raw)
    for block in article.blocks:
        if isinstance(block, Figure):
            strings += [block.credit.raw, block.caption]
        elif isinstance(block, Tweet | ReadAlso):
            strings.append(block.text)
    strings += [a.title for a in latest(edition)[:3] if a.id != article.id]
    return list(dict.fromkeys(strings))


def article_truth(article: Article, edition: Edition) -> dict[str, Any]:
    """The §13 fields of an article entry (everything but url/status/crawlable...)."""
    labels = LABELS[article.lang]
    paragraphs = body_paragraphs(article)
    truth: dict[str, Any] = {
        "template": article.template,
        "lang": article.lang,
        "charset": article.charset,
        "id": str(article.id),
        "title": article.title,
        "lead": article.lead,
        # People only: the extraction rules drop the site credited as its own author.
        "authors": [a.name for a in article.authors if a.slug],
        "original_author": article.original_author,
        "published": article.published.isoformat(),
        "published_visible": article.published_visible.isoformat(),
        "modified": article.modified.isoformat() if article.modified else None,
        "section": labels.categories[article.section],
        "section_slug": article.section,
        "tags": [t.name for t in article.tags],
        "body_paragraphs": paragraphs,
        "body": "\n\n".join(paragraphs),
        "lead_image": lead_image(article),
        "figures": figures(article),
        "inline_related": [
            {"href": b.href, "text": b.text, "style": b.style}
            for b in article.blocks
            if isinstance(b, ReadAlso)
        ],
        "latest_news": [{"href": link_path(a), "text": a.title} for a in latest(edition)],
        "embeds": embeds(article),
        "format": "article",
        "paywalled": False,
        "needs_js": False,
        "must_not_contain": must_not_contain(article, edition),
        "jsonld": article.jsonld,
        "script": article.script,
        "translations": dict(article.translations),
    }
    if article.charset_declaration != "header+meta" or article.charset != "utf-8":
        truth["charset_declaration"] = article.charset_declaration
    if article.fault == "charset_lie":
        truth["expected_mojibake"] = True
    return truth
