"""The JSONL schema: every record newsarchive writes, as frozen dataclasses.

JSON conversion lives here and nowhere else (`to_json_dict`), so the crawl, replay and the
`extract` command write byte-identical field names and order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

RelatedKind = Literal["latest_news", "read_also", "related", "most_read", "in_article", "other"]
PageFormat = Literal["article", "liveblog", "gallery", "video"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Capture:
    """Where a record's raw bytes live: the WARC response record it was derived from.

    `warcio extract <warc_file> <offset>` returns that record.
    """

    warc_file: str
    """File name of the WARC (no directory: WARC names never change once written)."""
    offset: int
    """Byte offset of the record's gzip member (or record start) in the file."""
    length: int
    """Length in bytes of the record as stored (compressed)."""
    record_id: str
    """`WARC-Record-ID` of the response record, e.g. `<urn:uuid:...>`."""
    payload_digest: str | None = None
    """`WARC-Payload-Digest` of the response record (`sha1:BASE32`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Caption:
    """A caption or credit line of an image: never part of the body."""

    text: str
    """Caption text without the credit; empty for a credit-only line."""
    credit: str
    """The credit without its label ("Photo:", "Фото:", "©"...); empty when none."""
    image_url: str | None = None
    """Absolute URL of the image the caption belongs to."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    """One headline of a related-headlines block ("Latest news", inline "Read also")."""

    title: str
    url: str
    """Absolute URL."""
    position: int
    """1-based position within its block."""
    block: str
    """The block's visible label verbatim, or `kind` when it has none."""
    kind: RelatedKind


@dataclass(frozen=True, slots=True, kw_only=True)
class Embed:
    """Third-party content embedded in the article (a video, a post): not body text."""

    provider: str
    """`youtube`, `twitter`, `telegram`, `instagram`... or the embed's host name."""
    url: str
    """Absolute URL of the embedded item (the post or video, else the player)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveEntry:
    """One update of a live blog."""

    time: str | None
    """ISO 8601 time of the update as the page gives it."""
    title: str | None
    """The update's headline, when it has one."""
    text: str
    """The update's text, paragraphs separated by a blank line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFields:
    """What extraction gets out of one article page (pure function of HTML + URL)."""

    title: str | None = None
    lead: str | None = None
    """The visible standfirst under the headline, else the meta description."""
    body: str = ""
    """Paragraphs separated by a blank line; no captions, credits, "Read also", promos, chrome."""
    captions: tuple[Caption, ...] = ()
    related: tuple[Related, ...] = ()
    authors: tuple[str, ...] = ()
    """People; organisations credited as author (the site itself, agencies) are left out."""
    original_author: str | None = None
    """The author of the original a translated article credits ("Original Author: X")."""
    published: str | None = None
    """ISO 8601 with the page's UTC offset."""
    modified: str | None = None
    language: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    format: PageFormat = "article"
    """`liveblog`, `gallery` (pictures with an introduction), `video` (a player with a line
    of text) or `article`."""
    paywalled: bool = False
    """Behind a paywall: `body` is the readable teaser only."""
    needs_js: bool = False
    """The HTML holds no article text: a script renders it (an app shell)."""
    embeds: tuple[Embed, ...] = ()
    entries: tuple[LiveEntry, ...] = ()
    """A live blog's updates, oldest first; empty for other formats."""
    pages: tuple[str, ...] = ()
    """The URLs of a story printed over several pages, in order, once they are joined into one
    record (the record is the first page's capture); empty for a one-page story."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingItem:
    """One link of a listing page, in page order."""

    title: str
    url: str
    position: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingFields:
    """What extraction gets out of a listing (section, latest news, tag) page."""

    items: tuple[ListingItem, ...] = ()
    next_url: str | None = None
    """`rel=next` pagination link, absolute."""
    last_url: str | None = None
    """`rel=last` pagination link, absolute."""
    canonical_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One line of `articles.jsonl`."""

    type: Literal["article"] = "article"
    url: str
    """`WARC-Target-URI` of the response record the article was extracted from."""
    site: str
    fetched_at: str
    """`WARC-Date` of that record (ISO 8601, UTC)."""
    status: int
    extractor_version: str
    fields: ArticleFields
    capture: Capture | None = None
    content_digest: str | None = None
    """sha1 of the normalised title, body, captions, authors and dates (see `content_digest`)."""
    version: int | None = None
    """1 for the first capture of an article, +1 each time its content digest changes; None
    outside a crawl (replay has no history)."""
    previous_digest: str | None = None
    """The content digest of the version before this one, when this line is a changed article."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """One line of `listings.jsonl`: what a listing page showed, in order, at that moment."""

    type: Literal["listing"] = "listing"
    url: str
    site: str
    fetched_at: str
    status: int
    items: tuple[ListingItem, ...] = ()
    capture: Capture | None = None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def fields_to_json_dict(fields: ArticleFields) -> dict[str, Any]:
    """The extraction fields as a JSON-ready dict (what `newsarchive extract` prints)."""
    out: dict[str, Any] = _plain(fields)
    return out


_NESTED: dict[str, type[Any]] = {
    "captions": Caption,
    "related": Related,
    "embeds": Embed,
    "entries": LiveEntry,
}


def fields_from_json(data: dict[str, Any]) -> ArticleFields:
    """The inverse of `fields_to_json_dict` (extra keys of a full article line are ignored;
    keys missing from lines written by older versions take their defaults)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(ArticleFields):
        value = data.get(f.name)
        if value is None and (f.name == "body" or isinstance(f.default, tuple | bool)):
            continue  # absent or null where the field has a non-null default
        if f.name in _NESTED and isinstance(value, list):
            value = tuple(_NESTED[f.name](**item) for item in value)
        elif isinstance(value, list):
            value = tuple(value)
        if f.name in data:
            values[f.name] = value
    return ArticleFields(**values)


SCHEMA_VERSION = "1"


def content_digest(fields: ArticleFields) -> str:
    """sha1 over what a reader cares about, whitespace-normalised; unlike the WARC payload
    digest it does not change with view counters or rotating sidebars."""
    material = {
        "title": " ".join((fields.title or "").split()),
        "body": "\n\n".join(" ".join(p.split()) for p in fields.body.split("\n\n")),
        "captions": [[c.text, c.credit, c.image_url] for c in fields.captions],
        "authors": list(fields.authors),
        "published": fields.published,
        "modified": fields.modified,
    }
    data = json.dumps(material, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha1:" + hashlib.sha1(data).hexdigest()


def to_json_dict(record: Article | Listing) -> dict[str, Any]:
    """A record as the JSON object written to its JSONL file (article fields flattened)."""
    if isinstance(record, Article):
        out: dict[str, Any] = {
            "type": record.type,
            "schema_version": SCHEMA_VERSION,
            "url": record.url,
            "site": record.site,
            "fetched_at": record.fetched_at,
            "status": record.status,
            "extractor_version": record.extractor_version,
        }
        out.update(fields_to_json_dict(record.fields))
        out["content_digest"] = record.content_digest
        out["version"] = record.version
        out["previous_digest"] = record.previous_digest
        out["capture"] = _plain(record.capture)
        return out
    return {
        "type": record.type,
        "schema_version": SCHEMA_VERSION,
        "url": record.url,
        "site": record.site,
        "fetched_at": record.fetched_at,
        "status": record.status,
        "items": _plain(record.items),
        "capture": _plain(record.capture),
    }


# Fields that differ between a live run and a replay of its WARCs by design.
RUN_TIME_FIELDS = frozenset({"site", "version", "previous_digest"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Exchange:
    """One archived HTTP exchange, the unit both the crawl and replay feed to processing.

    `body` is the entity body with Content-Encoding already decoded; the raw bytes stay in the
    WARC record that `capture` points at.
    """

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: str
    capture: Capture | None = None
    content_type: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None
