"""Cut the main container(s) into classified text blocks in one document-order walk.

A block is the text between two block-level boundaries (<p>, <li>, <h2>, <div>, double <br>).
Chrome is pruned by element (roles from vocab.py) and, for lines whose markup says nothing, by
text (credit lines, "Read also" lines, promos, bylines).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.candidates import card_excerpt
from newsarchive.extract.credits import (
    is_caption_after_image,
    is_figure_like,
    is_inline_caption_after_image,
    parse_credit_line,
)
from newsarchive.extract.dates import is_date_line
from newsarchive.extract.dom import DomIndex, comparable, normalize_space
from newsarchive.extract.urls import (
    looks_like_article_url,
    looks_like_listing_url,
    looks_like_story_url,
)
from newsarchive.extract.vocab import Role

BlockKind = Literal["text", "heading", "read_also", "credit", "dropped"]
_BR = "\ue000"  # stands for <br> while a block's text is being collected
# Inline elements with these roles are dropped from a sentence (credits, share icons, ads).
_INLINE_JUNK = (
    Role.AD | Role.SHARE | Role.EMBED | Role.CAPTION | Role.CREDIT | Role.COOKIE | Role.PROMO
)
_SKIPPED_BLOCK_TAGS = frozenset({"figure", "figcaption", "picture", "nav", "aside", "footer"})
_INLINE_CAPTION_TAGS = frozenset({"em", "i", "small", "cite", "span"})
_MAX_FOLLOW_LINE = 80
_SKIPPED_BLOCK_TAGS = _SKIPPED_BLOCK_TAGS | {"menu", "dialog", "form", "fieldset", "hr"}
_SHORT_KICKER = 120
_LONE_LINK_CHARS = 160
# Short lines before the first real paragraph of a container: bylines, counters, kickers.
_LEADING_SHORT = 30
_REAL_PARAGRAPH = 80
_PENDING_LABEL_BLOCKS = 2


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str
    element: HtmlElement
    links: tuple[tuple[str, str], ...] = ()
    """(title, absolute url) of the links of an inline related line."""
    label: str | None = None
    """Visible "Read also" label without its colon."""
    quoted: bool = False
    """Inside a <blockquote> (a pull-quote may repeat a sentence of the text)."""
    linked_chars: int = 0
    """Characters of the text that sit inside links."""


class BlockWalker:
    """Walks containers and returns their blocks; one instance per extraction."""

    def __init__(
        self,
        dom: DomIndex,
        *,
        chars: dict[HtmlElement, int],
        title: str | None,
        title_element: HtmlElement | None,
    ) -> None:
        self.dom = dom
        self.chars = chars
        self.title_key = comparable(title or "")
        self.title_element = title_element
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.stack: list[HtmlElement] = []
        self.br_pending = False
        self.pending_label: str | None = None
        self.pending_age = 0
        self.quote_depth = 0
        self.link_stack: list[str] = []
        self.flushes = 0
        self.long_seen = False
        self.container_start = 0
        self.protect_chars = 0

    def walk(self, containers: Iterable[HtmlElement]) -> list[Block]:
        containers = tuple(containers)
        total = sum(self.chars.get(c, 0) for c in containers)
        self.protect_chars = max(200, total // 2)
        for container in containers:
            self.container_start = len(self.blocks)
            self.stack.append(container)
            self._content(container)
            self._flush()
            self.stack.pop()
        return self._without_repeated_quotes()

    def _without_repeated_quotes(self) -> list[Block]:
        """Drop pull-quotes that repeat a sentence of the running text."""
        quoted = [b for b in self.blocks if b.quoted and b.kind == "text"]
        if not quoted:
            return self.blocks
        running = [comparable(b.text) for b in self.blocks if not b.quoted and b.kind == "text"]
        repeated = {
            id(b) for b in quoted if (key := comparable(b.text)) and any(key in t for t in running)
        }
        return [b for b in self.blocks if id(b) not in repeated]

    # --- traversal ------------------------------------------------------------------------

    def _text(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            if self.br_pending and text.strip():
                self.br_pending = False

    def _content(self, el: HtmlElement) -> None:
        self._text(el.text)
        for child in el:
            self._node(child)
            self._text(child.tail)

    def _node(self, el: HtmlElement) -> None:
        tag = self.dom.tag(el)
        if not tag or tag in vocab.NON_CONTENT_TAGS or el in self.dom.removed:
            return
        roles = self.dom.role(el)
        if roles & Role.HIDDEN:
            return
        if tag == "br":
            self._br()
            return
        if tag not in vocab.BLOCK_TAGS:
            if roles & _INLINE_JUNK:
                return
            if tag in _INLINE_CAPTION_TAGS and self._follows_picture(el):
                return  # the caption of the picture before it, in the same paragraph
            if tag != "a":
                self._content(el)
                return
            # Blocks inside a link (`<a><h3>Teaser</h3></a>`) are all link text.
            url = self.dom.page.absolute(el.get("href"))
            self.link_stack.append(url or "")
            flushes = self.flushes
            self._content(el)
            self.link_stack.pop()
            if flushes == self.flushes:
                self._record_link(el, url)
            return
        self._flush()
        if self._skip_block(el, tag, roles):
            return
        if tag in vocab.LIST_TAGS and (self._link_list(el) or self._headline_list(el)):
            return
        if tag == "table" and self._data_table(el):
            return
        self.stack.append(el)
        self.quote_depth += tag == "blockquote"
        self._content(el)
        self._flush()
        self.quote_depth -= tag == "blockquote"
        self.stack.pop()

    def _follows_picture(self, el: HtmlElement) -> bool:
        parent = el.getparent()
        return (
            parent is not None
            and self.dom.images(parent) > 0
            and is_inline_caption_after_image(self.dom, el)
        )

    def _br(self) -> None:
        if self.br_pending:
            self._flush()  # two <br> in a row end a paragraph
            return
        self.parts.append(_BR)
        self.br_pending = True

    def _record_link(self, a: HtmlElement, url: str | None) -> None:
        text = normalize_space(a.text_content())
        if url and text:
            self.links.append((text, url))

    def _protected(self, el: HtmlElement) -> bool:
        """Junk-looking wrappers that hold most of the text are kept (e.g. `article js-ads`)."""
        return self.chars.get(el, 0) >= self.protect_chars

    def _skip_block(self, el: HtmlElement, tag: str, roles: int) -> bool:
        if roles & Role.READ_ALSO and not self._protected(el):
            self._read_also_element(el)
            return True
        if tag in _SKIPPED_BLOCK_TAGS and not self._protected(el):
            return True
        if tag == "p" and card_excerpt(self.dom, el):
            return True  # a teaser's excerpt under its headline link to another story
        if roles & vocab.BODY_JUNK and not self._protected(el):
            return True
        if is_figure_like(self.dom, el) or is_caption_after_image(self.dom, el):
            return True
        if tag == "h1":
            key = comparable(self.dom.text(el))
            if el is self.title_element or (key and key == self.title_key):
                # Kicker, rubric and date lines above the headline are not body text.
                if all(len(b.text) < _SHORT_KICKER for b in self.blocks[self.container_start :]):
                    del self.blocks[self.container_start :]
                return True
        return False

    def _link_list(self, el: HtmlElement) -> bool:
        items = [child for child in el if child.tag == "li"]
        if len(items) < 2:
            return False
        total = len(self.dom.text(el))
        links = [
            (normalize_space(a.text_content()), self.dom.page.absolute(a.get("href")))
            for a in el.iter("a")
        ]
        linked = sum(len(text) for text, _ in links)
        if not total or linked < 0.8 * total:
            return False
        pairs = tuple((t, u) for t, u in links if t and u)
        # A list of links to other sites (sources, products) is the article's own content.
        if pairs and sum(self.dom.same_site(u) for _, u in pairs) < 0.5 * len(pairs):
            return False
        if self.pending_label and pairs:
            self.blocks.append(Block("read_also", "", el, pairs, self.pending_label))
            self.pending_label = None
        return True

    def _headline_list(self, el: HtmlElement) -> bool:
        """A list of headlines of the site under a short label ("More Great Stories"): every
        item links to another article of the site. The label line goes with it."""
        items = [child for child in el if child.tag == "li"]
        if len(items) < 2 or not self.blocks:
            return False
        label = self.blocks[-1]
        if label.kind not in ("text", "heading") or len(label.text) > vocab.MAX_LABEL_CHARS:
            return False
        if label.text.endswith((".", "!", "?", ";", ",")) or label.element is el:
            return False
        own = {u for u in (self.dom.page.url, self.dom.page.base_url) if u}
        linked = 0
        for li in items:
            urls = [self.dom.page.absolute(a.get("href")) for a in li.iter("a")]
            linked += any(
                u and u not in own and self.dom.same_site(u) and looks_like_story_url(u)
                for u in urls
            )
        if linked < max(2, 0.8 * len(items)):
            return False
        self.blocks[-1] = Block("dropped", label.text, label.element)
        return True

    def _data_table(self, el: HtmlElement) -> bool:
        if el.xpath(".//td//*[self::p or self::div or self::table or self::ul]"):
            return False
        if next(itertools.islice(el.iter("td", "th"), 1, None), None) is None and (
            next(itertools.islice(el.iter("br"), 1, None), None) is not None
        ):
            return False  # one cell of paragraphs split by <br>: layout around the text
        rows = []
        for tr in el.iter("tr"):
            cells = [self.dom.text(cell) for cell in tr if cell.tag in ("td", "th")]
            row = " | ".join(c for c in cells if c)
            if row:
                rows.append(row)
        if rows:
            text = "\n".join(rows)
            self.blocks.append(Block("text", text, el))
        return True

    def _read_also_element(self, el: HtmlElement) -> None:
        links = []
        for a in el.iter("a"):
            url = self.dom.page.absolute(a.get("href"))
            text = normalize_space(a.text_content())
            if url and text:
                links.append((text, url))
        match = vocab.READ_ALSO_LABEL.match(self.dom.text(el))
        label = normalize_space(match.group("label")) if match else None
        if links:
            self.blocks.append(Block("read_also", "", el, tuple(links), label))

    # --- blocks ---------------------------------------------------------------------------

    def _flush(self) -> None:
        self.br_pending = False
        if not self.parts:
            self.links.clear()
            return
        raw = "".join(self.parts)
        self.parts.clear()
        links = tuple(self.links)
        self.links.clear()
        lines = (normalize_space(line) for line in raw.split(_BR))
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        self.flushes += 1
        if self.link_stack and self.link_stack[-1]:
            links = ((text, self.link_stack[-1]),)
        element = self.stack[-1]
        kind, label = self._classify(text, links, element)
        if self.pending_label and kind != "read_also":
            self.pending_age += 1
            if self.pending_age > _PENDING_LABEL_BLOCKS:
                self.pending_label = None
        if kind == "text" and not self.long_seen:
            if len(text) >= _REAL_PARAGRAPH:
                self.long_seen = True
            elif len(text) < _LEADING_SHORT and not text.endswith((".", "!", "?", "…", ":")):
                kind = "dropped"
        kept_links = links if kind == "read_also" else ()
        linked = sum(len(title) for title, _ in links)
        quoted = self.quote_depth > 0
        self.blocks.append(Block(kind, text, element, kept_links, label, quoted, linked))

    def _classify(
        self, text: str, links: tuple[tuple[str, str], ...], element: HtmlElement
    ) -> tuple[BlockKind, str | None]:
        if parse_credit_line(text) is not None:
            return "credit", None
        match = vocab.READ_ALSO_LABEL.match(text)
        if match:
            label = normalize_space(match.group("label"))
            rest = text[match.end() :]
            linked = sum(len(t) for t, _ in links)
            weak = label.casefold() in vocab.WEAK_READ_ALSO_LABELS
            if links and linked >= 0.5 * len(rest) and (match.group("colon") or not weak):
                return "read_also", label
            if links and match.group("colon") and not weak:
                return "read_also", label
            if not weak and not rest.strip() and (match.group("colon") or _is_read_also(label)):
                self.pending_label, self.pending_age = label, 0
                return "dropped", None
        if self.pending_label and links:
            linked = sum(len(t) for t, _ in links)
            if linked >= 0.6 * len(text):
                label, self.pending_label = self.pending_label, None
                return "read_also", label
        if self._bare_link(text, links, element):
            return "read_also", None
        if self._lone_link(text, links) or self._taxonomy_links(text, links):
            return "dropped", None
        if not any(ch.isalpha() for ch in text):
            return "dropped", None  # counters, bullets, "438.3K"
        folded = text.casefold()
        if folded in vocab.BOILERPLATE_LINES or folded.rstrip(":") in vocab.BOILERPLATE_LINES:
            return "dropped", None
        if vocab.BYLINE_LINE.match(text) or vocab.COUNTER_LINE.match(text):
            return "dropped", None
        if vocab.SHORTCODE_LINE.match(text) or vocab.COMMENT_PROMPT.match(text):
            return "dropped", None
        if len(text) <= vocab.MAX_SHARE_LINE and vocab.SHARE_LINE.match(text):
            return "dropped", None
        if is_date_line(text):
            return "dropped", None  # a dateline ("28.03.2025, 20:48") is metadata
        lowered = text.lower()
        if (
            len(text) <= vocab.MAX_PROMO_LINE
            and (
                vocab.PROMO_CHANNEL.search(lowered)
                # "Следите за новостями zakon.kz в:" with the channels as icons after it
                or (len(text) <= _MAX_FOLLOW_LINE and text.endswith(":"))
            )
            and vocab.PROMO_VERB.search(lowered)
        ):
            return "dropped", None
        if len(text) <= vocab.MAX_PROMO_LINE and _sells_or_governs(lowered):
            return "dropped", None
        if len(text) <= vocab.MAX_TEASER_LINE and vocab.TEASER_TAIL.search(lowered):
            return "dropped", None
        if self.dom.tag(element) in vocab.SUBHEADING_TAGS:
            return "heading", None
        return "text", None

    def _lone_link(self, text: str, links: tuple[tuple[str, str], ...]) -> bool:
        """A short line that is nothing but one link to the same site ("All news", a teaser
        title). A line linking elsewhere ("Get it on Amazon for $39", "[ The Verge ]") is the
        article citing or pointing to a source: body text."""
        return (
            len(links) == 1
            and len(text) <= _LONE_LINK_CHARS
            and comparable(links[0][0]) == comparable(text)
            and (not links[0][1] or self.dom.same_site(links[0][1]))
        )

    def _taxonomy_links(self, text: str, links: tuple[tuple[str, str], ...]) -> bool:
        """A line of nothing but links to the site's section, tag or author pages."""
        linked = sum(len(title) for title, _ in links)
        return (
            bool(links)
            and linked >= 0.9 * len(text)
            and all(looks_like_listing_url(url) and self.dom.same_site(url) for _, url in links)
        )

    def _bare_link(
        self, text: str, links: tuple[tuple[str, str], ...], element: HtmlElement
    ) -> bool:
        """A paragraph that is only one link to another article of the same site."""
        if len(links) != 1 or element.tag not in ("p", "div"):
            return False
        title, url = links[0]
        if comparable(title) != comparable(text):
            return False
        own = {u for u in (self.dom.page.url, self.dom.page.base_url) if u}
        return url not in own and self.dom.same_site(url) and looks_like_article_url(url)


def _sells_or_governs(lowered: str) -> bool:
    """An offer, app or tip promo, copyright notice or comment rule (lower-cased text)."""
    if any(word in lowered for word in vocab.OFFER_TRIGGERS) and vocab.OFFER_LINE.search(lowered):
        return True
    return any(word in lowered for word in vocab.COMMENT_TRIGGERS) and bool(
        vocab.COMMENT_WORD.search(lowered) and vocab.MODERATION_WORD.search(lowered)
    )


def _is_read_also(label: str) -> bool:
    """A "Read also" label proper (not "Related" or "See also", which head link blocks)."""
    return vocab.READ_ALSO_BLOCK_LABEL.match(label) is not None
