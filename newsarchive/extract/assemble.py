"""The body text as the record carries it: whatever the captions or related lists took is not
body. A caption that the walk kept as a paragraph (an unmarked line under a picture) or a
headline that stood alone in the text is dropped here, so the three fields never overlap."""

from __future__ import annotations

from newsarchive.extract.body import BodyResult
from newsarchive.extract.dom import comparable
from newsarchive.records import Caption, Related

_SLACK = 20


def body_text(body: BodyResult, captions: tuple[Caption, ...], related: tuple[Related, ...]) -> str:
    """Paragraphs separated by a blank line, without caption, credit or related-title lines."""
    taken: set[str] = set()
    for caption in captions:
        for part in (caption.text, caption.credit, f"{caption.text} {caption.credit}"):
            key = comparable(part)
            if key:
                taken.add(key)
    for item in related:
        for part in (item.title, item.block):
            key = comparable(part)
            if key:
                taken.add(key)
    # A paragraph much longer than every caption and title cannot be one of them.
    longest = max((len(key) for key in taken), default=0) + _SLACK
    kept = [
        b.text
        for b in body.blocks
        if b.kind in ("text", "heading")
        and (len(b.text) > longest or comparable(b.text) not in taken)
    ]
    return "\n\n".join(kept)
