"""`WarcWriter`: request/response pairs, resources and metadata into rotating WARC/1.1 files.

Every record is its own gzip member (WARC Annex D) so `warcio extract FILE OFFSET` works on the
`Capture` each write returns. Files are written as `NAME.warc.gz.open` and renamed when finished
(the Heritrix/warcprox convention), each starting with a `warcinfo` record naming its final file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import ipaddress
import json
import logging
import os
import re
import socket
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import Any

from warcio.recordloader import ArcWarcRecord  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsarchive import __version__
from newsarchive.records import Capture
from newsarchive.warc.capture import HttpCapture, consistency_problems, format_warc_date
from newsarchive.warc.errors import WriterClosedError
from newsarchive.warc.http_head import build_request_head, build_response_head, safe_uri
from newsarchive.warc.writer_config import WarcWriterConfig, sanitise_host

__all__ = [  # HttpCapture and format_warc_date are re-exported for the Scrapy glue
    "HttpCapture",
    "WarcWriter",
    "WarcWriterConfig",
    "format_warc_date",
    "sanitise_host",
]

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"


def _new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _valid_ip(ip_address: str | None, url: str) -> str | None:
    if not ip_address:
        return None
    try:
        return str(ipaddress.ip_address(ip_address))
    except ValueError:
        logger.warning(
            "not an IP address, WARC-IP-Address omitted: %r (%s)", ip_address, safe_uri(url)
        )
        return None


def _warc_fields(fields: Mapping[str, str]) -> bytes:
    """`application/warc-fields` body; line breaks inside values are folded to spaces."""
    lines = []
    for name, value in fields.items():
        if not value:
            continue
        clean_name = re.sub(r"[^!-9;-~]", "-", name)  # visible ASCII except ':'
        clean_value = re.sub(r"[\r\n]+", " ", str(value))
        lines.append(f"{clean_name}: {clean_value}\r\n")
    return "".join(lines).encode("utf-8")


class WarcWriter:
    """Writes WARC/1.1 files into `config.directory`; not thread-safe (Scrapy calls it from the
    reactor thread only)."""

    def __init__(self, config: WarcWriterConfig) -> None:
        self._config = config
        self._host = sanitise_host(config.host or socket.gethostname())
        self._pid = config.pid if config.pid is not None else os.getpid()
        self._redact = frozenset(name.lower() for name in config.redact_headers)
        self._serializer = WARCWriter(io.BytesIO(), gzip=True, warc_version=WARC_VERSION)
        self._serial = 0
        self._file: io.FileIO | None = None
        self._open_path: Path | None = None
        self._final_path: Path | None = None
        self._size = 0
        self._records_in_file = 0
        self._ids_in_file: set[str] = set()
        self._warcinfo_id = ""
        self._files: list[Path] = []
        self._finished_bytes = 0
        self._closed = False

    # -- public API -------------------------------------------------------------------------

    @property
    def files(self) -> list[Path]:
        """Final paths of every file written so far, the current one included."""
        return list(self._files)

    @property
    def bytes_written(self) -> int:
        """Compressed bytes written to all files, the current one included."""
        return self._finished_bytes + (self._size if self._file is not None else 0)

    def write_exchange(self, capture: HttpCapture) -> Capture:
        """Write the response record and then its request record, both in the same file."""
        for problem in consistency_problems(capture):
            logger.warning(
                "%s: %s (the body must be stored as received)", safe_uri(capture.url), problem
            )
        self._ensure_file(may_rotate=True)
        date = format_warc_date(capture.warc_date)
        uri = safe_uri(capture.url)
        ip_address = _valid_ip(capture.ip_address, capture.url)
        response_id, request_id = _new_record_id(), _new_record_id()

        common = [("WARC-Date", date), ("WARC-Target-URI", uri)]
        if ip_address:
            common.append(("WARC-IP-Address", ip_address))
        response_head = build_response_head(
            url=capture.url,
            protocol=capture.protocol,
            status=capture.status,
            reason=capture.reason,
            headers=capture.response_headers,
            redact=self._redact,
        )
        response_fields = [("WARC-Record-ID", response_id), *common]
        if capture.truncated:
            response_fields.append(("WARC-Truncated", capture.truncated))
        response, payload_digest = self._record(
            "response",
            response_fields,
            "application/http;msgtype=response",
            response_head,
            capture.body,
        )
        request_head = build_request_head(
            method=capture.method,
            url=capture.url,
            protocol=capture.protocol,
            headers=capture.request_headers,
            redact=self._redact,
        )
        request_fields = [
            ("WARC-Record-ID", request_id),
            *common,
            ("WARC-Concurrent-To", response_id),
        ]
        request, _ = self._record(
            "request",
            request_fields,
            "application/http;msgtype=request",
            request_head,
            capture.request_body,
        )
        offset = self._append([response, request])
        self._ids_in_file.update((response_id, request_id))
        return Capture(
            warc_file=self._current_name(),
            offset=offset,
            length=len(response),
            record_id=response_id,
            payload_digest=payload_digest,
        )

    def write_resource(self, uri: str, content_type: str, payload: bytes) -> Capture:
        """A `resource` record, e.g. the crawl log or run.json under a `urn:` URI."""
        self._ensure_file(may_rotate=True)
        record_id = _new_record_id()
        fields = [
            ("WARC-Record-ID", record_id),
            ("WARC-Date", format_warc_date(datetime.now(UTC))),
            ("WARC-Target-URI", safe_uri(uri)),
        ]
        member, digest = self._record("resource", fields, safe_uri(content_type), b"", payload)
        return self._single(member, record_id, digest)

    def write_metadata(
        self, concurrent_to: str, target_uri: str, payload: Mapping[str, Any]
    ) -> Capture:
        """A JSON `metadata` record about the record `concurrent_to` (IIPC guidelines rec. 11).

        Written in the same file as that record whenever it is in the current file.
        """
        self._ensure_file(may_rotate=concurrent_to not in self._ids_in_file)
        record_id = _new_record_id()
        fields = [
            ("WARC-Record-ID", record_id),
            ("WARC-Date", format_warc_date(datetime.now(UTC))),
            ("WARC-Target-URI", safe_uri(target_uri)),
            ("WARC-Concurrent-To", safe_uri(concurrent_to)),
        ]
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        member, digest = self._record("metadata", fields, "application/json", b"", body)
        return self._single(member, record_id, digest)

    def rotate(self) -> None:
        """Finish the current file now (e.g. after idle time); the next write opens a new one."""
        if self._file is not None:
            self._finish_file()

    def close(self) -> None:
        """Finish the current file (rename `.open` away). Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._file is not None:
            self._finish_file()

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- records ----------------------------------------------------------------------------

    def _digest(self, *parts: bytes) -> str:
        hasher = hashlib.new(self._config.digest_algorithm)
        for part in parts:
            hasher.update(part)
        encoded = base64.b32encode(hasher.digest()).decode("ascii")
        return f"{self._config.digest_algorithm.lower()}:{encoded}"

    def _record(
        self,
        warc_type: str,
        fields: list[tuple[str, str]],
        content_type: str,
        head: bytes,
        payload: bytes,
    ) -> tuple[bytes, str]:
        """One gzip member holding a record whose block is `head + payload`; and its payload digest.

        Digests are computed here (warcio keeps them when present) so every record of a file,
        warcinfo included, uses the configured algorithm.
        """
        payload_digest = self._digest(payload)
        all_fields = [
            ("WARC-Type", warc_type),
            *fields,
            ("WARC-Warcinfo-ID", self._warcinfo_id),
            ("WARC-Block-Digest", self._digest(head, payload)),
            ("WARC-Payload-Digest", payload_digest),
        ]
        member = self._serialize(warc_type, all_fields, content_type, head + payload)
        return member, payload_digest

    def _serialize(
        self, warc_type: str, fields: list[tuple[str, str]], content_type: str, block: bytes
    ) -> bytes:
        headers = StatusAndHeaders("", fields, protocol=WARC_VERSION)
        record = ArcWarcRecord(
            "warc", warc_type, headers, io.BytesIO(block), None, content_type, len(block)
        )
        out = io.BytesIO()
        self._serializer.out = out
        self._serializer.write_record(record)
        return out.getvalue()

    def _warcinfo(self, filename: str) -> bytes:
        fields = {
            "software": f"newsarchive/{__version__} (warcio/{metadata.version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            **self._config.warcinfo,
        }
        body = _warc_fields(fields)
        header_fields = [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", self._warcinfo_id),
            ("WARC-Date", format_warc_date(datetime.now(UTC))),
            ("WARC-Filename", filename),
            ("WARC-Block-Digest", self._digest(body)),
        ]
        return self._serialize("warcinfo", header_fields, "application/warc-fields", body)

    # -- files ------------------------------------------------------------------------------

    def _single(self, member: bytes, record_id: str, digest: str) -> Capture:
        offset = self._append([member])
        self._ids_in_file.add(record_id)
        return Capture(
            warc_file=self._current_name(),
            offset=offset,
            length=len(member),
            record_id=record_id,
            payload_digest=digest,
        )

    def _current_name(self) -> str:
        assert self._final_path is not None
        return self._final_path.name

    def _append(self, members: list[bytes]) -> int:
        """Write members straight to the file, so a crash loses at most the write in progress."""
        assert self._file is not None
        offset = self._size
        data = memoryview(b"".join(members))
        try:
            while data:
                data = data[self._file.write(data) :]
        except OSError:
            # Disk full or similar: cut the partial write off so later records stay readable.
            logger.error("write to %s failed at offset %d", self._open_path, offset)
            self._file.truncate(offset)
            self._file.seek(offset)
            raise
        self._size = self._file.tell()
        self._records_in_file += len(members)
        return offset

    def _ensure_file(self, *, may_rotate: bool) -> None:
        if self._closed:
            raise WriterClosedError(f"WarcWriter for {self._config.directory} is closed")
        if (
            self._file is not None
            and may_rotate
            and self._records_in_file > 1  # never rotate a file holding only its warcinfo
            and self._size >= self._config.max_size
        ):
            self._finish_file()
        if self._file is None:
            self._open_file()

    def _open_file(self) -> None:
        directory = self._config.directory
        directory.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
        while True:
            name = f"{self._config.prefix}-{stamp}-{self._serial:05d}-{self._host}-{self._pid}"
            final_path = directory / f"{name}.warc.gz"
            open_path = directory / f"{name}.warc.gz.open"
            self._serial += 1
            if final_path.exists():
                continue
            try:
                # Unbuffered: members are assembled in memory and written whole, and a failed
                # write can be cut off again without a buffer flushing it later.
                self._file = open_path.open("xb", buffering=0)
            except FileExistsError:
                continue
            break
        self._open_path, self._final_path = open_path, final_path
        self._files.append(final_path)
        self._size = 0
        self._records_in_file = 0
        self._ids_in_file = set()
        self._warcinfo_id = _new_record_id()
        self._append([self._warcinfo(final_path.name)])
        logger.info("writing WARC %s", open_path)

    def _finish_file(self) -> None:
        assert self._file is not None and self._open_path and self._final_path
        self._file.close()
        self._file = None
        self._finished_bytes += self._size
        self._open_path.rename(self._final_path)
        logger.info("finished WARC %s (%d bytes)", self._final_path, self._size)
