"""WACZ page lists (`json-pages-1.0`) from a run's `articles.jsonl` and `listings.jsonl`.

Articles become the package's pages, with their extracted title and body text, so ReplayWeb.page
lists them and searches their full text without extracting anything itself; listing pages
become extra pages. Each page id is the uuid of the response record the line came from.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

__all__ = ["PageListSummary", "write_page_list"]

logger = logging.getLogger(__name__)

PAGES_FORMAT = "json-pages-1.0"
MAX_TEXT_CHARS = 1_000_000  # per page: a runaway body must not bloat the package


@dataclass(slots=True)
class PageListSummary:
    pages: int = 0
    skipped: list[str] = field(default_factory=list)
    """`FILE:LINE: reason` of lines that gave no page."""


def _page_id(record: dict[str, Any], url: str, ts: str) -> str:
    capture = record.get("capture")
    record_id = capture.get("record_id") if isinstance(capture, dict) else None
    if isinstance(record_id, str) and record_id:
        return record_id.strip("<>").removeprefix("urn:uuid:")
    return f"{ts}/{url}"


def _iter_lines(path: Path, summary: PageListSummary) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                summary.skipped.append(f"{path.name}:{number}: not JSON ({exc})")
                continue
            if not isinstance(record, dict):
                summary.skipped.append(f"{path.name}:{number}: not a JSON object")
                continue
            yield number, record


def page_entry(record: dict[str, Any], *, with_text: bool) -> dict[str, str] | None:
    """The `pages.jsonl` object of one articles/listings line; None without url or date."""
    url, ts = record.get("url"), record.get("fetched_at")
    if not isinstance(url, str) or not url or not isinstance(ts, str) or not ts:
        return None
    entry = {"id": _page_id(record, url, ts), "url": url, "ts": ts}
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        entry["title"] = title.strip()
    if with_text:
        text = record.get("body")
        if isinstance(text, str) and text.strip():
            entry["text"] = text[:MAX_TEXT_CHARS]
    return entry


def write_page_list(
    sources: Path | list[Path],
    out: TextIO,
    *,
    list_id: str,
    title: str,
    with_text: bool,
) -> PageListSummary:
    """Write a header line and one line per usable record of the JSON-lines file(s) `sources`
    (a multi-worker run has one file per worker)."""
    summary = PageListSummary()
    header: dict[str, Any] = {"format": PAGES_FORMAT, "id": list_id, "title": title}
    if with_text:
        header["hasText"] = True
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    for source in [sources] if isinstance(sources, Path) else sources:
        if not source.is_file():
            continue
        for number, record in _iter_lines(source, summary):
            entry = page_entry(record, with_text=with_text)
            if entry is None:
                summary.skipped.append(f"{source.name}:{number}: no url or fetched_at")
                continue
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            summary.pages += 1
    for problem in summary.skipped[:20]:
        logger.warning("page list: skipped %s", problem)
    return summary
