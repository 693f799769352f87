"""run.json of a multi-worker run: the workers' own records (`run-<host>-<pid>.json`) merged.

Every worker writes its record when it stops and then rewrites run.json from all the records
present, under a lock file in the run directory, so the last worker to stop leaves the whole
picture: counts summed, times spanning every worker, WARC files of all, one entry per worker.
A worker killed before its end has no record; its files are listed under `unrecorded_outputs`
(its lines are in the run all the same).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from newsarchive.recovery import file_owner

logger = logging.getLogger(__name__)

RECORD_GLOB = "run-*.json"
LOCK_NAME = ".run.json.lock"
# Finish reasons of a complete run (as in newsarchive/cli/crawl.py).
COMPLETE = frozenset({"finished", "closespider_pagecount", "closespider_itemcount"})
WORKER_FIELDS = ("worker", "started_at", "finished_at", "duration_s", "finish_reason", "outputs")


def sum_counts(into: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Numbers added key by key, nested dicts merged the same way."""
    for key, value in more.items():
        if isinstance(value, dict):
            into[key] = sum_counts(dict(into.get(key) or {}), value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + value
        else:
            into.setdefault(key, value)
    return into


def merge_records(records: list[dict[str, Any]], run_dir: Path | None = None) -> dict[str, Any]:
    """One run record from the records of several workers (sorted by start)."""
    records = sorted(records, key=lambda r: str(r.get("started_at", "")))
    first = records[0]
    started = min(str(r["started_at"]) for r in records)
    finished = max(str(r["finished_at"]) for r in records)
    reasons = [str(r.get("finish_reason")) for r in records]
    incomplete = [reason for reason in reasons if reason not in COMPLETE]
    counts: dict[str, Any] = {}
    for record in records:
        sum_counts(counts, record.get("counts") or {})
    merged: dict[str, Any] = {
        "site": first.get("site"),
        "run_id": first.get("run_id"),
        "base_url": first.get("base_url"),
        "started_at": started,
        "finished_at": finished,
        "duration_s": round(
            (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds(),
            3,
        ),
        "finish_reason": incomplete[0] if incomplete else reasons[0],
        "counts": counts,
        "warc_files": sorted({name for r in records for name in r.get("warc_files") or ()}),
        "outputs": {
            "articles": "articles-*.jsonl",
            "listings": "listings-*.jsonl",
            "warc_dir": "warc",
            "log": "crawl-*.log",
        },
        "versions": first.get("versions"),
        "settings": first.get("settings"),
        "command": first.get("command"),
        "workers": [{k: r.get(k) for k in WORKER_FIELDS} for r in records],
    }
    if run_dir is not None:
        recorded = {str(r.get("worker")) for r in records}
        merged["unrecorded_outputs"] = sorted(
            p.name
            for p in run_dir.glob("*.jsonl")
            if (owner := file_owner(p)) and f"{owner[0]}-{owner[1]}" not in recorded
        )
    return merged


def merge_run_records(run_dir: Path) -> dict[str, Any] | None:
    """Rewrite run_dir/run.json from every worker record in it; returns what was written."""
    lock_path = run_dir / LOCK_NAME
    with lock_path.open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        records: list[dict[str, Any]] = []
        for path in sorted(run_dir.glob(RECORD_GLOB)):
            try:
                records.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                logger.error("cannot read the worker record %s: %s", path, exc)
        if not records:
            return None
        merged = merge_records(records, run_dir)
        tmp = run_dir / f".run.json.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(merged, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(run_dir / "run.json")
        return merged
