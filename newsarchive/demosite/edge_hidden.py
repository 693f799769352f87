"""E19 (§12), the hidden-content page: an en article whose figure carries a hidden copy of its
caption for a modal (`ui-modal__hide`, Kommersant-style), with `aria-hidden="true"` blocks and
`style="display:none"` SEO text between its paragraphs. A reader sees none of the hidden text;
the ground truth counts the caption once and keeps the hidden text out of the body.

Its kind is "concealed_text", not "hidden_…": the page wrapper carries the kind as a class
(`fulltext--concealed_text`), and a class token "hidden" would hide the whole article."""

from __future__ import annotations

from datetime import datetime

from newsarchive.demosite.articles import block_html
from newsarchive.demosite.chrome import esc
from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.model import Article, Block, Figure, Paragraph
from newsarchive.demosite.writer import ArticleWriter, parse_credit

HIDDEN_PATH = "/hidden-content-9020/"
TITLE = "Registration Opens for the Almaty Spring Marathon"
LEAD = (
    "Registration for the Almaty spring marathon opened on Saturday, and a third of the 8,000 "
    "places were taken within the first six hours, the organisers said."
)
_PARAGRAPHS = (
    "The race will start at the Central Stadium on 27 April at 7 a.m. Runners can choose the "
    "full marathon, the half marathon or a ten-kilometre course through the city centre.",
    "The entry fee is 15,000 tenge for the full distance and 10,000 tenge for the shorter "
    "ones; pupils and pensioners pay half.",
    "Traffic will be closed on Al-Farabi and Dostyk avenues from 6 a.m. until the last runner "
    "finishes, the city police warned.",
    "Last year more than 6,000 people from 40 countries finished the race.",
)
_FIGURE = (
    "Runners at the start of last year's race on Abai Avenue.",
    "Marathon start",
    "Photo: Elements.envato.com, ill. purposes",
)
ARIA_HIDDEN_TEXTS = (
    "Listen to this article: the route, the entry fees and the road closures of the Almaty "
    "spring marathon in four minutes.",
    "42.195 kilometres through the centre of Almaty, from the Central Stadium to the Medeu "
    "road and back again.",
)
SEO_TEXTS = (
    "Almaty marathon 2025 registration, Almaty marathon route, marathon Almaty news today, "
    "running events Kazakhstan, Qala News Almaty sport news.",
    "Marathon in Almaty, half marathon Almaty, Almaty road closures on marathon day, Almaty "
    "running club news, Kazakhstan marathon calendar 2025.",
)
HIDDEN_TEXTS = ARIA_HIDDEN_TEXTS + SEO_TEXTS
"""On the page, never in the body."""
_HIDDEN_AFTER = {
    0: f'<div class="audio-summary" aria-hidden="true"><p>{esc(ARIA_HIDDEN_TEXTS[0])}</p></div>',
    2: f'<div class="stat-card" aria-hidden="true"><p>{esc(ARIA_HIDDEN_TEXTS[1])}</p></div>',
    3: '<div class="seo-text" style="display:none">'
    + "".join(f"<p>{esc(text)}</p>" for text in SEO_TEXTS)
    + "</div>",
}
"""Hidden HTML after the body block of that index (0: the first paragraph after the lead)."""


def hidden_blocks(writer: ArticleWriter, published: datetime) -> tuple[Block, ...]:
    """The visible body after the standfirst: paragraphs and one figure with a modal copy."""
    caption, alt, credit = _FIGURE
    figure = Figure(writer.image_src(published), alt, caption, parse_credit(credit), "modal_copy")
    return (
        Paragraph(_PARAGRAPHS[0]),
        figure,
        Paragraph(_PARAGRAPHS[1]),
        Paragraph(_PARAGRAPHS[2]),
        Paragraph(_PARAGRAPHS[3]),
    )


def hidden_body(article: Article) -> list[str]:
    """The children of div.newstext: standfirst, blocks, and the hidden blocks between them."""
    labels = LABELS[article.lang]
    parts = [f"<p>{esc(article.lead)}</p>"]
    for index, block in enumerate(article.blocks):
        parts.append(block_html(block, labels, modern=False))
        if index in _HIDDEN_AFTER:
            parts.append(_HIDDEN_AFTER[index])
    return parts
