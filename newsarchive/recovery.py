"""Picking up after a crash (kill -9, power loss): the run directory is made whole again.

- a WARC left as `.open` is cut after its last complete record and renamed, so it passes
  `warcio check`; the record being written when the process died is lost, nothing else;
- a JSON-lines file is cut after its last complete line;
- the articles already written are read back, so the resumed run neither loses nor repeats them.

In Redis mode several workers write into one run directory, each into its own files, named with
its host and pid. A file is only ever repaired when it belongs to this host and its process is
gone (`close_dead_workers_files`): a live worker's `.open` WARC is never touched.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from pathlib import Path

from newsarchive.dedup import article_key
from newsarchive.output import RUN_ID_RE
from newsarchive.warc.errors import ReadError
from newsarchive.warc.scanner import iter_records
from newsarchive.warc.writer_config import sanitise_host

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
# `<prefix>-<stamp>-<serial>-<host>-<pid>.warc.gz.open` (newsarchive/warc/rotation.py), and a
# Redis worker's `articles-<host>-<pid>.jsonl` / `listings-<host>-<pid>.jsonl`.
_OWNER_PATTERNS = (
    re.compile(r"-\d{5}-(?P<host>[A-Za-z0-9.-]+)-(?P<pid>\d+)\.warc\.gz\.open$"),
    re.compile(r"^(?:articles|listings)-(?P<host>[A-Za-z0-9.-]+)-(?P<pid>\d+)\.jsonl$"),
)
# How many of the newest runs a starting worker checks for a dead worker's leftovers.
RECENT_RUNS = 50


def file_owner(path: Path) -> tuple[str, int] | None:
    """(host, pid) of the process that wrote `path`, from its name; None if it names none."""
    for pattern in _OWNER_PATTERNS:
        match = pattern.search(path.name)
        if match:
            return match["host"], int(match["pid"])
    return None


def this_host() -> str:
    return sanitise_host(socket.gethostname())


def _writer_alive(pid: int) -> bool:
    """Whether `pid` runs, and could be a crawl (not a process that got the pid later)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    try:
        # A zombie (killed, not yet reaped) has closed its files.
        stat = (proc / "stat").read_text(encoding="ascii", errors="replace")
        command = (proc / "cmdline").read_bytes()
    except OSError:
        return True  # no /proc here: assume the worst, leave the file alone
    if stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]:
        return False
    return b"newsarchive" in command or b"scrapy" in command


def written_by_live_process(path: Path) -> bool:
    """Whether another process of this host, still running, owns `path` (by its name)."""
    owner = file_owner(path)
    if owner is None:
        return False
    host, pid = owner
    return host == this_host() and pid != os.getpid() and _writer_alive(pid)


def close_dead_workers_files(site_dir: Path, *, keep: Path | None = None) -> list[Path]:
    """Close the `.open` WARCs and repair the JSON lines that dead workers of this host left in
    the site's newest runs (and in `keep`); returns the WARCs closed."""
    if not site_dir.is_dir():
        return []
    runs = sorted(p for p in site_dir.iterdir() if p.is_dir() and RUN_ID_RE.match(p.name))
    selected = runs[-RECENT_RUNS:]
    if keep is not None and keep not in selected:
        selected.append(keep)
    here = this_host()
    closed: list[Path] = []

    def dead_here(path: Path) -> bool:
        owner = file_owner(path)
        return owner is not None and owner[0] == here and not written_by_live_process(path)

    for run_dir in selected:
        for path in sorted(run_dir.glob(f"warc/*{OPEN_SUFFIX}")):
            if dead_here(path):
                closed.append(close_open_warc(path))
        for path in sorted(run_dir.glob("*.jsonl")):
            if dead_here(path):
                repair_jsonl(path)
    return closed


def find_unfinished_run(site_dir: Path) -> str | None:
    """The newest run directory without run.json (a run that never finished), if any."""
    if not site_dir.is_dir():
        return None
    runs = sorted(p for p in site_dir.iterdir() if p.is_dir() and RUN_ID_RE.match(p.name))
    if runs and not (runs[-1] / "run.json").exists():
        return runs[-1].name
    return None


def close_open_warc(path: Path) -> Path:
    """Cut an `.open` WARC after its last complete record and give it its final name."""
    good_end = 0
    errors: list[ReadError] = []
    for record in iter_records(path, on_error=errors.append, keep_payload=()):
        if errors:
            break
        if record.length is None:
            break
        good_end = record.offset + record.length
    size = path.stat().st_size
    if good_end < size:
        logger.warning(
            "%s: cutting %d bytes of an unfinished record at offset %d",
            path,
            size - good_end,
            good_end,
        )
        with path.open("r+b") as fh:
            fh.truncate(good_end)
    final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
    if good_end == 0:
        path.unlink()
        logger.warning("%s held no complete record; removed", path)
        return final
    path.rename(final)
    logger.info("closed leftover WARC %s", final.name)
    return final


def close_open_warcs(warc_dir: Path) -> list[Path]:
    if not warc_dir.is_dir():
        return []
    closed: list[Path] = []
    for path in sorted(warc_dir.glob(f"*{OPEN_SUFFIX}")):
        if written_by_live_process(path):
            logger.warning("%s: left open, its writer is still running", path)
            continue
        closed.append(close_open_warc(path))
    return closed


def repair_jsonl(path: Path) -> int:
    """Cut a half-written last line; returns the number of bytes removed."""
    if not path.exists():
        return 0
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end == len(data):
        return 0
    with path.open("r+b") as fh:
        fh.truncate(end)
    logger.warning("%s: removed a half-written last line (%d bytes)", path, len(data) - end)
    return len(data) - end


def written_article_keys(run_dir: Path, base: str | None = None) -> set[str]:
    """Canonical keys and URLs of the articles a run already wrote."""
    keys: set[str] = set()
    for path in sorted(run_dir.glob("articles*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                keys.add(article_key(item.get("canonical_url") or item["url"], base))
                keys.add(article_key(item["url"], base))
    return keys
