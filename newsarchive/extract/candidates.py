"""Main-content candidates: readability-style scoring of paragraph text and the container choice.

Every paragraph (a <p>, or loose text in a <div>) adds points to its parent and, divided, to
four more ancestors; class tokens weigh a candidate up (`article-body`) or down (`sidebar`);
link density scales it down. itemprop=articleBody or an <article> holding most of the winner's
text is preferred; siblings of the winner that carry text too are merged; a text cut into
chunks by ads is taken through their common ancestor. Teaser cards are not text: an excerpt
under a headline link to another story earns nothing, and a content-like class repeated on
sibling cards (`div.post` × 8) weighs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.urls import looks_like_story_url
from newsarchive.extract.vocab import Role

_MIN_PARAGRAPH = 25
_CHROME_TAGS = vocab.CHROME_TAGS
_ANCESTOR_LEVELS = 5
_TOP_CANDIDATES = 8
_REPEATED_CARDS = 3
_MAX_CARD_PARTS = 5
_MIN_CARD_HEADLINE = 15


@dataclass(slots=True)
class Scores:
    score: dict[HtmlElement, float] = field(default_factory=dict)
    base: dict[HtmlElement, float] = field(default_factory=dict)
    """Tag and class-weight part of each score (the rest is earned from paragraphs)."""
    chars: dict[HtmlElement, int] = field(default_factory=dict)
    """Paragraph characters under each element (all ancestors of every paragraph)."""


def _class_weight(roles: int, *, repeated: bool = False) -> float:
    weight = 0.0
    if roles & Role.CONTENT and not repeated:
        weight += vocab.CLASS_WEIGHT
    if roles & vocab.NEGATIVE_WEIGHT_ROLES:
        weight -= vocab.CLASS_WEIGHT
    return weight


def _repeated_class(el: HtmlElement) -> bool:
    """The element's class names a card repeated beside it (`div.post` × 8 in a teaser list):
    a content-like class there marks a teaser, not the article."""
    cls = el.get("class")
    parent = el.getparent()
    if not cls or parent is None:
        return False
    same = 0
    for sibling in parent:
        if sibling.get("class") == cls:
            same += 1
            if same >= _REPEATED_CARDS:
                return True
    return False


def card_excerpt(dom: DomIndex, el: HtmlElement) -> bool:
    """The excerpt of a teaser card: right after a headline that is all link to another story
    of the site, in a small container (`div > a > img, h3 > a, p`). A listicle's linked
    headings share one big container with the text."""
    headline = el.getprevious()
    parent = el.getparent()
    if headline is None or parent is None or len(parent) > _MAX_CARD_PARTS:
        return False
    if dom.chars(headline) < _MIN_CARD_HEADLINE or dom.link_density(headline) < 0.8:
        return False
    link = headline if headline.tag == "a" else next(headline.iter("a"), None)
    url = dom.page.absolute(link.get("href")) if link is not None else None
    return (
        url is not None
        and url not in (dom.page.url, dom.page.base_url)
        and dom.same_site(url)
        and looks_like_story_url(url)
    )


def _unlikely(dom: DomIndex, el: HtmlElement) -> bool:
    if dom.is_invisible(el) or dom.tag(el) in vocab.CHROME_TAGS:
        return True
    roles = dom.role(el)
    if roles & vocab.ALWAYS_JUNK:
        return True
    return bool(roles & vocab.UNLIKELY_CANDIDATE) and not (
        roles & Role.CONTENT and not roles & Role.COMMENT
    )


def _loose_text(el: HtmlElement, tags: dict[HtmlElement, str]) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = tags.get(child, "")
        if tag in vocab.BLOCK_TAGS or tag in vocab.NON_CONTENT_TAGS:
            parts.append(" ")
        elif tag:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return normalize_space("".join(parts))


def _has_block_child(el: HtmlElement, tags: dict[HtmlElement, str]) -> bool:
    return any(tags.get(child) in vocab.BLOCK_TAGS for child in el)


def _wrapper_share(dom: DomIndex, el: HtmlElement, page_chars: int) -> float:
    return dom.chars(el) / page_chars if page_chars else 0.0


def _score(dom: DomIndex, root: HtmlElement, *, relaxed: bool = False) -> Scores:
    """Readability-style scores; `relaxed` prunes only invisible elements and ignores classes
    (the second attempt when the first finds almost no text)."""
    scores = Scores()
    page_chars = dom.chars(root)
    stats = dom.stats
    elements, ends, tags, loose = dom.elements, stats.ends, stats.tags, stats.loose
    roles, invisible = dom.roles, stats.invisible
    position, stop = stats.order[root], ends[root]
    while position <= stop:
        el = elements[position]
        position += 1
        # A junk-looking class on a wrapper of most of the page (`page-ad-margins`) is layout,
        # not junk: only elements holding a minor part of the text are pruned.
        if (
            el is not root
            and (
                # (relaxed: classes say nothing, but a <footer> or <nav> is still no article)
                (el in invisible or tags[el] in _CHROME_TAGS)
                if relaxed
                else (roles.get(el) or tags[el] in _CHROME_TAGS or el in invisible)
                and _unlikely(dom, el)
            )
            and (el in invisible or _wrapper_share(dom, el, page_chars) < 0.5)
        ):
            position = ends[el] + 1  # skip the subtree
            continue
        tag = tags[el]
        if tag == "p" or tag == "pre" or (tag == "td" and not _has_block_child(el, tags)):
            text, first = dom.text(el), el.getparent()
        elif tag in vocab.LOOSE_TEXT_TAGS and el in loose:
            text = _loose_text(el, tags)
            first = el if _has_block_child(el, tags) else el.getparent()
        else:
            continue
        length = len(text)
        if length < _MIN_PARAGRAPH or first is None:
            continue
        if card_excerpt(dom, el):
            continue  # a teaser's excerpt under its headline link, not the article's text
        points = 1.0 + text.count(",") + text.count("，") + min(length // 100, 3)
        level, node = 0, first
        while node is not None:
            scores.chars[node] = scores.chars.get(node, 0) + length
            if level < _ANCESTOR_LEVELS:
                if node not in scores.score:
                    base = vocab.TAG_BASE_SCORE.get(tags.get(node, ""), 0.0)
                    if not relaxed:
                        base += _class_weight(dom.role(node), repeated=_repeated_class(node))
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
    dom: DomIndex, scores: Scores, elements: list[HtmlElement]
) -> dict[HtmlElement, float]:
    return {el: scores.score[el] * (1.0 - link_density(dom, el)) for el in elements}


def _prefer_semantic(dom: DomIndex, top: HtmlElement, scores: Scores) -> HtmlElement:
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
    dom: DomIndex, top: HtmlElement, top_score: float, scores: Scores
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
) -> tuple[tuple[HtmlElement, ...], Scores]:
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
        return _with_key_points(dom, (split,)), scores
    return _with_key_points(dom, _merge_siblings(dom, top, final[top], scores)), scores


def _is_key_points(dom: DomIndex, el: HtmlElement) -> bool:
    """A summary list beside the text ("Key points" of a live blog): part of the article."""
    return (
        isinstance(el.tag, str)
        and bool(dom.role(el) & Role.LEAD)
        and not dom.role(el) & vocab.BODY_JUNK
        and not dom.is_invisible(el)
        and el.find(".//li") is not None
        and dom.chars(el) >= _MIN_PARAGRAPH
        and link_density(dom, el) < 0.3
    )


def _with_key_points(dom: DomIndex, containers: tuple[HtmlElement, ...]) -> tuple[HtmlElement, ...]:
    parent = containers[0].getparent()
    if parent is None or any(c.getparent() is not parent for c in containers):
        return containers
    chosen = set(containers)
    return tuple(c for c in parent if c in chosen or _is_key_points(dom, c))


def _nested(a: HtmlElement, b: HtmlElement) -> bool:
    return any(x is b for x in a.iterancestors()) or any(x is a for x in b.iterancestors())


def _split_text_parent(
    dom: DomIndex, top: HtmlElement, final: dict[HtmlElement, float], scores: Scores
) -> HtmlElement | None:
    """A text cut into chunks in separate wrappers (ads between them): their common ancestor,
    when it holds little besides the chunks."""

    # Judged by the text they earned too: a widget whose class sounds like content
    # (`tweet-content`) is no chunk of the article.
    def earned(el: HtmlElement) -> float:
        return (scores.score[el] - max(0.0, scores.base[el])) * (1.0 - link_density(dom, el))

    needed, earned_needed = 0.3 * final[top], 0.3 * earned(top)
    chunks = [top]
    for el, value in final.items():
        if (
            el is not top
            and value >= needed
            and earned(el) >= earned_needed
            and not any(_nested(el, c) for c in chunks)
        ):
            chunks.append(el)
    if len(chunks) < 2:
        return None
    common: HtmlElement | None = chunks[0]
    for chunk in chunks[1:]:
        common = lowest_common_ancestor(common, chunk) if common is not None else None
    if common is None or common.tag in ("html", "body"):
        return None
    chunk_chars = sum(scores.chars.get(c, 0) for c in chunks)
    if scores.chars.get(common, 0) > 1.25 * chunk_chars or link_density(dom, common) > 0.3:
        return None
    return common


def lowest_common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    ancestors = {id(a): a}
    for node in a.iterancestors():
        ancestors[id(node)] = node
    if id(b) in ancestors:
        return b
    for node in b.iterancestors():
        if id(node) in ancestors:
            return node
    return None
