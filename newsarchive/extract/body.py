"""Main-content detection and body text.

1. Find the container(s): profile selectors, else readability-style scoring of paragraph text
   density and link density with class-token weights, itemprop=articleBody preferred when it
   holds the text, and siblings of the winner merged when they carry text too.
2. Walk the container(s) once in document order, cutting the text into blocks and classifying
   each: text / heading / inline "Read also" / credit line / chrome. Nothing is mutated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.blocks import Block, BlockWalker
from newsarchive.extract.dom import DomIndex, comparable, normalize_space
from newsarchive.extract.metadata import PageMetadata
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.vocab import Role

logger = logging.getLogger(__name__)

_MIN_PARAGRAPH = 25
_ANCESTOR_LEVELS = 5
_TOP_CANDIDATES = 8
# Below this many characters of body text the container search is tried again, relaxed.
_MIN_BODY_CHARS = 500
_DECLARED_BODY_RATIO = 2.0


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


@dataclass(slots=True)
class _Scores:
    score: dict[HtmlElement, float] = field(default_factory=dict)
    base: dict[HtmlElement, float] = field(default_factory=dict)
    """Tag and class-weight part of each score (the rest is earned from paragraphs)."""
    chars: dict[HtmlElement, int] = field(default_factory=dict)
    """Paragraph characters under each element (all ancestors of every paragraph)."""


def _class_weight(roles: int) -> float:
    weight = 0.0
    if roles & Role.CONTENT:
        weight += vocab.CLASS_WEIGHT
    if roles & vocab.NEGATIVE_WEIGHT_ROLES:
        weight -= vocab.CLASS_WEIGHT
    return weight


def _unlikely(dom: DomIndex, el: HtmlElement) -> bool:
    if dom.is_invisible(el) or el.tag in vocab.CHROME_TAGS:
        return True
    roles = dom.role(el)
    if roles & vocab.ALWAYS_JUNK:
        return True
    return bool(roles & vocab.UNLIKELY_CANDIDATE) and not (
        roles & Role.CONTENT and not roles & Role.COMMENT
    )


def _loose_text(el: HtmlElement) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag in vocab.BLOCK_TAGS or child.tag in vocab.NON_CONTENT_TAGS:
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return normalize_space("".join(parts))


def _has_block_child(el: HtmlElement) -> bool:
    return any(child.tag in vocab.BLOCK_TAGS for child in el)


def _wrapper_share(dom: DomIndex, el: HtmlElement, page_chars: int) -> float:
    return dom.chars(el) / page_chars if page_chars else 0.0


def _score(dom: DomIndex, root: HtmlElement, *, relaxed: bool = False) -> _Scores:
    """Readability-style scores; `relaxed` prunes only invisible elements and ignores classes
    (the second attempt when the first finds almost no text)."""
    scores = _Scores()
    page_chars = dom.chars(root)
    stack = [root]
    while stack:
        el = stack.pop()
        # A junk-looking class on a wrapper of most of the page (`page-ad-margins`) is layout,
        # not junk: only elements holding a minor part of the text are pruned.
        if el is not root and (
            dom.is_invisible(el)
            if relaxed
            else _unlikely(dom, el)
            and (dom.is_invisible(el) or _wrapper_share(dom, el, page_chars) < 0.5)
        ):
            continue
        children = list(el)
        children.reverse()
        stack.extend(children)
        tag = el.tag
        if tag == "p" or tag == "pre" or (tag == "td" and not _has_block_child(el)):
            text, first = dom.text(el), el.getparent()
        elif tag in vocab.LOOSE_TEXT_TAGS and (
            (el.text and not el.text.isspace()) or any(c.tail and not c.tail.isspace() for c in el)
        ):
            text = _loose_text(el)
            first = el if _has_block_child(el) else el.getparent()
        else:
            continue
        length = len(text)
        if length < _MIN_PARAGRAPH or first is None:
            continue
        points = 1.0 + text.count(",") + text.count("，") + min(length // 100, 3)
        level, node = 0, first
        while node is not None:
            scores.chars[node] = scores.chars.get(node, 0) + length
            if level < _ANCESTOR_LEVELS:
                if node not in scores.score:
                    base = vocab.TAG_BASE_SCORE.get(node.tag, 0.0)
                    if not relaxed:
                        base += _class_weight(dom.role(node))
                    scores.score[node] = scores.base[node] = base
                divider = 1 if level == 0 else 2 if level == 1 else level * 3
                scores.score[node] += points / divider
            level += 1
            node = node.getparent()
    return scores


def link_density(dom: DomIndex, el: HtmlElement) -> float:
    """Share of the element's text that sits inside links."""
    if el.tag == "a" or next(el.iterancestors("a"), None) is not None:
        return 1.0  # a teaser wrapped in a link is all link
    return dom.link_density(el)


def _final_scores(
    dom: DomIndex, scores: _Scores, elements: list[HtmlElement]
) -> dict[HtmlElement, float]:
    return {el: scores.score[el] * (1.0 - link_density(dom, el)) for el in elements}


def _prefer_semantic(dom: DomIndex, top: HtmlElement, scores: _Scores) -> HtmlElement:
    """itemprop=articleBody (or a single <article>) that holds most of the winner's text."""
    top_chars = scores.chars.get(top, 0)
    if not top_chars:
        return top
    for elements, share, anywhere in (
        (dom.with_itemprop("articleBody"), 0.5, True),
        (dom.tagged("article"), 0.85, False),
    ):
        for el in elements:
            if dom.is_invisible(el):
                continue
            chars = scores.chars.get(el, 0)
            if chars < share * top_chars:
                continue
            if anywhere or any(a is top for a in el.iterancestors()):
                return el
    return top


def _merge_siblings(
    dom: DomIndex, top: HtmlElement, top_score: float, scores: _Scores
) -> tuple[HtmlElement, ...]:
    parent = top.getparent()
    if parent is None or top.get("itemprop") == "articleBody":
        return (top,)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    merged: list[HtmlElement] = []
    for sibling in parent:
        if sibling is top:
            merged.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or _unlikely(dom, sibling):
            continue
        if dom.role(sibling) & vocab.BODY_JUNK:
            continue
        if sibling in scores.score:
            # Only text earns a sibling its place: a class weight alone (`story__header`) does not.
            earned = scores.score[sibling] - max(0.0, scores.base[sibling])
            bonus = top_score * 0.2 if top_class and sibling.get("class") == top_class else 0.0
            if earned * (1 - link_density(dom, sibling)) + bonus >= threshold:
                merged.append(sibling)
                continue
        if sibling.tag == "p":
            text = dom.text(sibling)
            density = link_density(dom, sibling)
            if (len(text) > 80 and density < 0.25) or (
                0 < len(text) <= 80 and density == 0 and text.endswith((".", "!", "?", "…"))
            ):
                merged.append(sibling)
    return tuple(merged)


def find_containers(
    dom: DomIndex, profile: ExtractProfile | None, *, relaxed: bool = False
) -> tuple[tuple[HtmlElement, ...], _Scores]:
    root = dom.page.root
    scores = _score(dom, root, relaxed=relaxed)
    if profile is not None:
        for selector in profile.body:
            found = [el for el in compiled_selector(selector)(root) if not dom.is_invisible(el)]
            outer = [el for el in found if not any(a in found for a in el.iterancestors())]
            if outer:
                return tuple(outer), scores
    if not scores.score:
        fallback = [
            *dom.with_itemprop("articleBody"),
            *dom.tagged("article"),
            *dom.tagged("main"),
            *dom.tagged("body"),
        ]
        return ((fallback[0],) if fallback else (root,)), scores
    ranked = sorted(scores.score, key=scores.score.__getitem__, reverse=True)[:_TOP_CANDIDATES]
    final = _final_scores(dom, scores, ranked)
    top = max(ranked, key=final.__getitem__)
    preferred = _prefer_semantic(dom, top, scores)
    if preferred is not top:
        return (preferred,), scores
    split = _split_text_parent(dom, top, final, scores)
    if split is not None:
        return (split,), scores
    return _merge_siblings(dom, top, final[top], scores), scores


def _nested(a: HtmlElement, b: HtmlElement) -> bool:
    return any(x is b for x in a.iterancestors()) or any(x is a for x in b.iterancestors())


def _split_text_parent(
    dom: DomIndex, top: HtmlElement, final: dict[HtmlElement, float], scores: _Scores
) -> HtmlElement | None:
    """A text cut into chunks in separate wrappers (ads between them): their common ancestor,
    when it holds little besides the chunks."""
    chunks = [top]
    for el, value in final.items():
        if el is not top and value >= 0.6 * final[top] and not any(_nested(el, c) for c in chunks):
            chunks.append(el)
    if len(chunks) < 2:
        return None
    common: HtmlElement | None = chunks[0]
    for chunk in chunks[1:]:
        common = _lowest_common_ancestor(common, chunk) if common is not None else None
    if common is None or common.tag in ("html", "body"):
        return None
    chunk_chars = sum(scores.chars.get(c, 0) for c in chunks)
    if scores.chars.get(common, 0) > 1.25 * chunk_chars or link_density(dom, common) > 0.3:
        return None
    return common


def _lowest_common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    ancestors = {id(a): a}
    for node in a.iterancestors():
        ancestors[id(node)] = node
    if id(b) in ancestors:
        return b
    for node in b.iterancestors():
        if id(node) in ancestors:
            return node
    return None


def article_scope(
    containers: tuple[HtmlElement, ...], title_element: HtmlElement | None
) -> HtmlElement | None:
    """The element holding headline and text: where lead images and credits are looked for."""
    if not containers:
        return None
    first = containers[0]
    page_level = {"html", "body"}
    if title_element is not None:
        common = _lowest_common_ancestor(first, title_element)
        if common is not None and common.tag not in page_level:
            return common
    parent = first.getparent()
    if parent is not None and parent.tag not in page_level:
        return parent
    return first


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
    dom: DomIndex, containers: tuple[HtmlElement, ...], scores: _Scores, meta: PageMetadata
) -> list[Block]:
    walker = BlockWalker(
        dom, chars=scores.chars, title=meta.title, title_element=meta.title_element
    )
    return walker.walk(containers)


_Attempt = tuple[tuple[HtmlElement, ...], _Scores, list[Block]]


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
