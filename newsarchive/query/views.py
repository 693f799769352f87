"""An archive directory opened for SQL: DuckDB views over every run's JSON lines and run.json.

Views (public schema): `articles`, `listings`, `listing_items`, `captions`, `related`, `runs`.
The typed JSON reads behind them sit in schema `raw` (`raw.articles`, `raw.listings`,
`raw.runs`, and the file tables). Times become TIMESTAMPTZ in UTC; a value DuckDB cannot read
as a time is NULL. By default nothing is copied into the database and each query reads the
files again (one query, little disk); `materialize=True` loads the lines once into a temporary
database file instead, for callers that read every view (export).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb

from newsarchive.query.columns import ARTICLE_COLUMNS, LISTING_COLUMNS, duckdb_type
from newsarchive.query.errors import SkippedInput
from newsarchive.query.layout import RunFiles, find_runs
from newsarchive.query.runs import RUN_COLUMNS, write_run_rows
from newsarchive.query.sources import (
    SOURCE_COLUMN,
    JsonlKind,
    JsonlSource,
    check_sources,
    read_json_sql,
    readable_path,
    sql_string,
)

logger = logging.getLogger(__name__)

ARTICLES = JsonlKind(name="articles", record_type="article", columns=ARTICLE_COLUMNS)
LISTINGS = JsonlKind(name="listings", record_type="listing", columns=LISTING_COLUMNS)
VIEW_NAMES = ("articles", "listings", "listing_items", "captions", "related", "runs")

_TIME = "TRY_CAST({0} AS TIMESTAMPTZ) AS {0}"
_PUBLIC_VIEWS = {
    "articles": f"""
        SELECT site, run_id, url, {_TIME.format("fetched_at")}, status, title, lead, body,
               captions, related, authors, original_author, {_TIME.format("published")},
               TRY_CAST(left(published, 19) AS TIMESTAMP) AS published_local,
               {_TIME.format("modified")}, language, section, tags, canonical_url,
               coalesce(format, 'article') AS format, coalesce(paywalled, false) AS paywalled,
               coalesce(needs_js, false) AS needs_js, coalesce(embeds, []) AS embeds,
               coalesce(entries, []) AS entries, coalesce(pages, []) AS pages,
               content_digest, version, previous_digest, extractor_version, schema_version,
               capture, source_file
        FROM raw.articles""",
    "listings": f"""
        SELECT site, run_id, url, {_TIME.format("fetched_at")}, status, items,
               len(items) AS item_count, capture, schema_version, source_file
        FROM raw.listings""",
    "listing_items": """
        SELECT site, run_id, listing_url, fetched_at, item."position" AS position,
               item.title AS title, item.url AS url
        FROM (SELECT site, run_id, url AS listing_url, fetched_at, unnest(items) AS item
              FROM listings)""",
    "captions": """
        SELECT site, run_id, article_url, fetched_at, ordinal, caption."text" AS text,
               caption.credit AS credit, caption.image_url AS image_url
        FROM (SELECT site, run_id, url AS article_url, fetched_at, unnest(captions) AS caption,
                     generate_subscripts(captions, 1) AS ordinal
              FROM articles)""",
    "related": """
        SELECT site, run_id, article_url, fetched_at, ordinal, rel.block AS block,
               rel.kind AS kind, rel."position" AS position, rel.title AS title, rel.url AS url
        FROM (SELECT site, run_id, url AS article_url, fetched_at, unnest(related) AS rel,
                     generate_subscripts(related, 1) AS ordinal
              FROM articles)""",
    "runs": f"""
        SELECT site, run_id, {_TIME.format("started_at")}, {_TIME.format("finished_at")},
               duration_s, finish_reason, base_url, pages, articles, listings, exchanges,
               warc_bytes, error_total, warc_files, newsarchive_version, counts, settings,
               run_json, source_file
        FROM raw.runs""",
}
_FILE_COLUMNS = (
    "{'read_path': 'VARCHAR', 'source_file': 'VARCHAR', 'site': 'VARCHAR', 'run_id': 'VARCHAR'}"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadSummary:
    """What went into the views, and what was left out."""

    runs: int
    article_files: int
    listing_files: int
    article_lines: int
    listing_lines: int
    run_files: int
    skipped: tuple[SkippedInput, ...]


class ArchiveDatabase:
    """A DuckDB connection holding the archive views (in memory, or a temporary database file
    when materialized); close() removes its temporary files."""

    def __init__(self, con: duckdb.DuckDBPyConnection, workdir: Path, summary: LoadSummary) -> None:
        self.con = con
        self.workdir = workdir
        self.summary = summary

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _sources(runs: list[RunFiles], kind: JsonlKind, links: Path) -> list[JsonlSource]:
    found: list[JsonlSource] = []
    for run in runs:
        for path in run.articles if kind is ARTICLES else run.listings:
            found.append(
                JsonlSource(
                    site=run.site,
                    run_id=run.run_id,
                    source_file=str(path),
                    read_path=readable_path(path, links / kind.name, len(found)),
                )
            )
    return found


def _empty_select(kind: JsonlKind) -> str:
    columns = ["NULL::VARCHAR AS site", "NULL::VARCHAR AS run_id", "NULL::VARCHAR AS source_file"]
    columns += [f'NULL::{duckdb_type(t)} AS "{name}"' for name, t in kind.columns]
    return f"SELECT {', '.join(columns)} WHERE false"


def _create_raw_view(
    con: duckdb.DuckDBPyConnection,
    kind: JsonlKind,
    sources: list[JsonlSource],
    workdir: Path,
    *,
    materialize: bool,
) -> None:
    relation = "TABLE" if materialize else "VIEW"
    if not sources:
        con.execute(f"CREATE {relation} raw.{kind.name} AS {_empty_select(kind)}")
        return
    listing = workdir / f"{kind.name}-files.jsonl"
    with listing.open("w", encoding="utf-8") as out:
        for s in sources:
            row = {"read_path": s.read_path, "source_file": s.source_file}
            out.write(json.dumps(row | {"site": s.site, "run_id": s.run_id}) + "\n")
    table = f"raw.{kind.record_type}_files"
    con.execute(
        f"CREATE TABLE {table} AS SELECT * FROM read_json({sql_string(str(listing))}, "
        f"format='newline_delimited', columns={_FILE_COLUMNS})"
    )
    reader = read_json_sql(kind, [s.read_path for s in sources])
    con.execute(
        f"CREATE {relation} raw.{kind.name} AS "
        f"SELECT f.site, f.run_id, f.source_file, r.* EXCLUDE ({SOURCE_COLUMN}) "
        f"FROM {reader} AS r JOIN {table} AS f ON f.read_path = r.{SOURCE_COLUMN}"
    )


def _create_runs_table(
    con: duckdb.DuckDBPyConnection, runs: list[RunFiles], workdir: Path
) -> tuple[int, list[SkippedInput]]:
    rows_file = workdir / "runs.jsonl"
    written, skipped = write_run_rows(runs, rows_file)
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in RUN_COLUMNS.items()) + "}"
    con.execute(
        f"CREATE TABLE raw.runs AS SELECT * FROM read_json({sql_string(str(rows_file))}, "
        f"format='newline_delimited', columns={columns})"
    )
    return written, skipped


def open_archive(
    archive: Path,
    *,
    materialize: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ArchiveDatabase:
    """Open `archive` (an archive, site or run directory) for SQL.

    Raises ArchiveError when the directory cannot be used. Bad lines and unreadable files are
    left out and listed in `summary.skipped` as `file:line: reason`.
    """
    runs, skipped = find_runs(archive)
    workdir = Path(tempfile.mkdtemp(prefix="newsarchive-query-"))
    # A database file (not memory) when materializing: DuckDB compresses it and can evict it.
    con = duckdb.connect(str(workdir / "archive.duckdb") if materialize else ":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        # DuckDB's own progress bar would land in the middle of csv or jsonl on stdout.
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET temp_directory = {sql_string(str(workdir / 'spill'))}")
        con.execute("CREATE SCHEMA raw")
        counts: dict[str, tuple[int, int]] = {}
        for kind in (ARTICLES, LISTINGS):
            sources = _sources(runs, kind, workdir / "links")
            if progress and sources:
                progress(f"checking {len(sources)} {kind.name} file(s)")
            accepted, bad = check_sources(con, kind, sources, workdir)
            skipped.extend(bad)
            if progress and materialize and accepted:
                progress(f"loading {kind.name}")
            _create_raw_view(con, kind, accepted, workdir, materialize=materialize)
            counts[kind.name] = (len(sources), sum(s.rows for s in accepted))
        run_files, bad_runs = _create_runs_table(con, runs, workdir)
        skipped.extend(bad_runs)
        for name, sql in _PUBLIC_VIEWS.items():
            con.execute(f"CREATE VIEW {name} AS {sql}")
    except BaseException:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    summary = LoadSummary(
        runs=len(runs),
        article_files=counts["articles"][0],
        listing_files=counts["listings"][0],
        article_lines=counts["articles"][1],
        listing_lines=counts["listings"][1],
        run_files=run_files,
        skipped=tuple(skipped),
    )
    logger.debug("opened %s: %s", archive, summary)
    return ArchiveDatabase(con, workdir, summary)
