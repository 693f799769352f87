"""Credit-line parsing: "Photo: X", "Фото: X", "Images | X", "© X", "(Photo: X)", "Caption. Photo: X"."""

from __future__ import annotations

from newsarchive.extract import vocab


def parse_credit_line(text: str) -> str | None:
    """The credit of a line that is only a credit ("Photo: freepik, ill. purp." → "freepik,
    ill. purp."), else None. The "ill. purp." suffix stays part of the credit."""
    if not text or len(text) > vocab.MAX_CREDIT_LINE:
        return None
    match = vocab.CREDIT_LINE.match(text) or vocab.CREDIT_BY_LINE.match(text)
    if not match:
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
