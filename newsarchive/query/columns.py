"""Column types of the JSON lines as DuckDB reads them, and the same rules checked in Python.

DuckDB's `read_json` gets these types explicitly (never auto-detected), so an empty file, a
missing key or a null gives a typed NULL instead of a different schema per file. When DuckDB
rejects a file, `value_problem` re-checks it line by line with the rules DuckDB applies (a string
column takes any JSON value, an integer column a number, a bool or a numeric string, a list needs
an array, a struct an object), so exactly the lines DuckDB cannot read are reported and skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# DuckDB's own default (`maximum_object_size`), passed explicitly so both sides agree.
MAX_LINE_BYTES = 16 * 1024 * 1024

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_NUMERIC_TEXT = re.compile(r"^\s*[+-]?\d+\s*$")


@dataclass(frozen=True, slots=True)
class Scalar:
    sql: str
    """`VARCHAR` or `BIGINT`."""


@dataclass(frozen=True, slots=True)
class ListOf:
    item: ColumnType


@dataclass(frozen=True, slots=True)
class StructOf:
    fields: tuple[tuple[str, ColumnType], ...]


ColumnType = Scalar | ListOf | StructOf
Columns = tuple[tuple[str, ColumnType], ...]

TEXT = Scalar("VARCHAR")
INTEGER = Scalar("BIGINT")
BOOLEAN = Scalar("BOOLEAN")

CAPTION = StructOf((("text", TEXT), ("credit", TEXT), ("image_url", TEXT)))
RELATED = StructOf(
    (("title", TEXT), ("url", TEXT), ("position", INTEGER), ("block", TEXT), ("kind", TEXT))
)
EMBED = StructOf((("provider", TEXT), ("url", TEXT)))
LIVE_ENTRY = StructOf((("time", TEXT), ("title", TEXT), ("text", TEXT)))
LISTING_ITEM = StructOf((("title", TEXT), ("url", TEXT), ("position", INTEGER)))
CAPTURE = StructOf(
    (
        ("warc_file", TEXT),
        ("offset", INTEGER),
        ("length", INTEGER),
        ("record_id", TEXT),
        ("payload_digest", TEXT),
    )
)

# The line's own `site` is not read: views take site and run id from the directory layout.
ARTICLE_COLUMNS: Columns = (
    ("type", TEXT),
    ("schema_version", TEXT),
    ("url", TEXT),
    ("fetched_at", TEXT),
    ("status", INTEGER),
    ("extractor_version", TEXT),
    ("title", TEXT),
    ("lead", TEXT),
    ("body", TEXT),
    ("captions", ListOf(CAPTION)),
    ("related", ListOf(RELATED)),
    ("authors", ListOf(TEXT)),
    ("original_author", TEXT),
    ("published", TEXT),
    ("modified", TEXT),
    ("language", TEXT),
    ("section", TEXT),
    ("tags", ListOf(TEXT)),
    ("canonical_url", TEXT),
    ("format", TEXT),
    ("paywalled", BOOLEAN),
    ("needs_js", BOOLEAN),
    ("embeds", ListOf(EMBED)),
    ("entries", ListOf(LIVE_ENTRY)),
    ("pages", ListOf(TEXT)),
    ("content_digest", TEXT),
    ("version", INTEGER),
    ("previous_digest", TEXT),
    ("capture", CAPTURE),
)

LISTING_COLUMNS: Columns = (
    ("type", TEXT),
    ("schema_version", TEXT),
    ("url", TEXT),
    ("fetched_at", TEXT),
    ("status", INTEGER),
    ("items", ListOf(LISTING_ITEM)),
    ("capture", CAPTURE),
)


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duckdb_type(column: ColumnType) -> str:
    """The DuckDB type for `column`, e.g. `STRUCT("title" VARCHAR, "position" BIGINT)[]`."""
    if isinstance(column, Scalar):
        return column.sql
    if isinstance(column, ListOf):
        return duckdb_type(column.item) + "[]"
    inner = ", ".join(f"{_quote_identifier(name)} {duckdb_type(t)}" for name, t in column.fields)
    return f"STRUCT({inner})"


def columns_literal(columns: Columns) -> str:
    """The `columns={...}` argument of `read_json`."""
    parts = (f"'{name}': '{duckdb_type(t)}'" for name, t in columns)
    return "{" + ", ".join(parts) + "}"


def _integer_problem(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if _INT64_MIN <= value <= _INT64_MAX else "integer out of range"
    if isinstance(value, float):
        in_range = math.isfinite(value) and _INT64_MIN <= value <= _INT64_MAX
        return None if in_range else "number out of range"
    if isinstance(value, str) and _NUMERIC_TEXT.match(value):
        return None if _INT64_MIN <= int(value) <= _INT64_MAX else "integer out of range"
    return f"expected an integer, got {type(value).__name__}"


def value_problem(value: object, column: ColumnType, where: str) -> str | None:
    """Why DuckDB cannot read `value` as `column` (None when it can); `where` names the field."""
    if value is None:
        return None
    if isinstance(column, Scalar):
        if column.sql == "VARCHAR":
            return None  # DuckDB renders any JSON value as text
        if column.sql == "BOOLEAN":
            ok = isinstance(value, bool)
            return None if ok else f"{where}: expected true or false, got {type(value).__name__}"
        problem = _integer_problem(value)
        return f"{where}: {problem}" if problem else None
    if isinstance(column, ListOf):
        if not isinstance(value, list):
            return f"{where}: expected an array, got {type(value).__name__}"
        for index, item in enumerate(value):
            problem = value_problem(item, column.item, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if not isinstance(value, dict):
        return f"{where}: expected an object, got {type(value).__name__}"
    for name, field_type in column.fields:
        problem = value_problem(value.get(name), field_type, f"{where}.{name}")
        if problem:
            return problem
    return None


def record_problem(record: object, columns: Columns, expected_type: str) -> str | None:
    """Why a parsed line is not a readable `expected_type` record (None when it is)."""
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    if record.get("type") != expected_type:
        return f"type is {record.get('type')!r}, expected {expected_type!r}"
    for name, column in columns:
        problem = value_problem(record.get(name), column, name)
        if problem:
            return problem
    return None
