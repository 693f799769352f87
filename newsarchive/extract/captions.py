"""Image captions and credits of the article (never part of the body): one entry per image.

Found in the article scope, in document order: <figure>/<figcaption>, caption- and credit-
classed elements, image containers without <figure> (`div.media > img + p + p`), emphasised
lines right under an image, and plain credit lines ("Photo: …") anywhere in the text. A caption
or credit belongs to its own image, else to the image just before it, else to the next image,
else to the page's og:image. Captions and credits of the same image merge into one entry.
Hidden copies (modal duplicates) are pruned with the other hidden nodes, except the slides of a
gallery, which are hidden until shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.body import BodyResult
from newsarchive.extract.credits import (
    is_caption_after_image,
    is_figure_like,
    is_inline_caption_after_image,
    parse_credit_line,
    strip_credit_label,
    visible_image,
)
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.figures import (
    background_image,
    caption_parts,
    figure_parts,
    is_picture_placeholder,
    is_video_box,
    near_image,
)
from newsarchive.extract.images import IMAGE_TAGS, image_url, is_small_image
from newsarchive.extract.metadata import PageMetadata
from newsarchive.extract.profile import ExtractProfile, compiled_selector
from newsarchive.extract.urls import looks_like_story_url
from newsarchive.extract.vocab import Role
from newsarchive.records import Caption

_CAPTION_ROLES = Role.CAPTION | Role.CREDIT
_LEAF_TAGS = frozenset(
    {"p", "div", "span", "small", "em", "i", "b", "strong", "cite", "font", "figcaption", "td"}
)
_MAX_CAPTION_CHARS = 600


@dataclass(slots=True)
class _Entry:
    image: str | None
    text: str
    credit: str
    placeholder: bool = False
    """The picture is not in the markup: no fallback to the page's image."""


def _entry(text: str, credit: str) -> _Entry | None:
    """An entry for a caption and credit, or None when they are no caption."""
    text, credit = normalize_space(text), normalize_space(credit)
    if text:
        text = vocab.CAPTION_CONTROLS.sub("", text).strip()
        if vocab.RIGHTS_NOTICE.search(lowered := text.lower()) or (
            vocab.PROMO_CHANNEL.search(lowered) and vocab.PROMO_VERB.search(lowered)
        ):
            return None  # a rights notice or a promo box's picture, not a caption
    if not text and not credit:
        return None
    if len(text) > _MAX_CAPTION_CHARS:
        return None  # a paragraph, not a caption
    return _Entry(None, text, credit)


class _Collector:
    def __init__(self, dom: DomIndex, fallback_image: str | None) -> None:
        self.dom = dom
        self.fallback_image = fallback_image
        self.last_image: str | None = None
        self.entries: list[_Entry] = []
        self.by_image: dict[str, _Entry] = {}
        self.pending: list[_Entry] = []
        """Captions met before any image: they belong to the next one."""

    def image_of(self, img: HtmlElement) -> str | None:
        if is_small_image(img) or self.dom.role(img) & Role.ICON:
            return None
        link = next(img.iterancestors("a"), None)
        if link is not None:
            target = self.dom.page.absolute(link.get("href"))
            own = {self.dom.page.url, self.dom.page.base_url}
            if (
                target
                and target not in own
                and self.dom.same_site(target)
                and looks_like_story_url(target)
            ):
                return None  # a teaser picture of another article
        return image_url(self.dom.page, img)

    def image(self, img: HtmlElement, *, captioned: bool = False) -> str | None:
        """Note an image; captions met before any image go to it unless it has its own."""
        url = self.image_of(img)
        if not url:
            return None
        self.last_image = url
        if not captioned:
            pending, self.pending = self.pending, []
            for entry in pending:
                self._attach(entry, url)
        return url

    def add(self, text: str, credit: str, image: str | None = None) -> None:
        entry = _entry(text, credit)
        if entry is None:
            return
        image = image or self.last_image
        if image is None:
            self.pending.append(entry)
            self.entries.append(entry)
            return
        self.entries.append(entry)
        self._attach(entry, image)

    def add_own(self, text: str, credit: str, image: str | None) -> None:
        """A caption of a picture not in the markup: never merged into another image's."""
        entry = _entry(text, credit)
        if entry is None:
            return
        entry.image, entry.placeholder = image, True
        self.entries.append(entry)
        if image is not None:
            self.by_image.setdefault(image, entry)

    def _attach(self, entry: _Entry, image: str) -> None:
        known = self.by_image.get(image)
        if known is None:
            entry.image = image
            self.by_image[image] = entry
            return
        # One entry per image: a caption and a credit met apart are the same image's.
        if not known.text:
            known.text = entry.text
        if not known.credit:
            known.credit = entry.credit
        self.entries.remove(entry)

    def result(self) -> tuple[Caption, ...]:
        out: list[Caption] = []
        seen: set[tuple[str, str, str | None]] = set()
        for entry in self.entries:
            image = entry.image or (None if entry.placeholder else self.fallback_image)
            key = (entry.text, entry.credit, image)
            if key not in seen:
                seen.add(key)
                out.append(Caption(text=entry.text, credit=entry.credit, image_url=image))
        return tuple(out)


class _Visitor:
    def __init__(self, collector: _Collector, scope: HtmlElement) -> None:
        self.collector = collector
        self.dom = collector.dom
        self.scope = scope
        self.consumed: set[HtmlElement] = set()
        """Credit elements already merged into the caption before them."""

    def visit(self, el: HtmlElement, in_gallery: bool = False) -> None:
        dom, collector = self.dom, self.collector
        tag = dom.tag(el)
        if not tag or tag in vocab.NON_CONTENT_TAGS:
            return
        roles = dom.role(el)
        in_gallery = in_gallery or bool(roles & Role.GALLERY)
        if el is not self.scope:
            if dom.is_invisible(el):
                # The slides of a gallery are hidden until shown; other hidden copies are not
                # captions of their own.
                if not (in_gallery and roles & Role.HIDDEN and el not in dom.removed):
                    return
            elif dom.is_chrome(el):
                return
        if el in self.consumed:
            return
        if el is not self.scope and is_video_box(el):
            return  # a player's poster frame and its description are not a captioned picture
        if tag in IMAGE_TAGS:
            collector.image(el)
            return
        if tag == "figure" or (el is not self.scope and is_figure_like(dom, el)):
            self._figure(el)
            return
        is_caption = tag == "figcaption" or (roles & _CAPTION_ROLES and el is not self.scope)
        if is_caption and self._caption_element(el):
            return
        if is_caption_after_image(dom, el):
            collector.add(*caption_parts(dom, el))
            return
        if tag in _LEAF_TAGS and not any(dom.tag(c) in vocab.BLOCK_TAGS for c in el):
            if dom.images(el) and self._pictures_in_line(el):
                return
            for img in el.iter(*IMAGE_TAGS):
                collector.image(img)
            if dom.chars(el) <= vocab.MAX_CREDIT_LINE:
                line_credit = parse_credit_line(dom.text(el))
                if line_credit is not None:
                    collector.add("", line_credit)
            return
        for child in el:
            self.visit(child, in_gallery)

    def _pictures_in_line(self, el: HtmlElement) -> bool:
        """Pictures of a paragraph, each with the inline caption after it, if it has one (as
        the body walk reads them); False when no caption was found."""
        dom, collector = self.dom, self.collector
        found: list[tuple[HtmlElement, bool]] = []
        captions: set[HtmlElement] = set()
        for node in el.iter():
            if node is el or not captions.isdisjoint(node.iterancestors()):
                continue  # (the parts of a caption already taken)
            if node.tag in IMAGE_TAGS:
                found.append((node, False))
            elif is_inline_caption_after_image(dom, node):
                found.append((node, True))
                captions.add(node)
        if not any(is_caption for _, is_caption in found):
            return False
        for node, is_caption in found:
            if is_caption:
                collector.add(*caption_parts(dom, node))
            else:
                collector.image(node)
        return True

    def _figure(self, figure: HtmlElement) -> None:
        dom, collector = self.dom, self.collector
        img = visible_image(dom, figure)
        if img is None:
            img = next(figure.iter(*IMAGE_TAGS), None)
        if img is not None and (is_small_image(img) or dom.role(img) & Role.ICON):
            return  # an avatar or icon beside a name: no captioned picture
        text, credit = figure_parts(dom, figure)
        captioned = bool(text or credit)
        image = collector.image(img, captioned=captioned) if img is not None else None
        if img is None:
            if captioned and is_picture_placeholder(dom, figure):
                # The picture is loaded by a script into an empty box: the caption is still
                # that picture's, not the previous image's.
                collector.add_own(text, credit, background_image(dom, figure))
            return  # else a figure around a video, an embed or a quotation
        collector.add(text, credit, image)

    def _caption_element(self, el: HtmlElement) -> bool:
        dom, collector = self.dom, self.collector
        text, credit = caption_parts(dom, el)
        following = el.getnext()
        if (
            text
            and not credit
            and following is not None
            and isinstance(following.tag, str)
            and dom.role(following) & Role.CREDIT
            and not dom.role(following) & Role.CAPTION
            and not dom.is_invisible(following)
        ):
            # The caption's credit in the element after it (`imageEmbedCaption` +
            # `imageEmbedCredit`): one entry.
            credit = strip_credit_label(dom.text(following))
            self.consumed.add(following)
        near = el.tag == "figcaption" or near_image(el)
        if not (credit or near):
            return False
        for img in el.iter(*IMAGE_TAGS):
            collector.image(img)
        collector.add(text, credit)
        return True


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
                img = visible_image(dom, holder)
                image = collector.image(img) if img is not None else None
                collector.add(*caption_parts(dom, el), image)
        return collector.result()
    scope = body.scope if body.scope is not None else dom.page.root
    _Visitor(collector, scope).visit(scope)
    return collector.result()
