"""Page metadata: title, dates, authors, language, section, tags, canonical URL, description.

Sources in order of trust: the profile's selectors, JSON-LD, <meta> (OpenGraph / article:*),
microdata, then visible DOM (h1, <time>, breadcrumbs, tag links, bylines).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from newsarchive.extract import jsonld
from newsarchive.extract.dates import normalize_datetime, parse_visible_date
from newsarchive.extract.dom import DomIndex, comparable, normalize_space
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.metatags import MetaTags, first, meta_tags, select_texts
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.taxonomy import authors_of, section_of, tags_of
from newsarchive.extract.vocab import Role

logger = logging.getLogger(__name__)

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "published_time", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "article.published",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "date",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "modified_time",
    "dcterms.modified", "last-modified",
)  # fmt: skip
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|—–:•·»]|::)\s+")
_LANG_ALIASES = {"kz": "kk", "eng": "en", "rus": "ru", "kaz": "kk", "ua": "uk", "iw": "he"}


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    title_element: HtmlElement | None = None
    """The visible headline element (h1) when one matches the title."""
    description: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    image_url: str | None = None
    og_type: str | None = None
    jsonld_types: frozenset[str] = frozenset()
    article_body: str | None = None
    """JSON-LD `articleBody` as plain paragraphs (a fallback, never trusted blindly)."""


def _title(
    page: HtmlPage, dom: DomIndex, metas: MetaTags, article: dict[str, Any] | None
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
        return normalize_space(declared[0]), None
    if len(h1s) == 1:
        return h1s[0][1], h1s[0][0]
    if head_title:
        parts = _TITLE_SEPARATOR.split(head_title)
        longest = max(parts, key=len)
        return (parts[0] if len(parts[0]) >= 0.4 * len(longest) else longest), None
    return (h1s[0][1], h1s[0][0]) if h1s else (None, None)


def _dates(
    page: HtmlPage,
    dom: DomIndex,
    metas: MetaTags,
    article: dict[str, Any] | None,
    profile: ExtractProfile | None,
) -> tuple[str | None, str | None]:
    published: str | None = None
    if profile is not None and profile.date:
        for selector in profile.date:
            for el in compiled_selector(selector)(page.root):
                raw = el.get("datetime") or el.get("content") or dom.text(el)
                published = normalize_datetime(raw)
                if published:
                    break
            if published:
                break
    json_published = (
        normalize_datetime(jsonld.text_value(article.get("datePublished"))) if (article) else None
    )
    meta_published = next(
        (d for d in (normalize_datetime(first(metas, k)) for k in _PUBLISHED_META) if d), None
    )
    time_published = next(
        (
            d
            for d in (
                normalize_datetime(el.get("datetime") or el.get("content"))
                for el in dom.with_itemprop("datePublished")
            )
            if d
        ),
        None,
    )
    if json_published and meta_published and json_published != meta_published:
        logger.debug(
            "%s: JSON-LD datePublished %s differs from meta %s; JSON-LD wins",
            page.url,
            json_published,
            meta_published,
        )
    published = published or json_published or meta_published or time_published
    if not published:
        published = _dom_time(page, dom)
    modified = (
        normalize_datetime(jsonld.text_value(article.get("dateModified"))) if article else None
    )
    modified = modified or next(
        (d for d in (normalize_datetime(first(metas, k)) for k in _MODIFIED_META) if d), None
    )
    if not modified:
        for el in dom.with_itemprop("dateModified"):
            modified = normalize_datetime(el.get("datetime") or el.get("content"))
            if modified:
                break
    return published, modified


def _dom_time(page: HtmlPage, dom: DomIndex) -> str | None:
    times = [t for t in dom.tagged("time") if not dom.in_chrome(t)]
    for el in times:
        found = normalize_datetime(el.get("datetime"))
        if found:
            return found
    for el in times:
        found = parse_visible_date(dom.text(el))
        if found:
            return found
    for el, roles in dom.roles.items():
        if roles & Role.META and not dom.in_chrome(el):
            found = parse_visible_date(dom.text(el)[:200])
            if found:
                return found
    return None


def normalize_language(raw: str | None) -> str | None:
    if not raw:
        return None
    primary = re.split(r"[-_\s,;]", raw.strip().lower(), maxsplit=1)[0]
    primary = _LANG_ALIASES.get(primary, primary)
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


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


def read_metadata(page: HtmlPage, dom: DomIndex, profile: ExtractProfile | None) -> PageMetadata:
    """All metadata of the page, computed once per (page, profile)."""
    key = ("metadata", profile)
    cached = page.memo.get(key)
    if isinstance(cached, PageMetadata):
        return cached
    root = page.root
    metas = meta_tags(dom.tagged("meta"))
    objects = jsonld.read_jsonld(dom.tagged("script"), url=page.url)
    article = jsonld.article_object(objects)
    title, title_el = _title(page, dom, metas, article)
    if profile is not None and profile.title:
        selected = select_texts(page, dom, profile.title)
        if selected:
            title, title_el = selected[0], None
    published, modified = _dates(page, dom, metas, article, profile)
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
        authors=authors_of(page, dom, metas, article, profile),
        published=published,
        modified=modified,
        language=_language(root, metas, article),
        section=section_of(page, dom, metas, article, objects, title),
        tags=tags_of(page, dom, metas, article, profile),
        canonical_url=canonical or page.url,
        image_url=image,
        og_type=(first(metas, "og:type") or "").strip().lower() or None,
        jsonld_types=frozenset(t for obj in objects for t in jsonld.types_of(obj)),
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
