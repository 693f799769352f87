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
import socket
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from warcio.recordloader import ArcWarcRecord  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsarchive.records import Capture
from newsarchive.warc.capture import HttpCapture, consistency_problems, format_warc_date
from newsarchive.warc.errors import WriterClosedError
from newsarchive.warc.http_head import build_request_head, build_response_head, safe_uri
from newsarchive.warc.revisit import RevisitProfile, revisit_fields
from newsarchive.warc.rotation import WarcFiles
from newsarchive.warc.warcinfo import warcinfo_body
from newsarchive.warc.writer_config import WarcWriterConfig, sanitise_host

__all__ = [  # HttpCapture and format_warc_date are re-exported for the Scrapy glue
    "HttpCapture",
    "WarcWriter",
    "WarcWriterConfig",
    "format_warc_date",
    "metadata_uri",
    "sanitise_host",
]

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
METADATA_URN = "urn:newsarchive:metadata:"


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


def metadata_uri(url: str) -> str:
    """Target URI of the metadata record about the capture of `url` (`urn:` keeps replay tools
    from taking the record for a capture of `url`, as browsertrix's `urn:pageinfo:` does)."""
    return f"{METADATA_URN}{url}"


class WarcWriter:
    """Writes WARC/1.1 files into `config.directory`; not thread-safe (Scrapy calls it from the
    reactor thread only)."""

    def __init__(self, config: WarcWriterConfig) -> None:
        self._config = config
        self._redact = frozenset(name.lower() for name in config.redact_headers)
        self._serializer = WARCWriter(io.BytesIO(), gzip=True, warc_version=WARC_VERSION)
        self._ids_in_file: set[str] = set()
        self._warcinfo_id = ""
        self._closed = False
        self._files = WarcFiles(
            config,
            host=sanitise_host(config.host or socket.gethostname()),
            pid=config.pid if config.pid is not None else os.getpid(),
            start_file=self._start_file,
        )

    # -- public API -------------------------------------------------------------------------

    @property
    def files(self) -> list[Path]:
        """Final paths of every file written so far, the current one included."""
        return self._files.paths

    @property
    def bytes_written(self) -> int:
        """Compressed bytes written to all files, the current one included."""
        return self._files.bytes_written

    def write_exchange(self, capture: HttpCapture) -> Capture:
        """Write the response record and then its request record, both in the same file."""
        for problem in consistency_problems(capture):
            logger.warning(
                "%s: %s (the body must be stored as received)", safe_uri(capture.url), problem
            )
        self._ensure_file(may_rotate=True)
        common = self._common_fields(capture, safe_uri(capture.url))
        response_id = _new_record_id()
        response_head = self._response_head(capture)
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
        return self._append_pair(capture, common, response, response_id, payload_digest)

    def write_revisit(
        self,
        capture: HttpCapture,
        *,
        refers_to: str,
        refers_to_target_uri: str,
        refers_to_date: str,
        profile: RevisitProfile,
        payload_digest: str | None = None,
    ) -> Capture:
        """A WARC/1.1 `revisit` record (HTTP head of `capture`, no body) and its request record.

        `identical-payload-digest`: `capture.body` is the complete body, identical to the
        original's; only its digest is stored (`WARC-Payload-Digest`, `WARC-Truncated: length`).
        `server-not-modified`: `capture` is the 304 answer to a conditional request;
        `payload_digest` may give the original's digest. `refers_to` is the original's
        `WARC-Record-ID`, `refers_to_date` its `WARC-Date` as written.
        """
        if profile == "identical-payload-digest" and capture.truncated:
            raise ValueError(
                f"a truncated body cannot vouch for an identical payload ({capture.url}); "
                "write the response in full"
            )
        digest = payload_digest
        if profile == "identical-payload-digest":
            digest = self.payload_digest(capture.body)
        self._ensure_file(may_rotate=True)
        uri = safe_uri(capture.url)
        common = self._common_fields(capture, uri)
        revisit_id = _new_record_id()
        head = self._response_head(capture)
        fields = [
            ("WARC-Type", "revisit"),
            ("WARC-Record-ID", revisit_id),
            *common,
            *revisit_fields(
                profile=profile,
                refers_to=safe_uri(refers_to),
                refers_to_target_uri=safe_uri(refers_to_target_uri),
                refers_to_date=refers_to_date.strip(),
            ),
            ("WARC-Warcinfo-ID", self._warcinfo_id),
            ("WARC-Block-Digest", self._digest(head)),
        ]
        if digest:
            fields.append(("WARC-Payload-Digest", digest))
        revisit = self._serialize("revisit", fields, "application/http;msgtype=response", head)
        return self._append_pair(capture, common, revisit, revisit_id, digest)

    def payload_digest(self, body: bytes) -> str:
        """`WARC-Payload-Digest` value of `body` with the configured algorithm (`sha1:BASE32`)."""
        return self._digest(body)

    def _common_fields(self, capture: HttpCapture, uri: str) -> list[tuple[str, str]]:
        common = [("WARC-Date", format_warc_date(capture.warc_date)), ("WARC-Target-URI", uri)]
        ip_address = _valid_ip(capture.ip_address, capture.url)
        if ip_address:
            common.append(("WARC-IP-Address", ip_address))
        return common

    def _response_head(self, capture: HttpCapture) -> bytes:
        return build_response_head(
            url=capture.url,
            protocol=capture.protocol,
            status=capture.status,
            reason=capture.reason,
            headers=capture.response_headers,
            redact=self._redact,
        )

    def _append_pair(
        self,
        capture: HttpCapture,
        common: list[tuple[str, str]],
        response: bytes,
        response_id: str,
        payload_digest: str | None,
    ) -> Capture:
        """Append `response` and then the request record of `capture` concurrent to it."""
        request_id = _new_record_id()
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
        offset = self._files.append([response, request])
        self._ids_in_file.update((response_id, request_id))
        return Capture(
            warc_file=self._files.current_name,
            offset=offset,
            length=len(response),
            record_id=response_id,
            payload_digest=payload_digest,
        )

    def write_resource(
        self, uri: str, content_type: str, payload: bytes, *, warc_date: datetime | None = None
    ) -> Capture:
        """A `resource` record, e.g. the crawl log or run.json under a `urn:` URI.

        `warc_date` defaults to now.
        """
        self._ensure_file(may_rotate=True)
        record_id = _new_record_id()
        fields = [
            ("WARC-Record-ID", record_id),
            ("WARC-Date", format_warc_date(warc_date or datetime.now(UTC))),
            ("WARC-Target-URI", safe_uri(uri)),
        ]
        member, digest = self._record("resource", fields, safe_uri(content_type), b"", payload)
        return self._single(member, record_id, digest)

    def write_metadata(
        self,
        concurrent_to: str,
        target_uri: str,
        payload: Mapping[str, Any],
        *,
        warc_date: datetime | None = None,
    ) -> Capture:
        """A JSON `metadata` record about the record `concurrent_to` (IIPC guidelines rec. 11).

        Written in the same file as that record whenever it is in the current file.
        `warc_date` defaults to now; pass the response's to date it with its capture.
        An http(s) `target_uri` (the page's URL) is written as `metadata_uri(target_uri)`:
        indexers (cdxj-indexer, pywb) list a JSON metadata record under its target URI, and
        pywb then serves the JSON in place of the page captured at the same second.
        """
        if target_uri.lower().startswith(("http:", "https:")):
            target_uri = metadata_uri(target_uri)
        self._ensure_file(may_rotate=concurrent_to not in self._ids_in_file)
        record_id = _new_record_id()
        fields = [
            ("WARC-Record-ID", record_id),
            ("WARC-Date", format_warc_date(warc_date or datetime.now(UTC))),
            ("WARC-Target-URI", safe_uri(target_uri)),
            ("WARC-Concurrent-To", safe_uri(concurrent_to)),
        ]
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        member, digest = self._record("metadata", fields, "application/json", b"", body)
        return self._single(member, record_id, digest)

    def rotate(self) -> None:
        """Finish the current file now (e.g. after idle time); the next write opens a new one."""
        self._files.finish()

    def close(self) -> None:
        """Finish the current file (rename `.open` away). Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._files.finish()

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
        headers = StatusAndHeaders("", fields, protocol=WARC_VERSION)  # holds WARC-Type
        # warcio writes only the parsed HTTP head of a record typed 'revisit' (ours is bytes,
        # so the block would be lost); as 'warcinfo' it copies the block and adds no digest.
        kind = "warcinfo" if warc_type == "revisit" else warc_type
        record = ArcWarcRecord(
            "warc", kind, headers, io.BytesIO(block), None, content_type, len(block)
        )
        out = io.BytesIO()
        self._serializer.out = out
        self._serializer.write_record(record)
        return out.getvalue()

    def _warcinfo(self, filename: str) -> bytes:
        body = warcinfo_body(self._config.warcinfo)
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
        offset = self._files.append([member])
        self._ids_in_file.add(record_id)
        return Capture(
            warc_file=self._files.current_name,
            offset=offset,
            length=len(member),
            record_id=record_id,
            payload_digest=digest,
        )

    def _ensure_file(self, *, may_rotate: bool) -> None:
        if self._closed:
            raise WriterClosedError(f"WarcWriter for {self._config.directory} is closed")
        self._files.ensure(may_rotate=may_rotate)

    def _start_file(self, filename: str) -> bytes:
        """The first record of a new file (`WarcFiles` calls this when it opens one)."""
        self._ids_in_file = set()
        self._warcinfo_id = _new_record_id()
        return self._warcinfo(filename)
