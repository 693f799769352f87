"""Every record of a WARC or ARC file with its offset and length, surviving damaged records.

Compression is detected from the magic bytes, not the file name. A record that cannot be read is
reported as a `ReadError` naming the file and the offset, and scanning resumes at the next gzip
member (or, uncompressed, the next line that starts a record); only when none is found does the
file end early.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid
import zlib
from collections.abc import Callable, Collection, Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.bufferedreaders import BufferedReader  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.recordloader import ArcWarcRecordLoader  # type: ignore[import-untyped]
from warcio.statusandheaders import (  # type: ignore[import-untyped]
    StatusAndHeadersParserException,
)

from newsarchive.warc.errors import ReadError
from newsarchive.warc.gzip_members import (
    GZIP_MAGIC,
    GzipMember,
    TruncatedMemberError,
    find_next_member,
    find_next_record_line,
    looks_like_record_start,
)
from newsarchive.warc.stored import HttpHead, StoredRecord

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[ReadError], None]
DEFAULT_KEEP_PAYLOAD = frozenset({"response", "revisit"})
_BLOCK = 64 * 1024
_MAX_FIRST_LINE = 64 * 1024  # a record's first line is short; a binary file has none
# Yields the records at one position, returns where the next record starts (None: end of file).
_RecordsThenNext = Generator["StoredRecord", None, int | None]


def log_read_error(error: ReadError) -> None:
    """Default `on_error`: a warning naming the file and the offset."""
    logger.warning("%s", error)


class BadRecordError(ValueError):
    """A record whose framing is wrong (Content-Length missing, record shorter than declared)."""


# What a damaged record raises inside warcio, zlib or this module.
RECORD_ERRORS: tuple[type[Exception], ...] = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    zlib.error,
    EOFError,
    ValueError,
)


def describe(exc: BaseException) -> str:
    """A one-line explanation of a record error."""
    if isinstance(exc, TruncatedMemberError):
        return "the file ends inside this record's gzip member (truncated file)"
    if isinstance(exc, zlib.error):
        return f"corrupt gzip member ({exc})"
    if isinstance(exc, ArchiveLoadFailed | StatusAndHeadersParserException):
        return f"not a valid record: {str(exc).strip()[:200]}"
    if isinstance(exc, BadRecordError):
        return str(exc)
    return f"{type(exc).__name__}: {str(exc)[:200]}"


class _Scanner:
    def __init__(
        self,
        path: Path,
        fh: BinaryIO,
        report: ErrorHandler,
        keep_payload: Collection[str],
        max_payload: int,
    ) -> None:
        self._path = path
        self._fh = fh
        self._report = report
        self._keep = keep_payload
        self._max_payload = max_payload
        self._loader = ArcWarcRecordLoader(verify_http=False, arc2warc=True)
        self._gzipped = False
        self._known_format: str | None = None
        self._is_arc = False
        self._reported_shared_member = False
        self.position = 0

    # -- file level -------------------------------------------------------------------------

    def _detect(self) -> bool:
        """Set compression and format from the first bytes; False for an empty file."""
        self._fh.seek(0)
        start = self._fh.read(_BLOCK)
        if not start:
            return False
        self._gzipped = start.startswith(GZIP_MAGIC)
        first = self._first_record_bytes(start)
        self._is_arc = first is not None and not first.startswith(b"WARC/")
        # WARC files parse strictly as WARC; ARC files may mix in either parser's lines.
        self._known_format = None if self._is_arc else "warc"
        return True

    def _first_record_bytes(self, start: bytes) -> bytes | None:
        """The start of the first intact-looking record (even when the first one is damaged)."""
        if self._gzipped:
            position = find_next_member(self._fh, 0)
            if position is None:
                return None
            self._fh.seek(position)
            start = self._fh.read(_BLOCK)
            return zlib.decompressobj(wbits=31).decompress(start, 64)
        start = start.lstrip()
        if looks_like_record_start(start):
            return start
        position = find_next_record_line(self._fh, 1)
        if position is None:
            return None
        self._fh.seek(position)
        return self._fh.read(64)

    def records(self) -> Iterator[StoredRecord]:
        if not self._detect():
            logger.info("%s is empty", self._path)
            return
        position: int | None = 0
        while position is not None:
            self.position = position
            try:
                position = yield from self._records_at(position)
                continue
            except RECORD_ERRORS as exc:
                self._report(ReadError(self._path, self.position, describe(exc)))
            except Exception as exc:  # loop boundary: one record, never the whole file
                logger.exception("unexpected error in %s at offset %d", self._path, self.position)
                self._report(ReadError(self._path, self.position, describe(exc)))
            if self._gzipped:
                position = find_next_member(self._fh, self.position + 1)
            else:
                position = find_next_record_line(self._fh, self.position + 1)

    def _records_at(self, position: int) -> _RecordsThenNext:
        """Yield the record(s) at `position`; return where the next one starts (None at the end)."""
        if self._gzipped:
            return (yield from self._member_records(position))
        record, end = self._plain_record(position)
        if record is not None:
            yield record
        return end

    def record_at(self, offset: int) -> StoredRecord:
        """The record at `offset`; raises ReadError."""
        if not self._detect():
            raise ReadError(self._path, offset, "empty file")
        try:
            for record in self._records_at(offset):
                return record
        except RECORD_ERRORS as exc:
            raise ReadError(self._path, offset, describe(exc)) from exc
        raise ReadError(self._path, offset, "no record at this offset")

    # -- gzip -------------------------------------------------------------------------------

    def _member_records(self, start: int) -> _RecordsThenNext:
        self._fh.seek(start)
        if _only_padding_left(self._fh):
            return None
        member = GzipMember(self._fh, start)
        reader = BufferedReader(member, block_size=_BLOCK)
        first_line: bytes | None = None
        shared = False
        while True:
            try:
                loaded = self._load(reader, first_line)
            except EOFError:
                if member.decompressed_size == 0 and member.end is not None:
                    return member.end  # an empty member: nothing to read
                raise
            next_line = _skip_blank_lines(reader)[0]
            if next_line:
                shared = True
                self._report_shared_member(start)
            length: int | None = None
            if not shared:
                assert member.end is not None  # the reader reached the member's end
                length = member.end - start
            yield self._stored(start, length, *loaded)
            if not next_line:
                return member.end
            first_line = next_line

    def _report_shared_member(self, start: int) -> None:
        if self._reported_shared_member:
            return
        self._reported_shared_member = True
        self._report(
            ReadError(
                self._path,
                start,
                "several records share one gzip member, so their offsets cannot be used with "
                "`warcio extract`; fix the file with `warcio recompress`",
            )
        )

    # -- uncompressed -----------------------------------------------------------------------

    def _plain_record(self, start: int) -> tuple[StoredRecord | None, int | None]:
        self._fh.seek(start)
        counter = _CountingReader(self._fh)
        reader = BufferedReader(counter, block_size=_BLOCK)
        first_line, skipped = _skip_blank_lines(reader)
        if not first_line:
            return None, None
        offset = start + skipped
        self.position = offset  # errors name the record's own offset, not the blank lines
        loaded = self._load(reader, first_line)
        end = start + counter.count - reader.rem_length()
        following = reader.readline()
        if following.strip():
            # Records end with a blank line; text right after one means its Content-Length
            # is wrong, so its block cannot be trusted either.
            raise BadRecordError("record not followed by a blank line (wrong Content-Length?)")
        return self._stored(offset, end - offset, *loaded), end

    # -- one record -------------------------------------------------------------------------

    def _load(self, reader: Any, first_line: bytes | None) -> tuple[Any, bytes, int, str | None]:
        """Parse one record and read its payload: (warcio record, kept payload, size, digest)."""
        record = self._loader.parse_record_stream(reader, first_line, self._known_format)
        declared = record.rec_headers.get_header("Content-Length")
        if declared is None or not declared.strip().isdigit() or record.length is None:
            raise BadRecordError(f"missing or invalid record Content-Length {declared!r}")
        keep = record.rec_type in self._keep
        hasher = None
        if keep and not record.rec_headers.get_header("WARC-Payload-Digest"):
            hasher = hashlib.sha1(usedforsecurity=False)
        kept: list[bytes] = []
        kept_size = size = 0
        stream = record.raw_stream
        while chunk := stream.read(_BLOCK):
            size += len(chunk)
            if hasher is not None:
                hasher.update(chunk)
            if keep and kept_size < self._max_payload:
                piece = chunk[: self._max_payload - kept_size]
                kept.append(piece)
                kept_size += len(piece)
        missing = getattr(stream, "limit", 0)
        if missing > 0:
            raise BadRecordError(
                f"record ends {missing} bytes short of its Content-Length (truncated file?)"
            )
        digest = None
        if hasher is not None:
            digest = "sha1:" + base64.b32encode(hasher.digest()).decode("ascii")
        return record, b"".join(kept), size, digest

    def _stored(
        self, offset: int, length: int | None, record: Any, payload: bytes, size: int, digest: Any
    ) -> StoredRecord:
        warc_headers = [(str(k), str(v)) for k, v in record.rec_headers.headers]
        if self._is_arc:
            # warcio invents a random id for ARC records; derive a stable one from the location.
            stable = uuid.uuid5(uuid.NAMESPACE_URL, f"arc:{self._path.name}:{offset}")
            warc_headers = [(k, v) for k, v in warc_headers if k.lower() != "warc-record-id"]
            warc_headers.append(("WARC-Record-ID", f"<urn:uuid:{stable}>"))
        http = None
        if record.http_headers:
            head = record.http_headers
            http = HttpHead(
                protocol=str(head.protocol),
                status_line=str(head.statusline),
                headers=tuple((str(k), str(v)) for k, v in head.headers),
            )
        return StoredRecord(
            path=self._path,
            offset=offset,
            length=length,
            warc_type=str(record.rec_type),
            warc_headers=tuple(warc_headers),
            http=http,
            payload=payload,
            payload_size=size,
            computed_payload_digest=digest,
        )


class _CountingReader:
    """Counts the bytes read from a file, to turn buffered reads back into offsets."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.count += len(data)
        return data

    def close(self) -> None:
        """The file handle belongs to the caller."""


def _skip_blank_lines(reader: Any) -> tuple[bytes, int]:
    """The first non-blank line (b"" at the end) and the bytes of blank lines before it."""
    skipped = 0
    while line := reader.readline(_MAX_FIRST_LINE):
        if line.strip():
            return line, skipped
        skipped += len(line)
    return b"", skipped


def _only_padding_left(fh: BinaryIO) -> bool:
    """True at the end of the file or when only whitespace/NUL padding follows."""
    position = fh.tell()
    rest = fh.read(4096)
    fh.seek(position)
    return not rest.strip(b" \t\r\n\x00") and len(rest) < 4096


Opener = Callable[[], BinaryIO]
"""Opens the bytes of a WARC that is not a plain file (e.g. `WarcSource.open`, a WACZ member)."""


def _open(path: Path, report: ErrorHandler, opener: Opener | None) -> BinaryIO | None:
    try:
        return opener() if opener is not None else path.open("rb")
    except (OSError, ValueError) as exc:  # ValueError: a damaged WACZ member
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        report(ReadError(path, 0, f"cannot open: {message}"))
        return None


def iter_records(
    path: Path,
    *,
    on_error: ErrorHandler | None = None,
    keep_payload: Collection[str] = DEFAULT_KEEP_PAYLOAD,
    max_payload: int = 50_000_000,
    opener: Opener | None = None,
) -> Iterator[StoredRecord]:
    """Every readable record of `path` in file order; errors go to `on_error` (default: log).

    With `opener`, the bytes come from it and `path` only names them (records, errors).
    """
    report = on_error or log_read_error
    fh = _open(path, report, opener)
    if fh is None:
        return
    with fh:
        scanner = _Scanner(path, fh, report, keep_payload, max_payload)
        try:
            yield from scanner.records()
        except OSError as exc:
            report(ReadError(path, scanner.position, f"read failed: {exc}"))


def read_record_at(
    path: Path, offset: int, *, max_payload: int = 50_000_000, opener: Opener | None = None
) -> StoredRecord:
    """The record at `offset` of `path` (or of what `opener` opens) with its payload; raises
    ReadError."""
    try:
        with opener() if opener is not None else path.open("rb") as fh:
            scanner = _Scanner(path, fh, log_read_error, DEFAULT_KEEP_PAYLOAD, max_payload)
            return scanner.record_at(offset)
    except (OSError, ValueError) as exc:  # ValueError: a damaged WACZ member
        raise ReadError(path, offset, f"cannot read: {exc}") from exc
