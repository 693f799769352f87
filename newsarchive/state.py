"""Per-site crawl state across runs: `DIR/SITE/state.sqlite`.

What it remembers of every article: the URLs that led to it, a digest of its normalised
extracted content (the payload digest changes with every view counter, this one only when the
article does), a version counter, and the validators (ETag, Last-Modified) for conditional
requests. The WARC digest index (newsarchive/warc/digest_index.py) lives in the same file.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from newsarchive.dedup import article_key
from newsarchive.records import Article, content_digest

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,          -- normalised canonical URL
    url TEXT NOT NULL,             -- URL of the capture last written
    content_digest TEXT NOT NULL,
    version INTEGER NOT NULL,
    published TEXT,
    etag TEXT,
    last_modified TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_run TEXT NOT NULL,
    record_id TEXT,                -- WARC response record of the capture last written
    capture_uri TEXT,
    capture_date TEXT,
    payload_digest TEXT
);
CREATE TABLE IF NOT EXISTS article_urls (
    url_key TEXT PRIMARY KEY,      -- any normalised URL that gave this article
    key TEXT NOT NULL REFERENCES articles(key)
);
"""


@dataclass(frozen=True, slots=True)
class KnownArticle:
    key: str
    published: str | None
    etag: str | None
    last_modified: str | None
    last_seen: str
    record_id: str | None
    """The archived response a `server-not-modified` revisit refers to."""
    capture_uri: str | None
    capture_date: str | None
    payload_digest: str | None


@dataclass(frozen=True, slots=True)
class Revision:
    """The outcome of recording one article capture."""

    version: int
    content_digest: str
    previous_digest: str | None
    changed: bool


class SiteState:
    def __init__(self, path: Path, *, base: str | None = None) -> None:
        """`base`: keep keys relative to this URL (a site whose address changes between runs)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.base = base
        self.db = sqlite3.connect(path, timeout=30)
        # Switching a new file to WAL needs a moment alone with it: retry while another process
        # (a second worker starting at the same time) holds it.
        for attempt in range(50):
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def key(self, url: str) -> str:
        return article_key(url, self.base)

    def known(self, url: str) -> KnownArticle | None:
        row = self.db.execute(
            "SELECT a.key, a.published, a.etag, a.last_modified, a.last_seen, a.record_id, "
            "a.capture_uri, a.capture_date, a.payload_digest "
            "FROM article_urls u JOIN articles a ON a.key = u.key WHERE u.url_key = ?",
            (self.key(url),),
        ).fetchone()
        return KnownArticle(*row) if row else None

    def record(
        self,
        article: Article,
        run_id: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        commit: bool = True,
    ) -> Revision:
        """Record a capture; with `commit=False` the caller commits once its line is written,
        so a crash in between leaves the article unknown (fetched again), never lost."""
        key = self.key(article.fields.canonical_url or article.url)
        digest = article.content_digest or content_digest(article.fields)
        cap = article.capture
        pointer = (
            cap.record_id if cap else None,
            article.url if cap else None,
            article.fetched_at if cap else None,
            cap.payload_digest if cap else None,
        )
        row = self.db.execute(
            "SELECT content_digest, version FROM articles WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            revision = Revision(1, digest, None, True)
            self.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    article.url,
                    digest,
                    article.fields.published,
                    etag,
                    last_modified,
                    article.fetched_at,
                    article.fetched_at,
                    run_id,
                    *pointer,
                ),
            )
        else:
            previous, version = row
            changed = previous != digest
            revision = Revision(
                version + 1 if changed else version, digest, previous if changed else None, changed
            )
            self.db.execute(
                "UPDATE articles SET url = ?, content_digest = ?, version = ?, published = ?, "
                "etag = ?, last_modified = ?, last_seen = ?, last_run = ?, record_id = ?, "
                "capture_uri = ?, capture_date = ?, payload_digest = ? WHERE key = ?",
                (
                    article.url,
                    digest,
                    revision.version,
                    article.fields.published,
                    etag,
                    last_modified,
                    article.fetched_at,
                    run_id,
                    *pointer,
                    key,
                ),
            )
        for url in {article.url, article.fields.canonical_url or article.url}:
            self.db.execute(
                "INSERT OR REPLACE INTO article_urls VALUES (?, ?)", (self.key(url), key)
            )
        if commit:
            self.db.commit()
        return revision

    def commit(self) -> None:
        self.db.commit()

    def alias(self, url: str, canonical_url: str) -> None:
        """Remember that `url` (an AMP copy, a tracking-parameter copy) is that article too."""
        self.db.execute(
            "INSERT OR IGNORE INTO article_urls VALUES (?, ?)",
            (self.key(url), self.key(canonical_url)),
        )
        self.db.commit()

    def touch(self, url: str, fetched_at: str, run_id: str) -> None:
        """A 304 answer: the article is unchanged and was seen now."""
        known = self.known(url)
        if known is not None:
            self.db.execute(
                "UPDATE articles SET last_seen = ?, last_run = ? WHERE key = ?",
                (fetched_at, run_id, known.key),
            )
            self.db.commit()


def is_recent(known: KnownArticle, now: datetime, window: timedelta) -> bool:
    """Published (or, undated, last seen) within the re-check window before `now`."""
    stamp = known.published or known.last_seen
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return True  # unknown age: re-check rather than miss an update
    if when.tzinfo is None:
        when = when.replace(tzinfo=now.tzinfo)
    return now - when <= window
