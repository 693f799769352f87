"""Credit lines: "Photo: X", "Фото: X", "Images | X", "© X", "(Photo: X)", "Caption. Photo: X"."""

from __future__ import annotations

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.dom import DomIndex, comparable
from newsarchive.extract.images import IMAGE_TAGS, is_small_image
from newsarchive.extract.vocab import Role


def parse_credit_line(text: str) -> str | None:
    """The credit of a line that is only a credit ("Photo: freepik, ill. purp." → "freepik,
    ill. purp."), else None. The "ill. purp." suffix stays part of the credit."""
    if not text or len(text) > vocab.MAX_CREDIT_LINE:
        return None
    match = vocab.CREDIT_LINE.match(text) or vocab.CREDIT_BY_LINE.match(text)
    if not match:
        if "|" in text or "/" in text or text.startswith("("):
            agency = vocab.AGENCY_CREDIT.match(text)
            if agency:
                return agency.group("credit").strip("() ")
        return None
    if vocab.RIGHTS_NOTICE.search(text.lower()):
        return None
    groups = match.groupdict()
    credit = (
        groups.get("credit")
        or groups.get("copy")
        or groups.get("labelled")
        or groups.get("cjk")
        or groups.get("phrase")
        or groups.get("bylined")
    ) or ""
    credit = credit.strip().lstrip("©ⓒ").strip()
    credit = credit.removesuffix(")").strip() if text.lstrip().startswith("(") else credit
    return credit or None


def split_caption(text: str) -> tuple[str, str]:
    """(caption text, credit) of a caption that may end with its credit."""
    text = text.strip()
    credit = parse_credit_line(text)
    if credit is not None:
        return "", credit
    match = vocab.CAPTION_WITH_CREDIT.match(text)
    if match:
        groups = match.groupdict()
        credit = (
            groups.get("pcredit")
            or groups.get("credit")
            or groups.get("copy")
            or groups.get("slashed")
            or groups.get("bycredit")
            or groups.get("phrase")
            or ""
        )
        caption = (groups.get("text") or "").strip().rstrip("|/").strip()
        if credit.strip() and caption:
            return caption, credit.strip()
    return text, ""


def strip_credit_label(text: str) -> str:
    """The credit without its label: "Photo: X" → "X"; text without a label is kept; a rights
    notice gives ""."""
    credit = parse_credit_line(text)
    if credit is not None:
        return credit
    text = text.strip()
    if vocab.RIGHTS_NOTICE.search(text.lower()):
        return ""  # the site's rights notice in a credit-classed element
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1]:
        return text[1:-1].strip()  # "(Reed Saxon / Associated Press)"
    return text


_MAX_FIGURE_TEXT = 400
_MAX_FIGURE_PARTS = 3
_MAX_CAPTION_LINE = 250
_MIN_ALT_CHARS = 12
_FIGURE_TAGS = frozenset({"div", "p", "span", "a", "center"})
_CAPTION_LINE_TAGS = frozenset({"center", "p", "div", "span", "small", "em", "i", "cite"})
_EMPHASIS_TAGS = frozenset({"em", "i", "small", "cite"})
_INLINE_CAPTION_TAGS = _EMPHASIS_TAGS | {"span"}
_NOT_TEXT = frozenset({"", *IMAGE_TAGS})


def visible_image(dom: DomIndex, el: HtmlElement) -> HtmlElement | None:
    """The first rendered <img> in `el` (not a <noscript> copy), if any."""
    if el.tag in IMAGE_TAGS:
        return el
    for img in el.iter(*IMAGE_TAGS):
        if dom.images(img) and not any(a.tag == "noscript" for a in img.iterancestors()):
            return img
    return None


def is_figure_like(dom: DomIndex, el: HtmlElement) -> bool:
    """One image with its caption/credit in a plain container (`div.media > img + p + p`)."""
    if dom.tag(el) not in _FIGURE_TAGS or dom.images(el) != 1 or dom.role(el) & Role.GALLERY:
        return False
    if sum(1 for _ in el.iter(*IMAGE_TAGS)) - sum(1 for _ in el.iter("noscript")) > 1:
        return False  # more pictures, shown one at a time: a slider, not one figure
    chars = dom.chars(el)
    if not chars or chars > _MAX_FIGURE_TEXT or el.find(".//figure") is not None:
        return False
    texts = [c for c in el if dom.tag(c) not in _NOT_TEXT and dom.chars(c)]
    if len(texts) > _MAX_FIGURE_PARTS:
        return False
    if any(dom.role(node) & (Role.CREDIT | Role.CAPTION) for node in el.iter()):
        return True
    if any(parse_credit_line(dom.text(child)) is not None for child in texts):
        return True
    img = visible_image(dom, el)
    return img is not None and not is_small_image(img) and _repeats_alt(dom.text(el), img)


def _repeats_alt(text: str, img: HtmlElement) -> bool:
    """The text is the image's alt text (perhaps followed by a credit): a caption."""
    alt = comparable(img.get("alt") or img.get("title") or "")
    if len(alt) < _MIN_ALT_CHARS:
        return False
    caption, _ = split_caption(text)
    return comparable(caption or text) == alt


def is_caption_after_image(dom: DomIndex, el: HtmlElement) -> bool:
    """A short emphasised line right after an image (`<img><center><em>Caption</em></center>`,
    `<img><br><span class="small">Caption</span>`)."""
    if dom.tag(el) not in _CAPTION_LINE_TAGS or dom.images(el):
        return False
    chars = dom.chars(el)
    if not chars or chars > _MAX_CAPTION_LINE:
        return False
    img = _image_before(dom, el)
    if img is None or is_small_image(img):
        return False
    text = dom.text(el)
    if dom.role(el) & (Role.CAPTION | Role.CREDIT) or parse_credit_line(text) is not None:
        return True
    return _emphasised(el) or _repeats_alt(text, img)


def is_inline_caption_after_image(dom: DomIndex, el: HtmlElement) -> bool:
    """An inline caption closing the paragraph that holds its picture (`<p><img><br><em>Caption.
    Photo: X</em></p>`): nothing but blank space after it."""
    if dom.tag(el) not in _INLINE_CAPTION_TAGS or (el.tail or "").strip():
        return False
    following = el.getnext()
    while following is not None:
        if dom.chars(following) or (following.tail or "").strip():
            return False
        following = following.getnext()
    return is_caption_after_image(dom, el)


def _image_before(dom: DomIndex, el: HtmlElement) -> HtmlElement | None:
    """The image just before `el` (only <br> and blank text between), at most one level up."""
    node = el
    for _ in range(2):
        previous = node.getprevious()
        while previous is not None and previous.tag == "br" and not (previous.tail or "").strip():
            previous = previous.getprevious()
        if previous is not None:
            if (previous.tail or "").strip():
                return None
            if dom.images(previous) == 1 and not dom.chars(previous):
                return visible_image(dom, previous)
            return None
        parent = node.getparent()
        if parent is None or (parent.text or "").strip():
            return None
        node = parent
    return None


def _emphasised(el: HtmlElement) -> bool:
    """All of the element's text sits in one emphasis element (or it is one)."""
    if el.tag in _EMPHASIS_TAGS:
        return True
    children = [c for c in el if isinstance(c.tag, str)]
    return (
        len(children) == 1
        and children[0].tag in _EMPHASIS_TAGS
        and not (el.text or "").strip()
        and not (children[0].tail or "").strip()
    )
