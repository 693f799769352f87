"""Finding the runs of an archive directory: DIR/SITE/RUN_ID/ holding the JSON lines.

Also accepted: a site directory (DIR/SITE) or a single run directory, so a researcher can point
the query at any level. Multi-worker runs write one `articles-<host>-<pid>.jsonl` (and
`listings-...`) per worker, so files are matched by prefix, never by exact name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsarchive.query.errors import ArchiveError, SkippedInput

ARTICLE_FILE_PREFIX = "articles"
LISTING_FILE_PREFIX = "listings"
JSONL_SUFFIX = ".jsonl"
RUN_JSON = "run.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFiles:
    """The files of one run directory, each list sorted by name."""

    site: str
    run_id: str
    path: Path
    articles: tuple[Path, ...] = ()
    listings: tuple[Path, ...] = ()
    run_json: Path | None = None


def _matches(name: str, prefix: str) -> bool:
    # `articles.jsonl` or `articles-<host>-<pid>.jsonl`; not `articles.jsonl.tmp` or `articlesX`.
    if not name.endswith(JSONL_SUFFIX):
        return False
    stem = name[: -len(JSONL_SUFFIX)]
    return stem == prefix or stem.startswith(prefix + "-")


def _read_run(path: Path, site: str) -> RunFiles | None:
    articles: list[Path] = []
    listings: list[Path] = []
    run_json: Path | None = None
    with os.scandir(path) as entries:
        for entry in entries:
            if not entry.is_file():
                continue
            if _matches(entry.name, ARTICLE_FILE_PREFIX):
                articles.append(Path(entry.path))
            elif _matches(entry.name, LISTING_FILE_PREFIX):
                listings.append(Path(entry.path))
            elif entry.name == RUN_JSON:
                run_json = Path(entry.path)
    if not (articles or listings or run_json):
        return None
    return RunFiles(
        site=site,
        run_id=path.name,
        path=path,
        articles=tuple(sorted(articles)),
        listings=tuple(sorted(listings)),
        run_json=run_json,
    )


def _subdirectories(path: Path, skipped: list[SkippedInput]) -> list[Path]:
    try:
        with os.scandir(path) as entries:
            found = [
                Path(e.path)
                for e in entries
                if not e.name.startswith(".") and e.is_dir(follow_symlinks=True)
            ]
    except OSError as exc:
        skipped.append(SkippedInput(str(path), None, f"cannot read directory: {exc.strerror}"))
        return []
    return sorted(found)


def _check_root(archive: Path) -> None:
    if not archive.exists():
        raise ArchiveError(
            "archive directory not found; pass the directory that holds SITE/RUN_ID/ folders "
            "(the --out of `newsarchive crawl`, default archives)",
            path=str(archive),
        )
    if not archive.is_dir():
        raise ArchiveError(
            "not a directory; pass the directory that holds SITE/RUN_ID/ folders",
            path=str(archive),
        )
    if not os.access(archive, os.R_OK | os.X_OK):
        raise ArchiveError(
            "cannot read the archive directory: permission denied", path=str(archive)
        )


def find_runs(archive: Path) -> tuple[list[RunFiles], list[SkippedInput]]:
    """Every run under `archive` (an archive, site or run directory), sorted by site and run id.

    Raises ArchiveError when `archive` itself cannot be used; unreadable subdirectories are
    returned as skipped inputs.
    """
    _check_root(archive)
    skipped: list[SkippedInput] = []
    try:
        itself = _read_run(archive, archive.resolve().parent.name)
    except OSError as exc:
        raise ArchiveError(
            f"cannot read the archive directory: {exc.strerror}", path=str(archive)
        ) from exc
    if itself is not None:
        return [itself], skipped
    runs: list[RunFiles] = []
    site_of_archive = archive.resolve().name
    for child in _subdirectories(archive, skipped):
        # `archive` is usually DIR, whose children are sites holding runs; when it is a site
        # directory, its children are the runs themselves.
        try:
            run = _read_run(child, site_of_archive)
        except OSError as exc:
            skipped.append(SkippedInput(str(child), None, f"cannot read directory: {exc.strerror}"))
            continue
        if run is not None:
            runs.append(run)
            continue
        for grandchild in _subdirectories(child, skipped):
            try:
                run = _read_run(grandchild, child.name)
            except OSError as exc:
                message = f"cannot read directory: {exc.strerror}"
                skipped.append(SkippedInput(str(grandchild), None, message))
                continue
            if run is not None:
                runs.append(run)
    runs.sort(key=lambda r: (r.site, r.run_id, str(r.path)))
    return runs, skipped
