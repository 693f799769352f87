"""Scrapy request/response → what the WARC records hold."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.http.headers import Headers

from newsarchive.capture.exchange import (
    WARC_DATE_META,
    header_pairs,
    http_capture,
    request_header_pairs,
)


def test_every_value_of_repeated_headers() -> None:
    headers = Headers()
    headers.appendlist("Set-Cookie", "a=1")
    headers.appendlist("Set-Cookie", "b=2")
    headers["Content-Type"] = "text/html"
    pairs = header_pairs(headers)
    assert ("Set-Cookie", "a=1") in pairs and ("Set-Cookie", "b=2") in pairs
    assert ("Content-Type", "text/html") in pairs


def test_request_headers_as_sent_with_host_and_query() -> None:
    request = Request("http://127.0.0.1:8080/a/?x=1&y=2", headers={"User-Agent": "ua"})
    pairs = request_header_pairs(request)
    assert pairs[0] == ("Host", "127.0.0.1:8080")
    assert ("User-Agent", "ua") in pairs


def test_capture_keeps_raw_body_protocol_and_date() -> None:
    when = datetime(2025, 3, 29, 13, 0, 0, 123456, tzinfo=UTC)
    request = Request("http://127.0.0.1/x-1/?q=1", meta={WARC_DATE_META: when})
    response = HtmlResponse(
        "http://127.0.0.1/x-1/?q=1",
        status=200,
        body=b"\x1f\x8b raw gzip bytes",
        headers={"Content-Encoding": "gzip"},
        protocol="HTTP/1.0",
        request=request,
        flags=["dataloss"],
    )
    capture = http_capture(request, response)
    assert capture.body == b"\x1f\x8b raw gzip bytes"
    assert capture.protocol == "HTTP/1.0" and capture.warc_date == when
    assert capture.truncated == "disconnect"
    assert capture.url.endswith("?q=1")
