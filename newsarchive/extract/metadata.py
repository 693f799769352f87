"""Page metadata: title, dates, authors, language, section, tags, canonical URL, description.

Sources in order of trust: the profile's selectors, JSON-LD, <meta> (OpenGraph / article:*),
microdata, then visible DOM (h1, <time>, breadcrumbs, tag links, bylines). Dates live in
pubdates.py, people in people.py, the language check in language.py.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsarchive.extract import jsonld
from newsarchive.extract.dom import DomIndex, comparable, normalize_space
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.language import normalize_language
from newsarchive.extract.metatags import MetaTags, first, meta_tags, select_texts
from newsarchive.extract.people import authors_of, original_author, site_names
from newsarchive.extract.profile import ExtractProfile
from newsarchive.extract.pubdates import page_dates
from newsarchive.extract.taxonomy import section_of, tags_of

logger = logging.getLogger(__name__)

_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|—–:•·»/]|::)\s+")
# A trailing part this long or longer is part of the headline, not a site name.
_MAX_SITE_SUFFIX = 40


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    title_element: HtmlElement | None = None
    """The visible headline element (h1) when one matches the title."""
    description: str | None = None
    authors: tuple[str, ...] = ()
    original_author: str | None = None
    """The writer named on an "Original Author: X" line (translated articles)."""
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    """As declared; extract_article checks it against the text."""
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    image_url: str | None = None
    og_type: str | None = None
    jsonld_types: frozenset[str] = frozenset()
    article_body: str | None = None
    """JSON-LD `articleBody` as plain paragraphs (a fallback, never trusted blindly)."""
    free: bool | None = None
    """JSON-LD `isAccessibleForFree` of the article or a part of it (None when not given)."""


def strip_site_name(title: str, sites: list[str]) -> str:
    """The headline without a " — Site Name" / "Site Name | " part."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    site_keys = [k for k in (comparable(s) for s in sites) if k]

    def is_site(part: str) -> bool:
        key = comparable(part)
        return bool(key) and any(key == s or s in key or key in s for s in site_keys)

    if is_site(parts[-1]) and len(parts[-1]) <= _MAX_SITE_SUFFIX:
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    if is_site(parts[0]) and len(parts[0]) <= _MAX_SITE_SUFFIX:
        return " - ".join(parts[1:]) if len(parts) > 2 else parts[1]
    return title


def _title(
    page: HtmlPage,
    dom: DomIndex,
    metas: MetaTags,
    article: dict[str, Any] | None,
    sites: list[str],
) -> tuple[str | None, HtmlElement | None]:
    h1s = [(h1, dom.text(h1)) for h1 in dom.tagged("h1") if not dom.in_chrome(h1)]
    h1s = [(h1, text) for h1, text in h1s if text]
    titles = dom.tagged("title")
    head_title = normalize_space(titles[0].text_content() if titles else "")
    candidates = [
        c
        for c in (
            first(metas, "og:title", "twitter:title"),
            jsonld.text_value(article.get("headline")) if article else None,
            head_title,
        )
        if c
    ]
    keys = [comparable(c) for c in candidates]
    for h1, text in h1s:
        key = comparable(text)
        if key and any(key == c or (len(key) > 15 and c.startswith(key)) for c in keys):
            return text, h1
    declared = candidates[:-1] if head_title else candidates  # og:title, JSON-LD headline
    if declared:
        return strip_site_name(normalize_space(declared[0]), sites), None
    if len(h1s) == 1:
        return h1s[0][1], h1s[0][0]
    if head_title:
        stripped = strip_site_name(head_title, sites)
        if stripped != head_title:
            return stripped, None
        parts = _TITLE_SEPARATOR.split(head_title)
        longest = max(parts, key=len)
        return (parts[0] if len(parts[0]) >= 0.4 * len(longest) else longest), None
    return (h1s[0][1], h1s[0][0]) if h1s else (None, None)


def _language(root: HtmlElement, metas: MetaTags, article: Any) -> str | None:
    for raw in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        first(metas, "og:locale"),
        jsonld.text_value(article.get("inLanguage")) if article else None,
        first(metas, "content-language", "language", "dc.language"),
    ):
        lang = normalize_language(raw)
        if lang:
            return lang
    return None


def read_metadata(
    page: HtmlPage,
    dom: DomIndex,
    profile: ExtractProfile | None,
    capture_time: str | None = None,
) -> PageMetadata:
    """All metadata of the page, computed once per (page, profile, capture time). Dates after
    `capture_time` (ISO 8601) are not taken for publication dates."""
    key = ("metadata", profile, capture_time)
    cached = page.memo.get(key)
    if isinstance(cached, PageMetadata):
        return cached
    root = page.root
    metas = meta_tags(dom.tagged("meta"))
    objects = jsonld.read_jsonld(dom.tagged("script"), url=page.url)
    article = jsonld.article_object(objects)
    host = urlsplit(page.base_url or page.url or "").hostname
    sites = site_names(metas, article, host)
    title, title_el = _title(page, dom, metas, article, sites)
    if profile is not None and profile.title:
        selected = select_texts(page, dom, profile.title)
        if selected:
            title, title_el = selected[0], None
    published, modified = page_dates(dom, metas, article, profile, capture_time)
    canonical = None
    links = [el.get("href") for el in dom.tagged("link") if el.get("rel") == "canonical"]
    for href in [*links, first(metas, "og:url")]:
        canonical = page.absolute(href)
        if canonical:
            break
    description = first(metas, "description", "og:description", "twitter:description")
    if not description and article:
        description = jsonld.text_value(article.get("description"))
    image = page.absolute(first(metas, "og:image", "og:image:url", "twitter:image"))
    if not image and article:
        image = page.absolute(jsonld.text_value(article.get("image")) or _image_url(article))
    result = PageMetadata(
        title=title,
        title_element=title_el,
        description=normalize_space(description) if description else None,
        authors=authors_of(dom, metas, article, profile, sites),
        original_author=original_author(dom),
        published=published,
        modified=modified,
        language=_language(root, metas, article),
        section=section_of(page, dom, metas, article, objects, title),
        tags=tags_of(page, dom, metas, article, profile),
        canonical_url=canonical or page.url,
        image_url=image,
        og_type=(first(metas, "og:type") or "").strip().lower() or None,
        jsonld_types=frozenset(t for obj in objects for t in jsonld.types_of(obj)),
        free=jsonld.accessible_for_free(objects),
        article_body=jsonld.article_body_text(article.get("articleBody")) if article else None,
    )
    page.memo[key] = result
    return result


def _image_url(article: dict[str, Any]) -> str | None:
    image = article.get("image")
    if isinstance(image, list) and image:
        image = image[0]
    if isinstance(image, dict):
        url = image.get("url") or image.get("contentUrl")
        return url if isinstance(url, str) else None
    return None
