"""The content model: one immutable object graph that every page, feed, sitemap and the
ground-truth manifest are rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Lang = Literal["en", "ru", "kk"]
Template = Literal["orda", "modern"]
JsonLdStyle = Literal["default", "graph", "org_author", "none"]
CreditPlacement = Literal["postpic", "first_paragraph", "after_first", "none"]
FigureForm = Literal["figcaption", "media_pair", "modal_copy"]
ReadAlsoStyle = Literal["labelled", "bare"]
CharsetDeclaration = Literal["header+meta", "meta-only", "header-lie"]


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Credit:
    raw: str
    """The credit line exactly as printed ("Photo: freepik, ill. purp.")."""
    text: str
    """The credit without its label ("freepik, ill. purp.")."""
    illustrative: bool


@dataclass(frozen=True, slots=True)
class LeadImage:
    src: str
    alt: str
    caption: str | None
    """Only the modern template prints a caption for the lead image."""
    credit: Credit | None
    placement: CreditPlacement


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    link: tuple[str, str] | None = None
    """(phrase inside `text`, href) rendered as an inline link; the text is unchanged."""


@dataclass(frozen=True, slots=True)
class Subheading:
    text: str


@dataclass(frozen=True, slots=True)
class ListBlock:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    attribution: str
    """The sentence after the block quote ("said urban planner Dana Bekova."): body text."""


@dataclass(frozen=True, slots=True)
class PullQuote:
    text: str
    """Repeats a body sentence; the ground truth counts it once (in its paragraph)."""


@dataclass(frozen=True, slots=True)
class Figure:
    src: str
    alt: str
    caption: str
    credit: Credit
    form: FigureForm


@dataclass(frozen=True, slots=True)
class ReadAlso:
    href: str
    text: str
    style: ReadAlsoStyle


@dataclass(frozen=True, slots=True)
class Tweet:
    url: str
    text: str
    author: str
    handle: str
    date_text: str


@dataclass(frozen=True, slots=True)
class Video:
    url: str


@dataclass(frozen=True, slots=True)
class AdSlot:
    pass


@dataclass(frozen=True, slots=True)
class Promo:
    pass


Block = (
    Paragraph
    | Subheading
    | ListBlock
    | Quote
    | PullQuote
    | Figure
    | ReadAlso
    | Tweet
    | Video
    | AdSlot
    | Promo
)


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    lang: Lang
    slug: str
    path: str
    """Canonical root-relative URL, percent-encoded where the slug is not ASCII."""
    section: str
    """Category slug (`politics`...)."""
    tags: tuple[Tag, ...]
    title: str
    lead: str
    """Standfirst; always the first body paragraph."""
    authors: tuple[Author, ...]
    original_author: str | None
    published: datetime
    """What JSON-LD, meta tags, sitemaps and feeds state (the ground truth)."""
    published_visible: datetime
    """What the page prints; one hour earlier on the JSON-LD-mismatch articles."""
    modified: datetime | None
    lead_image: LeadImage | None
    blocks: tuple[Block, ...]
    template: Template
    jsonld: JsonLdStyle
    views: int
    charset: str = "utf-8"
    charset_declaration: CharsetDeclaration = "header+meta"
    script: Literal["cyrl", "latn"] = "cyrl"
    translations: tuple[tuple[str, str], ...] = ()
    """(lang, path) of translated pairs, for hreflang alternates."""
    fault: str | None = None
    legacy_path: str | None = None
    """Another spelling of `path` that is linked from pages (kk 137010's lowercase hex)."""


@dataclass(frozen=True, slots=True)
class Edition:
    lang: Lang
    prefix: str
    """"" for en, "/ru" or "/kk"."""
    articles: tuple[Article, ...]
    """Every listed article, newest first."""
    authors: tuple[Author, ...]
    tags: tuple[Tag, ...]
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SiteModel:
    editions: dict[str, Edition]
    fault_articles: tuple[Article, ...] = ()
    """Articles served only in fault mode (never listed in the default site)."""
    by_id: dict[int, Article] = field(default_factory=dict)

    def edition(self, lang: str) -> Edition:
        return self.editions[lang]
