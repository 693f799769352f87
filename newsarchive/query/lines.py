"""Line-by-line check of one JSON-lines file: report each unreadable line, keep the rest.

Only used on a file DuckDB refused (or that holds records of the wrong kind), so the fast path
stays in DuckDB. Streams the file, so memory stays flat however large it is.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from newsarchive.query.columns import MAX_LINE_BYTES, Columns, record_problem
from newsarchive.query.errors import SkippedInput

logger = logging.getLogger(__name__)


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # DuckDB rejects an object with a repeated key; json.loads would silently keep the last one.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result


def line_problem(raw: bytes, columns: Columns, expected_type: str, *, strict: bool) -> str | None:
    """Why this line cannot go into the view (None when it can).

    The quick check (strict=False) finds what damage usually is (truncated or garbled lines,
    non-objects, foreign records) at the speed of json.loads; the strict check adds every
    column's type and repeated keys, which is what DuckDB's casts reject.
    """
    if len(raw) > MAX_LINE_BYTES:
        return f"line is {len(raw)} bytes, over the {MAX_LINE_BYTES} byte limit"
    try:
        text = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (invalid byte at offset {exc.start})"
    try:
        record = json.loads(text, object_pairs_hook=_no_duplicate_keys if strict else None)
    except _DuplicateKeyError as exc:
        return f"invalid JSON: {exc}"
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return "invalid JSON: nested too deeply"
    problem = record_problem(record, columns if strict else (), expected_type)
    if problem is None and strict:
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            # json.loads keeps an unpaired \ud800 escape as a lone surrogate; DuckDB rejects it.
            return "invalid JSON: unpaired UTF-16 surrogate escape"
    return problem


def copy_readable_lines(
    source: Path,
    target: Path,
    columns: Columns,
    expected_type: str,
    *,
    display_path: str,
    strict: bool,
) -> tuple[int, list[SkippedInput]]:
    """Copy the good lines of `source` to `target`; return (lines kept, lines skipped)."""
    kept = 0
    skipped: list[SkippedInput] = []
    with source.open("rb") as src, target.open("wb") as dst:
        for number, raw in enumerate(src, start=1):
            if not raw.strip():
                continue
            problem = line_problem(raw, columns, expected_type, strict=strict)
            if problem:
                skipped.append(SkippedInput(display_path, number, problem))
                continue
            dst.write(raw if raw.endswith(b"\n") else raw + b"\n")
            kept += 1
    logger.debug("%s: %d lines kept, %d skipped", display_path, kept, len(skipped))
    return kept, skipped
