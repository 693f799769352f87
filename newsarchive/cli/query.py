"""`newsarchive query "SQL" [ARCHIVE_DIR]`: DuckDB SQL over every run's JSON lines.

Views: articles, listings, listing_items, captions, related, runs. Output: an aligned table
(default), csv, jsonl or parquet, to stdout or `-o FILE` (parquet needs -o). Lines DuckDB cannot
read are skipped and reported on stderr as `file:line: reason`.
Exit status: 0 ok; 1 the result could not be written; 2 bad query, archive directory or options.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from newsarchive.query.errors import SkippedInput
    from newsarchive.query.views import ArchiveDatabase

EXIT_OK = 0
EXIT_OUTPUT = 1
EXIT_USAGE = 2
FORMATS = ("table", "csv", "jsonl", "parquet")
SKIPPED_SHOWN = 50


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "query",
        help="run DuckDB SQL over the archive's JSON lines (views: articles, listings, "
        "listing_items, captions, related, runs)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sql", metavar="SQL", help='the query, e.g. "SELECT count(*) FROM articles"')
    p.add_argument(
        "archive",
        nargs="?",
        type=Path,
        default=Path("archives"),
        metavar="ARCHIVE_DIR",
        help="archive (DIR/SITE/RUN_ID/), site or run directory (default: archives)",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    p.add_argument(
        "--max-rows",
        type=int,
        default=1000,
        metavar="N",
        help="table format: show at most N rows (default 1000)",
    )
    p.add_argument(
        "--max-width",
        type=int,
        default=40,
        metavar="N",
        help="table format: cut cells longer than N characters (default 40)",
    )
    p.set_defaults(func=run)


def print_skipped(skipped: Sequence[SkippedInput], stream: TextIO) -> None:
    """Each skipped line as `file:line: reason`, then a count when there were many."""
    for item in skipped[:SKIPPED_SHOWN]:
        print(item, file=stream)
    if len(skipped) > SKIPPED_SHOWN:
        print(f"... and {len(skipped) - SKIPPED_SHOWN} more", file=stream)
    if skipped:
        print(f"skipped {len(skipped)} unreadable line(s) or file(s)", file=stream)


class StatusLine:
    """A transient one-line status on an interactive stderr; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.active = stream.isatty()
        self.width = 0

    def show(self, message: str) -> None:
        if self.active:
            text = message[: shutil.get_terminal_size().columns - 1]
            self.stream.write("\r" + text.ljust(self.width))
            self.stream.flush()
            self.width = len(text)

    def clear(self) -> None:
        if self.active and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def open_or_report(archive: Path, *, materialize: bool) -> ArchiveDatabase | None:
    """The archive opened as DuckDB views with progress on stderr, or None after printing why
    it cannot be (the caller exits with EXIT_USAGE)."""
    from newsarchive.query.errors import ArchiveError
    from newsarchive.query.views import open_archive

    status = StatusLine(sys.stderr)
    try:
        db = open_archive(archive, materialize=materialize, progress=status.show)
    except ArchiveError as exc:
        status.clear()
        print(f"error: {exc}", file=sys.stderr)
        return None
    status.clear()
    return db


def check_output_file(path: Path) -> str | None:
    """Why `path` cannot be written (None when it can), checked before any work is done."""
    parent = path.parent
    if path.is_dir():
        return f"{path}: is a directory; -o takes a file name"
    if not parent.is_dir():
        return f"{path}: the directory {parent} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{path}: the directory {parent} is not writable"
    return None


def _print_table(db: ArchiveDatabase, args: argparse.Namespace, out: TextIO) -> None:
    from newsarchive.query.runner import fetch_table
    from newsarchive.query.table import render_table

    result = fetch_table(db.con, args.sql, max_rows=args.max_rows)
    width = shutil.get_terminal_size().columns if out.isatty() else None
    lines = render_table(
        result.columns,
        result.types,
        result.rows,
        max_cell_width=args.max_width,
        total_width=width,
    )
    print("\n".join(lines), file=out)
    count = len(result.rows)
    if result.more_rows:
        print(f"(first {count} rows shown; add LIMIT, or use --format csv for all)", file=out)
    else:
        print(f"({count} row{'' if count == 1 else 's'})", file=out)


def _write_result(db: ArchiveDatabase, args: argparse.Namespace) -> None:
    from newsarchive.query.runner import OutputFormat, copy_result

    output_format = OutputFormat(args.format)
    if args.output:
        rows = copy_result(db.con, args.sql, output_format, args.output)
        print(f"wrote {rows} row(s) to {args.output}", file=sys.stderr)
        return
    target = db.workdir / f"result.{args.format}"
    copy_result(db.con, args.sql, output_format, target)
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    with target.open("rb") as result:
        if binary is not None:
            shutil.copyfileobj(result, binary)
            binary.flush()
        else:
            sys.stdout.write(result.read().decode("utf-8"))


def _run_query(db: ArchiveDatabase, args: argparse.Namespace) -> None:
    if args.format != "table":
        _write_result(db, args)
    elif args.output:
        with args.output.open("w", encoding="utf-8") as out:
            _print_table(db, args, out)
    else:
        _print_table(db, args, sys.stdout)


def run(args: argparse.Namespace) -> int:
    from newsarchive.query.errors import OutputError, QueryError
    from newsarchive.query.runner import check_syntax

    if args.format == "parquet" and not args.output:
        print(
            "error: --format parquet needs -o FILE (Parquet is not for a terminal)", file=sys.stderr
        )
        return EXIT_USAGE
    if args.max_rows < 1 or args.max_width < 2:
        print("error: --max-rows must be at least 1 and --max-width at least 2", file=sys.stderr)
        return EXIT_USAGE
    problem = check_output_file(args.output) if args.output else None
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        check_syntax(args.sql)  # a typo should not cost a scan of the archive
    except QueryError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    db = open_or_report(args.archive, materialize=False)
    if db is None:
        return EXIT_USAGE
    with db:
        print_skipped(db.summary.skipped, sys.stderr)
        try:
            _run_query(db, args)
        except QueryError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return EXIT_USAGE
        except OutputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_OUTPUT
        except BrokenPipeError:
            # `newsarchive query ... | head`: the reader has all it wanted.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_OK
        except OSError as exc:
            print(f"error: cannot write the result: {exc}", file=sys.stderr)
            return EXIT_OUTPUT
    return EXIT_OK
