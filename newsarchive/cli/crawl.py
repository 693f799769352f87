"""`newsarchive crawl SITE`: one run directory of WARCs and JSON lines."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "crawl",
        help="crawl a site into DIR/SITE/<run-id>/ (WARC + articles.jsonl + listings.jsonl)",
        description="Crawl a news site by its profile (bundled name or path to a .toml file).",
    )
    p.add_argument("site", help="profile name (demo, orda) or path to a profile .toml")
    p.add_argument(
        "--out", type=Path, default=Path("archives"), help="output DIR (default: archives)"
    )
    p.add_argument("--max-pages", type=int, default=0, help="stop after N responses (0: no limit)")
    p.add_argument(
        "--since", type=_iso_date, help="skip articles published before DATE (YYYY-MM-DD)"
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="ignore the site state: fetch and emit every article (default: only new/changed)",
    )
    p.add_argument("--run-id", help="run id (default: UTC start time, YYYYmmddTHHMMSSZ)")
    demo = p.add_argument_group("demo site")
    demo.add_argument(
        "--demo-url", help="crawl an already running demo site instead of starting one"
    )
    demo.add_argument("--demo-latency", type=int, default=0, metavar="MS", help="server latency")
    demo.add_argument("--demo-size", type=int, default=120, metavar="N", help="en articles")
    demo.add_argument("--demo-faults", action="store_true", help="serve the fault-injection site")
    p.add_argument(
        "--redis",
        metavar="URL",
        help="share the crawl with other workers through Redis: redis://[:password@]host:port/db "
        "or rediss:// (default: env NEWSARCHIVE_REDIS_URL; README: Scale-out with Redis)",
    )
    p.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/newsarchive setting (repeatable)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=run)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-03-01") from exc


# Exit codes (documented in the README; cron and systemd act on them).
EXIT_OK = 0
EXIT_ERRORS = 1  # finished, but some pages failed (see run.json "errors")
EXIT_USAGE = 2  # bad arguments, profile or output directory: nothing was crawled
EXIT_ABORTED = 3  # stopped before the end (signal, disk full, crash)
EXIT_REDIS_UNAVAILABLE = 69  # --redis: Redis unreachable or refused us (EX_UNAVAILABLE)
EXIT_ALREADY_RUNNING = 75  # another run holds DIR/SITE/.lock (EX_TEMPFAIL: try again later)
COMPLETE_REASONS = {"finished", "closespider_pagecount", "closespider_itemcount"}


def run(args: argparse.Namespace) -> int:
    import os

    from newsarchive.crawl import CrawlOptions, run_crawl
    from newsarchive.distributed.errors import RedisUnavailable
    from newsarchive.distributed.mode import URL_ENV
    from newsarchive.errors import NewsarchiveError
    from newsarchive.lock import AlreadyRunning

    overrides: dict[str, str] = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            print(f"error: -s {item!r}: expected NAME=VALUE", file=sys.stderr)
            return 2
        overrides[name] = value
    options = CrawlOptions(
        site=args.site,
        out=args.out,
        max_pages=args.max_pages,
        since=args.since,
        run_id=args.run_id,
        demo_url=args.demo_url,
        demo_latency=args.demo_latency,
        demo_size=args.demo_size,
        demo_faults=args.demo_faults,
        full=args.full,
        redis_url=args.redis or overrides.get("NEWSARCHIVE_REDIS_URL") or os.environ.get(URL_ENV),
        settings=overrides,
        log_level="INFO" if args.verbose else "ERROR" if args.quiet else "WARNING",
        progress=not args.quiet and sys.stderr.isatty(),
    )
    try:
        record = run_crawl(options)
    except AlreadyRunning as exc:
        print(f"newsarchive: {exc}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    except RedisUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REDIS_UNAVAILABLE
    except NewsarchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if record is None:
        print("error: the crawl ended before writing run.json; see the log above", file=sys.stderr)
        return EXIT_ABORTED
    code = exit_code(record)
    if not args.quiet:
        print_summary(record, Path(record["run_dir"]))
    elif code != EXIT_OK:
        counts = record["counts"]
        print(
            f"newsarchive crawl {record['site']}: {record['finish_reason']}, "
            f"{counts['error_total']} errors {json.dumps(counts['errors'])}; "
            f"see {Path(record['run_dir']) / record['outputs']['log']}",
            file=sys.stderr,
        )
    return code


def exit_code(record: dict[str, Any]) -> int:
    if record["finish_reason"] not in COMPLETE_REASONS:
        return EXIT_ABORTED
    return EXIT_ERRORS if record["counts"]["error_total"] else EXIT_OK


def invocation() -> str:
    """How to call newsarchive again, as this process was called (venv not activated, -m...)."""
    program = sys.argv[0] if sys.argv else "newsarchive"
    if program.endswith("__main__.py") or not program:
        return f"{sys.executable} -m newsarchive"
    found = shutil.which(Path(program).name)
    if found and Path(found).resolve() == Path(program).resolve():
        return Path(program).name
    return program


def print_summary(record: dict[str, Any], run_dir: Path) -> None:
    counts = record["counts"]
    outputs = record["outputs"]
    # A Redis worker prints its own counts; run.json holds every worker's.
    own_record = f"run-{record['worker']}.json, merged into run.json" if "worker" in record else ""
    mb = counts["warc_bytes"] / 1_000_000
    dropped = json.dumps(counts["articles_dropped"]) if counts["articles_dropped"] else "0"
    lines = [
        f"newsarchive crawl {record['site']} finished ({record['finish_reason']}) "
        f"in {record['duration_s']:.1f} s",
        f"  pages fetched : {counts['exchanges']} exchanges, {counts['pages']} HTML pages",
        f"  articles      : {counts['articles']} written ({counts['articles_new']} new, "
        f"{counts['articles_updated']} updated), {counts['articles_unchanged']} unchanged, "
        f"{counts['articles_duplicate']} duplicates, dropped {dropped}"
        + (
            f", {counts['articles_joined_pages']} later page(s) of stories joined"
            if counts.get("articles_joined_pages")
            else ""
        ),
        f"  listings      : {counts['listings']}",
        f"  WARC          : {counts['warc_files']} file(s), {mb:.1f} MB in {run_dir / 'warc'}",
        f"  errors        : {counts['error_total']}"
        + (f" {json.dumps(counts['errors'])}" if counts["errors"] else ""),
        f"  outputs       : {run_dir / outputs['articles']}",
        f"                  {run_dir / outputs['listings']}",
        f"                  {run_dir / 'run.json'}" + (f" ({own_record})" if own_record else ""),
        "Try next:",
        f"  {invocation()} replay {run_dir} -o replayed.jsonl   # re-extract from the WARCs",
        f"  head -n 1 {run_dir / outputs['articles']} | python -m json.tool   # one article",
    ]
    print("\n".join(lines))
