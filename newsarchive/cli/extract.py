"""`newsarchive extract [--url URL] FILE...` / `--from-jsonl LIST`: article fields of saved pages.

Prints one JSON object per input page to stdout, in input order: the ArticleFields fields plus
`source` (the path as given) and `url`. A page that cannot be read or parsed gives
`{"source", "url", "error"}` and the run goes on. Exit status 1 only when no page could be read
and extracted at all; a summary line goes to stderr. Imports only the extraction library.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_PAGE_BYTES = 8_000_000
_GC_THRESHOLD = 50_000


@dataclass(frozen=True, slots=True)
class _Input:
    source: str
    """The path as given (or `LIST:line` for a bad list line)."""
    path: Path | None
    url: str | None
    problem: str | None = None
    fetched_at: str | None = None
    """When the page was captured (ISO 8601): later dates are not publication dates."""


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="print article fields (JSON lines) of saved HTML pages (.html or .html.gz)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="HTML file, .html or .html.gz")
    p.add_argument(
        "--url",
        help="URL the FILEs were fetched from (base for relative links; default: the page's "
        "canonical link)",
    )
    p.add_argument(
        "--from-jsonl",
        type=Path,
        metavar="LIST",
        help='JSON lines {"path": ..., "url": ..., "fetched_at": ...} ("fetched_at" optional); '
        "relative paths are read from LIST's folder",
    )
    p.add_argument(
        "--fetched-at",
        metavar="ISO_TIME",
        help="when the FILEs were captured; dates after it are not taken as publication dates",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    p.set_defaults(func=run)


def _list_inputs(listing: Path) -> Iterator[_Input]:
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield _Input(str(listing), None, None, f"cannot read list {listing}: {exc}")
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{listing}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Input(where, None, None, f"not a JSON line ({exc}); expected {{path, url}}")
            continue
        path = record.get("path") if isinstance(record, dict) else None
        url = record.get("url") if isinstance(record, dict) else None
        fetched = record.get("fetched_at") if isinstance(record, dict) else None
        if not isinstance(path, str) or not path:
            yield _Input(where, None, None, 'line has no "path"; expected {"path", "url"}')
            continue
        resolved = Path(path) if Path(path).is_absolute() else listing.parent / path
        yield _Input(
            path,
            resolved,
            url if isinstance(url, str) and url else None,
            fetched_at=fetched if isinstance(fetched, str) and fetched else None,
        )


def _read_body(path: Path) -> bytes:
    """File bytes, gunzipped when they start with the gzip magic (bounded against bombs)."""
    with path.open("rb") as handle:
        raw = handle.read(_MAX_PAGE_BYTES * 4 + 1)
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(raw, _MAX_PAGE_BYTES + 1)
    except zlib.error as exc:
        raise OSError(f"broken gzip data: {exc}") from exc
    if not inflater.eof and not inflater.unconsumed_tail and not data:
        raise OSError("broken gzip data: the stream ends before any content")
    return data


def _extract_one(item: _Input) -> dict[str, Any]:
    from newsarchive.errors import NewsarchiveError
    from newsarchive.extract import extract_article, load_page
    from newsarchive.records import fields_to_json_dict

    if item.problem is not None or item.path is None:
        return {"source": item.source, "url": item.url, "error": item.problem or "no path"}
    try:
        body = _read_body(item.path)
    except OSError as exc:
        return {"source": item.source, "url": item.url, "error": f"cannot read file: {exc}"}
    try:
        page = load_page(body, item.url)
    except NewsarchiveError as exc:
        return {"source": item.source, "url": item.url, "error": exc.message}
    try:
        fields = extract_article(page, fetched_at=item.fetched_at)
    except NewsarchiveError as exc:
        return {"source": item.source, "url": item.url, "error": exc.message}
    finally:
        # The memo refers back to the page: clearing it lets reference counting free the tree
        # now instead of leaving a cycle to the garbage collector (see run()).
        page.memo.clear()
    return {"source": item.source, "url": item.url or page.base_url, **fields_to_json_dict(fields)}


def _write(out: TextIO, obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _run_inputs(inputs: list[_Input], logger: logging.Logger) -> tuple[int, int]:
    """Extract every input, writing one JSON line each; (pages extracted, errors)."""
    pages = errors = 0
    for item in inputs:
        try:
            obj = _extract_one(item)
        except Exception as exc:  # per-file boundary: one bad page never ends the run
            logger.error("%s: extraction failed", item.source, exc_info=True)
            obj = {"source": item.source, "url": item.url, "error": f"internal error: {exc!r}"}
        if "error" in obj:
            errors += 1
            logger.warning("%s: %s", item.source, obj["error"])
        else:
            pages += 1
        _write(sys.stdout, obj)
    return pages, errors


def run(args: argparse.Namespace) -> int:
    logger = logging.getLogger("newsarchive.cli.extract")
    if not args.files and args.from_jsonl is None:
        print("error: give FILE arguments or --from-jsonl LIST", file=sys.stderr)
        return 2
    inputs: list[_Input] = [
        _Input(f, Path(f), args.url, fetched_at=args.fetched_at) for f in args.files
    ]
    if args.from_jsonl is not None:
        inputs.extend(_list_inputs(args.from_jsonl))
    import gc

    # Extraction allocates many short-lived containers and keeps no cycles (each page's memo is
    # cleared): with the default thresholds the cyclic collector keeps re-scanning the module
    # objects and the current tree, about a tenth of the run. Freeze what is loaded, collect
    # rarely, and restore the settings for in-process callers.
    started = time.monotonic()
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD, *thresholds[1:])
    try:
        pages, errors = _run_inputs(inputs, logger)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    sys.stdout.flush()
    elapsed = time.monotonic() - started
    print(
        f"extracted {pages} page(s), {errors} error(s) in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 1 if pages == 0 else 0
