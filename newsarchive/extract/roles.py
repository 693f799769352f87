"""Roles of class and id values: which `vocab.ROLE_TOKENS` their tokens name.

`article__body--wide` has the tokens `article`, `body`, `wide` and the compound `article-body`;
camelCase names are read both ways (`articleBody` is `articlebody` and `article-body`). Results
are cached for the process (bounded): class strings repeat within a page and across a site.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsarchive.extract import vocab

_HYPHEN_RUNS = re.compile(r"-{2,}")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def class_string(el: HtmlElement) -> str:
    """Lower-cased `class` + `id`, `_` read as `-`, for token matching."""
    return class_key(el.get("class"), el.get("id"))


def class_key(cls: str | None, ident: str | None) -> str:
    original = f"{cls or ''} {ident or ''}"
    raw = original.lower()
    if raw != original:
        # camelCase names carry their tokens in the case: `imageEmbedCaption` is image-embed-
        # caption. Both readings are kept (`articleBody` is also the token `articlebody`).
        split = _CAMEL_BOUNDARY.sub("-", original).lower()
        if split != raw:
            raw = f"{raw} {split}"
    raw = raw.replace("_", "-")
    return _HYPHEN_RUNS.sub("-", raw) if "--" in raw else raw


# Class strings repeat within a page and across pages of a site: their roles are cached for the
# process (bounded; cleared when full).
_ROLE_CACHE_MAX = 50_000
_NAME_CACHE: dict[str, int] = {}
VALUE_CACHE: dict[str, int] = {}
"""Roles of raw class/id values seen so far (read directly in the DOM index's hot loop)."""
_RAW_NAME_CACHE: dict[str, int] = {}
# WordPress-style taxonomy classes name a term, not a part of the page: `tag-cycling`,
# `category-city` and `author-dana` on an <article> say nothing about its role (compounds such
# as `tag-list` or `author-name` still count).
_TAXONOMY_PREFIXES = frozenset({"tag", "category", "cat", "author", "format", "type", "status"})
_COMPOUND_HEADS = frozenset(key.split("-", 1)[0] for key in vocab.ROLE_TABLE if "-" in key)


def _token_roles(value: str) -> int:
    if "hid" in value or "none" in value or "hide" in value:
        value = vocab.RESPONSIVE_HIDDEN.sub(" ", value)
        if vocab.RESPONSIVE_SHOWN.search(value):
            value = value.replace("d-none", " ")
    roles = 0
    for name in value.split():
        found = _NAME_CACHE.get(name)
        if found is None:
            if len(_NAME_CACHE) >= _ROLE_CACHE_MAX:
                _NAME_CACHE.clear()
            found = _NAME_CACHE[name] = _name_roles(name)
        roles |= found
    return roles


def _name_roles(name: str) -> int:
    """Roles of one class name or id (`article__body`): its tokens and their compounds."""
    table = vocab.ROLE_TABLE
    if "-" not in name:  # most names are one token
        return table.get(name.rstrip("0123456789"), 0)
    if "label-hidden" in name:
        # Drupal's `field-label-hidden`: the field's label is not shown; the field is.
        name = name.replace("label-hidden", "label")
    tokens = [t.rstrip("0123456789") for t in name.split("-") if t]
    heads = _COMPOUND_HEADS
    roles = 0
    count = len(tokens)
    for start, token in enumerate(tokens):
        if not (start == 0 and token in _TAXONOMY_PREFIXES):
            roles |= table.get(token, 0)
        if token not in heads:
            continue
        compound = token
        for end in range(start + 1, min(count, start + vocab.MAX_COMPOUND)):
            compound = f"{compound}-{tokens[end]}"
            roles |= table.get(compound, 0)
    return roles


def class_roles(key: str) -> int:
    """Roles of a `class_string` value."""
    return _token_roles(key)


def value_roles(value: str) -> int:
    """Roles of one raw `class` or `id` attribute value (cached: class values repeat, and a
    unique id next to a common class no longer makes the pair unique)."""
    known = VALUE_CACHE.get(value)
    if known is not None:
        return known
    if len(VALUE_CACHE) >= _ROLE_CACHE_MAX:
        VALUE_CACHE.clear()
    lowered = value.lower()
    if "hid" in lowered or "none" in lowered:
        # Responsive visibility (`hidden-xs`, `d-none d-md-block`) depends on the other names.
        known = _token_roles(class_key(value, None))
    else:
        known = 0
        for name in value.split():
            found = _RAW_NAME_CACHE.get(name)
            if found is None:
                if len(_RAW_NAME_CACHE) >= _ROLE_CACHE_MAX:
                    _RAW_NAME_CACHE.clear()
                found = _RAW_NAME_CACHE[name] = _raw_name_roles(name)
            known |= found
    VALUE_CACHE[value] = known
    return known


def _raw_name_roles(name: str) -> int:
    """Roles of one name as written: lower-cased, `_` read as `-`, camelCase read both ways."""
    if name.islower() and "_" not in name and "--" not in name:
        return _name_roles(name)  # the common case, nothing to normalise
    lowered = name.lower()
    roles = _name_roles(_dashes(lowered))
    if lowered != name:
        split = _CAMEL_BOUNDARY.sub("-", name).lower()
        if split != lowered:
            roles |= _name_roles(_dashes(split))
    return roles


def _dashes(name: str) -> str:
    name = name.replace("_", "-")
    return _HYPHEN_RUNS.sub("-", name) if "--" in name else name
