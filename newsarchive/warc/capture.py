"""`HttpCapture`: one HTTP exchange as it went over the wire, the writer's input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

TruncatedReason = Literal["length", "disconnect", "time"]
TRUNCATED_REASONS: frozenset[str] = frozenset({"length", "disconnect", "time"})


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpCapture:
    """One request and its response, as sent and received (not as a client library rewrote them)."""

    url: str
    """Full URL including the query; the request line gets its path and query."""
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...]
    """Headers as sent, in order (with Host). The writer redacts the values of the names in
    `WarcWriterConfig.redact_headers`."""
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    """Protocol of the status line as received; the request line uses it too."""
    status: int
    reason: str | None = None
    """Reason phrase; None -> the standard phrase of `http.HTTPStatus` ("" for unknown codes)."""
    response_headers: tuple[tuple[str, str], ...]
    """Every value of repeated headers, in received order. A `Transfer-Encoding` header is dropped
    by the writer because `body` is always de-chunked."""
    body: bytes
    """Entity body as received: still gzip/br when Content-Encoding says so, already de-chunked."""
    warc_date: datetime
    """Timezone-aware instant the request went out; request and response records share it."""
    ip_address: str | None = None
    truncated: TruncatedReason | None = None
    """Why the body is incomplete, written as `WARC-Truncated`; None when complete."""

    def __post_init__(self) -> None:
        offset = self.warc_date.utcoffset()
        if offset is None:
            raise ValueError(f"HttpCapture.warc_date must be timezone-aware (url {self.url})")
        if not 100 <= self.status <= 999:
            raise ValueError(f"HttpCapture.status {self.status} is not a 3-digit code ({self.url})")
        if self.truncated is not None and self.truncated not in TRUNCATED_REASONS:
            raise ValueError(
                f"HttpCapture.truncated must be one of {sorted(TRUNCATED_REASONS)} or None, "
                f"got {self.truncated!r} ({self.url})"
            )


def format_warc_date(moment: datetime) -> str:
    """WARC/1.1 date with microseconds, e.g. `2025-03-29T13:00:00.123456Z`."""
    if moment.utcoffset() is None:
        raise ValueError(f"WARC-Date needs a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    lower = name.lower()
    return next((value for key, value in headers if key.strip().lower() == lower), None)


def consistency_problems(capture: HttpCapture) -> list[str]:
    """Signs that `body` is not the body as received (e.g. already decompressed).

    Replay tools and `check_warc.sh` reject such records; the writer logs these as warnings.
    """
    problems = []
    body, headers = capture.body, capture.response_headers
    expects_body = capture.status >= 200 and capture.status not in (204, 304) and body
    length = _header(headers, "Content-Length")
    if expects_body and length and not capture.truncated:
        if not length.strip().isdigit():
            problems.append(f"unparsable Content-Length {length!r}")
        elif int(length) != len(body):
            problems.append(f"Content-Length {length.strip()} but the body has {len(body)} bytes")
    encoding = (_header(headers, "Content-Encoding") or "").strip().lower()
    if expects_body and encoding in ("gzip", "x-gzip") and not body.startswith(b"\x1f\x8b"):
        problems.append(f"Content-Encoding: {encoding} but the body is not gzip data")
    return problems
