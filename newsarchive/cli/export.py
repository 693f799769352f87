"""`newsarchive export --format parquet|csv ARCHIVE_DIR -o DIR`: one file per view.

Writes articles, listings, listing_items, captions, related and runs as DIR/<view>.parquet (or
.csv), for pandas, R or any Parquet reader. Lines DuckDB cannot read are skipped and reported on
stderr as `file:line: reason`. Exit status: 0 ok; 1 a file could not be written; 2 bad archive
directory or output directory (checked before anything is read).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from newsarchive.cli.query import (
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    StatusLine,
    open_or_report,
    print_skipped,
)


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="write every query view (articles, listings, ...) as Parquet or CSV files",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "archive",
        type=Path,
        metavar="ARCHIVE_DIR",
        help="archive (DIR/SITE/RUN_ID/), site or run directory",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="output DIR")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.set_defaults(func=run)


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


def run(args: argparse.Namespace) -> int:
    from newsarchive.query.errors import OutputError
    from newsarchive.query.export import ExportFormat, check_output_directory, export_archive

    started = time.monotonic()
    try:
        check_output_directory(args.output)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    db = open_or_report(args.archive, materialize=True)
    if db is None:
        return EXIT_USAGE
    status = StatusLine(sys.stderr)
    with db:
        print_skipped(db.summary.skipped, sys.stderr)

        def progress(view: str, done: int, total: int) -> None:
            status.show(f"exporting {view} ({done + 1}/{total})")

        try:
            exported = export_archive(db, args.output, ExportFormat(args.format), progress=progress)
        except OutputError as exc:
            status.clear()
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_OUTPUT
        status.clear()
        summary = db.summary
    elapsed = time.monotonic() - started
    print(
        f"exported {args.archive} ({summary.runs} run(s), {summary.article_lines} article and "
        f"{summary.listing_lines} listing lines) to {args.output} in {elapsed:.1f} s"
    )
    name_width = max(len(e.view) for e in exported)
    for e in exported:
        print(f"  {e.view:<{name_width}}  {e.rows:>9} rows  {_size(e.bytes):>9}  {e.path}")
    if summary.skipped:
        print(f"  skipped {len(summary.skipped)} unreadable line(s) or file(s), listed on stderr")
    return EXIT_OK
