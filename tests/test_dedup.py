from __future__ import annotations

from newsarchive.dedup import ArticleDeduplicator
from newsarchive.records import Article, ArticleFields

CANON = "http://127.0.0.1:8000/story-5710/"


def article(url: str, canonical: str | None = CANON) -> Article:
    return Article(
        url=url,
        site="demo",
        fetched_at="2025-01-01T00:00:00Z",
        status=200,
        extractor_version="t",
        fields=ArticleFields(title="t", body="b", canonical_url=canonical),
    )


def test_canonical_capture_wins_when_it_comes_second() -> None:
    dedup = ArticleDeduplicator()
    assert dedup.offer(article("http://127.0.0.1:8000/amp/story-5710/")) is None
    winner = dedup.offer(article(CANON))
    assert winner is not None and winner.url == CANON
    assert dedup.flush() == []
    assert dedup.duplicates == 1


def test_canonical_capture_wins_when_it_comes_first() -> None:
    dedup = ArticleDeduplicator()
    assert dedup.offer(article(CANON)) is not None
    assert dedup.offer(article("http://127.0.0.1:8000/amp/story-5710/")) is None
    assert dedup.offer(article(CANON + "?utm_source=x")) is None
    assert dedup.flush() == []


def test_duplicate_without_canonical_capture_is_written_at_the_end() -> None:
    dedup = ArticleDeduplicator()
    assert dedup.offer(article("http://127.0.0.1:8000/amp/story-5710/")) is None
    assert dedup.offer(article("http://127.0.0.1:8000/print/5710/")) is None
    flushed = dedup.flush()
    assert [a.url for a in flushed] == ["http://127.0.0.1:8000/amp/story-5710/"]
    assert dedup.offer(article(CANON)) is None  # already written under that canonical


def test_articles_without_canonical_keyed_by_url() -> None:
    dedup = ArticleDeduplicator()
    assert dedup.offer(article("http://a/x-1/", canonical=None)) is not None
    assert dedup.offer(article("http://a/x-1/", canonical=None)) is None
    assert dedup.offer(article("http://a/x-2/", canonical=None)) is not None
