"""Defensive JSON-LD reading: tolerate comments, trailing commas and raw control characters.

A block that still does not parse is logged and ignored; the caller falls back to meta tags and
the DOM. Nothing here trusts `articleBody`.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from newsarchive.extract import vocab

logger = logging.getLogger(__name__)

JsonObject = dict[str, Any]
_MAX_BLOCK_CHARS = 2_000_000


def strip_json_noise(text: str) -> str:
    """Remove `//` and `/* */` comments and trailing commas outside strings."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif ch == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "}]":
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _decode_values(text: str) -> list[Any]:
    """All JSON values in `text` (some sites concatenate several objects in one script)."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    idx, n = 0, len(text)
    while idx < n:
        while idx < n and text[idx] in " \t\r\n;":
            idx += 1
        if idx >= n:
            break
        value, idx = decoder.raw_decode(text, idx)
        values.append(value)
    return values


def parse_block(text: str, *, url: str | None = None) -> list[Any]:
    """The JSON values of one ld+json script; [] when it cannot be read even after repair."""
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    text = text.replace("<![CDATA[", "").replace("]]>", "").removesuffix("-->").strip()
    if not text or len(text) > _MAX_BLOCK_CHARS:
        return []
    try:
        return _decode_values(text)
    except (json.JSONDecodeError, RecursionError):
        pass
    try:
        values = _decode_values(strip_json_noise(text))
    except (json.JSONDecodeError, RecursionError) as exc:
        logger.info("%s: malformed JSON-LD ignored (%s)", url, exc)
        return []
    logger.debug("%s: JSON-LD parsed after removing comments/trailing commas", url)
    return values


def _flatten(value: Any, depth: int = 0) -> Iterator[JsonObject]:
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _flatten(graph, depth + 1)


def read_jsonld(scripts: Iterable[HtmlElement], *, url: str | None = None) -> list[JsonObject]:
    """Every JSON-LD object of the given <script> elements (top level and `@graph` members)."""
    objects: list[JsonObject] = []
    for script in scripts:
        if "ld+json" in (script.get("type") or "").lower():
            objects.extend(_flatten(parse_block(script.text or "", url=url)))
    return objects


def types_of(obj: JsonObject) -> set[str]:
    """Lower-case schema.org type names of an object (`schema:NewsArticle` → `newsarticle`)."""
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    out: set[str] = set()
    for name in names:
        if isinstance(name, str) and name:
            out.add(name.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower())
    return out


def article_object(objects: list[JsonObject]) -> JsonObject | None:
    """The first object typed as an article (NewsArticle, BlogPosting, ...)."""
    for obj in objects:
        if types_of(obj) & vocab.ARTICLE_TYPES:
            return obj
    return None


def accessible_for_free(objects: list[JsonObject]) -> bool | None:
    """False when any object (the article or a `hasPart` of it) says `isAccessibleForFree`
    false, True when one says true, None when none says."""
    found: bool | None = None
    for obj in objects:
        parts = obj.get("hasPart")
        for item in [obj, *(parts if isinstance(parts, list) else [parts])]:
            if not isinstance(item, dict) or "isAccessibleForFree" not in item:
                continue
            value = item["isAccessibleForFree"]
            free = value if isinstance(value, bool) else str(value).strip().lower() == "true"
            if not free:
                return False
            found = True
    return found


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a string, list or {"name": ...}."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            found = text_value(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key in ("name", "@value", "headline", "text"):
            found = text_value(value.get(key))
            if found:
                return found
    return None


_MARKUP_HINTS = ("<p", "<br", "</", "<div", "<P", "<BR")
_BLOCK_BREAKS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)


def article_body_text(value: Any) -> str | None:
    """The text of an `articleBody` value as paragraphs separated by a blank line, with markup
    and (doubly) escaped entities resolved; None when there is no text."""
    raw = value if isinstance(value, str) else text_value(value)
    if not raw or not raw.strip():
        return None
    for _ in range(2):
        if "&" not in raw:
            break
        raw = html.unescape(raw)
    if any(hint in raw for hint in _MARKUP_HINTS):
        raw = _markup_text(raw)
    paragraphs = (" ".join(line.split()) for line in raw.splitlines())
    text = "\n\n".join(p for p in paragraphs if p)
    return text or None


def _markup_text(markup: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    for el in root.iter(etree.Element):
        if el.tag in ("script", "style"):
            el.text = ""
        if el.tag in _BLOCK_BREAKS:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "") if el.tag != "br" else el.text
    return str(root.text_content())


def names(value: Any) -> list[str]:
    """Person/organisation names from an `author`-like value (string, object or list)."""
    if isinstance(value, list):
        return [name for item in value for name in names(item)]
    found = text_value(value) if isinstance(value, dict | str) else None
    return [found] if found else []
