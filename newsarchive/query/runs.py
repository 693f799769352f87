"""The `runs` view: one row per run.json, loaded through Python (small files, loose schema).

run.json grows new counters over time, so the view keeps the stable ones as typed columns and
the whole document as JSON (`run_json`), which `run_json->>'$.counts.some_new_counter'` reaches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsarchive.query.errors import SkippedInput
from newsarchive.query.layout import RunFiles

RUN_COLUMNS = {
    "site": "VARCHAR",
    "run_id": "VARCHAR",
    "started_at": "VARCHAR",
    "finished_at": "VARCHAR",
    "duration_s": "DOUBLE",
    "finish_reason": "VARCHAR",
    "base_url": "VARCHAR",
    "pages": "BIGINT",
    "articles": "BIGINT",
    "listings": "BIGINT",
    "exchanges": "BIGINT",
    "warc_bytes": "BIGINT",
    "error_total": "BIGINT",
    "warc_files": "VARCHAR[]",
    "newsarchive_version": "VARCHAR",
    "counts": "JSON",
    "settings": "JSON",
    "run_json": "JSON",
    "source_file": "VARCHAR",
}
_COUNTS = ("pages", "articles", "listings", "exchanges", "warc_bytes", "error_total")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def run_row(run: RunFiles, document: dict[str, Any], source_file: str) -> dict[str, Any]:
    """The `runs` row of one run.json; a field of the wrong type becomes null, never an error."""
    counts = _dict(document.get("counts"))
    warc_files = document.get("warc_files")
    row: dict[str, Any] = {
        "site": run.site,
        "run_id": run.run_id,
        "started_at": _text(document.get("started_at")),
        "finished_at": _text(document.get("finished_at")),
        "duration_s": _number(document.get("duration_s")),
        "finish_reason": _text(document.get("finish_reason")),
        "base_url": _text(document.get("base_url")),
        "warc_files": (
            [w for w in warc_files if isinstance(w, str)] if isinstance(warc_files, list) else None
        ),
        "newsarchive_version": _text(_dict(document.get("versions")).get("newsarchive")),
        "counts": counts or None,
        "settings": _dict(document.get("settings")) or None,
        "run_json": document,
        "source_file": source_file,
    }
    row.update({name: _integer(counts.get(name)) for name in _COUNTS})
    return row


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def write_run_rows(runs: list[RunFiles], target: Path) -> tuple[int, list[SkippedInput]]:
    """Write one JSON line per readable run.json to `target`; report the unreadable ones."""
    written = 0
    skipped: list[SkippedInput] = []
    with target.open("w", encoding="utf-8") as out:
        for run in runs:
            if run.run_json is None:
                continue
            path = str(run.run_json)
            try:
                document = json.loads(run.run_json.read_bytes(), parse_constant=_reject_constant)
            except OSError as exc:
                skipped.append(SkippedInput(path, None, f"cannot read: {exc.strerror or exc}"))
                continue
            except (ValueError, RecursionError) as exc:
                skipped.append(SkippedInput(path, None, f"invalid JSON: {exc}"))
                continue
            if not isinstance(document, dict):
                skipped.append(SkippedInput(path, None, "expected a JSON object"))
                continue
            row = run_row(run, document, path)
            out.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
            written += 1
    return written, skipped
