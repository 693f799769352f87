"""Main-content detection and body text.

1. Find the container(s): profile selectors, else the candidates' scoring (candidates.py).
2. Walk the container(s) once in document order, cutting the text into blocks and classifying
   each: text / heading / inline "Read also" / credit line / chrome (blocks.py). Nothing is
   mutated.
3. When that finds almost no text, look again with nothing hidden (articles revealed by
   scripts), then with class-based pruning off; a JSON-LD articleBody more than twice as long
   as the DOM text replaces it.
4. The visible standfirst between headline and text goes first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.blocks import Block, BlockWalker
from newsarchive.extract.candidates import (
    Scores,
    find_containers,
    link_density,
    lowest_common_ancestor,
)
from newsarchive.extract.dom import DomIndex, comparable
from newsarchive.extract.metadata import PageMetadata
from newsarchive.extract.profile import ExtractProfile
from newsarchive.extract.vocab import Role

logger = logging.getLogger(__name__)

# Below this many characters of body text the container search is tried again, relaxed.
_MIN_BODY_CHARS = 500
_DECLARED_BODY_RATIO = 2.0
# Trailing link lines are dropped only after this many text blocks.
_MIN_KEPT_BLOCKS = 2


@dataclass(frozen=True, slots=True)
class BodyResult:
    containers: tuple[HtmlElement, ...]
    scope: HtmlElement | None
    """Smallest element holding the headline and the containers (captions are looked for here)."""
    blocks: tuple[Block, ...] = ()
    standfirst: str | None = None
    """The visible standfirst under the headline, when the page has one."""
    paragraph_chars: int = 0
    """Paragraph text in the containers, for classification."""
    link_density: float = 0.0

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.kind in ("text", "heading"))


def article_scope(
    containers: tuple[HtmlElement, ...], title_element: HtmlElement | None
) -> HtmlElement | None:
    """The element holding headline and text: where lead images and credits are looked for."""
    if not containers:
        return None
    first = containers[0]
    page_level = {"html", "body"}
    if title_element is not None:
        common = lowest_common_ancestor(first, title_element)
        if common is not None and common.tag not in page_level:
            return common
    enclosing = next(first.iterancestors("article"), None)
    if enclosing is not None:
        return enclosing  # the <article> around the text holds its lead picture too
    parent = first.getparent()
    if parent is not None and parent.tag not in page_level:
        return parent
    return first


def _block_count(el: HtmlElement) -> int:
    return sum(1 for _ in el.iter("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote"))


def find_standfirst(
    dom: DomIndex,
    scope: HtmlElement | None,
    containers: tuple[HtmlElement, ...],
    title_element: HtmlElement | None,
) -> str | None:
    """The visible standfirst: a lead/summary element between headline and text."""
    if scope is None or not containers:
        return None
    order = None
    for el in dom.walk(scope, skip_chrome=True):
        roles = dom.role(el)
        is_lead = bool(roles & Role.LEAD) or el.get("itemprop") == "description"
        if not is_lead or el.tag in vocab.NON_CONTENT_TAGS or roles & vocab.BODY_JUNK:
            continue
        if dom.images(el) or el.find(".//figcaption") is not None:
            continue  # a lead picture with its caption, not a standfirst
        if _block_count(el) > 1 or dom.chars(el) > 0.5 * dom.chars(containers[0]):
            continue  # several blocks: the text itself, key points, not one standfirst
        if any(el is c or any(a is el for a in c.iterancestors()) for c in containers):
            continue  # a wrapper of the text, not a standfirst
        text = dom.text(el)
        if not 30 <= len(text) <= 1000:
            continue
        order = order or dom.stats.order
        position = order.get(el, 0)
        if position > order.get(containers[0], 0) and not any(
            a is containers[0] for a in el.iterancestors()
        ):
            continue  # after the text: a teaser or footer summary
        if title_element is not None and position < order.get(title_element, 0):
            continue
        return text
    return None


def _walk(
    dom: DomIndex, containers: tuple[HtmlElement, ...], scores: Scores, meta: PageMetadata
) -> list[Block]:
    walker = BlockWalker(
        dom, chars=scores.chars, title=meta.title, title_element=meta.title_element
    )
    return walker.walk(containers)


_Attempt = tuple[tuple[HtmlElement, ...], Scores, list[Block]]


def _second_attempt(
    dom: DomIndex, profile: ExtractProfile | None, meta: PageMetadata, first: _Attempt
) -> _Attempt:
    """Almost no visible text. Saved pages often hide the article until a script reveals it
    (fade-in classes, `display:none` expanders): look again with nothing hidden, first with
    the usual scoring, then the way readability retries (class pruning and weights off)."""
    found = _text_chars(first[2])
    unhidden = dom.unhidden()
    best = first
    for relaxed in (False, True):
        containers, scores = find_containers(unhidden, profile, relaxed=relaxed)
        blocks = _walk(unhidden, containers, scores, meta)
        chars = _text_chars(blocks)
        if chars > max(_MIN_BODY_CHARS // 2, 1.5 * found):
            best, found = (containers, scores, blocks), chars
            if chars >= _MIN_BODY_CHARS:
                break
    return best


def _prefer_declared_body(
    blocks: list[Block], meta: PageMetadata, element: HtmlElement
) -> list[Block]:
    """The JSON-LD articleBody instead of the DOM text when it is more than twice as long: the
    page renders its text with scripts, or the DOM search settled on a fragment. A shorter
    declared body (truncated, a summary) never replaces the DOM text."""
    declared = meta.article_body
    if not declared or len(declared) < _MIN_BODY_CHARS:
        return blocks
    if len(declared) <= _DECLARED_BODY_RATIO * _text_chars(blocks):
        return blocks
    kept = [b for b in blocks if b.kind not in ("text", "heading")]
    return kept + [Block("text", para, element) for para in declared.split("\n\n")]


def _cut_at_comments(blocks: list[Block]) -> list[Block]:
    """Without a comment section that shares the text's container: everything from its
    heading ("Comments (2)") on, once the story has text of its own."""
    texts = 0
    for i, block in enumerate(blocks):
        if block.kind not in ("text", "heading"):
            continue
        if texts >= _MIN_KEPT_BLOCKS and vocab.COMMENTS_HEADING.match(block.text):
            return blocks[:i]
        texts += block.kind == "text"
    return blocks


def _drop_author_tagline(blocks: list[Block]) -> list[Block]:
    """Without the author's tagline among the last text blocks (a bio, not the story)."""
    seen = 0
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block.kind != "text":
            continue
        if len(block.text) <= vocab.MAX_TAGLINE and vocab.AUTHOR_TAGLINE.match(block.text):
            return blocks[:i] + blocks[i + 1 :]
        seen += 1
        if seen >= vocab.TAGLINE_BLOCKS:
            break
    return blocks


def _drop_trailing_links(blocks: list[Block]) -> list[Block]:
    """Without the lines after the text that are mostly link text: teaser headlines, "Buyer's
    Guide: X (Buy Now)", "Our Standards: …". A bracketed citation of a source ("[The Verge]")
    closing a round-up stays."""
    text_indexes = [i for i, b in enumerate(blocks) if b.kind in ("text", "heading")]
    dropped: set[int] = set()
    for i in reversed(text_indexes[_MIN_KEPT_BLOCKS:]):
        block = blocks[i]
        text = block.text.strip()
        if block.linked_chars <= 0.5 * len(text) or (text.startswith("[") and text.endswith("]")):
            break
        dropped.add(i)
    return [b for i, b in enumerate(blocks) if i not in dropped] if dropped else blocks


def _text_chars(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks if b.kind in ("text", "heading"))


def extract_body(dom: DomIndex, profile: ExtractProfile | None, meta: PageMetadata) -> BodyResult:
    """Body blocks of the page, computed once per (page, profile)."""
    key = ("body", profile)
    cached = dom.page.memo.get(key)
    if isinstance(cached, BodyResult):
        return cached
    containers, scores = find_containers(dom, profile)
    blocks = _walk(dom, containers, scores, meta)
    if (profile is None or not profile.body) and _text_chars(blocks) < _MIN_BODY_CHARS:
        containers, scores, blocks = _second_attempt(
            dom, profile, meta, (containers, scores, blocks)
        )
    blocks = _prefer_declared_body(blocks, meta, containers[0] if containers else dom.page.root)
    blocks = _cut_at_comments(blocks)
    blocks = _drop_author_tagline(blocks)
    blocks = _drop_trailing_links(blocks)
    scope = article_scope(containers, meta.title_element)
    standfirst = find_standfirst(dom, scope, containers, meta.title_element)
    if standfirst:
        first_text = next((b for b in blocks if b.kind == "text"), None)
        if first_text is None or comparable(first_text.text) != comparable(standfirst):
            blocks.insert(
                0, Block("text", standfirst, scope if scope is not None else dom.page.root)
            )
    # Prose only: list items that are mostly a link (teasers) do not make a page an article.
    chars = sum(
        len(b.text) for b in blocks if b.kind == "text" and b.linked_chars < 0.5 * len(b.text)
    )
    densities = [link_density(dom, c) for c in containers]
    result = BodyResult(
        containers=containers,
        scope=scope,
        blocks=tuple(blocks),
        standfirst=standfirst,
        paragraph_chars=chars,
        link_density=max(densities) if densities else 0.0,
    )
    dom.page.memo[key] = result
    return result
