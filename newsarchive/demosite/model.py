"""The content model: one immutable object graph that every page, feed, sitemap and the
ground-truth manifest are rendered from."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal, overload

Lang = Literal["en", "ru", "kk"]
Template = Literal["orda", "modern"]
JsonLdStyle = Literal["default", "graph", "org_author", "none"]
CreditPlacement = Literal["postpic", "first_paragraph", "after_first", "none"]
FigureForm = Literal["figcaption", "media_pair", "modal_copy"]
ReadAlsoStyle = Literal["labelled", "bare"]
CharsetDeclaration = Literal[
    "header+meta", "meta-only", "header-lie", "undeclared", "bom-over-header"
]
"""How a page states its charset: header and meta; meta only (E8b); a header that says utf-8
over cp1251 bytes (E8e, fault mode); nothing at all (E8c); a UTF-8 BOM while the header says
windows-1251 (E8d)."""
EdgeKind = Literal[
    "paywall",
    "liveblog",
    "gallery",
    "video",
    "soft_404",
    "charset_undeclared",
    "charset_bom",
    "undated",
    "js_only",
    "relative_urls",
    "concealed_text",
    "multipage",
]


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
    level: int = 2
    """2 (<h2>) or 3 (<h3>)."""


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
class Table:
    """A data table; its ground-truth text is one paragraph, rows joined by newlines and cells
    by " | " (the extractor's rule for data tables)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return "\n".join(" | ".join(row) for row in (self.header, *self.rows))


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
    | Table
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
    blocks: Sequence[Block]
    """A tuple, or `LazyBlocks` for bulk articles and the long read (generated on demand)."""
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
class LiveEntry:
    time: datetime
    text: str


@dataclass(frozen=True, slots=True)
class EdgePage:
    """A page of the §12 edge-case catalogue that the default site serves (en ids 9001-9099, ru
    ids 416103-416104): well-formed, but shaped unlike a plain article. Not part of any
    edition's article list."""

    code: str
    """Its row in the catalogue: "E1"..."""
    kind: EdgeKind
    id: int
    path: str
    article: Article | None
    """Metadata and body blocks (None for the soft 404, which is no article)."""
    entries: tuple[LiveEntry, ...] = ()
    """Live blog entries, oldest first (the page prints them newest first)."""
    gallery: tuple[Figure, ...] = ()
    video_url: str | None = None
    first_page_paragraphs: int = 0
    """A story printed over two pages (E17): how many body paragraphs the first page shows;
    the rest are on `{path}?page=2`."""

    @property
    def second_page(self) -> str | None:
        """The URL of the second page of a two-page story, else None."""
        return f"{self.path}?page=2" if self.first_page_paragraphs else None


@dataclass(frozen=True, slots=True)
class SiteModel:
    editions: dict[str, Edition]
    fault_articles: tuple[Article, ...] = ()
    """Articles served only in fault mode (never listed in the default site)."""
    by_id: dict[int, Article] = field(default_factory=dict)
    edge_pages: tuple[EdgePage, ...] = ()
    """The edge-case pages of the default site (§12), in catalogue order."""

    def edition(self, lang: str) -> Edition:
        return self.editions[lang]


_LAZY_CACHE_SIZE = 256


class LazyBlocks(Sequence[Block]):
    """Body blocks generated on first use by `factory` (a pure function of `key`), so that a
    20,000-article site starts in seconds. Only the last few hundred materialised bodies are
    kept; `media` names the block kinds present ("video", "figure"), known without generating
    (listing labels need it). Equal and hashed by `key`."""

    __slots__ = ("_factory", "key", "media")
    _cache: ClassVar[OrderedDict[Hashable, tuple[Block, ...]]] = OrderedDict()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        key: Hashable,
        factory: Callable[[], tuple[Block, ...]],
        media: frozenset[str] = frozenset(),
    ) -> None:
        self.key = key
        self._factory = factory
        self.media = media

    def _blocks(self) -> tuple[Block, ...]:
        cache = LazyBlocks._cache
        with LazyBlocks._lock:
            blocks = cache.get(self.key)
            if blocks is not None:
                cache.move_to_end(self.key)
                return blocks
        blocks = self._factory()
        with LazyBlocks._lock:
            cache[self.key] = blocks
            while len(cache) > _LAZY_CACHE_SIZE:
                cache.popitem(last=False)
        return blocks

    @overload
    def __getitem__(self, index: int) -> Block: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Block]: ...
    def __getitem__(self, index: int | slice) -> Block | Sequence[Block]:
        return self._blocks()[index]

    def __len__(self) -> int:
        return len(self._blocks())

    def __iter__(self) -> Iterator[Block]:
        return iter(self._blocks())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyBlocks):
            return self.key == other.key
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"LazyBlocks({self.key!r})"


def has_media(blocks: Sequence[Block], kind: Literal["video", "figure"]) -> bool:
    """Whether the body holds a video embed or an inline figure, without generating lazy ones."""
    if isinstance(blocks, LazyBlocks):
        return kind in blocks.media
    wanted = Video if kind == "video" else Figure
    return any(isinstance(block, wanted) for block in blocks)
