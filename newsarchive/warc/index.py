"""Sorted CDXJ indexes of WARC files, made by cdxj-indexer (the index pywb and WACZ readers use).

Keys come from cdxj-indexer (`surt.surt()`), never from code of ours, so lines are the ones an
archivist's `cdxj-indexer --sort` writes. Lines are sorted bytewise (the CDXJ spec's `LC_ALL=C`
order): cdxj-indexer sorts Python strings, which for its ASCII-only lines (JSON escapes the
rest) is the same order; large inputs are merged from sorted temporary files, not held in memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cdxj_indexer.main import CDXJIndexer  # type: ignore[import-untyped]

from newsarchive.warc.errors import ReadError
from newsarchive.warc.reader import is_warc_name, iter_warc_paths

__all__ = ["IndexProgress", "IndexSummary", "iter_index_inputs", "write_cdxj"]

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
_PROGRESS_EVERY = 1000  # records between progress callbacks


@dataclass(slots=True)
class IndexProgress:
    """Where a running index job is, for progress lines."""

    file: Path
    file_number: int
    files_total: int
    records: int
    """Records indexed so far, all files."""
    bytes_done: int
    """Bytes of the files already finished."""
    bytes_total: int


@dataclass(slots=True)
class IndexSummary:
    files: int = 0
    bytes: int = 0
    records: int = 0
    """Records indexed (before identical lines are merged)."""
    lines: int = 0
    """Lines written."""
    errors: list[ReadError] = field(default_factory=list)
    still_open: list[Path] = field(default_factory=list)
    """`.open` files, indexed under their final name (the writer renames them on close)."""


def iter_index_inputs(inputs: Iterable[Path]) -> Iterator[Path]:
    """WARC/ARC files of the inputs: files as given, run directories (their `warc/`), dirs."""
    yield from iter_warc_paths(inputs, on_error=_raise)


def _raise(error: ReadError) -> None:
    raise error


def final_name(path: Path) -> str:
    """The name a WARC has, or will have once its writer closes it (`.open` removed)."""
    return path.name.removesuffix(OPEN_SUFFIX)


class _LineCounter:
    """Text sink that counts the lines written through it."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return self._out.write(text)

    def flush(self) -> None:
        self._out.flush()


class _Indexer(CDXJIndexer):  # type: ignore[misc]
    """cdxj-indexer with per-file error reporting, progress and `.open` names resolved."""

    def __init__(
        self,
        out: _LineCounter,
        paths: list[Path],
        summary: IndexSummary,
        progress: Callable[[IndexProgress], None] | None,
        **options: Any,
    ) -> None:
        super().__init__(out, [str(path) for path in paths], sort=True, **options)
        self._paths = {str(path): path for path in paths}
        self._summary = summary
        self._progress = progress
        self._total = len(paths)
        self._bytes_total = sum(path.stat().st_size for path in paths)
        self._file_number = 0
        self._current: Path | None = None
        self._iterator: Any = None

    def _resolve_rel_path(self, filename: str) -> str:
        return final_name(Path(filename))

    def _create_record_iter(self, input_: Any) -> Any:
        self._iterator = super()._create_record_iter(input_)
        return self._iterator

    def process_one(self, input_: Any, output: Any, filename: str) -> None:
        path = self._paths.get(filename, Path(filename))
        self._current = path
        self._file_number += 1
        self._report_progress()
        size = path.stat().st_size
        try:
            super().process_one(input_, output, filename)
        except Exception as exc:  # loop boundary: one damaged file must not end the index
            offset = int(getattr(self._iterator, "offset", 0) or 0)
            logger.debug("indexing %s failed at offset %d", path, offset, exc_info=True)
            self._summary.errors.append(ReadError(path, offset, _explain(exc)))
        else:
            # warcio ends quietly where a file is cut short; what it left unread is the damage.
            end = int(getattr(self._iterator, "offset", size))
            if end < size and not path.name.endswith(OPEN_SUFFIX):
                message = (
                    f"the last {size - end} bytes are no complete record (file cut short, e.g. "
                    "by a crash?); the records before them are indexed"
                )
                self._summary.errors.append(ReadError(path, end, message))
        self._summary.files += 1
        self._summary.bytes += size

    def process_index_entry(self, it: Any, record: Any, *args: Any) -> None:
        super().process_index_entry(it, record, *args)
        if hasattr(record, "_orig_stream"):
            # warcio's ensure_digest (records without WARC-Payload-Digest) swapped the stream
            # for a temporary file it never closes.
            record.raw_stream.close()
        self._summary.records += 1
        if self._summary.records % _PROGRESS_EVERY == 0:
            self._report_progress()

    def _report_progress(self) -> None:
        if self._progress is None or self._current is None:
            return
        self._progress(
            IndexProgress(
                file=self._current,
                file_number=self._file_number,
                files_total=self._total,
                records=self._summary.records,
                bytes_done=self._summary.bytes,
                bytes_total=self._bytes_total,
            )
        )


def _explain(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:300]
    if "non-chunked gzip" in text:
        return (
            "the whole file is one gzip stream, not one gzip member per record; "
            "fix it with `warcio recompress IN OUT` and index the output"
        )
    return (
        f"unreadable from here on ({type(exc).__name__}: {text}); lines of the records before "
        "are kept. Check the file with `warcio check -v`; a file cut short (crashed crawl) "
        "indexes up to the cut"
    )


def write_cdxj(
    paths: list[Path],
    out: TextIO,
    *,
    post_append: bool = False,
    progress: Callable[[IndexProgress], None] | None = None,
) -> IndexSummary:
    """Write the sorted CDXJ of `paths` (WARC/ARC files, in this order) to `out`.

    The `filename` field is the file's name without directory, `.open` removed. With
    `post_append`, POST/PUT captures get their request body appended to the key, as pywb needs
    to replay them (cdxj-indexer `-p`). Damaged files are reported in the summary, not raised.
    """
    summary = IndexSummary()
    for path in paths:
        if not is_warc_name(path.name):
            logger.warning("%s does not look like a WARC or ARC file; indexing it anyway", path)
        if path.name.endswith(OPEN_SUFFIX):
            summary.still_open.append(path)
    counter = _LineCounter(out)
    indexer = _Indexer(counter, paths, summary, progress, post_append=post_append)
    started = time.monotonic()
    try:
        indexer.process_all()
    finally:
        if indexer.writer is not None:  # cdxj-indexer's digest buffer, which it never closes
            indexer.writer.out.close()
    summary.lines = counter.lines
    logger.info(
        "indexed %d records of %d file(s) in %.1f s",
        summary.records,
        summary.files,
        time.monotonic() - started,
    )
    return summary
