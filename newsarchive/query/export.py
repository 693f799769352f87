"""`export`: every view of an archive as one Parquet or CSV file, for pandas, R and friends.

Each file is written under a temporary name and renamed when complete, so a directory never
holds a half-written export under its final name.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from newsarchive.query.errors import OutputError
from newsarchive.query.runner import COPY_OPTIONS, OutputFormat
from newsarchive.query.sources import sql_string
from newsarchive.query.views import VIEW_NAMES, ArchiveDatabase


class ExportFormat(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedView:
    view: str
    path: Path
    rows: int
    bytes: int
    seconds: float


def check_output_directory(out_dir: Path) -> None:
    """Create `out_dir` if needed and make sure files can be written there (OutputError if not)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output directory: {exc.strerror or exc}", path=str(out_dir)
        ) from exc
    if not out_dir.is_dir() or not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError("the output directory is not writable", path=str(out_dir))


def export_view(
    con: duckdb.DuckDBPyConnection, view: str, export_format: ExportFormat, out_dir: Path
) -> ExportedView:
    started = time.monotonic()
    target = out_dir / f"{view}.{export_format}"
    partial = out_dir / f".{view}.{export_format}.partial"
    options = COPY_OPTIONS[OutputFormat(export_format.value)]
    try:
        result = con.execute(
            f"COPY (SELECT * FROM {view}) TO {sql_string(str(partial))} ({options})"
        ).fetchone()
        partial.replace(target)
    except (duckdb.Error, OSError) as exc:
        # A write failure, or a file that changed since the archive was opened (a live crawl).
        partial.unlink(missing_ok=True)
        message = f"cannot export view {view}: {str(exc).strip()}"
        raise OutputError(message, path=str(target)) from exc
    return ExportedView(
        view=view,
        path=target,
        rows=int(result[0]) if result else 0,
        bytes=target.stat().st_size,
        seconds=time.monotonic() - started,
    )


def export_archive(
    db: ArchiveDatabase,
    out_dir: Path,
    export_format: ExportFormat,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[ExportedView]:
    """Write every view of `db` to `out_dir/<view>.<format>`; `progress(view, done, total)` is
    called before each view."""
    check_output_directory(out_dir)
    done: list[ExportedView] = []
    for number, view in enumerate(VIEW_NAMES):
        if progress:
            progress(view, number, len(VIEW_NAMES))
        done.append(export_view(db.con, view, export_format, out_dir))
    return done
