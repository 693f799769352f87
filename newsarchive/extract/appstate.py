"""The article text of an app shell, read from the state its script renders from.

Nuxt, Next.js and hand-made single-page sites ship the article as JSON in the page
(`window.__NUXT__ = {...}`, `<script id="__NEXT_DATA__" type="application/json">`,
`window.__INITIAL_STATE__ = {...}`): the HTML has no text, the state has all of it. Only plain
JSON is read (never evaluated); the longest text under a body-like key is taken, its markup
parsed without network or entities.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from lxml import etree, html

from newsarchive.extract.dom import DomIndex, normalize_space

logger = logging.getLogger(__name__)

_ASSIGNMENTS = (
    "__NUXT__", "__INITIAL_STATE__", "__PRELOADED_STATE__", "__APOLLO_STATE__", "__DATA__",
)  # fmt: skip
_JSON_SCRIPT_IDS = frozenset({"__NEXT_DATA__", "__NUXT_DATA__"})
_BODY_KEYS = frozenset(
    {"body", "articlebody", "article_body", "content", "text", "html", "bodyhtml", "body_html",
     "fulltext", "full_text", "contenthtml"}
)  # fmt: skip
_MAX_STATE_CHARS = 5_000_000
_MAX_DEPTH = 40
_MIN_TEXT = 200
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")


def state_body(dom: DomIndex) -> str | None:
    """Paragraphs (separated by a blank line) of the longest body-like text in the page's
    app state, or None when there is none."""
    best = ""
    for script in dom.tagged("script"):
        for state in _states(script):
            candidate = _longest_body(state, 0)
            if candidate and len(candidate) > len(best):
                best = candidate
    if len(best) < _MIN_TEXT:
        return None
    return _paragraphs(best) or None


def _states(script: Any) -> list[Any]:
    text = script.text or ""
    if not text or len(text) > _MAX_STATE_CHARS:
        return []
    if (script.get("id") or "") in _JSON_SCRIPT_IDS:
        return _decoded(text.strip())
    found: list[Any] = []
    for name in _ASSIGNMENTS:
        at = text.find(name)
        if at < 0:
            continue
        equals = text.find("=", at + len(name))
        start = text.find("{", equals)
        if equals < 0 or start < 0 or text[equals + 1 : start].strip():
            continue  # `= function(...)`: code, not data
        found.extend(_decoded(text[start:]))
    return found


def _decoded(text: str) -> list[Any]:
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):  # hostile nesting too
        return []
    return [value]


def _longest_body(value: Any, depth: int) -> str:
    if depth > _MAX_DEPTH:
        return ""
    best = ""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if key.lower() in _BODY_KEYS and len(item) > len(best):
                    best = item
            else:
                found = _longest_body(item, depth + 1)
                if len(found) > len(best):
                    best = found
    elif isinstance(value, list):
        for item in value:
            found = _longest_body(item, depth + 1)
            if len(found) > len(best):
                best = found
    return best


def _paragraphs(text: str) -> str:
    if "<" not in text:
        return "\n\n".join(p for p in (normalize_space(line) for line in text.splitlines()) if p)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.fragment_fromstring(text, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError) as exc:
        logger.debug("app state markup not parsed: %s", exc)
        return ""
    for junk in list(root.iter("script", "style", "figure", "figcaption", "iframe")):
        junk.drop_tree()
    blocks = [normalize_space(el.text_content()) for el in root.iter(*_BLOCKS)]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else normalize_space(root.text_content())
