"""Archived HTTP exchanges from WARC/ARC files written by any tool.

`iter_exchanges` yields one `records.Exchange` per HTTP response record, and per revisit record
whose original it has already seen in the same call (in this file or an earlier one), with the
body de-chunked and its Content-Encoding undone. Bad records are reported to `on_error` as
`ReadError`s naming file and offset, and reading goes on. A `.wacz` input yields the exchanges of
the WARCs under its `archive/`, read in place from the ZIP.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive.records import Capture, Exchange
from newsarchive.warc.content import dechunk, decode_content
from newsarchive.warc.errors import ReadError
from newsarchive.warc.scanner import ErrorHandler, iter_records, log_read_error, read_record_at
from newsarchive.warc.sources import WaczFormatError, WarcSource, is_wacz_name, wacz_sources
from newsarchive.warc.stored import HttpHead, StoredRecord

__all__ = [  # ReadError is re-exported: readers' callers handle it
    "ExchangeReader",
    "ReadError",
    "digest_key",
    "http_status",
    "is_warc_name",
    "iter_exchanges",
    "iter_warc_paths",
]

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
DEFAULT_MAX_BODY = 50_000_000


def is_warc_name(name: str) -> bool:
    """True for `.warc`, `.warc.gz`, `.arc`, `.arc.gz`, each also with `.open` appended."""
    lower = name.lower().removesuffix(".open")
    return lower.endswith(WARC_SUFFIXES)


def iter_warc_paths(
    inputs: Iterable[Path | str], *, on_error: ErrorHandler | None = None
) -> Iterator[Path]:
    """Files as given, and the WARC/ARC files under directories (recursively, sorted).

    A run directory works as well as its `warc/` subdirectory. A `.wacz` is yielded when given
    as a file (`iter_exchanges` reads its WARCs) but not picked up from directories, where it
    would repeat a run's own WARCs. Each file is yielded once; a missing input is reported to
    `on_error` (default: logged) and skipped.
    """
    report = on_error or log_read_error
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and is_warc_name(p.name))
            if not found:
                logger.warning("no WARC or ARC files under %s", path)
        elif path.is_file():
            found = [path]
        else:
            report(ReadError(path, 0, "no such file or directory"))
            continue
        for candidate in found:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate


def digest_key(digest: str) -> str:
    """Comparable form of a payload digest: `sha1:BASE32` also for hex-written SHA-1/SHA-256."""
    algorithm, _, value = digest.strip().partition(":")
    algorithm = algorithm.lower().replace("-", "")
    value = value.strip()
    if len(value) in (40, 64):  # hex; base32 of these digests is 32 or 52/56 characters long
        with contextlib.suppress(ValueError, binascii.Error):
            value = base64.b32encode(bytes.fromhex(value)).decode("ascii")
    return f"{algorithm}:{value.upper()}"


def http_status(head: HttpHead) -> int | None:
    """The status code of a response head, None when the status line has none."""
    token = head.status_line.split(" ", 1)[0].strip()
    return int(token) if token.isdigit() and len(token) == 3 else None


def _joined(head: HttpHead, name: str) -> str | None:
    lower = name.lower()
    values = [value for key, value in head.headers if key.lower() == lower]
    return ", ".join(values) if values else None


@dataclass(frozen=True, slots=True)
class _Location:
    source: WarcSource
    offset: int


class ExchangeReader:
    """Reads files one after the other, remembering responses so later revisits resolve."""

    def __init__(
        self, *, on_error: ErrorHandler | None = None, max_body: int = DEFAULT_MAX_BODY
    ) -> None:
        self._report = on_error or log_read_error
        self._max_body = max_body
        self._by_digest: dict[str, _Location] = {}
        self._by_id: dict[str, _Location] = {}

    def iter_file(self, path: Path) -> Iterator[Exchange]:
        """Exchanges of a WARC/ARC file, or of every WARC inside a `.wacz`."""
        if not is_wacz_name(path.name):
            yield from self.iter_source(WarcSource(path))
            return
        try:
            sources = wacz_sources(path)
        except WaczFormatError as exc:
            self._report(ReadError(path, 0, str(exc)))
            return
        for source in sources:
            yield from self.iter_source(source)

    def iter_source(self, source: WarcSource) -> Iterator[Exchange]:
        records = iter_records(
            source.path, on_error=self._report, max_payload=self._max_body, opener=source.open
        )
        for record in records:
            if record.warc_type not in ("response", "revisit"):
                continue
            try:
                exchange = self._exchange(record, source)
            except Exception as exc:  # loop boundary: one record, never the whole file
                logger.exception("cannot read %s at offset %d", source.path, record.offset)
                self._error(record, f"{type(exc).__name__}: {exc}")
                continue
            if exchange is not None:
                yield exchange

    def _error(self, record: StoredRecord, message: str) -> None:
        uri = record.header("WARC-Target-URI") or "(no WARC-Target-URI)"
        self._report(
            ReadError(
                record.path,
                record.offset,
                f"{uri}: {message}",
                record_id=record.header("WARC-Record-ID"),
            )
        )

    def _exchange(self, record: StoredRecord, source: WarcSource) -> Exchange | None:
        uri = record.header("WARC-Target-URI") or ""
        if record.http is None:
            # dns:, whois: ... responses carry no HTTP; an http(s) one without a head is broken.
            if uri.lower().startswith(("http:", "https:")):
                self._error(record, f"{record.warc_type} record without an HTTP head")
            return None
        if record.warc_type == "revisit":
            return self._from_revisit(record, record.http)
        self._remember(record, source)
        status = http_status(record.http)
        if status is None:
            self._error(record, f"no status code in HTTP status line {record.http.status_line!r}")
            return None
        body, meta = self._body(record, record.http, record)
        return self._build(record, record.http, status, body, meta)

    def _remember(self, record: StoredRecord, source: WarcSource) -> None:
        location = _Location(source, record.offset)
        digest = record.payload_digest
        if digest:
            self._by_digest.setdefault(digest_key(digest), location)
        record_id = record.header("WARC-Record-ID")
        if record_id:
            self._by_id.setdefault(record_id, location)

    def _find_original(self, revisit: StoredRecord) -> _Location | None:
        refers_to = revisit.header("WARC-Refers-To")
        if refers_to and refers_to in self._by_id:
            return self._by_id[refers_to]
        digest = revisit.header("WARC-Payload-Digest")
        return self._by_digest.get(digest_key(digest)) if digest else None

    def _from_revisit(self, revisit: StoredRecord, own_head: HttpHead) -> Exchange | None:
        location = self._find_original(revisit)
        if location is None:
            self._error(
                revisit,
                f"revisit of payload {revisit.header('WARC-Payload-Digest')}: original record "
                "not found; give the WARC holding it before this one in the same call",
            )
            return None
        try:
            original = read_record_at(
                location.source.path,
                location.offset,
                max_payload=self._max_body,
                opener=location.source.open,
            )
        except ReadError as exc:
            self._report(exc)
            return None
        if original.http is None:
            self._error(revisit, f"original record in {original.path.name} has no HTTP head")
            return None
        # A 304 (server-not-modified) revisit shows the original; otherwise its own head.
        head = own_head if http_status(own_head) not in (None, 304) else original.http
        status = http_status(head)
        if status is None:
            self._error(revisit, f"no status code in HTTP status line {head.status_line!r}")
            return None
        body, meta = self._body(original, original.http, revisit)
        meta.update(
            revisit_of=original.header("WARC-Record-ID"),
            revisit_of_file=original.path.name,
            revisit_of_offset=original.offset,
            revisit_profile=revisit.header("WARC-Profile"),
            truncated=original.header("WARC-Truncated"),
        )
        return self._build(revisit, head, status, body, meta)

    def _body(
        self, source: StoredRecord, head: HttpHead, reported: StoredRecord
    ) -> tuple[bytes, dict[str, Any]]:
        """Entity body of `source`'s payload; problems are reported against `reported`."""
        meta: dict[str, Any] = {}
        raw = source.payload
        cut = source.payload_size > len(raw)
        transfer_encoding = (_joined(head, "Transfer-Encoding") or "").lower()
        if "chunked" in transfer_encoding:
            dechunked = dechunk(raw)
            if dechunked is None:
                # As warcio does: a body sent unchunked despite the header is used as it is.
                logger.debug("%s:%d: not chunk-framed, used as is", source.path, source.offset)
            else:
                raw, complete = dechunked
                if not complete and not cut:
                    meta["body_incomplete"] = True
        decoded = decode_content(raw, _joined(head, "Content-Encoding"), limit=self._max_body)
        if decoded.error:
            meta["decode_error"] = decoded.error
            self._error(reported, f"{decoded.error}; yielding the body undecoded")
        elif decoded.incomplete and not cut:
            meta["body_incomplete"] = True
            if not source.header("WARC-Truncated"):
                meta["decode_error"] = "compressed body ends early"
                self._error(reported, "compressed body ends early; yielding what decodes")
        if cut or decoded.cut:
            meta["body_cut"] = True
            logger.warning(
                "%s at offset %d: body longer than max_body=%d bytes, cut",
                reported.path,
                reported.offset,
                self._max_body,
            )
        return decoded.body, meta

    def _build(
        self,
        record: StoredRecord,
        head: HttpHead,
        status: int,
        body: bytes,
        extra_meta: dict[str, Any],
    ) -> Exchange:
        capture = None
        if record.length is not None:
            capture = Capture(
                warc_file=record.path.name,
                offset=record.offset,
                length=record.length,
                record_id=record.header("WARC-Record-ID") or "",
                payload_digest=record.payload_digest,
            )
        meta: dict[str, Any] = {
            "warc_type": record.warc_type,
            "warc_path": str(record.path),
            "ip_address": record.header("WARC-IP-Address"),
            "truncated": record.header("WARC-Truncated"),
            "revisit_of": None,
            "http_protocol": head.protocol,
        }
        meta.update(extra_meta)
        return Exchange(
            url=record.header("WARC-Target-URI") or "",
            status=status,
            headers=head.headers,
            body=body,
            fetched_at=record.header("WARC-Date") or "",
            capture=capture,
            content_type=head.header("Content-Type"),
            meta=meta,
        )


def iter_exchanges(
    paths: Path | str | Iterable[Path | str],
    *,
    on_error: ErrorHandler | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> Iterator[Exchange]:
    """Exchanges of files (directories expand as in `iter_warc_paths`; a `.wacz` yields those of
    its WARCs), in order; revisits resolve against responses of the same call.

    `max_body` bounds both the stored payload kept and the decoded body (`meta["body_cut"]`).
    """
    reader = ExchangeReader(on_error=on_error, max_body=max_body)
    items = [paths] if isinstance(paths, str | os.PathLike) else paths
    for path in iter_warc_paths(items, on_error=on_error):
        yield from reader.iter_file(path)
