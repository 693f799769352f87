"""One article line per canonical URL, streaming.

Among captures of one article (main URL, AMP copy, tracking-parameter copy) the capture whose URL
equals its canonical URL wins. A capture of a duplicate waits until the end of the run, and is
written then only if its canonical URL was never captured itself. Memory holds the canonical URLs
seen and the waiting duplicates, never the articles already written.
"""

from __future__ import annotations

from newsarchive.discovery.urls import normalize_url
from newsarchive.errors import NewsarchiveError
from newsarchive.records import Article


def article_key(url: str, base: str | None = None) -> str:
    """The normalised URL; with `base`, relative to it (`{BASE}/path/`), so that a site served on a
    different address each run (the demo site on an ephemeral port) keeps its keys."""
    try:
        key = normalize_url(url)
    except NewsarchiveError:
        key = url
    if base:
        prefix = article_key(base).rstrip("/")
        if key.startswith(prefix + "/") or key == prefix:
            return "{BASE}" + key[len(prefix) :]
    return key


class ArticleDeduplicator:
    def __init__(self) -> None:
        self._written: set[str] = set()
        self._waiting: dict[str, Article] = {}
        self.duplicates = 0

    def offer(self, article: Article) -> Article | None:
        """The article if it should be written now; None if it is a duplicate or must wait."""
        key = article_key(article.fields.canonical_url or article.url)
        if key in self._written:
            self.duplicates += 1
            return None
        if article_key(article.url) == key:
            self._written.add(key)
            if self._waiting.pop(key, None) is not None:
                self.duplicates += 1
            return article
        if key in self._waiting:
            self.duplicates += 1
        else:
            self._waiting[key] = article
        return None

    def flush(self) -> list[Article]:
        """Waiting duplicates whose canonical page never turned up, in arrival order."""
        pending = list(self._waiting.values())
        self._waiting.clear()
        for article in pending:
            self._written.add(article_key(article.fields.canonical_url or article.url))
        return pending
