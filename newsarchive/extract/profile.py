"""Site-specific extraction overrides (CSS selectors and URL regexes) read from a profile table."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, cast, get_args

from lxml import etree
from lxml.html import HtmlElement

from newsarchive.errors import ProfileError
from newsarchive.records import RelatedKind

RELATED_KINDS: tuple[str, ...] = get_args(RelatedKind)


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedBlockRule:
    """A related-headlines block picked by selector: its links become `Related` items."""

    selector: str
    kind: RelatedKind = "related"
    block: str | None = None
    """Block label; None takes the block's visible heading, else `kind`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractProfile:
    """Optional overrides of the generic extractor for one site. Empty means "generic only"."""

    body: tuple[str, ...] = ()
    """CSS selectors of the body container(s); the first selector that matches wins."""
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    """Elements holding the publication date (`datetime`/`content` attribute or text)."""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    """Extra nodes to drop from body, captions and standfirst."""
    captions: tuple[str, ...] = ()
    """Caption / credit containers."""
    related: tuple[RelatedBlockRule, ...] = ()
    listing_items: tuple[str, ...] = ()
    """Elements that each hold one listing item (its first link)."""
    article_url_patterns: tuple[str, ...] = ()
    listing_url_patterns: tuple[str, ...] = ()
    ignore_url_patterns: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str | None = None) -> ExtractProfile:
        """Validate a profile table (e.g. `[extract]` of a site TOML) and build the profile."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ProfileError(
                f"unknown extract key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}",
                path=source,
            )
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name == "related":
                values[name] = tuple(_related_rule(item, source) for item in _as_list(value, name))
                continue
            items = tuple(_as_strings(value, name, source))
            check = _check_regex if name.endswith("_url_patterns") else _check_selector
            for item in items:
                check(item, name, source)
            values[name] = items
        return cls(**values)

    def matches(self, attribute: str, url: str) -> bool:
        patterns: tuple[str, ...] = getattr(self, attribute)
        return any(compiled_regex(p).search(url) for p in patterns)


def _as_list(value: Any, name: str) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _as_strings(value: Any, name: str, source: str | None) -> list[str]:
    items = _as_list(value, name)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ProfileError(
                f"extract.{name} must be a string or a list of non-empty strings, got {item!r}",
                path=source,
            )
    return [str(item) for item in items]


def _related_rule(item: Any, source: str | None) -> RelatedBlockRule:
    if isinstance(item, str):
        item = {"selector": item}
    if not isinstance(item, Mapping):
        raise ProfileError(f"extract.related entries are tables, got {item!r}", path=source)
    unknown = sorted(set(item) - {"selector", "kind", "block"})
    if unknown:
        raise ProfileError(
            f"unknown extract.related key(s) {', '.join(unknown)}; allowed: block, kind, selector",
            path=source,
        )
    selector = item.get("selector")
    if not isinstance(selector, str) or not selector.strip():
        raise ProfileError("extract.related entry needs a non-empty 'selector'", path=source)
    _check_selector(selector, "related.selector", source)
    kind = item.get("kind", "related")
    if kind not in RELATED_KINDS:
        raise ProfileError(
            f"extract.related kind {kind!r} is not one of {', '.join(RELATED_KINDS)}", path=source
        )
    block = item.get("block")
    if block is not None and not isinstance(block, str):
        raise ProfileError(f"extract.related block must be a string, got {block!r}", path=source)
    return RelatedBlockRule(selector=selector, kind=cast(RelatedKind, kind), block=block)


def _check_selector(selector: str, name: str, source: str | None) -> None:
    from cssselect import SelectorError

    try:
        compiled_selector(selector)
    except (SelectorError, etree.XPathError) as exc:
        raise ProfileError(
            f"extract.{name}: invalid CSS selector {selector!r}: {exc}", path=source
        ) from exc


def _check_regex(pattern: str, name: str, source: str | None) -> None:
    try:
        compiled_regex(pattern)
    except re.error as exc:
        raise ProfileError(
            f"extract.{name}: invalid regex {pattern!r}: {exc}", path=source
        ) from exc


@functools.lru_cache(maxsize=512)
def compiled_selector(selector: str) -> Callable[[HtmlElement], list[HtmlElement]]:
    """CSS selector compiled to an XPath callable (translation is pure, so it is cached)."""
    # cssselect is imported only when a profile uses selectors.
    from cssselect import HTMLTranslator

    xpath = etree.XPath(HTMLTranslator().css_to_xpath(selector))

    def select(root: HtmlElement) -> list[HtmlElement]:
        result = xpath(root)
        return (
            [el for el in result if isinstance(el, HtmlElement)] if isinstance(result, list) else []
        )

    return select


@functools.lru_cache(maxsize=512)
def compiled_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
