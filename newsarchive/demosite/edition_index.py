"""Articles of an edition by category, tag and author, computed once per edition: a
20,000-article site would otherwise rescan every article for every listing page."""

from __future__ import annotations

from dataclasses import dataclass

from newsarchive.demosite.model import Article, Author, Edition, Tag


@dataclass(frozen=True, slots=True)
class EditionIndex:
    articles: tuple[Article, ...]
    by_category: dict[str, tuple[Article, ...]]
    by_tag: dict[Tag, tuple[Article, ...]]
    by_author: dict[Author, tuple[Article, ...]]


_INDEXES: dict[int, EditionIndex] = {}
_INDEXES_KEPT = 6


def edition_index(edition: Edition) -> EditionIndex:
    """The index of `edition` (newest first within each group), cached while it is in use."""
    key = id(edition.articles)
    found = _INDEXES.get(key)
    if found is not None and found.articles is edition.articles:
        return found
    by_category: dict[str, list[Article]] = {}
    by_tag: dict[Tag, list[Article]] = {}
    by_author: dict[Author, list[Article]] = {}
    for article in edition.articles:
        by_category.setdefault(article.section, []).append(article)
        for tag in article.tags:
            by_tag.setdefault(tag, []).append(article)
        for author in article.authors:
            by_author.setdefault(author, []).append(article)
    index = EditionIndex(
        articles=edition.articles,
        by_category={k: tuple(v) for k, v in by_category.items()},
        by_tag={k: tuple(v) for k, v in by_tag.items()},
        by_author={k: tuple(v) for k, v in by_author.items()},
    )
    if len(_INDEXES) >= _INDEXES_KEPT:
        _INDEXES.clear()
    _INDEXES[key] = index
    return index
