"""Scrapy request/response → `HttpCapture` (what went over the wire), for the WARC writer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from newsarchive.warc.writer import HttpCapture

if TYPE_CHECKING:
    from scrapy.http.headers import Headers

WARC_DATE_META = "newsarchive_warc_date"
CAPTURE_META = "newsarchive_capture"

Truncation = Literal["length", "disconnect", "time"]


def header_pairs(headers: Headers) -> tuple[tuple[str, str], ...]:
    """Every value of every header (Scrapy keeps repeated headers as lists)."""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            pairs.append((key, text))
    return tuple(pairs)


def request_header_pairs(request: Request) -> tuple[tuple[str, str], ...]:
    """The headers as sent: Twisted adds Host, which Scrapy's request does not carry."""
    pairs = list(header_pairs(request.headers))
    if not any(name.lower() == "host" for name, _ in pairs):
        pairs.insert(0, ("Host", urlsplit(request.url).netloc))
    return tuple(pairs)


def warc_date_of(request: Request) -> datetime:
    when = request.meta.get(WARC_DATE_META)
    return when if isinstance(when, datetime) else datetime.now(UTC)


def http_capture(request: Request, response: Response) -> HttpCapture:
    """A completed download. Scrapy flags a body cut short by the server (`dataloss` when
    DOWNLOAD_FAIL_ON_DATALOSS is off, `partial` when the length was unknown)."""
    truncated: Truncation | None = None
    if "partial" in response.flags or "dataloss" in response.flags:
        truncated = "disconnect"
    ip = response.ip_address
    return HttpCapture(
        url=request.url,
        method=request.method,
        request_headers=request_header_pairs(request),
        request_body=request.body or b"",
        protocol=response.protocol or "HTTP/1.1",
        status=response.status,
        response_headers=header_pairs(response.headers),
        body=response.body,
        warc_date=warc_date_of(request),
        ip_address=str(ip) if ip is not None else None,
        truncated=truncated,
    )
