"""Who wrote an article and where it is filed: authors, section (breadcrumbs), tags."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from newsarchive.extract import jsonld
from newsarchive.extract.dom import DomIndex, comparable, normalize_space
from newsarchive.extract.html import HtmlPage
from newsarchive.extract.metatags import MetaTags, first, select_texts, unique
from newsarchive.extract.profile import ExtractProfile
from newsarchive.extract.roles import class_string
from newsarchive.extract.vocab import Role

_CATEGORY_TAGS = frozenset({"a", "span", "div", "p", "li"})
_HOME_NAMES = frozenset({"home", "main", "главная", "басты бет", "басты", "start", "news"})


def _breadcrumb_section(
    page: HtmlPage, dom: DomIndex, objects: list[jsonld.JsonObject], title: str | None
) -> str | None:
    own = {u for u in (page.url, page.base_url) if u}
    title_key = comparable(title or "")
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
            url = (
                target
                if isinstance(target, str)
                else (target.get("@id") if isinstance(target, dict) else None)
            )
            position = item.get("position")
            rank = float(position) if isinstance(position, int | float) else len(crumbs)
            if name:
                crumbs.append((rank, name, url if isinstance(url, str) else None))
        names = [
            name
            for _, name, url in sorted(crumbs, key=lambda c: c[0])
            if name.strip().casefold() not in _HOME_NAMES
            and comparable(name) != title_key
            and (url is None or page.absolute(url) not in own)
        ]
        if names:
            return names[-1]
    trails = {
        el
        for el, roles in dom.roles.items()
        if roles & Role.NAV and "breadcrumb" in class_string(el)
    }
    trails.update(dom.itemtypes.get("BreadcrumbList", ()))
    for el in sorted(trails, key=dom.stats.order.__getitem__):
        links = [dom.text(a) for a in el.iter("a") if a.get("href") and dom.text(a)]
        links = [t for t in links if t.casefold() not in _HOME_NAMES and comparable(t) != title_key]
        if links:
            return links[-1]
    return None


def section_of(
    page: HtmlPage,
    dom: DomIndex,
    metas: MetaTags,
    article: Any,
    objects: list[jsonld.JsonObject],
    title: str | None,
) -> str | None:
    found = first(metas, "article:section")
    if not found and article:
        found = jsonld.text_value(article.get("articleSection"))
    found = found or _breadcrumb_section(page, dom, objects, title)
    if not found:
        for a in (a for a in dom.tagged("a") if "category" in (a.get("rel") or "").split()):
            found = dom.text(a)
            if found:
                break
    if not found:
        for el, roles in dom.roles.items():
            if roles & Role.CATEGORY and not dom.in_chrome(el) and el.tag in _CATEGORY_TAGS:
                found = dom.text(el)
                if found and len(found) <= 40:
                    break
                found = None
    if not found:
        return None
    found = normalize_space(found)
    host = (page.base_url or page.url or "").split("://", 1)[-1].split("/", 1)[0].lower()
    if found.lower() in (host, host.removeprefix("www.")):
        return None  # the site's own domain, not a section ("gizmodo.com")
    return found


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k for k in re.split(r"[,;]", value) if k.strip()]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    text = jsonld.text_value(value)
    return [text] if text else []


def tags_of(
    page: HtmlPage,
    dom: DomIndex,
    metas: MetaTags,
    article: Any,
    profile: ExtractProfile | None,
) -> tuple[str, ...]:
    if profile is not None and profile.tags:
        return unique(t.lstrip("#") for t in select_texts(page, dom, profile.tags))
    values: list[str] = list(metas.get("article:tag", []))
    if article:
        values.extend(_keywords(article.get("keywords")))
    # WordPress marks category links rel="category tag": a section, not a tag.
    rel_tags = [
        a
        for a in dom.tagged("a")
        if "tag" in (rel := (a.get("rel") or "").split()) and "category" not in rel
    ]
    tag_lists = [el for el, roles in dom.roles.items() if roles & Role.TAGS and el.tag != "a"]
    found = sorted({*rel_tags, *tag_lists}, key=dom.stats.order.__getitem__)
    done: set[HtmlElement] = set()
    for el in found:
        if any(a in done for a in el.iterancestors()) or dom.in_chrome(el):
            continue
        done.add(el)
        if el.tag == "a":
            values.append(dom.text(el))
        else:
            values.extend(dom.text(a) for a in el.iter("a") if a.get("href"))
    if not values:
        # Google News' keywords name the story's subjects (plain `keywords` is SEO filler).
        values.extend(k for meta in metas.get("news_keywords", []) for k in _keywords(meta))
    return unique(v.strip().lstrip("#") for v in values)
