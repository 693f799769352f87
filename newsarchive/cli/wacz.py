"""`newsarchive wacz RUN -o FILE.wacz`: package a run as WACZ 1.1.1 (ReplayWeb.page, pywb)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "wacz",
        help="package a run directory as a WACZ file (WARCs, CDXJ index, pages with text)",
        description="Package a run directory as WACZ 1.1.1: its WARCs, a sorted CDXJ index, "
        "pages/pages.jsonl (articles with title and extracted text, for full-text search in "
        "ReplayWeb.page), pages/extraPages.jsonl (listing pages) and datapackage.json.",
    )
    p.add_argument("run", type=Path, metavar="RUN", help="run directory (holds warc/)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.wacz")
    p.add_argument("--title", help="package title (default: newsarchive SITE RUN-ID)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsarchive.errors import NewsarchiveError
    from newsarchive.warc.wacz import write_wacz

    if not args.run.is_dir():
        print(f"error: {args.run} is not a run directory (one holds warc/)", file=sys.stderr)
        return 2
    if args.output.suffix.lower() != ".wacz":
        print(f"error: {args.output}: the output name must end in .wacz", file=sys.stderr)
        return 2
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    try:
        summary = write_wacz(args.run, args.output, title=args.title, progress=progress)
    except NewsarchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    pages = summary.pages.pages if summary.pages else 0
    extra = summary.extra_pages.pages if summary.extra_pages else 0
    records = summary.index.records if summary.index else 0
    print(
        f"wrote {args.output} ({summary.bytes / 1e6:.1f} MB) in "
        f"{time.monotonic() - started:.1f} s: {len(summary.warcs)} WARC file(s), "
        f"{records} index lines, {pages} pages, {extra} extra pages",
        file=sys.stderr,
    )
    skipped = (summary.pages.skipped if summary.pages else []) + (
        summary.extra_pages.skipped if summary.extra_pages else []
    )
    for problem in skipped[:20]:
        print(f"  skipped {problem}", file=sys.stderr)
    return 0
