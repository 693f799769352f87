"""E11, the long read of fault mode: about 1.5 MB of HTML with 600 paragraphs in 30 sections
(h2 and h3), 2 data tables, lists, 25 figures and 3 in-body ads. Generated on demand."""

from __future__ import annotations

import random
from datetime import datetime

from newsarchive.demosite.bulk import article_seed
from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.lexicon_en import EN
from newsarchive.demosite.model import (
    AdSlot,
    Block,
    LazyBlocks,
    ListBlock,
    Paragraph,
    Subheading,
    Table,
)
from newsarchive.demosite.writer import ArticleWriter

TITLE = "The Aral Sea, 50 years later: a long read"
SLUG = "longread-the-aral-sea-50-years-later"
PARAGRAPHS = 600
SECTIONS = 30
FIGURES = 25
ADS = 3
SENTENCES_PER_PARAGRAPH = 36
_REGIONS = ("Aralsk", "Kazaly", "Zhalagash", "Shieli", "Karmakshy", "Muynak", "Nukus", "Kungrad")


def longread_blocks(article_id: int, published: datetime) -> LazyBlocks:
    """The body of the long read; `media` says it has figures (listing label)."""

    def generate() -> tuple[Block, ...]:
        return tuple(_generate(article_id, published))

    return LazyBlocks(("longread", article_id, published), generate, frozenset({"figure"}))


def _generate(article_id: int, published: datetime) -> list[Block]:
    rng = random.Random(article_seed(article_id))
    writer = ArticleWriter(rng, EN, LABELS["en"])
    per_section = PARAGRAPHS // SECTIONS
    figure_every = PARAGRAPHS // FIGURES
    ad_after = {PARAGRAPHS * (n + 1) // (ADS + 1) for n in range(ADS)}
    table_after = {PARAGRAPHS // 6: _shoreline_table(rng), PARAGRAPHS * 2 // 3: _region_table(rng)}
    list_after = {PARAGRAPHS // 3, PARAGRAPHS * 5 // 6}
    blocks: list[Block] = []
    for index in range(PARAGRAPHS):
        if index % per_section == 0:
            section = index // per_section
            heading = f"{section + 1}. {rng.choice(EN.subheadings)}"
            blocks.append(Subheading(heading, level=2 if section % 2 == 0 else 3))
        blocks.append(Paragraph(" ".join(writer.sentences(SENTENCES_PER_PARAGRAPH, set()))))
        number = index + 1
        if number % figure_every == 0:
            blocks.append(writer.figure(published))
        if number in ad_after:
            blocks.append(AdSlot())
        if number in table_after:
            blocks.append(table_after[number])
        if number in list_after:
            items = tuple(sorted(set(writer.sentences(4, set()))))
            blocks.append(ListBlock(items))
    return blocks


def _shoreline_table(rng: random.Random) -> Table:
    rows = []
    retreat = 0.0
    salinity = 10.0
    for year in range(1975, 2025, 7):
        retreat += rng.uniform(4, 19)
        salinity += rng.uniform(2, 14)
        rows.append((str(year), f"{retreat:.1f}", f"{salinity:.1f}", str(rng.randint(0, 40000))))
    return Table(("Year", "Shoreline retreat, km", "Salinity, g/l", "Fish catch, t"), tuple(rows))


def _region_table(rng: random.Random) -> Table:
    rows = tuple(
        (name, str(rng.randint(9000, 120000)), str(rng.randint(3, 90)), str(rng.randint(1, 14)))
        for name in _REGIONS
    )
    return Table(("District", "Population", "Wells", "Clinics"), rows)
