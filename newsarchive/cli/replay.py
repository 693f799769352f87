"""`newsarchive replay WARC_OR_DIR...`: re-extract articles and listings from archived responses."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "replay",
        help="re-extract article/listing lines from WARC files or run directories (no network)",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="WARC_OR_DIR")
    p.add_argument("-o", "--output", type=Path, help="write JSON lines here (default: stdout)")
    p.add_argument(
        "--site",
        help="site profile for classification (default: the one in the run's run.json; "
        "'generic' for none)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsarchive.errors import NewsarchiveError
    from newsarchive.replay import ReplaySummary, replay

    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        print(f"error: not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    started = time.monotonic()

    def progress(summary: ReplaySummary) -> None:
        if not sys.stderr.isatty():
            return
        print(
            f"\r  {summary.exchanges} records, {summary.articles} articles, "
            f"{summary.listings} listings",
            end="",
            file=sys.stderr,
            flush=True,
        )

    try:
        if args.output:
            with args.output.open("w", encoding="utf-8") as out:
                summary = replay(args.inputs, out, site=args.site, progress=progress)
        else:
            summary = replay(args.inputs, sys.stdout, site=args.site, progress=progress)
    except NewsarchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.monotonic() - started
    print(
        ("\r\033[K" if sys.stderr.isatty() else "")
        + f"replayed {summary.files} WARC file(s), {summary.exchanges} responses "
        f"in {elapsed:.1f} s:"
        f" {summary.articles} articles ({summary.duplicates} duplicates"
        + (
            f", {summary.joined_pages} later page(s) of stories joined"
            if summary.joined_pages
            else ""
        )
        + "), "
        f"{summary.listings} listings, {len(summary.errors)} bad records",
        file=sys.stderr,
    )
    for error in summary.errors[:20]:
        print(f"  {error}", file=sys.stderr)
    if summary.exchanges == 0 and summary.errors:
        return 1
    return 0
