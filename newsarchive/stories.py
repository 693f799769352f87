"""Stories printed over several pages, joined into one article record, streaming.

The crawl and `replay` offer every article record together with the URL of its next page (when
the page links one, see `extract.multipage`). A page that continues elsewhere waits for that
page; a later page that comes first waits for the page before it. The joined record is the first
page's capture and metadata with the bodies in page order, the captions, related headlines,
embeds and live entries of all pages (a sidebar repeated on every page counted once), and
`pages` listing the URLs. Nothing is lost: a page whose other pages never turn up is written as
it is when the run ends, and so are the oldest waiting pages if too many wait at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from newsarchive.dedup import article_key
from newsarchive.extract.multipage import story_page
from newsarchive.records import Article, Related, content_digest

_Item = TypeVar("_Item")
MAX_WAITING = 1000
"""Pages held at once before the oldest is written unjoined (memory stays bounded)."""


class StoryJoiner:
    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self.max_waiting = max_waiting
        self._waiting: dict[str, Article] = {}
        """The story so far, by the key of the page it waits for."""
        self._early: dict[str, tuple[Article, str | None]] = {}
        """Later pages that came before the page linking them, by their own key."""
        self.joined = 0
        """Pages appended to another page's record."""

    def offer(self, article: Article, next_url: str | None) -> list[Article]:
        """The records ready to be written now (none while the story waits for a page)."""
        key = article_key(article.url)
        story = self._waiting.pop(key, None)
        if story is not None:
            article = join(story, article)
            self.joined += 1
        elif not is_first_page(article):
            self._early[key] = (article, next_url)
            return self._overflow()
        while next_url:
            next_key = article_key(next_url)
            early = self._early.pop(next_key, None)
            if early is None:
                self._waiting[next_key] = article
                return self._overflow()
            later, next_url = early
            article = join(article, later)
            self.joined += 1
        return [article]

    def flush(self) -> list[Article]:
        """Every waiting page as it is (its other pages never came), in arrival order."""
        pending = [*self._waiting.values(), *(a for a, _ in self._early.values())]
        self._waiting.clear()
        self._early.clear()
        return pending

    def _overflow(self) -> list[Article]:
        out: list[Article] = []
        while len(self._waiting) + len(self._early) > self.max_waiting:
            held = self._waiting if self._waiting else self._early
            oldest = next(iter(held))
            value = held.pop(oldest)
            out.append(value if isinstance(value, Article) else value[0])
        return out


def is_first_page(article: Article) -> bool:
    """The article's URL is a story's first page (no page number, or page 1)."""
    return story_page(article.url)[1] == 1


def join(first: Article, later: Article) -> Article:
    """`first` with `later`'s text appended: one record for both pages."""
    a, b = first.fields, later.fields
    pages = a.pages or (first.url,)
    fields = replace(
        a,
        body="\n\n".join(part for part in (a.body, b.body) if part),
        captions=_unique(a.captions + b.captions),
        related=_renumbered(_unique_related(a.related + b.related)),
        authors=a.authors or b.authors,
        published=a.published or b.published,
        modified=b.modified or a.modified,
        tags=a.tags or b.tags,
        embeds=_unique(a.embeds + b.embeds),
        entries=a.entries + b.entries,
        pages=(*pages, later.url),
    )
    return replace(first, fields=fields, content_digest=content_digest(fields))


def _unique(items: tuple[_Item, ...]) -> tuple[_Item, ...]:
    return tuple(dict.fromkeys(items))


def _unique_related(items: tuple[Related, ...]) -> tuple[Related, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[Related] = []
    for item in items:
        if (item.block, item.url) not in seen:
            seen.add((item.block, item.url))
            out.append(item)
    return tuple(out)


def _renumbered(items: tuple[Related, ...]) -> tuple[Related, ...]:
    """Positions 1..n within each block again, after the blocks of two pages were merged."""
    counts: dict[str, int] = {}
    out: list[Related] = []
    for item in items:
        counts[item.block] = counts.get(item.block, 0) + 1
        out.append(replace(item, position=counts[item.block]))
    return tuple(out)
