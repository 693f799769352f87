"""`DigestIndex`: which payloads a site's archive already holds, across runs (SQLite).

One table, `warc_digests`, in the site's state store `DIR/SITE/state.sqlite`, which other parts
of newsarchive extend with tables of their own (so this module creates only its table and never
touches others). A row is the newest full response archived for a (payload digest, URL) pair,
the target of later revisit records, and when a record was last written for the pair (the
`blackout` window of `RevisitPolicy`). Lookups match the URL too: a revisit then always refers
to a capture of its own URL, which every replay tool resolves (some resolve only that).

Digests are compared in the canonical `algorithm:BASE32` form, so the index must be fed one
algorithm (the writer's); a digest of another algorithm simply never matches.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from types import TracebackType

from newsarchive.records import Capture
from newsarchive.warc.reader import digest_key
from newsarchive.warc.revisit import PriorCapture

__all__ = ["STATE_FILE", "TABLE", "DigestIndex", "PriorCapture"]

logger = logging.getLogger(__name__)

STATE_FILE = "state.sqlite"
TABLE = "warc_digests"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    payload_digest TEXT NOT NULL,
    url TEXT NOT NULL,
    record_id TEXT NOT NULL,
    warc_date TEXT NOT NULL,
    warc_file TEXT NOT NULL,
    record_offset INTEGER NOT NULL,
    record_length INTEGER NOT NULL,
    last_recorded TEXT NOT NULL,
    revisits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (payload_digest, url)
) WITHOUT ROWID
"""


class DigestIndex:
    """Persistent (payload digest, URL) -> archived response; use from one thread.

    Each change commits at once; the store runs in WAL mode with `synchronous=NORMAL`, so a
    commit costs no fsync and a crash loses at most the last few rows, which only means a
    later duplicate is stored in full instead of as a revisit. Records are written to the WARC
    (unbuffered) before they are added here, so a row never points at a record not on disk.
    """

    def __init__(self, path: Path) -> None:
        """Open (creating it and its directory if needed) the store at `path`, usually
        `DIR/SITE/state.sqlite`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError:
            self._db.close()
            raise

    def lookup(self, payload_digest: str, url: str) -> PriorCapture | None:
        """The archived response of `url` with this payload, or None."""
        row = self._db.execute(
            f"SELECT record_id, warc_date, warc_file, record_offset, record_length,"
            f" last_recorded, payload_digest FROM {TABLE} WHERE payload_digest = ? AND url = ?",
            (digest_key(payload_digest), url),
        ).fetchone()
        if row is None:
            return None
        return PriorCapture(
            record_id=row[0],
            target_uri=url,
            warc_date=row[1],
            warc_file=row[2],
            offset=row[3],
            length=row[4],
            last_recorded=row[5],
            payload_digest=row[6],
        )

    def add(self, url: str, warc_date: str, capture: Capture) -> None:
        """Remember a full response just written (`capture` as `write_exchange` returned it,
        `warc_date` its WARC-Date); it becomes the revisit target for its URL and payload."""
        if not capture.payload_digest:
            logger.debug("no payload digest for %s; not indexed", url)
            return
        self._db.execute(
            f"INSERT OR REPLACE INTO {TABLE} (payload_digest, url, record_id, warc_date,"
            " warc_file, record_offset, record_length, last_recorded, revisits)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                digest_key(capture.payload_digest),
                url,
                capture.record_id,
                warc_date,
                capture.warc_file,
                capture.offset,
                capture.length,
                warc_date,
            ),
        )

    def note_revisit(self, payload_digest: str, url: str, warc_date: str) -> None:
        """Record that a revisit of this pair was written at `warc_date` (restarts the
        blackout window)."""
        self._db.execute(
            f"UPDATE {TABLE} SET last_recorded = ?, revisits = revisits + 1"
            " WHERE payload_digest = ? AND url = ?",
            (warc_date, digest_key(payload_digest), url),
        )

    def __len__(self) -> int:
        row = self._db.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()
        return int(row[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> DigestIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
