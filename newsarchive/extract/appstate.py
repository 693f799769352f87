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
from dataclasses import dataclass
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
_DATE_KEYS = ("datePublished", "published", "publishedAt", "published_at", "pubDate", "date")
_LEAD_KEYS = frozenset({"lead", "subtitle", "standfirst", "summary", "dek", "intro"})
_BLOCK_TEXT_KEYS = frozenset({"text", "html", "content", "value", "body"})
_NOT_TEXT_BLOCKS = frozenset({"image", "picture", "photo", "embed", "video", "ad", "banner"})
_MAX_STATE_CHARS = 5_000_000
_MAX_DEPTH = 40
_MIN_TEXT = 80
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")


@dataclass(frozen=True, slots=True)
class StateArticle:
    body: str
    """Paragraphs separated by a blank line."""
    published: str | None = None
    """As the state gives it (ISO 8601 when it is one)."""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    section: str | None = None


def state_article(dom: DomIndex) -> StateArticle | None:
    """The article in the page's app state: its longest body-like text with the date and
    authors of the object holding it; None when the state has no such text."""
    best, holder = "", None
    for script in dom.tagged("script"):
        for state in _states(script):
            candidate, owner = _longest_body(state, 0)
            if candidate and len(candidate) > len(best):
                best, holder = candidate, owner
    if len(best) < _MIN_TEXT:
        return None
    body = _paragraphs(best)
    if not body:
        return None
    fields = holder if isinstance(holder, dict) else {}
    published = next(
        (v for k in _DATE_KEYS if isinstance(v := fields.get(k), str) and v.strip()), None
    )
    return StateArticle(
        body=body,
        published=published,
        authors=_names(fields.get("authors") or fields.get("author")),
        tags=_names(fields.get("tags") or fields.get("keywords")),
        section=next(iter(_names(fields.get("section") or fields.get("category"))), None),
    )


def _names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    return tuple(normalize_space(n) for n in names if isinstance(n, str) and n.strip())


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


def _longest_body(value: Any, depth: int) -> tuple[str, Any]:
    """The longest body in `value`: a string under a body-like key, or a list of content
    blocks (`[{"type": "paragraph", "text": ...}]`) joined; with the lead kept beside it in
    the same object ("lead", "subtitle"...) put first, as the page would show it."""
    if depth > _MAX_DEPTH:
        return "", None
    best: tuple[str, Any] = ("", None)
    if isinstance(value, dict):
        own = ""
        for key, item in value.items():
            if isinstance(item, str):
                if key.lower() in _BODY_KEYS and len(item) > len(own):
                    own = item
            elif isinstance(item, list) and len(joined := _joined_blocks(item)) > len(own):
                own = joined
        if own:
            lead = next(
                (v for k, v in value.items() if k.lower() in _LEAD_KEYS and isinstance(v, str)),
                None,
            )
            if lead and lead.strip() and lead not in own:
                own = f"<p>{lead}</p>{own}" if "<" in own else f"{lead}\n\n{own}"
            best = (own, value)
        for item in value.values():
            if isinstance(item, dict | list):
                found = _longest_body(item, depth + 1)
                if len(found[0]) > len(best[0]):
                    best = found
    elif isinstance(value, list):
        for item in value:
            found = _longest_body(item, depth + 1)
            if len(found[0]) > len(best[0]):
                best = found
    return best


def _joined_blocks(items: list[Any]) -> str:
    """Text of a list of content blocks, each an object with a text-like string; "" when
    the list is not one (fewer than two such blocks, or other things in it)."""
    texts: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            return ""
        if str(item.get("type", "")).lower() in _NOT_TEXT_BLOCKS:
            continue
        text = next(
            (v for k, v in item.items() if k.lower() in _BLOCK_TEXT_KEYS and isinstance(v, str)),
            None,
        )
        if text and text.strip():
            texts.append(text)
    if len(texts) < 2:
        return ""
    return "\n\n".join(f"<p>{t}</p>" if "<" not in t else t for t in texts)


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
