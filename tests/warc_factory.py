"""Builders for WARC tests: captures, written files, and an independent gzip-member parser."""

from __future__ import annotations

import base64
import gzip
import hashlib
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsarchive.records import Capture
from newsarchive.warc.capture import HttpCapture
from newsarchive.warc.writer import WarcWriter, WarcWriterConfig

WARC_DATE = datetime(2025, 3, 29, 13, 0, 0, 123456, tzinfo=UTC)
HTML = b"<html><head><title>T</title></head><body><p>Hello archive</p></body></html>"


def make_capture(url: str = "http://example.com/news/?page=2&x=1", **overrides: Any) -> HttpCapture:
    fields: dict[str, Any] = {
        "url": url,
        "request_headers": (
            ("Host", "example.com"),
            ("User-Agent", "newsarchive-test"),
            ("Accept-Encoding", "gzip, deflate, br"),
        ),
        "status": 200,
        "response_headers": (
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(HTML))),
        ),
        "body": HTML,
        "warc_date": WARC_DATE,
        "ip_address": "127.0.0.1",
    }
    fields.update(overrides)
    return HttpCapture(**fields)


def gzip_capture(url: str = "http://example.com/gz") -> HttpCapture:
    body = gzip.compress(HTML, mtime=0)
    return make_capture(
        url,
        response_headers=(
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(body))),
            ("Set-Cookie", "a=1; Path=/"),
            ("Set-Cookie", "b=2; Path=/"),
        ),
        body=body,
    )


def write_captures(
    directory: Path, captures: list[HttpCapture], **config: Any
) -> tuple[list[Path], list[Capture]]:
    config.setdefault("host", "test-host")
    config.setdefault("pid", 4242)
    with WarcWriter(WarcWriterConfig(directory, **config)) as writer:
        written = [writer.write_exchange(capture) for capture in captures]
    return writer.files, written


@dataclass(frozen=True)
class Member:
    """One gzip member parsed without warcio or newsarchive code."""

    offset: int
    length: int
    version: str
    headers: list[tuple[str, str]]
    block: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def iter_members(path: Path) -> list[Member]:
    data = path.read_bytes()
    members = []
    position = 0
    while position < len(data):
        decompressor = zlib.decompressobj(wbits=31)
        record = decompressor.decompress(data[position:])
        assert decompressor.eof, f"member at {position} does not end"
        length = len(data) - position - len(decompressor.unused_data)
        head, _, rest = record.partition(b"\r\n\r\n")
        lines = head.decode("utf-8").split("\r\n")
        headers = [tuple(line.split(": ", 1)) for line in lines[1:]]
        member = Member(position, length, lines[0], headers, b"")  # type: ignore[arg-type]
        size = int(member.header("Content-Length") or "-1")
        assert rest[size:] == b"\r\n\r\n", f"member at {position}: one record, then CRLFCRLF"
        members.append(Member(position, length, lines[0], member.headers, rest[:size]))
        position += length
    return members


def sha1_label(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")
