"""`newsarchive index RUN_OR_WARCS... [-o FILE]`: a sorted CDXJ index, made by cdxj-indexer."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

_PROGRESS_AFTER_S = 1.0  # short jobs print only the summary line
_PROGRESS_EVERY_S = 0.5


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "index",
        help="write a sorted CDXJ index of WARC files (pywb, cdxj-indexer format)",
        description="Index run directories (their warc/ folder), WARC/ARC files or directories "
        "of them into one CDXJ file sorted bytewise (LC_ALL=C), as `cdxj-indexer --sort` does. "
        "Files still named .open are indexed under their final name.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="RUN_OR_WARC")
    p.add_argument("-o", "--output", type=Path, help="write the index here (default: stdout)")
    p.add_argument(
        "-p",
        "--post-append",
        action="store_true",
        help="append POST/PUT request bodies to their keys (cdxj-indexer -p; pywb needs it "
        "to replay POST captures)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsarchive.warc.errors import ReadError
    from newsarchive.warc.index import IndexProgress, iter_index_inputs, write_cdxj

    try:
        paths = list(iter_index_inputs(args.inputs))
    except ReadError as exc:
        print(f"error: {exc.path}: not found; give a run directory or WARC files", file=sys.stderr)
        return 2
    packages = [p for p in paths if p.name.lower().endswith(".wacz")]
    if packages:
        print(
            f"error: {packages[0]} is a WACZ: it carries its index already "
            f"(unzip -p {packages[0]} indexes/index.cdxj)",
            file=sys.stderr,
        )
        return 2
    if not paths:
        where = ", ".join(str(p) for p in args.inputs)
        print(
            f"error: no WARC or ARC files in {where}; give a run directory (it holds warc/) "
            "or .warc.gz files",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    last_print = [0.0]

    def progress(state: IndexProgress) -> None:
        now = time.monotonic()
        if now - started < _PROGRESS_AFTER_S or now - last_print[0] < _PROGRESS_EVERY_S:
            return
        last_print[0] = now
        share = state.bytes_done / state.bytes_total * 100 if state.bytes_total else 100.0
        print(
            f"\r  indexing {state.file.name} ({state.file_number}/{state.files_total}): "
            f"{state.records} records, {share:.0f}% of the bytes done",
            end="",
            file=sys.stderr,
            flush=True,
        )

    try:
        if args.output:
            partial = args.output.with_name(args.output.name + ".part")
            with partial.open("w", encoding="utf-8", newline="\n") as out:
                summary = write_cdxj(paths, out, post_append=args.post_append, progress=progress)
            partial.replace(args.output)
        else:
            summary = write_cdxj(paths, sys.stdout, post_append=args.post_append, progress=progress)
    except BrokenPipeError:  # `newsarchive index RUN | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if last_print[0]:
        print(file=sys.stderr)
    elapsed = time.monotonic() - started
    target = args.output or "stdout"
    print(
        f"indexed {summary.records} records of {summary.files} file(s) "
        f"({summary.bytes / 1e6:.1f} MB) in {elapsed:.1f} s: {summary.lines} lines -> {target}"
        f"{f', {len(summary.errors)} damaged file(s)' if summary.errors else ''}",
        file=sys.stderr,
    )
    for path in summary.still_open:
        print(
            f"  note: {path.name} is still .open (crawl running, or crashed); indexed as "
            f"{path.name.removesuffix('.open')}, rename it so once its crawl has stopped",
            file=sys.stderr,
        )
    for error in summary.errors:
        print(f"  {error}", file=sys.stderr)
    return 1 if summary.errors else 0
