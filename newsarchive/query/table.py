"""A query result as an aligned text table for a terminal: long cells cut, numbers right-aligned.

Widths count terminal cells (wide East Asian characters take two, combining marks none), so
Cyrillic, Kazakh and CJK text line up.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

ELLIPSIS = "…"
NULL_TEXT = "NULL"
COLUMN_GAP = "  "
MIN_CELL_WIDTH = 6
_NUMERIC_TYPES = frozenset(
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
        "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE",
        "NUMBER",  # DuckDB 1.x reports DB-API type codes in cursor.description
    }
)  # fmt: skip


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def cut(text: str, width: int) -> str:
    """`text` shortened to `width` terminal cells, ending in an ellipsis when cut."""
    if text_width(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        kept.append(char)
        used += w
    return "".join(kept) + ELLIPSIS


def _flat(text: str) -> str:
    # One table row per result row: line breaks become a visible mark, other controls a space.
    text = text.replace("\r\n", "\n").replace("\n", "↵")
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def cell_text(value: Any) -> str:
    """How one value is shown: NULL, ISO-like times, JSON for lists and structs."""
    if value is None:
        return NULL_TEXT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return str(value)
    if isinstance(value, float | int | Decimal):
        return str(value)
    if isinstance(value, list | tuple | dict):
        return _flat(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, bytes):
        return _flat(value.hex())
    return _flat(str(value))


def is_numeric_type(type_name: str) -> bool:
    return type_name in _NUMERIC_TYPES or type_name.startswith("DECIMAL")


def _fit(widths: list[int], total: int) -> list[int]:
    """Shrink the widest columns until the row fits in `total` cells (never below the minimum)."""
    widths = list(widths)
    gaps = len(COLUMN_GAP) * (len(widths) - 1)
    while sum(widths) + gaps > total:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_CELL_WIDTH:
            break
        widths[widest] -= 1
    return widths


def render_table(
    columns: Sequence[str],
    types: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    max_cell_width: int = 40,
    total_width: int | None = None,
) -> list[str]:
    """The table's lines (header, rule, rows), without the trailing row count."""
    header = [_flat(c) for c in columns]
    body = [[cell_text(v) for v in row] for row in rows]
    widths = [
        min(max([text_width(header[i])] + [text_width(r[i]) for r in body]), max_cell_width)
        for i in range(len(header))
    ]
    widths = [max(w, 1) for w in widths]
    if total_width is not None:
        widths = _fit(widths, total_width)
    right = [is_numeric_type(t) for t in types]

    def line(cells: Sequence[str], align_numbers: bool) -> str:
        parts = []
        for i, cell in enumerate(cells):
            text = cut(cell, widths[i])
            pad = " " * (widths[i] - text_width(text))
            parts.append(pad + text if align_numbers and right[i] else text + pad)
        return COLUMN_GAP.join(parts).rstrip()

    lines = [line(header, True), COLUMN_GAP.join("-" * w for w in widths)]
    lines += [line(r, True) for r in body]
    return lines
