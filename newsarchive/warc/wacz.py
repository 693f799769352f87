"""WACZ 1.1.1 packages of a run: its WARCs, a sorted CDXJ index, page lists and a datapackage.

Written with the standard library's `zipfile` rather than py-wacz, whose API is its command line
(an argparse namespace, progress printed to stdout), which re-derives pages from the WARCs and
keeps a passed page only if it matches one (by URL), and which pulls ~50 packages (frictionless,
pydantic, typer, rich...) into the project for what is a ZIP of files and their sha256. Every
entry streams from disk: WARCs are copied in 1 MiB blocks (ZIP STORE: they are gzip already),
the index and page lists are built in temporary files next to the output first, and each entry's
sha256 is computed while it is copied. The package is written as `NAME.part` and renamed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsarchive import __version__
from newsarchive.errors import NewsarchiveError
from newsarchive.warc.errors import ReadError
from newsarchive.warc.index import OPEN_SUFFIX, IndexSummary, write_cdxj
from newsarchive.warc.reader import iter_warc_paths
from newsarchive.warc.wacz_pages import PageListSummary, write_page_list

__all__ = ["WACZ_VERSION", "WaczError", "WaczSummary", "write_wacz"]

logger = logging.getLogger(__name__)

WACZ_VERSION = "1.1.1"
INDEX_ENTRY = "indexes/index.cdxj"
PAGES_ENTRY = "pages/pages.jsonl"
EXTRA_PAGES_ENTRY = "pages/extraPages.jsonl"
_BLOCK = 1024 * 1024


class WaczError(NewsarchiveError):
    """The run cannot be packaged (no WARCs, a WARC still `.open`, clashing file names...)."""


@dataclass(slots=True)
class WaczSummary:
    output: Path
    warcs: list[Path] = field(default_factory=list)
    bytes: int = 0
    """Size of the package."""
    index: IndexSummary | None = None
    pages: PageListSummary | None = None
    extra_pages: PageListSummary | None = None


@dataclass(frozen=True, slots=True)
class _Resource:
    name: str
    path: str
    hash: str
    bytes: int


def _warcs_of(run_dir: Path) -> list[Path]:
    def missing(error: ReadError) -> None:
        raise WaczError(f"{run_dir}: not found", path=str(run_dir))

    warcs = list(iter_warc_paths([run_dir], on_error=missing))
    if not warcs:
        raise WaczError(
            f"no WARC files in {run_dir}: give a run directory (it holds warc/)", path=str(run_dir)
        )
    still_open = [w.name for w in warcs if w.name.endswith(OPEN_SUFFIX)]
    if still_open:
        raise WaczError(
            f"{', '.join(still_open)} still .open: the crawl is running or crashed. Package it "
            "once the crawl has stopped, or rename a crashed crawl's file without .open",
            path=str(run_dir),
        )
    names: dict[str, Path] = {}
    for warc in warcs:
        if warc.name in names:
            raise WaczError(
                f"two WARCs named {warc.name} ({names[warc.name]} and {warc}): a WACZ keeps "
                "them side by side in archive/; package them separately",
                path=str(warc),
            )
        names[warc.name] = warc
    return warcs


def _run_info(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "run.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


class _Packer:
    """Adds entries to a ZIP, remembering each one's sha256 and size for the datapackage."""

    def __init__(self, archive: zipfile.ZipFile, date_time: tuple[int, int, int, int, int, int]):
        self._archive = archive
        self._date_time = date_time
        self.resources: list[_Resource] = []

    def add_file(self, source: Path, entry: str, *, compress: bool) -> None:
        info = zipfile.ZipInfo(entry, self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        size = source.stat().st_size
        info.file_size = size  # lets zipfile choose ZIP64 up front for files over 2 GiB
        hasher = hashlib.sha256()
        copied = 0
        with source.open("rb") as src, self._archive.open(info, "w") as dst:
            while block := src.read(_BLOCK):
                hasher.update(block)
                dst.write(block)
                copied += len(block)
        if copied != size:
            raise WaczError(f"{source} changed size while being packaged", path=str(source))
        self._remember(entry, hasher.hexdigest(), copied)

    def add_bytes(self, entry: str, data: bytes, *, listed: bool = True) -> None:
        info = zipfile.ZipInfo(entry, self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._archive.writestr(info, data)
        if listed:
            self._remember(entry, hashlib.sha256(data).hexdigest(), len(data))

    def _remember(self, entry: str, digest: str, size: int) -> None:
        name = entry.rsplit("/", 1)[-1].lower()
        self.resources.append(_Resource(name, entry, f"sha256:{digest}", size))


def _datapackage(
    resources: list[_Resource], run: dict[str, Any], created: datetime, title: str | None
) -> bytes:
    site, run_id = run.get("site"), run.get("run_id")
    default_title = f"newsarchive {site} {run_id}" if site and run_id else "newsarchive crawl"
    package: dict[str, Any] = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title or default_title,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": f"newsarchive {__version__}",
        "resources": [
            {"name": r.name, "path": r.path, "hash": r.hash, "bytes": r.bytes} for r in resources
        ],
    }
    if run.get("base_url") or run.get("started_at"):
        package["description"] = (
            f"Crawl of {run.get('base_url') or site} started {run.get('started_at')}, "
            f"finished {run.get('finished_at')} ({run.get('finish_reason')})"
        )
    return json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")


def write_wacz(
    run_dir: Path,
    output: Path,
    *,
    title: str | None = None,
    created: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> WaczSummary:
    """Package the run directory `run_dir` as the WACZ file `output`; raises WaczError.

    Pages come from `articles.jsonl` (title and body as text) and extra pages from
    `listings.jsonl`; both files are optional. The index is sorted CDXJ with POST bodies
    appended to keys (as py-wacz and pywb index).
    """
    note = progress or (lambda _message: None)
    warcs = _warcs_of(run_dir)
    run = _run_info(run_dir)
    moment = (created or datetime.now(UTC)).astimezone(UTC)
    date_time = (max(moment.year, 1980), *moment.timetuple()[1:6])
    summary = WaczSummary(output=output, warcs=warcs)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    try:
        with tempfile.TemporaryDirectory(prefix=".wacz-", dir=output.parent) as scratch:
            work = Path(scratch)
            note(f"indexing {len(warcs)} WARC file(s)")
            with (work / "index.cdxj").open("w", encoding="utf-8", newline="\n") as out:
                summary.index = write_cdxj(warcs, out, post_append=True)
            if summary.index.errors:
                raise WaczError(
                    "cannot package damaged WARCs: "
                    + "; ".join(str(error) for error in summary.index.errors),
                    path=str(summary.index.errors[0].path),
                )
            note("writing page lists")
            with (work / "pages.jsonl").open("w", encoding="utf-8", newline="\n") as out:
                summary.pages = write_page_list(
                    sorted(run_dir.glob("articles*.jsonl")),
                    out,
                    list_id="pages",
                    title="Articles",
                    with_text=True,
                )
            with (work / "extraPages.jsonl").open("w", encoding="utf-8", newline="\n") as out:
                summary.extra_pages = write_page_list(
                    sorted(run_dir.glob("listings*.jsonl")),
                    out,
                    list_id="extra-pages",
                    title="Listing pages",
                    with_text=False,
                )
            with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
                packer = _Packer(archive, date_time)
                for warc in warcs:
                    note(f"adding {warc.name}")
                    packer.add_file(warc, f"archive/{warc.name}", compress=False)
                packer.add_file(work / "index.cdxj", INDEX_ENTRY, compress=True)
                packer.add_file(work / "pages.jsonl", PAGES_ENTRY, compress=True)
                if summary.extra_pages.pages:
                    packer.add_file(work / "extraPages.jsonl", EXTRA_PAGES_ENTRY, compress=True)
                datapackage = _datapackage(packer.resources, run, moment, title)
                packer.add_bytes("datapackage.json", datapackage, listed=False)
                digest = {
                    "path": "datapackage.json",
                    "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest(),
                }
                packer.add_bytes(
                    "datapackage-digest.json", json.dumps(digest, indent=2).encode(), listed=False
                )
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.bytes = output.stat().st_size
    return summary
