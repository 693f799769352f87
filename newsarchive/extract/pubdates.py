"""Publication and modification dates: the first trustworthy source that gives a plausible one.

Sources in order of trust: the profile's selectors, JSON-LD, <meta> (article:published_time and
its many aliases), microdata, <time datetime>, then dates printed in <time>, date-classed
elements or bylines ("29 марта 2025", "18.02.2025, 12:41"). The page's own UTC offset is kept.
A date after the capture time (when known) is rejected and the next source is asked: event
dates, "today" widgets and template junk are not publication dates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from newsarchive.extract import jsonld
from newsarchive.extract.dates import (
    normalize_datetime,
    not_after,
    parse_relative_date,
    parse_visible_date,
)
from newsarchive.extract.dom import DomIndex
from newsarchive.extract.metatags import MetaTags, first
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
_MAX_VISIBLE_DATE_TEXT = 200
_DATED_ROLES = Role.META | Role.BYLINE


def _published_candidates(
    dom: DomIndex,
    metas: MetaTags,
    article: dict[str, Any] | None,
    profile: ExtractProfile | None,
) -> Iterator[str | None]:
    if profile is not None:
        for selector in profile.date:
            for el in compiled_selector(selector)(dom.page.root):
                yield normalize_datetime(el.get("datetime") or el.get("content") or dom.text(el))
    if article:
        yield normalize_datetime(jsonld.text_value(article.get("datePublished")))
    for key in _PUBLISHED_META:
        yield normalize_datetime(first(metas, key))
    for el in dom.with_itemprop("datePublished"):
        yield normalize_datetime(el.get("datetime") or el.get("content") or dom.text(el))
    times = [t for t in dom.tagged("time") if not dom.in_chrome(t)]
    for el in times:
        yield normalize_datetime(el.get("datetime"))
    for el in times:
        yield parse_visible_date(dom.text(el))
    for el in _date_lines(dom):
        yield parse_visible_date(dom.text(el)[:_MAX_VISIBLE_DATE_TEXT])


def _date_lines(dom: DomIndex, *, times: bool = False) -> list[HtmlElement]:
    """Date lines and bylines ("By X | March 29, 2025"), and <time> elements if asked, outside
    the chrome, first in the page first: the one under the headline comes before the teasers'
    dates."""
    dated = [el for el, roles in dom.roles.items() if roles & _DATED_ROLES]
    if times:
        dated.extend(t for t in dom.tagged("time") if not dom.roles.get(t, 0) & _DATED_ROLES)
    dated.sort(key=dom.stats.order.__getitem__)
    return [el for el in dated if not dom.in_chrome(el)]


def _modified_candidates(
    dom: DomIndex, metas: MetaTags, article: dict[str, Any] | None
) -> Iterator[str | None]:
    if article:
        yield normalize_datetime(jsonld.text_value(article.get("dateModified")))
    for key in _MODIFIED_META:
        yield normalize_datetime(first(metas, key))
    for el in dom.with_itemprop("dateModified"):
        yield normalize_datetime(el.get("datetime") or el.get("content") or dom.text(el))


def _first_plausible(candidates: Iterator[str | None], capture_time: str | None) -> str | None:
    for candidate in candidates:
        if candidate is None:
            continue
        if not_after(candidate, capture_time) is None:
            logger.debug("date %s is after the capture time %s: ignored", candidate, capture_time)
            continue
        return candidate
    return None


def page_dates(
    dom: DomIndex,
    metas: MetaTags,
    article: dict[str, Any] | None,
    profile: ExtractProfile | None,
    capture_time: str | None = None,
) -> tuple[str | None, str | None]:
    """(published, modified), each ISO 8601 with the page's offset when it gives one."""
    published = _first_plausible(_published_candidates(dom, metas, article, profile), capture_time)
    if published is None and capture_time:
        published = next(
            (
                found
                for el in _date_lines(dom, times=True)
                if (found := parse_relative_date(dom.text(el), capture_time)) is not None
            ),
            None,
        )
    modified = _first_plausible(_modified_candidates(dom, metas, article), capture_time)
    return published, modified
