"""Picking up after a crash (kill -9, power loss): the run directory is made whole again.

- a WARC left as `.open` is cut after its last complete record and renamed, so it passes
  `warcio check`; the record being written when the process died is lost, nothing else;
- a JSON-lines file is cut after its last complete line;
- the articles already written are read back, so the resumed run neither loses nor repeats them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from newsarchive.dedup import article_key
from newsarchive.output import RUN_ID_RE
from newsarchive.warc.errors import ReadError
from newsarchive.warc.scanner import iter_records

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"


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
    return [close_open_warc(p) for p in sorted(warc_dir.glob(f"*{OPEN_SUFFIX}"))]


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
