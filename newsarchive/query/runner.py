"""Running a researcher's SQL against an opened archive, and writing the result.

Several statements may be given (`CREATE MACRO ...; SELECT ...`): all run in order, and the last
one's result is the output. Every DuckDB error becomes a QueryError carrying DuckDB's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb

from newsarchive.query.errors import OutputError, QueryError
from newsarchive.query.sources import sql_string


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


COPY_OPTIONS = {
    OutputFormat.CSV: "FORMAT csv, HEADER true",
    OutputFormat.JSONL: "FORMAT json",
    OutputFormat.PARQUET: "FORMAT parquet, COMPRESSION zstd",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TableResult:
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    more_rows: bool
    """True when the result had more rows than were fetched."""


def _query_error(exc: duckdb.Error) -> QueryError:
    return QueryError(str(exc).strip())


def _statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[duckdb.Statement]:
    """The parsed statements of `sql`; QueryError when it does not parse or is empty."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise _query_error(exc) from exc
    if not statements:
        raise QueryError("the query is empty")
    return list(statements)


def check_syntax(sql: str) -> None:
    """Raise QueryError when `sql` does not parse, before any archive file is read."""
    with duckdb.connect(":memory:") as con:
        _statements(con, sql)


def prepare(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """Run every statement of `sql` but the last, and return the last one's text."""
    statements = _statements(con, sql)
    for statement in statements[:-1]:
        try:
            con.execute(statement.query)
        except duckdb.Error as exc:
            raise _query_error(exc) from exc
    last = statements[-1].query.strip()
    while last.endswith(";"):
        last = last[:-1].rstrip()
    return last


def fetch_table(con: duckdb.DuckDBPyConnection, sql: str, *, max_rows: int) -> TableResult:
    """Run `sql` and fetch at most `max_rows` rows of its result."""
    query = prepare(con, sql)
    try:
        con.execute(query)
        description = con.description or []
        columns = tuple(str(d[0]) for d in description)
        types = tuple(str(d[1]) for d in description)
        rows = con.fetchmany(max_rows + 1)
    except duckdb.Error as exc:
        raise _query_error(exc) from exc
    return TableResult(
        columns=columns, types=types, rows=rows[:max_rows], more_rows=len(rows) > max_rows
    )


def copy_result(
    con: duckdb.DuckDBPyConnection, sql: str, output_format: OutputFormat, target: Path
) -> int:
    """Write the result of `sql` to `target` in `output_format`; return the number of rows."""
    if output_format is OutputFormat.TABLE:
        raise ValueError("copy_result writes csv, jsonl or parquet, not a table")
    query = prepare(con, sql)
    statement = con.extract_statements(query)[-1]
    if statement.type != duckdb.StatementType.SELECT:
        raise QueryError(
            f"only a query (SELECT, FROM, DESCRIBE, SHOW, SUMMARIZE) can be written as "
            f"{output_format}; the last statement is {statement.type.name}"
        )
    # The line breaks keep a trailing `-- comment` from swallowing the closing parenthesis.
    copy = f"COPY (\n{query}\n) TO {sql_string(str(target))} ({COPY_OPTIONS[output_format]})"
    try:
        result = con.execute(copy).fetchone()
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.IOException) and str(target) in str(exc):
            message = f"cannot write the result: {str(exc).strip()}"
            raise OutputError(message, path=str(target)) from exc
        raise _query_error(exc) from exc
    return int(result[0]) if result else 0
