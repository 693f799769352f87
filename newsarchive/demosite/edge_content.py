"""The edge-case pages of the default site (§12: E1 paywall, E2 live blog, E3 photo gallery,
E4 video-only page, E6 soft 404, E8c/E8d charset pages, E12 undated statement, E16
JavaScript-only article, E17 story in two pages, E18 relative URLs, E19 hidden content). Their
words are written out (here and in `edge_charset`, `edge_relative`, `edge_hidden`); images,
credits and views come from random streams of their own, so adding them never changes a byte of
the generated editions. Each batch of pages has its own stream, so a later batch leaves the
earlier pages' bytes alone."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from newsarchive.demosite import edge_hidden, edge_relative
from newsarchive.demosite.edge_charset import charset_pages
from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.lexicon_en import EN
from newsarchive.demosite.model import (
    Article,
    Block,
    EdgeKind,
    EdgePage,
    Edition,
    Figure,
    JsonLdStyle,
    LiveEntry,
    Paragraph,
)
from newsarchive.demosite.options import NOW, SEED
from newsarchive.demosite.writer import ArticleWriter

EDGE_SEED = SEED + 3
LATER_EDGE_SEED = SEED + 4
"""The stream of the second batch (E8c, E8d, E18, E19)."""
THIRD_EDGE_SEED = SEED + 5
"""The stream of the third batch (E17)."""
PAYWALL_PATH = "/premium-how-kazakhstan-budget-was-spent-9001/"
LIVEBLOG_PATH = "/live/almaty-floods-live-9002/"
GALLERY_PATH = "/photo/nauryz-in-astana-photos-9003/"
VIDEO_PATH = "/video/akim-briefing-video-9004/"
SOFT_404_PATH = "/soft-404-test-9006/"
UNDATED_PATH = "/undated-statement-9012/"
JS_ONLY_PATH = "/js-only-article-9017/"
MULTIPAGE_PATH = "/multipage-story-9018/"
YOUTUBE_ID = "qLa9004Brf1"
YOUTUBE_URL = f"https://www.youtube.com/embed/{YOUTUBE_ID}"
UNDATED_LASTMOD = datetime(2025, 3, 26, 11, 0, tzinfo=NOW.tzinfo)
"""Only the sitemap states it: the page itself carries no date at all."""
LIVE_START = NOW - timedelta(hours=6)
LIVE_STEP = timedelta(minutes=20)

_PAYWALL_TEASER = (
    "The Accounts Committee has published its review of how the republican budget was spent "
    "last year, and the figures raise questions about several large programmes.",
    "Qala News went through the 300-page report line by line and spoke to auditors, officials "
    "and the contractors named in it.",
)
_LIVE_ENTRIES = (
    "Heavy rain has been falling over Almaty since the early morning; the emergencies "
    "department has put rescue teams on alert.",
    "The Malaya Almatinka river has risen above its warning level near the Medeu district.",
    "Traffic police have closed part of Dostyk Avenue because of flooding at the underpass.",
    "The city akimat asks residents of the foothill districts to avoid the river banks.",
    "Rescuers have evacuated 14 people from flooded houses in the Kalkaman microdistrict.",
    "Two schools in the Nauryzbay district have sent pupils home and switched to remote "
    "lessons for the rest of the day.",
    "Almaty Su says the water supply is stable, but asks residents to boil tap water as a "
    "precaution.",
    "Volunteers are filling sandbags at the Sairan reservoir; the akimat has opened a point "
    "where they can collect shovels and bags.",
    "The number of evacuated residents has risen to 38, among them 11 children.",
    "Mudflow protection dams in the mountains are holding, the emergencies department reports.",
    "Power has been cut in 120 houses along the river as a safety measure.",
    "The first temporary shelter has opened in school No. 159; residents can get hot meals "
    "and dry clothes there.",
    "The weather service expects the rain to ease by the evening, with a new band arriving at "
    "night.",
    "The akim has visited the Kalkaman microdistrict and promised compensation for damaged homes.",
    "Water in the Malaya Almatinka has started to fall; the road at the underpass on Dostyk "
    "Avenue has reopened.",
)
_GALLERY_INTRO = (
    "Astana celebrated Nauryz with yurts on the Esil embankment, kokpar in the suburbs and "
    "kozhe cooked for thousands of guests: the holiday in twelve pictures."
)
_GALLERY_CAPTIONS = (
    "Yurts lined up on the Esil embankment on the morning of the holiday.",
    "A dombra ensemble opens the celebration on the main stage.",
    "Volunteers pour Nauryz kozhe for the first guests.",
    "Children in national costume wait for their turn to perform.",
    "A kokpar match draws a crowd on the outskirts of the city.",
    "Craftswomen show felt carpets at the holiday fair.",
    "Wrestlers compete in kazaksha kures near the Baiterek monument.",
    "Families ride the swings of the altybakan set up in the park.",
    "A master class in baking baursaks gathers a long queue.",
    "Elders give their blessing at the opening of the central yurt.",
    "Fireworks light up the sky above the Khan Shatyr centre.",
    "The last visitors leave the embankment late in the evening.",
)
_GALLERY_ALTS = tuple(caption.rstrip(".") for caption in _GALLERY_CAPTIONS)
_VIDEO_LINE = "The akim of Astana answers questions about spring road repairs at the briefing."
_UNDATED_TEXT = (
    "The editorial board of Qala News has reviewed the complaints about a story on the "
    "tender for the new city hospital.",
    "The board found that the story quoted an official document correctly, but that one of "
    "the companies named in it was not asked for comment before publication.",
    "The story has been updated with the company's answer, and the editors have added a note "
    "at the end of the text.",
    "Readers can send complaints about our stories to the editorial board through the "
    "contacts page.",
)
_JS_TEXT = (
    "Astana will open its first night bus route next month, the city transport department "
    "announced.",
    "Buses will run every 30 minutes between the railway station and the airport from "
    "midnight to six in the morning.",
    "The fare will be the same as on day routes, and passengers will be able to pay by card "
    "or with the city transport app.",
    "If the route proves popular, the department plans to add two more night lines in the autumn.",
)


_MULTIPAGE_TEXT = (
    "The story of the Turksib railway began with a survey party that set out from Semey in "
    "the spring of 1926.",
    "The surveyors walked more than 1,400 kilometres through steppe, desert and mountain "
    "passes to choose a route that would link Siberia with Central Asia.",
    "Construction started from both ends at once, and at its height the project employed "
    "more than fifty thousand workers.",
    "The two tracks met at Aina-Bulak station in April 1930, almost a year and a half ahead "
    "of the original schedule.",
    "Ninety-five years later, the railway still carries most of the freight that moves "
    "between Kazakhstan and Russia.",
    "Kazakhstan Temir Zholy plans to lay a second track along its busiest section, between "
    "Dostyk and Aktogay, by the end of the decade.",
    "Historians at the national archive have opened the surveyors' diaries to the public for "
    "the anniversary.",
    "The exhibition at the railway museum in Almaty runs until the end of the summer.",
)


def edge_pages(en: Edition, ru: Edition) -> tuple[EdgePage, ...]:
    """Every edge-case page (the soft 404 included), in catalogue order."""
    pages = _first_batch(en) + _second_batch(en, ru) + _third_batch(en)
    return tuple(sorted(pages, key=catalogue_order))


def catalogue_order(page: EdgePage) -> tuple[int, str]:
    """The row's number, then its letter: (8, "c") for "E8c", (12, "") for "E12"."""
    number = page.code[1:].rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(number), page.code[1 + len(number) :]


def _third_batch(en: Edition) -> tuple[EdgePage, ...]:
    maker = _Maker(random.Random(THIRD_EDGE_SEED), en)
    when = NOW - timedelta(hours=9, minutes=40)
    story = maker.article(
        9018,
        MULTIPAGE_PATH,
        "multipage",
        title="How the Turksib Railway Was Built: A Long Read in Two Pages",
        lead="The railway that joined Siberia and Central Asia was finished ahead of schedule.",
        paragraphs=_MULTIPAGE_TEXT,
        published=when,
        section="society",
        tags=("Almaty",),
    )
    return (EdgePage("E17", "multipage", 9018, MULTIPAGE_PATH, story, first_page_paragraphs=4),)


def _second_batch(en: Edition, ru: Edition) -> tuple[EdgePage, ...]:
    rng = random.Random(LATER_EDGE_SEED)
    maker = _Maker(rng, en)
    charset = charset_pages(rng, ru)
    relative_when = NOW - timedelta(hours=4, minutes=45)
    hidden_when = NOW - timedelta(hours=6, minutes=15)
    return (
        *charset,
        EdgePage(
            "E18",
            "relative_urls",
            9019,
            edge_relative.RELATIVE_PATH,
            maker.article(
                9019,
                edge_relative.RELATIVE_PATH,
                "relative_urls",
                title=edge_relative.TITLE,
                lead=edge_relative.LEAD,
                paragraphs=(),
                blocks=edge_relative.relative_blocks(maker.writer, en, ru, relative_when),
                published=relative_when,
                section="culture",
                tags=("Almaty", "Astana"),
            ),
        ),
        EdgePage(
            "E19",
            "concealed_text",
            9020,
            edge_hidden.HIDDEN_PATH,
            maker.article(
                9020,
                edge_hidden.HIDDEN_PATH,
                "concealed_text",
                title=edge_hidden.TITLE,
                lead=edge_hidden.LEAD,
                paragraphs=(),
                blocks=edge_hidden.hidden_blocks(maker.writer, hidden_when),
                published=hidden_when,
                section="society",
                tags=("Almaty",),
            ),
        ),
    )


def _first_batch(en: Edition) -> tuple[EdgePage, ...]:
    rng = random.Random(EDGE_SEED)
    maker = _Maker(rng, en)
    teaser_lead, teaser_rest = _PAYWALL_TEASER
    gallery_when = NOW - timedelta(days=1, hours=7, minutes=30)
    entries = tuple(
        LiveEntry(LIVE_START + LIVE_STEP * index, text) for index, text in enumerate(_LIVE_ENTRIES)
    )
    return (
        EdgePage(
            "E1",
            "paywall",
            9001,
            PAYWALL_PATH,
            maker.article(
                9001,
                PAYWALL_PATH,
                "paywall",
                title="How Kazakhstan's Budget Was Spent: What the Auditors Found",
                lead=teaser_lead,
                paragraphs=(teaser_rest,),
                published=NOW - timedelta(hours=5, minutes=10),
                section="economy",
                tags=("budget", "parliament"),
            ),
        ),
        EdgePage(
            "E2",
            "liveblog",
            9002,
            LIVEBLOG_PATH,
            maker.article(
                9002,
                LIVEBLOG_PATH,
                "liveblog",
                title="Floods in Almaty: Live Updates",
                lead=entries[0].text,
                paragraphs=tuple(entry.text for entry in entries[1:]),
                published=entries[0].time,
                modified=entries[-1].time,
                section="incidents",
                tags=("Almaty", "ecology"),
            ),
            entries=entries,
        ),
        EdgePage(
            "E3",
            "gallery",
            9003,
            GALLERY_PATH,
            maker.article(
                9003,
                GALLERY_PATH,
                "gallery",
                title="Nauryz in Astana: The Holiday in Photos",
                lead=_GALLERY_INTRO,
                paragraphs=(),
                published=gallery_when,
                section="culture",
                tags=("Astana",),
            ),
            gallery=maker.gallery(gallery_when),
        ),
        EdgePage(
            "E4",
            "video",
            9004,
            VIDEO_PATH,
            maker.article(
                9004,
                VIDEO_PATH,
                "video",
                title="Akim's Briefing on Road Repairs: Video",
                lead=_VIDEO_LINE,
                paragraphs=(),
                published=NOW - timedelta(hours=3, minutes=25),
                section="politics",
                tags=(),
            ),
            video_url=YOUTUBE_URL,
        ),
        EdgePage("E6", "soft_404", 9006, SOFT_404_PATH, None),
        EdgePage(
            "E12",
            "undated",
            9012,
            UNDATED_PATH,
            maker.article(
                9012,
                UNDATED_PATH,
                "undated",
                title="Statement of the Qala News Editorial Board",
                lead=_UNDATED_TEXT[0],
                paragraphs=_UNDATED_TEXT[1:],
                published=UNDATED_LASTMOD,
                section="society",
                tags=(),
            ),
        ),
        EdgePage(
            "E16",
            "js_only",
            9017,
            JS_ONLY_PATH,
            maker.article(
                9017,
                JS_ONLY_PATH,
                "js_only",
                title="Astana to Launch Its First Night Bus Route",
                lead=_JS_TEXT[0],
                paragraphs=_JS_TEXT[1:],
                published=NOW - timedelta(hours=7, minutes=40),
                section="society",
                tags=("Astana", "transport"),
            ),
        ),
    )


_JSONLD: dict[EdgeKind, JsonLdStyle] = {"undated": "none", "js_only": "none"}


class _Maker:
    def __init__(self, rng: random.Random, en: Edition) -> None:
        self._rng = rng
        self.writer = ArticleWriter(rng, EN, LABELS["en"])
        self._authors = en.authors
        self._tags = {tag.name: tag for tag in en.tags}

    def article(
        self,
        article_id: int,
        path: str,
        kind: EdgeKind,
        *,
        title: str,
        lead: str,
        paragraphs: tuple[str, ...],
        published: datetime,
        section: str,
        tags: tuple[str, ...],
        modified: datetime | None = None,
        blocks: tuple[Block, ...] | None = None,
    ) -> Article:
        """`paragraphs` become the body after the lead, unless `blocks` are given."""
        slug = path.rstrip("/").rsplit("/", 1)[-1].rsplit("-", 1)[0]
        return Article(
            id=article_id,
            lang="en",
            slug=slug,
            path=path,
            section=section,
            tags=tuple(self._tags[name] for name in tags),
            title=title,
            lead=lead,
            authors=(self._rng.choice(self._authors),),
            original_author=None,
            published=published,
            published_visible=published,
            modified=modified,
            lead_image=None,
            blocks=blocks if blocks is not None else tuple(Paragraph(t) for t in paragraphs),
            template="orda",
            jsonld=_JSONLD.get(kind, "default"),
            views=self._rng.randint(150, 9800),
        )

    def gallery(self, published: datetime) -> tuple[Figure, ...]:
        return tuple(
            Figure(
                src=self.writer.image_src(published),
                alt=alt,
                caption=caption,
                credit=self.writer.credit(),
                form="figcaption",
            )
            for caption, alt in zip(_GALLERY_CAPTIONS, _GALLERY_ALTS, strict=True)
        )
