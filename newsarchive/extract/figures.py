"""What a captioned picture holds: the caption and credit parts of a caption element or a
figure, and whether a box is a picture at all (a script-filled placeholder, a video player)."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.credits import split_caption, strip_credit_label
from newsarchive.extract.dom import DomIndex, normalize_space
from newsarchive.extract.images import IMAGE_TAGS
from newsarchive.extract.roles import value_roles
from newsarchive.extract.vocab import Role

_MAX_SET_APART_CREDIT = 80
_BACKGROUND_URL = re.compile(r"background(?:-image)?\s*:[^;]*url\(\s*['\"]?([^'\")]+)")
# schema.org ImageObject properties that hold the credit inside a caption.
_CREDIT_ITEMPROPS = frozenset({"copyrightHolder", "copyrightNotice", "creditText", "author"})


def caption_parts(dom: DomIndex, el: HtmlElement) -> tuple[str, str]:
    """(caption, credit) of a caption element whose credit may sit in its own child."""
    credit_parts: list[str] = []
    text_parts: list[str] = []

    def collect(node: HtmlElement) -> None:
        text_parts.append(node.text or "")
        for child in node:
            tag = dom.tag(child)
            if (
                (dom.is_invisible(child) and not _only_aria_hidden(child))
                or tag in IMAGE_TAGS
                or tag in vocab.HEADING_TAGS  # the headline of a header wrapping the picture
            ):
                pass
            elif child is not el and (
                dom.role(child) & Role.CREDIT or child.get("itemprop") in _CREDIT_ITEMPROPS
            ):
                credit_parts.append(dom.text(child))
            else:
                if tag in vocab.BLOCK_TAGS or tag == "br":
                    text_parts.append(" ")
                collect(child)
            text_parts.append(child.tail or "")

    collect(el)
    text = normalize_space("".join(text_parts))
    if credit_parts:
        credit = "; ".join(filter(None, (strip_credit_label(c) for c in credit_parts)))
        caption, inner_credit = split_caption(text)
        return caption, credit or inner_credit
    caption, credit = split_caption(text)
    if caption and not credit:
        return _credit_in_last_part(dom, el, caption)
    return caption, credit


def _credit_in_last_part(dom: DomIndex, el: HtmlElement, text: str) -> tuple[str, str]:
    """(caption, credit) of a caption whose last element is an unlabelled credit set apart
    (`<span>Caption.</span><span>J. Scott Applewhite / AP file</span>`), else (text, "")."""
    parts = [c for c in el if isinstance(c.tag, str) and dom.chars(c)]
    if len(parts) < 2 or (parts[-1].tail or "").strip():
        return text, ""
    last = dom.text(parts[-1])
    if not last or not text.endswith(last) or len(last) > _MAX_SET_APART_CREDIT:
        return text, ""
    if not (vocab.AGENCY_CREDIT.match(last) or vocab.SLASHED_CREDIT.match(last)):
        return text, ""
    caption = text[: -len(last)].strip()
    return (caption, last) if caption else (text, "")


def _only_aria_hidden(el: HtmlElement) -> bool:
    """Hidden from screen readers only: a caption shown on screen while the figure's label
    speaks it (`<span aria-hidden="true">Caption</span>`)."""
    if (el.get("aria-hidden") or "").strip().lower() != "true":
        return False
    if el.get("hidden") is not None or el.get("style"):
        return False
    return not value_roles(f"{el.get('class') or ''} {el.get('id') or ''}") & Role.HIDDEN


def figure_parts(dom: DomIndex, figure: HtmlElement) -> tuple[str, str]:
    """(caption, credit) of a figure: its visible <figcaption> (a credit may sit beside it),
    else the figure's own text with credit-classed parts apart."""
    captions = [
        c for c in figure.iter("figcaption") if not dom.is_invisible(c) and not dom.in_chrome(c)
    ]
    if not captions:
        return caption_parts(dom, figure)
    caption = captions[0]
    text, credit = caption_parts(dom, caption)
    for other in captions[1:]:
        # A second <figcaption> for the credit ("Photo: Getty Images" below the caption).
        more_text, more_credit = caption_parts(dom, other)
        text = text or more_text
        credit = credit or more_credit
    if not credit:
        for node in figure.iter():
            if (
                dom.role(node) & Role.CREDIT
                and not dom.is_invisible(node)
                and not any(a is caption for a in node.iterancestors())
            ):
                credit = strip_credit_label(dom.text(node))
                break
    return text, credit


# What a <figure> may hold other than a picture: then its caption is not a picture's.
_NOT_PICTURE_TAGS = (
    "video", "iframe", "embed", "object", "audio", "blockquote", "table", "pre", "code", "svg",
    "canvas", "math", "script", "noscript",
)  # fmt: skip


def is_picture_placeholder(dom: DomIndex, figure: HtmlElement) -> bool:
    """A figure with a caption and no media element at all (an empty box a script fills with
    the picture); not a box of links set as a figure."""
    caption = next((c for c in figure.iter("figcaption") if not dom.is_invisible(c)), None)
    if caption is None or dom.link_density(caption) > 0.5:
        return False
    if next(figure.iter(*_NOT_PICTURE_TAGS), None) is not None:
        return False
    return not any(is_video_box(node) for node in figure.iter("div", "span", "figure"))


def background_image(dom: DomIndex, figure: HtmlElement) -> str | None:
    """The picture an empty box names in a lazy-loading attribute or a background style."""
    for node in figure.iter():
        for attr in ("data-src", "data-bg", "data-background-image", "data-original"):
            value = (node.get(attr) or "").strip()
            if value:
                return dom.page.absolute(value)
        match = _BACKGROUND_URL.search(node.get("style") or "")
        if match:
            return dom.page.absolute(match.group(1))
    return None


def is_video_box(el: HtmlElement) -> bool:
    """A container named for a video (`featured-video`, `video-player`) or holding one."""
    if "video" in (el.get("class") or "").lower():
        return True
    return any(child.tag in ("video", "iframe") for child in el)


def near_image(el: HtmlElement) -> bool:
    parent = el.getparent()
    if parent is not None and next(parent.iter(*IMAGE_TAGS, "picture"), None) is not None:
        return True
    previous = el.getprevious()
    return previous is not None and next(previous.iter(*IMAGE_TAGS, "picture"), None) is not None
