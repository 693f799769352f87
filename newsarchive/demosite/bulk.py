"""Bodies generated on demand for the "bulk" articles of a large site (`size` beyond
`content.EAGER_ARTICLES`): the model holds only a recipe, the blocks come from a random
stream seeded by the article's ID when a page, feed or the manifest first needs them."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from newsarchive.demosite.labels import Labels
from newsarchive.demosite.lexicon import Lexicon
from newsarchive.demosite.model import Block, Figure, LazyBlocks, Paragraph, Video
from newsarchive.demosite.options import FOREIGN, SEED
from newsarchive.demosite.writer import ArticleWriter

FIGURE_SHARE = 0.6
VIDEO_SHARE = 0.15
_MEDIA = {
    (figure, video): frozenset(
        kind for kind, present in (("figure", figure), ("video", video)) if present
    )
    for figure in (False, True)
    for video in (False, True)
}
"""The four possible media sets, shared by all bulk articles."""
_OLDER_LINKS = 30
"""ArticleWriter.blocks links to at most the 30 previous articles: only those are kept."""


def article_seed(article_id: int) -> int:
    """Seed of the stream one lazily generated body is drawn from."""
    return SEED * 1_000_003 + article_id


def lazy_body(
    rng: random.Random,
    lexicon: Lexicon,
    labels: Labels,
    article_id: int,
    published: datetime,
    older: Sequence[tuple[str, str]],
    section_href: str,
    lead: str,
) -> LazyBlocks:
    """A body generated on first use. Whether it has a figure and a video is decided now, from
    `rng`, because listing pages label photo and video stories."""
    figure, video = rng.random() < FIGURE_SHARE, rng.random() < VIDEO_SHARE
    media = _MEDIA[(figure, video)]
    recent = tuple(older[-_OLDER_LINKS:])

    def generate() -> tuple[Block, ...]:
        body_rng = random.Random(article_seed(article_id))
        writer = ArticleWriter(body_rng, lexicon, labels)
        blocks = list(writer.blocks(published, recent, section_href, {lead}))
        return tuple(_with_media(blocks, media, writer, body_rng, published))

    key = ("bulk", article_id, published, section_href, lead, recent)
    return LazyBlocks(key, generate, media)


def _with_media(
    blocks: list[Block],
    media: frozenset[str],
    writer: ArticleWriter,
    rng: random.Random,
    published: datetime,
) -> list[Block]:
    """Make the generated body agree with the media decided up front."""
    if "figure" not in media:
        blocks = [b for b in blocks if not isinstance(b, Figure)]
    elif not any(isinstance(b, Figure) for b in blocks):
        first_paragraph = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph))
        blocks.insert(first_paragraph + 1, writer.figure(published))
    if "video" not in media:
        blocks = [b for b in blocks if not isinstance(b, Video)]
    elif not any(isinstance(b, Video) for b in blocks):
        blocks.append(Video(url=f"{FOREIGN}/embed/video/{rng.getrandbits(40):010x}"))
    return blocks
