"""Errors of the query package, and the record of an input that was skipped."""

from __future__ import annotations

from dataclasses import dataclass

from newsarchive.errors import NewsarchiveError


class ArchiveError(NewsarchiveError):
    """The archive directory cannot be used (missing, not a directory, unreadable)."""


class QueryError(NewsarchiveError):
    """DuckDB rejected the query (syntax, unknown table or column, failed cast...)."""


class OutputError(NewsarchiveError):
    """A result or export file cannot be written."""


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """A line (or whole file) left out of the views, with where and why."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"
