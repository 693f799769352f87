"""Command line: `newsarchive <command> ...`; one thin module per subcommand.

Each subcommand module exposes `add_parser(subparsers)` and `run(args) -> int`. `main(argv)` takes
a list so tests call it in-process.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from newsarchive import __version__

# Imported lazily so `newsarchive extract` never loads Scrapy or Twisted.
COMMANDS = ("crawl", "extract", "replay", "demo_site", "index", "wacz", "query", "export")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Crawl news sites into WARC archives and clean article JSON lines.",
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"newsarchive.cli.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # `crawl` hands logging to Scrapy (LOG_LEVEL); the other commands log warnings to stderr.
    if args.command != "crawl" and not logging.getLogger().handlers:
        level = logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    code: int = args.func(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
