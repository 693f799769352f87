"""schema.org JSON-LD of article pages (§7): NewsArticle, the @graph form, the Organization
pseudo-author, and the BreadcrumbList; plus the edge pages' paywalled NewsArticle,
LiveBlogPosting and VideoObject."""

from __future__ import annotations

import json
from typing import Any

from newsarchive.demosite.labels import LABELS, SITE_NAME
from newsarchive.demosite.model import Article, LiveEntry
from newsarchive.demosite.options import BASE

LOGO_URL = f"{BASE}/assets/img/logo.png"


def _publisher() -> dict[str, Any]:
    return {
        "@type": "NewsMediaOrganization",
        "name": SITE_NAME,
        "logo": {"@type": "ImageObject", "url": LOGO_URL},
    }


def news_article(article: Article, prefix: str) -> dict[str, Any]:
    labels = LABELS[article.lang]
    url = f"{BASE}{article.path}"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title,
        "description": article.lead,
    }
    if article.lead_image is not None:
        image: dict[str, Any] = {
            "@type": "ImageObject",
            "url": f"{BASE}{article.lead_image.src}",
            "width": 1440,
            "height": 810,
        }
        if article.lead_image.credit is not None:
            image["caption"] = article.lead_image.credit.raw
        data["image"] = [image]
    data["datePublished"] = article.published.isoformat()
    if article.modified is not None:
        data["dateModified"] = article.modified.isoformat()
    data["inLanguage"] = article.lang
    data["articleSection"] = labels.categories[article.section]
    data["keywords"] = [tag.name for tag in article.tags]
    if article.jsonld == "org_author":
        data["author"] = {"@type": "Organization", "name": SITE_NAME, "url": f"{BASE}/"}
    else:
        data["author"] = [
            {"@type": "Person", "name": a.name, "url": f"{BASE}{prefix}/author/{a.slug}/"}
            for a in article.authors
        ]
    data["publisher"] = _publisher()
    data["isAccessibleForFree"] = True
    return data


def paywalled_article(article: Article, prefix: str, selector: str) -> dict[str, Any]:
    """A NewsArticle whose text behind `selector` is for subscribers only."""
    data = news_article(article, prefix)
    data["isAccessibleForFree"] = False
    data["hasPart"] = {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": selector,
    }
    return data


def live_blog(article: Article, prefix: str, entries: tuple[LiveEntry, ...]) -> dict[str, Any]:
    """A LiveBlogPosting with its updates newest first, as the page shows them."""
    url = f"{BASE}{article.path}"
    data = news_article(article, prefix)
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = entries[0].time.isoformat()
    data["coverageEndTime"] = entries[-1].time.isoformat()
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "@id": f"{url}#entry-{number}",
            "datePublished": entry.time.isoformat(),
            "articleBody": entry.text,
        }
        for number, entry in reversed(list(enumerate(entries, start=1)))
    ]
    return data


def video_object(article: Article, embed_url: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": article.title,
        "description": article.lead,
        "uploadDate": article.published.isoformat(),
        "embedUrl": embed_url,
        "inLanguage": article.lang,
        "publisher": _publisher(),
    }


def _graph(article: Article, prefix: str) -> dict[str, Any]:
    url = f"{BASE}{article.path}"
    story = news_article(article, prefix)
    del story["@context"]
    story["@id"] = f"{url}#article"
    story["isPartOf"] = {"@id": url}
    story["mainEntityOfPage"] = {"@id": url}
    story["publisher"] = {"@id": f"{BASE}/#organization"}
    organization = _publisher()
    organization["@type"] = "NewsMediaOrganization"
    organization["@id"] = f"{BASE}/#organization"
    organization["url"] = f"{BASE}/"
    page = {"@type": "WebPage", "@id": url, "url": url, "name": article.title}
    return {"@context": "https://schema.org", "@graph": [page, story, organization]}


def breadcrumbs(article: Article, prefix: str) -> dict[str, Any]:
    labels = LABELS[article.lang]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": labels.home, "item": f"{BASE}{prefix}/"},
            {
                "@type": "ListItem",
                "position": 2,
                "name": labels.categories[article.section],
                "item": f"{BASE}{prefix}/category/{article.section}/",
            },
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON safe inside <script> (no "</")."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def script_tags(article: Article, prefix: str) -> list[str]:
    """The JSON-LD <script> elements of an article page; empty when the page has none."""
    if article.jsonld == "none":
        return []
    main = _graph(article, prefix) if article.jsonld == "graph" else news_article(article, prefix)
    return [
        f'<script type="application/ld+json">{dumps(main)}</script>',
        f'<script type="application/ld+json">{dumps(breadcrumbs(article, prefix))}</script>',
    ]
