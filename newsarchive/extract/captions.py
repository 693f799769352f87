"""Image captions and credit lines of the article (never part of the body).

Found in the article scope, in document order: <figure>/<figcaption>, caption/credit-classed
elements, and plain-text credit lines ("Photo: ...") in any short leaf block. Each is tied to the
nearest image before it (else the next one, else og:image). Hidden copies (modal duplicates)
are pruned with the other hidden nodes, and equal captions are kept once.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.body import BodyResult
from newsarchive.extract.credits import (
    is_figure_like,
    parse_credit_line,
    split_caption,
    strip_credit_label,
)
from newsarchive.extract.dom import DomIndex, image_url, is_small_image, normalize_space
from newsarchive.extract.metadata import PageMetadata
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.vocab import Role
from newsarchive.records import Caption

_CAPTION_ROLES = Role.CAPTION | Role.CREDIT
_LEAF_TAGS = frozenset(
    {"p", "div", "span", "small", "em", "i", "b", "strong", "cite", "font", "figcaption", "td"}
)


class _Collector:
    def __init__(self, dom: DomIndex, fallback_image: str | None) -> None:
        self.dom = dom
        self.fallback_image = fallback_image
        self.last_image: str | None = None
        self.pending: list[int] = []  # captions seen before any image
        self.items: list[tuple[str, str, str | None]] = []
        self.seen: set[tuple[str, str, str | None]] = set()

    def image(self, img: HtmlElement) -> None:
        if is_small_image(img) or self.dom.role(img) & Role.ICON:
            return
        url = image_url(self.dom.page, img)
        if not url:
            return
        self.last_image = url
        for index in self.pending:
            text, credit, _ = self.items[index]
            self.items[index] = (text, credit, url)
        self.pending.clear()

    def add(self, text: str, credit: str, image: str | None = None) -> None:
        text, credit = normalize_space(text), normalize_space(credit)
        if not text and not credit:
            return
        image = image or self.last_image
        key = (text, credit, image)
        if key in self.seen or (image is None and any(k[:2] == key[:2] for k in self.seen)):
            return
        self.seen.add(key)
        self.items.append(key)
        if image is None:
            self.pending.append(len(self.items) - 1)

    def result(self) -> tuple[Caption, ...]:
        out: list[Caption] = []
        seen: set[tuple[str, str, str | None]] = set()
        for text, credit, image in self.items:
            image = image or self.fallback_image
            if (text, credit, image) not in seen:
                seen.add((text, credit, image))
                out.append(Caption(text=text, credit=credit, image_url=image))
        return tuple(out)


def _caption_parts(dom: DomIndex, el: HtmlElement) -> tuple[str, str]:
    """(caption, credit) of a caption element whose credit may sit in its own child."""
    credit_parts: list[str] = []
    text_parts: list[str] = []

    def collect(node: HtmlElement) -> None:
        text_parts.append(node.text or "")
        for child in node:
            if dom.is_invisible(child) or child.tag == "img":
                pass
            elif dom.role(child) & Role.CREDIT and child is not el:
                credit_parts.append(dom.text(child))
            else:
                if child.tag in vocab.BLOCK_TAGS or child.tag == "br":
                    text_parts.append(" ")
                collect(child)
            text_parts.append(child.tail or "")

    collect(el)
    text = normalize_space("".join(text_parts))
    if credit_parts:
        credit = "; ".join(strip_credit_label(c) for c in credit_parts if c)
        return text, credit
    return split_caption(text)


def _near_image(el: HtmlElement) -> bool:
    parent = el.getparent()
    if parent is not None and next(parent.iter("img", "picture"), None) is not None:
        return True
    previous = el.getprevious()
    return previous is not None and next(previous.iter("img", "picture"), None) is not None


def _visit(collector: _Collector, el: HtmlElement, scope: HtmlElement) -> None:
    dom = collector.dom
    stack = [el]
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or (node is not scope and dom.is_chrome(node)):
            continue
        if tag == "img":
            collector.image(node)
            continue
        roles = dom.role(node)
        if tag == "figure" or (node is not scope and is_figure_like(dom, node)):
            for img in node.iter("img"):
                collector.image(img)
            caption = node.find(".//figcaption")
            if caption is None or dom.is_invisible(caption):
                caption = node
            collector.add(*_caption_parts(dom, caption))
            continue
        if tag == "figcaption" or (roles & _CAPTION_ROLES and node is not scope):
            text, credit = _caption_parts(dom, node)
            if credit or tag == "figcaption" or _near_image(node):
                for img in node.iter("img"):
                    collector.image(img)
                collector.add(text, credit)
                continue
        if tag in _LEAF_TAGS and not any(c.tag in vocab.BLOCK_TAGS for c in node):
            for img in node.iter("img"):
                if not dom.is_invisible(img):
                    collector.image(img)
            line_credit = parse_credit_line(dom.text(node))
            if line_credit is not None:
                collector.add("", line_credit)
            continue
        children = list(node)
        children.reverse()
        stack.extend(children)


def extract_captions(
    dom: DomIndex, body: BodyResult, meta: PageMetadata, profile: ExtractProfile | None
) -> tuple[Caption, ...]:
    collector = _Collector(dom, meta.image_url)
    if profile is not None and profile.captions:
        for selector in profile.captions:
            for el in compiled_selector(selector)(dom.page.root):
                if dom.is_invisible(el):
                    continue
                holder = el.getparent() if el.getparent() is not None else el
                for img in holder.iter("img"):
                    collector.image(img)
                    break
                collector.add(*_caption_parts(dom, el))
        return collector.result()
    if body.scope is not None:
        _visit(collector, body.scope, body.scope)
    return collector.result()
