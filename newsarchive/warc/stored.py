"""A record as stored in a WARC/ARC file: location, headers and raw payload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class HttpHead:
    """The HTTP start line and headers stored at the start of a record's block."""

    protocol: str
    """`HTTP/1.1` for a response; the method for a request (warcio's split)."""
    status_line: str
    """`200 OK` for a response; `/path?q HTTP/1.1` for a request."""
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((value for key, value in self.headers if key.lower() == lower), None)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One record as stored: where it is, its headers and (for some types) its raw payload."""

    path: Path
    offset: int
    length: int | None
    """Bytes from `offset` to the record's end (gzip member or record incl. headers); None when
    several records share one gzip member, so `warcio extract` cannot reach this one alone."""
    warc_type: str
    warc_headers: tuple[tuple[str, str], ...]
    http: HttpHead | None
    payload: bytes
    """The block after the HTTP head, as stored (may be chunked, compressed), at most
    `max_payload` bytes; empty for record types not kept."""
    payload_size: int
    """Full size of the stored payload; larger than `len(payload)` when it was cut."""
    computed_payload_digest: str | None = None
    """`sha1:BASE32` of the stored payload, for kept records without WARC-Payload-Digest."""

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((value for key, value in self.warc_headers if key.lower() == lower), None)

    @property
    def payload_digest(self) -> str | None:
        return self.header("WARC-Payload-Digest") or self.computed_payload_digest
