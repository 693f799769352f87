"""Credit lines: "Photo: X", "Фото: X", "Images | X", "© X", "(Photo: X)", "Caption. Photo: X"."""

from __future__ import annotations

from lxml.html import HtmlElement

from newsarchive.extract import vocab
from newsarchive.extract.dom import DomIndex
from newsarchive.extract.vocab import Role


def parse_credit_line(text: str) -> str | None:
    """The credit of a line that is only a credit ("Photo: freepik, ill. purp." → "freepik,
    ill. purp."), else None. The "ill. purp." suffix stays part of the credit."""
    if not text or len(text) > vocab.MAX_CREDIT_LINE:
        return None
    match = vocab.CREDIT_LINE.match(text) or vocab.CREDIT_BY_LINE.match(text)
    if not match:
        agency = vocab.AGENCY_CREDIT.match(text)
        if agency and ("|" in text or "/" in text or text.startswith("(")):
            return agency.group("credit").strip("() ")
        return None
    groups = match.groupdict()
    credit = (groups.get("credit") or groups.get("copy") or "").strip()
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
        credit = groups.get("pcredit") or groups.get("credit") or groups.get("copy") or ""
        caption = (groups.get("text") or "").strip().rstrip("|/").strip()
        if credit.strip() and caption:
            return caption, credit.strip()
    return text, ""


def strip_credit_label(text: str) -> str:
    """The credit without its label: "Photo: X" → "X"; text without a label is kept."""
    credit = parse_credit_line(text)
    return credit if credit is not None else text.strip()


_MAX_FIGURE_TEXT = 400
_MAX_FIGURE_PARTS = 3


def is_figure_like(dom: DomIndex, el: HtmlElement) -> bool:
    """One image with its caption/credit in a plain container (`div.media > img + p + p`)."""
    if el.tag not in ("div", "p", "span", "a") or el.find(".//figure") is not None:
        return False
    images = [img for img in el.iter("img") if not dom.is_invisible(img)]
    if len(images) != 1:
        return False
    text = dom.text(el)
    if not text or len(text) > _MAX_FIGURE_TEXT:
        return False
    texts = [c for c in el if isinstance(c.tag, str) and c.tag != "img" and dom.text(c)]
    if len(texts) > _MAX_FIGURE_PARTS:
        return False
    if any(dom.role(node) & (Role.CREDIT | Role.CAPTION) for node in el.iter()):
        return True
    return any(parse_credit_line(dom.text(child)) is not None for child in texts)
