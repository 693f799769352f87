"""Page metadata: title, dates, authors, language, section, tags, canonical URL, description.

Sources in order of trust: the profile's selectors, JSON-LD, <meta> (OpenGraph / article:*),
microdata, then visible DOM (h1, <time>, breadcrumbs, tag links, bylines).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from newsarchive.extract import jsonld
from newsarchive.extract.dates import normalize_datetime, parse_visible_date
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.profile import ExtractProfile, compiled_selector
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
_AUTHOR_PREFIX = re.compile(r"^(?:by|from|автор(?:ы)?|текст|author|авторы?)\s*[:\-]?\s+", re.I)
_NOT_AUTHOR = re.compile(r"^(?:original\s+author|оригинальный\s+автор)\b|https?://|@", re.I)
_HOME_NAMES = frozenset({"home", "main", "главная", "басты бет", "басты", "start", "news"})
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


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        cleaned = normalize_space(value)
        key = cleaned.casefold()
        if cleaned and key not in seen:
            seen.add(key)
            out.append(cleaned)
    return tuple(out)


def _meta_map(root: HtmlElement) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = {}
    for meta in root.xpath("//meta[@content]"):
        content = meta.get("content", "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                metas.setdefault(key.strip().lower(), []).append(content)
    return metas


def _first(metas: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        values = metas.get(key)
        if values:
            return values[0]
    return None


def _select_texts(page: HtmlPage, dom: DomIndex, selectors: tuple[str, ...]) -> list[str]:
    for selector in selectors:
        texts = [dom.text(el) for el in compiled_selector(selector)(page.root)]
        texts = [t for t in texts if t]
        if texts:
            return texts
    return []


def _comparable(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _title(
    page: HtmlPage, dom: DomIndex, metas: dict[str, list[str]], article: dict[str, Any] | None
) -> tuple[str | None, HtmlElement | None]:
    h1s = [(h1, dom.text(h1)) for h1 in page.root.iter("h1") if not dom.is_chrome(h1)]
    h1s = [(h1, text) for h1, text in h1s if text]
    head_title = normalize_space(page.root.findtext(".//title") or "")
    candidates = [
        c
        for c in (
            _first(metas, "og:title", "twitter:title"),
            jsonld.text_value(article.get("headline")) if article else None,
            head_title,
        )
        if c
    ]
    comparable = [_comparable(c) for c in candidates]
    for h1, text in h1s:
        key = _comparable(text)
        if key and any(key == c or (len(key) > 15 and c.startswith(key)) for c in comparable):
            return text, h1
    for candidate in candidates[:-1] if head_title else candidates:
        return normalize_space(candidate), None
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
    metas: dict[str, list[str]],
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
    json_published = normalize_datetime(jsonld.text_value(article.get("datePublished"))) if (
        article
    ) else None
    meta_published = next(
        (d for d in (normalize_datetime(_first(metas, k)) for k in _PUBLISHED_META) if d), None
    )
    time_published = next(
        (
            d
            for d in (
                normalize_datetime(v)
                for v in page.root.xpath(
                    "//*[@itemprop='datePublished']/@datetime"
                    " | //*[@itemprop='datePublished']/@content"
                )
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
        (d for d in (normalize_datetime(_first(metas, k)) for k in _MODIFIED_META) if d), None
    )
    if not modified:
        for value in page.root.xpath(
            "//*[@itemprop='dateModified']/@datetime | //*[@itemprop='dateModified']/@content"
        ):
            modified = normalize_datetime(value)
            if modified:
                break
    return published, modified


def _dom_time(page: HtmlPage, dom: DomIndex) -> str | None:
    times = [t for t in page.root.iter("time") if not dom.is_chrome(t)]
    for el in times:
        found = normalize_datetime(el.get("datetime"))
        if found:
            return found
    for el in times:
        found = parse_visible_date(dom.text(el))
        if found:
            return found
    for el, roles in dom.roles.items():
        if roles & Role.META and not dom.is_chrome(el):
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


def _language(root: HtmlElement, metas: dict[str, list[str]], article: Any) -> str | None:
    for raw in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _first(metas, "og:locale"),
        jsonld.text_value(article.get("inLanguage")) if article else None,
        _first(metas, "content-language", "language", "dc.language"),
    ):
        lang = normalize_language(raw)
        if lang:
            return lang
    return None


def _breadcrumb_section(
    page: HtmlPage, dom: DomIndex, objects: list[jsonld.JsonObject], title: str | None
) -> str | None:
    own = {u for u in (page.url, page.base_url) if u}
    title_key = _comparable(title or "")
    for obj in objects:
        if "breadcrumblist" not in jsonld.types_of(obj):
            continue
        items = obj.get("itemListElement")
        if not isinstance(items, list):
            continue
        crumbs: list[tuple[float, str, str | None]] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            name = jsonld.text_value(item.get("name")) or jsonld.text_value(item.get("item"))
            target = item.get("item")
            url = target if isinstance(target, str) else (
                target.get("@id") if isinstance(target, dict) else None
            )
            position = item.get("position")
            rank = float(position) if isinstance(position, int | float) else len(crumbs)
            if name:
                crumbs.append((rank, name, url if isinstance(url, str) else None))
        names = [
            name
            for _, name, url in sorted(crumbs, key=lambda c: c[0])
            if name.strip().casefold() not in _HOME_NAMES
            and _comparable(name) != title_key
            and (url is None or page.absolute(url) not in own)
        ]
        if names:
            return names[-1]
    for el in page.root.xpath(
        "//*[contains(@class,'breadcrumb') or contains(@id,'breadcrumb')"
        " or contains(@itemtype,'BreadcrumbList')]"
    ):
        links = [dom.text(a) for a in el.iter("a") if a.get("href") and dom.text(a)]
        links = [t for t in links if t.casefold() not in _HOME_NAMES and _comparable(t) != title_key]
        if links:
            return links[-1]
    return None


def _section(
    page: HtmlPage,
    dom: DomIndex,
    metas: dict[str, list[str]],
    article: Any,
    objects: list[jsonld.JsonObject],
    title: str | None,
) -> str | None:
    found = _first(metas, "article:section")
    if not found and article:
        found = jsonld.text_value(article.get("articleSection"))
    found = found or _breadcrumb_section(page, dom, objects, title)
    if not found:
        for a in page.root.xpath("//a[contains(concat(' ', @rel, ' '), ' category ')]"):
            found = dom.text(a)
            if found:
                break
    if not found:
        for el, roles in dom.roles.items():
            if roles & Role.CATEGORY and not dom.is_chrome(el) and el.tag in {"a", "span"}:
                found = dom.text(el)
                if found and len(found) <= 40:
                    break
                found = None
    return normalize_space(found) if found else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k for k in re.split(r"[,;]", value) if k.strip()]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    text = jsonld.text_value(value)
    return [text] if text else []


def _tags(
    page: HtmlPage,
    dom: DomIndex,
    metas: dict[str, list[str]],
    article: Any,
    profile: ExtractProfile | None,
) -> tuple[str, ...]:
    if profile is not None and profile.tags:
        return _unique(t.lstrip("#") for t in _select_texts(page, dom, profile.tags))
    values: list[str] = list(metas.get("article:tag", []))
    if article:
        values.extend(_keywords(article.get("keywords")))
    for el in dom.walk(page.root, skip_chrome=True):
        if el.tag == "a" and "tag" in (el.get("rel") or "").split():
            values.append(dom.text(el))
        elif dom.role(el) & Role.TAGS and el.tag != "a":
            values.extend(dom.text(a) for a in el.iter("a") if a.get("href"))
    return _unique(v.lstrip("#") for v in values)


def _authors(
    page: HtmlPage,
    dom: DomIndex,
    metas: dict[str, list[str]],
    article: Any,
    profile: ExtractProfile | None,
) -> tuple[str, ...]:
    if profile is not None and profile.authors:
        return _unique(_select_texts(page, dom, profile.authors))
    if article:
        names = jsonld.names(article.get("author"))
        if names:
            return _unique(names)
    meta = _first(metas, "author", "article:author", "dc.creator", "sailthru.author")
    if meta and not _NOT_AUTHOR.search(meta):
        parts = [p for p in re.split(r"\s*[;,]\s*", meta) if p]
        if len(parts) > 1 and all(" " in p for p in parts):
            return _unique(parts)
        return _unique([meta])
    found: list[str] = []
    for el in page.root.xpath(
        "//*[contains(concat(' ', @rel, ' '), ' author ')] | //*[@itemprop='author']"
    ):
        if dom.is_chrome(el):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        text = dom.text(name_el if name_el is not None else el)
        if text and not _NOT_AUTHOR.search(text) and len(text) <= 80:
            found.append(_AUTHOR_PREFIX.sub("", text))
    if not found:
        for el, roles in dom.roles.items():
            if roles & Role.BYLINE and not dom.is_chrome(el):
                text = dom.text(el)
                if text and not _NOT_AUTHOR.search(text) and len(text) <= 60:
                    found.append(_AUTHOR_PREFIX.sub("", text))
                    break
    return _unique(found)


def read_metadata(page: HtmlPage, dom: DomIndex, profile: ExtractProfile | None) -> PageMetadata:
    """All metadata of the page, computed once per (page, profile)."""
    key = ("metadata", profile)
    cached = page.memo.get(key)
    if isinstance(cached, PageMetadata):
        return cached
    root = page.root
    metas = _meta_map(root)
    objects = jsonld.read_jsonld(root, url=page.url)
    article = jsonld.article_object(objects)
    title, title_el = _title(page, dom, metas, article)
    if profile is not None and profile.title:
        selected = _select_texts(page, dom, profile.title)
        if selected:
            title, title_el = selected[0], None
    published, modified = _dates(page, dom, metas, article, profile)
    canonical = None
    for href in root.xpath("//link[@rel='canonical']/@href") + [_first(metas, "og:url")]:
        canonical = page.absolute(href)
        if canonical:
            break
    description = _first(metas, "description", "og:description", "twitter:description")
    if not description and article:
        description = jsonld.text_value(article.get("description"))
    image = page.absolute(_first(metas, "og:image", "og:image:url", "twitter:image"))
    if not image and article:
        image = page.absolute(jsonld.text_value(article.get("image")) or _image_url(article))
    result = PageMetadata(
        title=title,
        title_element=title_el,
        description=normalize_space(description) if description else None,
        authors=_authors(page, dom, metas, article, profile),
        published=published,
        modified=modified,
        language=_language(root, metas, article),
        section=_section(page, dom, metas, article, objects, title),
        tags=_tags(page, dom, metas, article, profile),
        canonical_url=canonical or page.url,
        image_url=image,
        og_type=(_first(metas, "og:type") or "").strip().lower() or None,
        jsonld_types=frozenset(t for obj in objects for t in jsonld.types_of(obj)),
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
