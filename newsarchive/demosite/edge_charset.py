"""The charset edge pages of the default site that the ru edition does not list (§12): E8c,
windows-1251 bytes with no declaration anywhere (statistical detection needs real text, so the
words are written out here, not generated), and E8d, a UTF-8 BOM and UTF-8 bytes under a header
that says windows-1251 (the BOM wins). Both are ordinary orda-template ru articles rendered by
`articles.article_page`; only `Article.charset_declaration` differs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsarchive.demosite.labels import LABELS
from newsarchive.demosite.lexicon import slugify
from newsarchive.demosite.lexicon_ru import RU
from newsarchive.demosite.model import (
    Article,
    Block,
    CharsetDeclaration,
    EdgeKind,
    EdgePage,
    Edition,
    Paragraph,
    ReadAlso,
)
from newsarchive.demosite.options import NOW
from newsarchive.demosite.writer import ArticleWriter

UNDECLARED_ID = 416103
BOM_ID = 416104
CHARSET_KINDS: tuple[EdgeKind, ...] = ("charset_undeclared", "charset_bom")
"""Edge kinds rendered by the regular article template (so they have AMP and print copies)."""


@dataclass(frozen=True, slots=True)
class _Story:
    code: str
    kind: EdgeKind
    id: int
    charset: str
    declaration: CharsetDeclaration
    title: str
    paragraphs: tuple[str, ...]
    """The standfirst first."""
    age: timedelta
    tags: tuple[str, ...]
    read_also_index: int
    """Newest-first index of the ru article its "Читайте также" line links to."""


_STORIES = (
    _Story(
        "E8c",
        "charset_undeclared",
        UNDECLARED_ID,
        "windows-1251",
        "undeclared",
        "В Алматы откроют сорок километров новых велодорожек",
        (
            "Городские власти Алматы утвердили план строительства велосипедных дорожек на этот "
            "год: до конца лета в городе появятся ещё сорок километров выделенных полос.",
            "Первые участки пройдут по проспекту Абая и улице Жандосова, где сейчас "
            "велосипедисты вынуждены ехать по тротуарам или в общем потоке машин. По словам "
            "заместителя акима, работы начнутся в апреле, как только позволит погода.",
            "Новые дорожки отделят от проезжей части бордюром и полосой зелёных насаждений. Для "
            "пешеходов на перекрёстках сделают приподнятые переходы, а светофоры дополнят "
            "отдельными секциями для велосипедистов.",
            "В управлении городской мобильности напомнили, что за последние три года число "
            "поездок на велосипедах и электросамокатах в Алматы выросло почти вдвое. Летом "
            "прокатные станции в центре пустеют уже к полудню, а жители окраин жалуются, что до "
            "ближайшей дорожки им приходится добираться несколько километров.",
            "Общественные активисты в целом поддержали план, но попросили не ограничиваться "
            "центром. Они предлагают связать дорожками спальные районы с метро и крупными "
            "парками, чтобы велосипед стал полноценным транспортом, а не только развлечением "
            "выходного дня.",
            "Стоимость работ оценивается в четыре миллиарда тенге. Деньги выделят из городского "
            "бюджета, часть расходов возьмут на себя застройщики новых жилых комплексов, которые "
            "обязаны обустраивать прилегающие улицы.",
            "Проект разметки и схему будущей сети в акимате обещают опубликовать для обсуждения "
            "до конца месяца. Замечания жители смогут оставить на сайте управления или на "
            "встречах в районных акиматах.",
        ),
        timedelta(hours=9, minutes=20),
        ("Алматы", "транспорт"),
        4,
    ),
    _Story(
        "E8d",
        "charset_bom",
        BOM_ID,
        "utf-8",
        "bom-over-header",
        "Жители Астаны выбрали двадцать дворов для благоустройства",
        (
            "Голосование по программе благоустройства дворов в Астане завершилось: горожане "
            "выбрали двадцать дворов, где уже этим летом заменят покрытие, освещение и детские "
            "площадки.",
            "Всего на портале городского акимата поступило больше шести тысяч заявок. Больше "
            "всего голосов собрали дворы в районах Сарыарка и Алматы, где дома построены ещё в "
            "семидесятых годах и ремонта не видели десятилетиями.",
            "Жильцы сами решали, что нужно их двору в первую очередь. Чаще всего просили "
            "парковочные места, скамейки и нормальное освещение, а в нескольких дворах — "
            "спортивные площадки для подростков.",
            "Подрядчиков выберут на открытом конкурсе в апреле. Каждый проект перед началом "
            "работ покажут жителям, а приёмку готовых дворов проведут вместе с председателями "
            "объединений собственников.",
            "В акимате пообещали повторить голосование осенью: по итогам первого этапа станет "
            "ясно, сколько дворов город сможет обновить в следующем году.",
        ),
        timedelta(hours=11, minutes=5),
        ("Астана", "бюджет"),
        7,
    ),
)


def charset_pages(rng: random.Random, ru: Edition) -> tuple[EdgePage, ...]:
    """E8c and E8d; authors, images and views come from `rng` (the edge pages' own stream)."""
    writer = ArticleWriter(rng, RU, LABELS["ru"])
    tags = {tag.name: tag for tag in ru.tags}
    pages = []
    for story in _STORIES:
        published = (NOW - story.age).replace(second=0, microsecond=0)
        slug = slugify(story.title)
        path = f"{ru.prefix}/{slug}-{story.id}/"
        article = Article(
            id=story.id,
            lang="ru",
            slug=slug,
            path=path,
            section="society",
            tags=tuple(tags[name] for name in story.tags),
            title=story.title,
            lead=story.paragraphs[0],
            authors=(rng.choice(ru.authors),),
            original_author=None,
            published=published,
            published_visible=published,
            modified=None,
            lead_image=writer.lead_image(published, "orda"),
            blocks=_blocks(story, ru, published),
            template="orda",
            jsonld="default",
            views=rng.randint(150, 9800),
            charset=story.charset,
            charset_declaration=story.declaration,
        )
        pages.append(EdgePage(story.code, story.kind, story.id, path, article))
    return tuple(pages)


def _blocks(story: _Story, ru: Edition, published: datetime) -> tuple[Block, ...]:
    """The paragraphs, with a "Читайте также" line after the second one when the edition has
    an older article to link."""
    blocks: list[Block] = [Paragraph(text) for text in story.paragraphs[1:]]
    older = [a for a in ru.articles if a.published < published]
    if older:
        target = older[min(story.read_also_index, len(older) - 1)]
        blocks.insert(1, ReadAlso(href=target.path, text=target.title, style="labelled"))
    return tuple(blocks)
