"""Who wrote an article: people only. Organisations (the site itself, agencies, "Staff") are
dropped from `authors`; "Original Author: X" (translations credit the original writer so) is
read apart, as `original_author`.

Sources in order: the profile's selectors, JSON-LD `author` (Person entries; Organization
entries dropped), <meta name=author>, rel=author / itemprop=author, byline-classed elements,
a labelled line ("Текст: X", "Author: X").
A source that yields only organisations gives way to the next.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from newsarchive.extract import jsonld
from newsarchive.extract.dom import DomIndex, comparable, normalize_space
from newsarchive.extract.metatags import MetaTags, first, select_texts, unique
from newsarchive.extract.profile import ExtractProfile
from newsarchive.extract.vocab import Role

_AUTHOR_PREFIX = re.compile(
    r"^(?:by|from|(?:written|submitted|posted|published|reported)\s+by|автор(?:ы)?|текст"
    r"|author|authors|авторы?|от|авторы?\s+материала|жазған|авторы)\s*[:\-—]?\s+",
    re.IGNORECASE,
)
# "Marat Ospanov on Wed, 03/26/2025 - 10:15", "Dana Seitkali | 12 March 2025"
_TRAILING_DATE = re.compile(r"\s+(?:on|at|—|–|-|\||,|·)\s+.*?\d.*$", re.IGNORECASE)
_ORIGINAL_AUTHOR = re.compile(
    r"^\s*(?:original\s+author|автор\s+оригинала|оригинальный\s+автор|түпнұсқа\s+авторы)"
    r"\s*[:\-—]\s*(?P<name>\S.{0,80}?)\s*$",
    re.IGNORECASE,
)
_ORIGINAL_HEADS = ("original", "автор ориг", "оригинал", "түпнұсқа")
# "Текст: Дана Садыкова", "Author: Jane Doe", "Жазған: Айдос Ерланов"
_LABELLED_AUTHOR = re.compile(
    r"^\s*(?:автор(?:ы)?(?:\s+материала)?|текст|text|authors?|written\s+by|жазған|авторы)"
    r"\s*:\s*(?P<names>\S.{0,100}?)\s*$",
    re.IGNORECASE,
)
_LABELLED_HEADS = ("автор", "текст", "text", "author", "written", "жазған")
_NOT_A_NAME = re.compile(r"https?://|@|www\.|\d{3,}")
# A byline that names the photographer too ("Текст: Дана Садыкова, Фото: Айдос Ерланов"): the
# writers are what comes before the photo credit.
_CREDIT_PART = re.compile(
    r"[,;|]?\s*\b(?:фото|photos?|сурет|коллаж|иллюстрация|illustration|images?)\s*[:|]",
    re.IGNORECASE,
)
# Words that make a byline an organisation rather than a person.
_ORGANISATION_WORDS = re.compile(
    r"\b(?:news|newsroom|agency|press|media|staff|desk|editorial|editors|team|service|bureau"
    r"|group|times|post|daily|journal|tv|radio|channel|online|magazine|reuters|associated"
    r"|international|network|inc|ltd|llc|gmbh"
    r"|редакция|агентство|служба|пресс|новости|издание|газета|журнал|телеканал|портал"
    r"|жаңалықтар|ақпарат|агенттігі|редакциясы|қызметі|басылым)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ0-9/&.\-]{2,12}$")
_ORGANISATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "organisation", "ngo"}
)
# Between names: separators, "and", and the full stop of "Jane Doe. Sputnik International"
# (after a word of two or more lower-case letters, so initials stay: "J. R. Smith").
_SPLIT = re.compile(
    r"\s*(?:[;,]|\band\b|&|\bи\b|\bжәне\b|(?<=[a-zа-яё]{2})\.\s+(?=[A-ZА-ЯЁ]))\s*",
    re.IGNORECASE,
)
# CMS account names that stand in for a byline.
_ACCOUNT_NAMES = frozenset(
    {"admin", "administrator", "webmaster", "editor", "guest", "user", "root", "superuser",
     "администратор", "админ", "редактор", "author"}
)  # fmt: skip
_MAX_NAME = 60
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|avtor[ys]?|автор[ы]?|writers?|people|profile)/[^/?#]+", re.I
)
_MAX_BYLINE = 120


def site_names(metas: MetaTags, article: dict[str, Any] | None, host: str | None) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD publisher, host label."""
    names = [
        n
        for n in (
            first(metas, "og:site_name"),
            first(metas, "application-name"),
            first(metas, "twitter:site"),
            jsonld.text_value(article.get("publisher")) if article else None,
        )
        if n
    ]
    if host:
        labels = [label for label in host.lower().split(".") if label not in ("www", "m", "en")]
        if len(labels) >= 2:
            names.append(labels[-2])
    return [n.lstrip("@") for n in names]


def is_organisation(name: str, sites: list[str]) -> bool:
    """The site itself, an agency, "Staff", an acronym like RFE/RL or TASS."""
    key = comparable(name)
    if not key:
        return True
    for site in sites:
        site_key = comparable(site)
        if site_key and (key == site_key or site_key in key.split() or key in site_key):
            return True
        # "Sputnik International" on sputniknews.com: a word the site's name starts with.
        if any(len(word) >= 5 and site_key.startswith(word) for word in key.split()):
            return True
    return bool(_ORGANISATION_WORDS.search(name) or _ACRONYM.match(name.strip()))


def _clean(raw: str) -> list[str]:
    text = _AUTHOR_PREFIX.sub("", normalize_space(raw).lstrip(" |·•—-,:"))
    text = _TRAILING_DATE.sub("", text).strip(" |·•—-,:")
    if not text or len(text) > _MAX_BYLINE or _NOT_A_NAME.search(text):
        return []
    if _ORIGINAL_AUTHOR.match(text):
        return []
    parts = [p.strip(" .") for p in _SPLIT.split(_CREDIT_PART.split(text, 1)[0]) if p.strip(" .")]
    return [p for p in parts if len(p) <= _MAX_NAME and p.casefold() not in _ACCOUNT_NAMES]


def _people(names: list[str], sites: list[str]) -> list[str]:
    return [n for n in names if not is_organisation(n, sites)]


def _jsonld_people(article: dict[str, Any], sites: list[str]) -> list[str]:
    value = article.get("author") or article.get("creator")
    entries = value if isinstance(value, list) else [value]
    people: list[str] = []
    for entry in entries:
        if isinstance(entry, dict) and jsonld.types_of(entry) & _ORGANISATION_TYPES:
            continue
        for name in jsonld.names(entry):
            people.extend(_people(_clean(name), sites))
    return people


def original_author(dom: DomIndex) -> str | None:
    """The name on an "Original Author: X" line, if the page has one."""
    return _author_lines(dom)[0]


def _author_lines(dom: DomIndex) -> tuple[str | None, str | None]:
    """(the "Original Author: X" name, the first "Текст: X" / "Author: X" line's names), from
    one pass over the short paragraphs of the page (memoised on the page)."""
    key = ("author-lines",)
    cached: tuple[str | None, str | None] | None = dom.page.memo.get(key)
    if cached is not None:
        return cached
    original = labelled = None
    for el in [*dom.tagged("p"), *dom.tagged("div"), *dom.tagged("span")]:
        if not 0 < dom.chars(el) <= _MAX_BYLINE:
            continue
        head = (el.text or "").lstrip()[:30].casefold()
        if not head:
            child = next(iter(el), None)
            head = (child.text or "").lstrip()[:30].casefold() if child is not None else ""
        if original is None and head.startswith(_ORIGINAL_HEADS):
            match = _ORIGINAL_AUTHOR.match(dom.text(el))
            if match:
                original = match.group("name").strip(" .")
        elif labelled is None and head.startswith(_LABELLED_HEADS):
            match = _LABELLED_AUTHOR.match(dom.text(el))
            if match:
                labelled = match.group("names")
        if original is not None and labelled is not None:
            break
    dom.page.memo[key] = (original, labelled)
    return original, labelled


def _in_running_text(dom: DomIndex, link: HtmlElement) -> bool:
    parent = link.getparent()
    return parent is not None and dom.chars(parent) > 3 * max(dom.chars(link), 1) + 40


def authors_of(
    dom: DomIndex,
    metas: MetaTags,
    article: dict[str, Any] | None,
    profile: ExtractProfile | None,
    sites: list[str],
) -> tuple[str, ...]:
    if profile is not None and profile.authors:
        names = [n for raw in select_texts(dom.page, dom, profile.authors) for n in _clean(raw)]
        return unique(_people(names, sites))
    if article:
        people = _jsonld_people(article, sites)
        if people:
            return unique(people)
    meta = first(metas, "author", "article:author", "dc.creator", "sailthru.author")
    if meta:
        people = _people(_clean(meta), sites)
        if people:
            return unique(people)
    marked = {el for el in dom.tagged("a", "link") if "author" in (el.get("rel") or "").split()}
    marked.update(dom.with_itemprop("author"))
    found: list[str] = []
    for el in sorted(marked, key=dom.stats.order.__getitem__):
        if dom.in_chrome(el) or el.tag == "link":
            continue
        name_el = el.find(".//*[@itemprop='name']")
        found.extend(_people(_clean(dom.text(name_el if name_el is not None else el)), sites))
    if found:
        return unique(found)
    for a in dom.tagged("a"):
        # A link to the writer's page (`/author/azamat-sultanov/`) outside menus, lists and
        # running text (a person the story mentions: "President <a>Donald Trump</a> said").
        if (
            _AUTHOR_PAGE.search(a.get("href") or "")
            and not dom.in_chrome(a)
            and not _in_running_text(dom, a)
        ):
            found.extend(_people(_clean(dom.text(a)), sites))
    if found:
        return unique(found)
    for el, roles in dom.roles.items():
        if roles & Role.BYLINE and not dom.in_chrome(el):
            people = _people(_clean(dom.text(el)), sites)
            if people:
                return unique(people)
    labelled = _author_lines(dom)[1]
    if labelled:
        return unique(_people(_clean(labelled), sites))
    return ()
