"""Getting JSON-lines files into DuckDB safely: a fast check in DuckDB, a line-by-line fallback.

Every file is first read by DuckDB with the explicit column types (all columns, so every cast
runs) and its record kind checked. A file DuckDB refuses is located (from the error message, else
by bisecting the file list), then checked line by line in Python: each bad line is reported as
`file:line: reason`, and the view reads a copy holding only the good lines. A copy DuckDB still
refuses is left out whole, with DuckDB's message. The fast path costs one scan; only damaged
files pay for the Python pass.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newsarchive.query.columns import MAX_LINE_BYTES, Columns, columns_literal
from newsarchive.query.errors import SkippedInput
from newsarchive.query.lines import copy_readable_lines

logger = logging.getLogger(__name__)

SOURCE_COLUMN = "_source_path"
# Characters DuckDB would read as a glob or that would need escaping: such paths are read
# through a symlink with a plain name instead.
_UNSAFE_PATH = re.compile(r"[*?\[\]{}'\\]")
_FILE_IN_MESSAGE = re.compile(r'file "([^"]+)"')


@dataclass(slots=True, kw_only=True)
class JsonlSource:
    """One JSON-lines file of a run, and the path DuckDB actually reads for it."""

    site: str
    run_id: str
    source_file: str
    """The file as found under the archive directory (shown to the user, kept in the views)."""
    read_path: str
    rows: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class JsonlKind:
    """A family of JSON-lines files (article lines or listing lines) and how to read them."""

    name: str
    record_type: str
    columns: Columns


@dataclass(slots=True)
class _Checker:
    con: duckdb.DuckDBPyConnection
    kind: JsonlKind
    workdir: Path
    accepted: list[JsonlSource] = field(default_factory=list)
    skipped: list[SkippedInput] = field(default_factory=list)
    copies: int = 0

    def check(self, group: list[JsonlSource]) -> None:
        """Accept the files of `group` DuckDB reads; repair or leave out the others."""
        if not group:
            return
        try:
            counts = self.con.execute(_check_sql(self.kind, group)).fetchall()
        except duckdb.Error as exc:
            if len(group) == 1:
                self._repair(group[0])
                return
            named = _named_source(exc, group)
            rest = [s for s in group if s is not named]
            if named is not None:
                self._repair(named)
            middle = len(rest) // 2
            self.check(rest[:middle])
            self.check(rest[middle:])
            return
        per_file = {path: (rows, wrong) for path, rows, wrong, _ in counts}
        for source in group:
            rows, wrong = per_file.get(source.read_path, (0, 0))
            if wrong:
                self._repair(source)
            else:
                source.rows = rows
                self.accepted.append(source)

    def _probe(self, source: JsonlSource) -> str | None:
        """Why DuckDB still cannot use `source` (None when it can, and it is accepted)."""
        try:
            counts = self.con.execute(_check_sql(self.kind, [source])).fetchall()
        except duckdb.Error as exc:
            return _first_line(exc)
        if any(wrong for _, _, wrong, _ in counts):
            return "records of the wrong kind remain"
        source.rows = sum(rows for _, rows, _, _ in counts)
        self.accepted.append(source)
        return None

    def _repair(self, source: JsonlSource) -> None:
        """Read `source` through a copy of its good lines: quick line check first, the strict
        one only if DuckDB still refuses the copy; left out whole if even that fails."""
        original = Path(source.source_file)
        problem = None
        for strict in (False, True):
            self.copies += 1
            copy = self.workdir / f"{self.kind.name}-{self.copies:06d}.jsonl"
            try:
                _, bad_lines = copy_readable_lines(
                    original,
                    copy,
                    self.kind.columns,
                    self.kind.record_type,
                    display_path=source.source_file,
                    strict=strict,
                )
            except OSError as exc:  # the file vanished or is unreadable, or the temp disk is full
                problem = f"cannot copy its readable lines: {exc.strerror or exc}"
                break
            source.read_path = str(copy)
            problem = self._probe(source)
            if problem is None or strict:
                self.skipped.extend(bad_lines)
                if problem is None:
                    return
                problem = f"DuckDB cannot read it: {problem}"
        message = f"file left out, {problem}"
        self.skipped.append(SkippedInput(source.source_file, None, message))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _named_source(exc: duckdb.Error, group: list[JsonlSource]) -> JsonlSource | None:
    match = _FILE_IN_MESSAGE.search(str(exc))
    if not match:
        return None
    return next((s for s in group if s.read_path == match.group(1)), None)


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_json_sql(kind: JsonlKind, paths: list[str]) -> str:
    """`read_json(...)` over `paths` with the kind's explicit column types."""
    files = "[" + ", ".join(sql_string(p) for p in paths) + "]"
    return (
        f"read_json({files}, format='newline_delimited', "
        f"columns={columns_literal(kind.columns)}, filename='{SOURCE_COLUMN}', "
        f"maximum_object_size={MAX_LINE_BYTES})"
    )


def _check_sql(kind: JsonlKind, group: list[JsonlSource]) -> str:
    # Hashing the whole row makes every column's cast run; count(*) or count(t) would let
    # DuckDB skip the casts, and a bad value would only fail later, inside the user's query.
    source = read_json_sql(kind, [s.read_path for s in group])
    wrong_kind = f"type IS DISTINCT FROM {sql_string(kind.record_type)}"
    return (
        f"SELECT {SOURCE_COLUMN}, count(*), count(*) FILTER (WHERE {wrong_kind}), bit_xor(hash(t)) "
        f"FROM {source} AS t GROUP BY {SOURCE_COLUMN}"
    )


def readable_path(path: Path, links: Path, number: int) -> str:
    """An absolute path DuckDB reads literally: when `path` has glob characters or quotes, a
    symlink `links/<number>.jsonl` to it."""
    absolute = path.absolute()
    if not _UNSAFE_PATH.search(str(absolute)):
        return str(absolute)
    links.mkdir(parents=True, exist_ok=True)
    link = links / f"{number:06d}{path.suffix}"
    link.symlink_to(absolute)
    return str(link)


def check_sources(
    con: duckdb.DuckDBPyConnection, kind: JsonlKind, sources: list[JsonlSource], workdir: Path
) -> tuple[list[JsonlSource], list[SkippedInput]]:
    """The sources DuckDB can read (cleaned where needed) and every line or file left out."""
    repairs = workdir / f"{kind.name}-repaired"
    repairs.mkdir(exist_ok=True)
    checker = _Checker(con, kind, repairs)
    checker.check(list(sources))
    order = {id(s): i for i, s in enumerate(sources)}
    checker.accepted.sort(key=lambda s: order[id(s)])
    # Repairs run in the order DuckDB trips over files; report in file and line order.
    checker.skipped.sort(key=lambda item: (item.path, item.line or 0))
    return checker.accepted, checker.skipped
