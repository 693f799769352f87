"""Run directories and the JSON-lines writers shared by the crawl and replay.

Layout: DIR/SITE/<run-id>/ holding warc/*.warc.gz, articles.jsonl, listings.jsonl, run.json.
Run ids are UTC `YYYYmmddTHHMMSSZ`, so directory names sort by time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from newsarchive.errors import RunDirectoryError
from newsarchive.records import Article, Listing, to_json_dict

RUN_ID_FORMAT = "%Y%m%dT%H%M%SZ"
RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")


def new_run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(RUN_ID_FORMAT)


@dataclass(slots=True, kw_only=True)
class RunDirectory:
    """Paths of one run; `create` makes the folders and refuses to reuse an existing run."""

    root: Path
    site: str
    run_id: str
    warc_files: list[str] = field(default_factory=list)
    worker: str | None = None
    """Redis mode: this worker's `<host>-<pid>`, which names its own files in the shared run."""

    @property
    def path(self) -> Path:
        return self.root / self.site / self.run_id

    def _own(self, stem: str, suffix: str) -> Path:
        return self.path / (f"{stem}-{self.worker}{suffix}" if self.worker else f"{stem}{suffix}")

    @property
    def warc_dir(self) -> Path:
        return self.path / "warc"

    @property
    def articles_path(self) -> Path:
        return self._own("articles", ".jsonl")

    @property
    def listings_path(self) -> Path:
        return self._own("listings", ".jsonl")

    @property
    def run_json_path(self) -> Path:
        return self.path / "run.json"

    @property
    def record_path(self) -> Path:
        """This process's run record: run.json, or `run-<host>-<pid>.json` of a worker (merged
        into run.json by newsarchive/distributed/runmerge.py)."""
        return self._own("run", ".json")

    @property
    def log_path(self) -> Path:
        return self._own("crawl", ".log")

    @classmethod
    def create(
        cls, root: Path, site: str, run_id: str | None = None, *, resume: bool = False
    ) -> RunDirectory:
        """A new run directory; with `resume`, the existing one of an unfinished run."""
        run_id = run_id or new_run_id()
        if not RUN_ID_RE.match(run_id):
            raise RunDirectoryError(f"run id {run_id!r} is not of the form YYYYmmddTHHMMSSZ")
        run = cls(root=root, site=site, run_id=run_id)
        if resume and run.path.is_dir():
            run.warc_dir.mkdir(exist_ok=True)
            return run
        # Two runs started within the same second get a numeric suffix rather than sharing files.
        suffix = 1
        while run.path.exists():
            suffix += 1
            run = cls(root=root, site=site, run_id=f"{run_id}-{suffix}")
        try:
            run.warc_dir.mkdir(parents=True)
        except OSError as exc:
            raise RunDirectoryError(
                f"cannot create the run directory: {exc.strerror}; choose another --out",
                path=str(run.path),
            ) from exc
        return run

    @classmethod
    def join(cls, root: Path, site: str, run_id: str, *, worker: str) -> RunDirectory:
        """The run directory shared by the workers of a Redis run, made if missing."""
        if not RUN_ID_RE.match(run_id):
            raise RunDirectoryError(f"run id {run_id!r} is not of the form YYYYmmddTHHMMSSZ")
        run = cls(root=root, site=site, run_id=run_id, worker=worker)
        try:
            run.warc_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunDirectoryError(
                f"cannot create the run directory: {exc.strerror}; choose another --out",
                path=str(run.path),
            ) from exc
        return run


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=False)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def dumps_line(record: Article | Listing) -> str:
    return json.dumps(to_json_dict(record), ensure_ascii=False, separators=(",", ":")) + "\n"


class JsonLinesWriter:
    """Appends one JSON object per line; flushed per record so a crash loses at most one line."""

    def __init__(self, target: Path | IO[str]) -> None:
        self._own = isinstance(target, Path)
        self._fh: IO[str] = (
            target.open("a", encoding="utf-8") if isinstance(target, Path) else target
        )
        self.count = 0

    def write(self, record: Article | Listing) -> None:
        self._fh.write(dumps_line(record))
        self._fh.flush()
        self.count += 1

    def close(self) -> None:
        if self._own:
            self._fh.close()
        else:
            self._fh.flush()
