"""The deterministic generator: one `random.Random(SEED)` builds the whole content model
(three editions, translated pairs, charset pages and the fault-mode articles). The edge-case
pages (`edge_content`) use a stream of their own."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from newsarchive.demosite.bulk import lazy_body
from newsarchive.demosite.edge_charset import CHARSET_KINDS
from newsarchive.demosite.edge_content import edge_pages
from newsarchive.demosite.fault_articles import fault_mode_articles
from newsarchive.demosite.labels import CATEGORIES, LABELS
from newsarchive.demosite.lexicon import Lexicon, slugify, to_kazakh_latin
from newsarchive.demosite.lexicon_en import EN
from newsarchive.demosite.lexicon_kk import KK
from newsarchive.demosite.lexicon_ru import RU
from newsarchive.demosite.model import (
    Article,
    Author,
    Block,
    CharsetDeclaration,
    Edition,
    JsonLdStyle,
    Lang,
    SiteModel,
    Tag,
    Template,
)
from newsarchive.demosite.options import NOW, SEED, TZ_ALMATY, TZ_OLD, DemoOptions
from newsarchive.demosite.writer import ArticleWriter

ORG_AUTHOR = Author(name="Qala News", slug="")
EN_FIRST_ID = 5601
RU_IDS = tuple(range(416001, 416031))
RU_CHARSET_IDS: dict[int, CharsetDeclaration] = {416101: "header+meta", 416102: "meta-only"}
RU_CHARSET_LIE_ID = 416105
KK_IDS = tuple(range(137001, 137016))
KK_LATIN_IDS = (137012, 137014)
KK_LEGACY_ID = 137010
KK_LEGACY_SLUG = "ruhani-zhaңғyru"
KK_LEGACY_PATH = "/kk/ruhani-zha%D2%A3%D2%93yru-137010/"
KK_LEGACY_LINKED_PATH = "/kk/ruhani-zha%d2%a3%d2%93yru-137010/"
EN_RU_PAIRS = ((2, 1), (5, 4), (9, 7), (14, 10), (20, 13))
"""(en newest-first index, ru newest-first index) of translated pairs."""
EN_KK_PAIRS = ((3, 0), (8, 3), (16, 6))
FAULT_SLUGS = {
    9009: ("broken-gzip", "broken_gzip"),
    9015: ("rate-limited", "rate_limited_once"),
    9016: ("flaky", "unavailable_once"),
    9026: ("truncated-body", "truncated_body"),
    9027: ("connection-reset", "connection_reset"),
    9030: ("malformed-html", "malformed_html"),
}
EAGER_ARTICLES = 1000
"""en articles generated in full up front; older ones (at larger `size`) are bulk articles."""
BULK_TITLE_TRIES = 3
DENSE_NEWEST = 20
"""The newest 20 articles of each edition fall within 48 hours of NOW (news sitemap)."""


def build_model(options: DemoOptions) -> SiteModel:
    """Generate the whole site. Same options → same model, byte for byte once rendered.

    Up to `EAGER_ARTICLES` en articles, everything comes from one random stream. Beyond that,
    the older en articles are "bulk" ones: their metadata comes from a second stream and their
    bodies are generated on demand (`bulk.lazy_body`), so that `size=20000` starts quickly."""
    rng = random.Random(SEED)
    en_times = _timeline(rng, options.size, datetime(2025, 1, 15, 9, 0, tzinfo=TZ_ALMATY))
    ru_times = _timeline(rng, len(RU_IDS) + 2, datetime(2025, 2, 20, 9, 0, tzinfo=TZ_ALMATY))
    kk_times = _timeline(rng, len(KK_IDS), datetime(2025, 3, 1, 9, 0, tzinfo=TZ_ALMATY))

    en_ids = list(range(EN_FIRST_ID, EN_FIRST_ID + options.size))
    ru_ids = list(RU_IDS)
    ru_ids[9:9] = [416101]
    ru_ids[20:20] = [416102]
    bulk = max(0, options.size - EAGER_ARTICLES)
    en = _EditionBuilder(rng, EN, "", random.Random(SEED + 1)).build(en_ids, en_times, bulk=bulk)
    ru = _EditionBuilder(rng, RU, "/ru").build(ru_ids, ru_times)
    kk = _EditionBuilder(rng, KK, "/kk").build(list(KK_IDS), kk_times)
    en, ru, kk = _link_translations(en, ru, kk)
    faults = _fault_articles(rng, en, ru)
    if options.faults:
        faults += fault_mode_articles(_fault_article_maker(en))
    edge = edge_pages(en, ru)
    by_id = {a.id: a for edition in (en, ru, kk) for a in edition.articles}
    by_id.update({a.id: a for a in faults})
    # The charset edge pages are regular article pages: their print copies exist too.
    by_id.update({p.article.id: p.article for p in edge if p.kind in CHARSET_KINDS and p.article})
    return SiteModel(
        editions={"en": en, "ru": ru, "kk": kk},
        fault_articles=faults,
        by_id=by_id,
        edge_pages=edge,
    )


def _timeline(rng: random.Random, count: int, oldest: datetime) -> list[datetime]:
    """`count` publication times, oldest first, the newest 20 within the last 48 hours."""
    newest_first: list[datetime] = []
    moment = NOW - timedelta(minutes=rng.randint(15, 70))
    for _ in range(min(count, DENSE_NEWEST)):
        newest_first.append(moment)
        moment -= timedelta(minutes=rng.randint(80, 135))
    remaining = count - len(newest_first)
    if remaining:
        span = max((moment - oldest).total_seconds() / 60, remaining)
        step = span / remaining
        for index in range(remaining):
            jitter = rng.uniform(-0.3, 0.3) * step
            newest_first.append(moment - timedelta(minutes=int(step * index + jitter)))
    times = [t.replace(second=0, microsecond=0) for t in reversed(newest_first)]
    for index in range(1, len(times)):
        if times[index] <= times[index - 1]:
            times[index] = times[index - 1] + timedelta(minutes=1)
    return times


class _EditionBuilder:
    def __init__(
        self,
        rng: random.Random,
        lexicon: Lexicon,
        prefix: str,
        bulk_rng: random.Random | None = None,
    ) -> None:
        self._rng = rng
        self._bulk_rng = bulk_rng or rng
        self._lex = lexicon
        self._prefix = prefix
        self._lang: Lang = lexicon.lang
        self._labels = LABELS[lexicon.lang]
        self.authors = tuple(Author(name, slugify(name)) for name in lexicon.authors)
        self.tags = tuple(Tag(name, slugify(name)) for name in lexicon.tags)
        self._titles: set[str] = set()

    def build(self, ids: Sequence[int], times: Sequence[datetime], *, bulk: int = 0) -> Edition:
        """The edition's articles; the oldest `bulk` ones are bulk articles (lazy bodies)."""
        articles: list[Article] = []
        older: list[tuple[str, str]] = []
        for position, (article_id, published) in enumerate(zip(ids, times, strict=True)):
            if self._lang == "en" and position < 2 and len(ids) > 2:
                published = published.astimezone(TZ_OLD)
            article = self.article(article_id, published, older, lazy=position < bulk)
            articles.append(article)
            older.append((article.legacy_path or article.path, article.title))
        articles = _shift_visible_dates(self._rng, articles) if self._lang == "en" else articles
        return Edition(
            lang=self._lang,
            prefix=self._prefix,
            articles=tuple(sorted(articles, key=lambda a: a.published, reverse=True)),
            authors=self.authors,
            tags=self.tags,
            categories=CATEGORIES,
        )

    def article(
        self,
        article_id: int,
        published: datetime,
        older: Sequence[tuple[str, str]],
        *,
        lazy: bool = False,
    ) -> Article:
        rng = self._bulk_rng if lazy else self._rng
        latin = article_id in KK_LATIN_IDS
        transform: Callable[[str], str] | None = to_kazakh_latin if latin else None
        writer = ArticleWriter(rng, self._lex, self._labels, transform)
        section = rng.choice(CATEGORIES)
        headline = writer.headline(section)
        for _ in range(BULK_TITLE_TRIES if lazy else 20):
            if headline.title not in self._titles:
                break
            headline = writer.headline(section)
        title, lead = headline.title, headline.lead
        if article_id == KK_LEGACY_ID:
            title = "Рухани жаңғыру орталығы жаңа бағдарламасын іске қосты"
            lead = f"{title}, деп хабарлайды Qala News тілшісі."
        self._titles.add(title)
        template: Template = "modern" if rng.random() < 0.2 else "orda"
        if article_id in RU_CHARSET_IDS:
            template = "orda"
        jsonld = _jsonld_style(rng.random())
        authors = self._authors(rng, jsonld)
        original_author = None
        if self._lang == "en" and rng.random() < 0.3:
            original_author = rng.choice(self._lex.original_authors)
        modified = None
        if rng.random() < 0.35:
            modified = min(published + timedelta(minutes=rng.randint(20, 600)), NOW)
            modified = modified.astimezone(published.tzinfo) if modified > published else None
        tags = tuple(sorted(rng.sample(self.tags, rng.randint(2, 4)), key=self.tags.index))
        lead_image = writer.lead_image(published, template)
        section_href = f"{self._prefix}/category/{section}/"
        if lazy:
            blocks: Sequence[Block] = lazy_body(
                rng, self._lex, self._labels, article_id, published, older, section_href, lead
            )
        else:
            blocks = writer.blocks(published, older, section_href, {lead})
        slug = slugify(title)
        path = f"{self._prefix}/{slug}-{article_id}/"
        legacy_path = None
        if article_id == KK_LEGACY_ID:
            slug, path, legacy_path = KK_LEGACY_SLUG, KK_LEGACY_PATH, KK_LEGACY_LINKED_PATH
        charset = "utf-8"
        declaration: CharsetDeclaration = "header+meta"
        if article_id in RU_CHARSET_IDS:
            charset, declaration = "windows-1251", RU_CHARSET_IDS[article_id]
        return Article(
            id=article_id,
            lang=self._lang,
            slug=slug,
            path=path,
            section=section,
            tags=tags,
            title=title,
            lead=lead,
            authors=authors,
            original_author=original_author,
            published=published,
            published_visible=published,
            modified=modified,
            lead_image=lead_image,
            blocks=blocks,
            template=template,
            jsonld=jsonld,
            views=rng.randint(150, 9800),
            charset=charset,
            charset_declaration=declaration,
            script="latn" if latin else "cyrl",
            legacy_path=legacy_path,
        )

    def _authors(self, rng: random.Random, jsonld: JsonLdStyle) -> tuple[Author, ...]:
        if jsonld == "org_author":
            return (ORG_AUTHOR,)
        count = 2 if rng.random() < 0.1 else 1
        return tuple(rng.sample(self.authors, count))


def _jsonld_style(roll: float) -> JsonLdStyle:
    if roll < 0.3:
        return "none"
    if roll < 0.8:
        return "default"
    if roll < 0.92:
        return "graph"
    return "org_author"


def _shift_visible_dates(rng: random.Random, articles: list[Article]) -> list[Article]:
    """On two articles the page shows a time one hour before the JSON-LD datePublished."""
    eligible = [i for i, a in enumerate(articles) if a.jsonld in ("default", "graph")]
    chosen = set(rng.sample(eligible, min(2, len(eligible))))
    return [
        dataclasses.replace(a, published_visible=a.published - timedelta(hours=1))
        if i in chosen
        else a
        for i, a in enumerate(articles)
    ]


def _link_translations(en: Edition, ru: Edition, kk: Edition) -> tuple[Edition, Edition, Edition]:
    """Pair en articles with ru and kk ones (hreflang) and credit the ru original's author."""
    en_list, ru_list, kk_list = list(en.articles), list(ru.articles), list(kk.articles)
    ru_regular = [i for i, a in enumerate(ru_list) if a.id in RU_IDS]
    kk_regular = [
        i for i, a in enumerate(kk_list) if a.id not in KK_LATIN_IDS and a.id != KK_LEGACY_ID
    ]
    pairs = [(e, ru_list, ru_regular, r) for e, r in EN_RU_PAIRS]
    pairs += [(e, kk_list, kk_regular, k) for e, k in EN_KK_PAIRS]
    for en_index, other_list, regular, other_index in pairs:
        if en_index >= len(en_list) or other_index >= len(regular):
            continue
        target = regular[other_index]
        en_article, other = en_list[en_index], other_list[target]
        original = en_article.original_author
        if other.lang == "ru" and other.authors[0].name in RU.authors:
            original = EN.original_authors[RU.authors.index(other.authors[0].name)]
        en_list[en_index] = dataclasses.replace(
            en_article,
            translations=(*en_article.translations, (other.lang, other.path)),
            original_author=original,
        )
        other_list[target] = dataclasses.replace(
            other, translations=(*other.translations, ("en", en_article.path))
        )
    return (
        dataclasses.replace(en, articles=tuple(en_list)),
        dataclasses.replace(ru, articles=tuple(ru_list)),
        dataclasses.replace(kk, articles=tuple(kk_list)),
    )


def _fault_article_maker(en: Edition) -> Callable[[int, datetime], Article]:
    """Generator of the fault-mode-only articles, from their own random stream."""
    builder = _EditionBuilder(random.Random(SEED + 2), EN, "")
    older = [(a.path, a.title) for a in reversed(en.articles[:30])]
    return lambda article_id, published: builder.article(article_id, published, older)


def _fault_articles(rng: random.Random, en: Edition, ru: Edition) -> tuple[Article, ...]:
    """Articles behind the fault-mode routes; generated in both modes so the default stream
    of random numbers (and so the default site) never depends on `faults`."""
    en_builder = _EditionBuilder(rng, EN, "")
    older = [(a.path, a.title) for a in reversed(en.articles)]
    out: list[Article] = []
    for offset, (article_id, (slug, fault)) in enumerate(sorted(FAULT_SLUGS.items())):
        published = NOW - timedelta(hours=3, minutes=17 * offset)
        article = en_builder.article(article_id, published, older)
        # The malformed page breaks its JSON-LD, so it must have some.
        jsonld = "default" if article.jsonld == "none" else article.jsonld
        out.append(
            dataclasses.replace(
                article, slug=slug, path=f"/{slug}-{article_id}/", fault=fault, jsonld=jsonld
            )
        )
    ru_builder = _EditionBuilder(rng, RU, "/ru")
    ru_older = [(a.path, a.title) for a in reversed(ru.articles)]
    lie = ru_builder.article(RU_CHARSET_LIE_ID, NOW - timedelta(hours=5), ru_older)
    out.append(
        dataclasses.replace(
            lie,
            template="orda",
            charset="windows-1251",
            charset_declaration="header-lie",
            fault="charset_lie",
        )
    )
    return tuple(out)
