"""WarcWriter: conformance of what it writes, checked with warcio and an independent parser."""

from __future__ import annotations

import argparse
import gzip
import io
import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from newsarchive.warc.capture import HttpCapture, consistency_problems, format_warc_date
from newsarchive.warc.errors import WriterClosedError
from newsarchive.warc.writer import WarcWriter, WarcWriterConfig, sanitise_host
from tests.warc_factory import (
    HTML,
    WARC_DATE,
    gzip_capture,
    iter_members,
    make_capture,
    sha1_label,
    write_captures,
)

NAME_PATTERN = re.compile(r"newsarchive-\d{17}-\d{5}-test-host-4242\.warc\.gz")


def warcio_check(path: Path) -> int:
    exit_value: int = Checker(argparse.Namespace(inputs=[str(path)], verbose=True)).process_all()
    return exit_value


def record_at(path: Path, offset: int) -> tuple[str, str, str, bytes]:
    """(type, id, target URI, payload as stored) of the record warcio finds at `offset`."""
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        headers = record.rec_headers
        return (
            headers.get_header("WARC-Type"),
            headers.get_header("WARC-Record-ID"),
            headers.get_header("WARC-Target-URI"),
            record.raw_stream.read(),  # after the HTTP head, which warcio has parsed
        )


@pytest.fixture
def written(tmp_path: Path) -> tuple[list[Path], list[object]]:
    captures = [
        gzip_capture("http://example.com/gz?x=1&y=%C3%A9"),
        make_capture(
            "http://example.com/old", status=301, response_headers=(("Location", "/new"),), body=b""
        ),
        make_capture("http://example.com/missing", status=404, body=b"not found"),
        make_capture(),
    ]
    return write_captures(tmp_path, captures)  # type: ignore[return-value]


def test_warcio_check_passes(written: tuple[list[Path], list[object]]) -> None:
    files, _ = written
    assert len(files) == 1
    assert warcio_check(files[0]) == 0


def test_every_digest_verifies_independently(written: tuple[list[Path], list[object]]) -> None:
    files, _ = written
    members = iter_members(files[0])
    assert [m.header("WARC-Type") for m in members] == ["warcinfo"] + ["response", "request"] * 4
    for member in members:
        assert member.header("WARC-Block-Digest") == sha1_label(member.block)
        payload = member.block
        if member.header(
            "Content-Type",
        ).startswith("application/http"):  # type: ignore[union-attr]
            payload = member.block.split(b"\r\n\r\n", 1)[1]
        if member.header("WARC-Type") != "warcinfo":
            assert member.header("WARC-Payload-Digest") == sha1_label(payload)


def test_warc_1_1_with_microsecond_dates(written: tuple[list[Path], list[object]]) -> None:
    files, _ = written
    members = iter_members(files[0])
    assert {m.version for m in members} == {"WARC/1.1"}
    for member in members[1:]:
        assert member.header("WARC-Date") == "2025-03-29T13:00:00.123456Z"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", members[0].header("WARC-Date") or ""
    )


def test_capture_points_at_response_member(written: tuple[list[Path], list[object]]) -> None:
    files, captures = written
    for capture in captures:
        assert capture.warc_file == files[0].name  # type: ignore[attr-defined]
        kind, record_id, _uri, _ = record_at(files[0], capture.offset)  # type: ignore[attr-defined]
        assert kind == "response"
        assert record_id == capture.record_id  # type: ignore[attr-defined]
    members = {m.offset: m for m in iter_members(files[0])}
    for capture in captures:
        member = members[capture.offset]  # type: ignore[attr-defined]
        assert member.length == capture.length  # type: ignore[attr-defined]
        assert member.header("WARC-Payload-Digest") == capture.payload_digest  # type: ignore[attr-defined]
    assert record_at(files[0], captures[0].offset)[2] == "http://example.com/gz?x=1&y=%C3%A9"  # type: ignore[attr-defined]


def test_gzip_body_stays_gzip_and_headers_repeat(written: tuple[list[Path], list[object]]) -> None:
    files, captures = written
    _, _, _, payload = record_at(files[0], captures[0].offset)  # type: ignore[attr-defined]
    assert payload == gzip.compress(HTML, mtime=0)
    assert gzip.decompress(payload) == HTML
    response = iter_members(files[0])[1]
    lines = response.block.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 200 OK"
    assert lines.count(b"Set-Cookie: a=1; Path=/") == 1
    assert lines.count(b"Set-Cookie: b=2; Path=/") == 1
    assert b"Content-Encoding: gzip" in lines


def test_status_lines_use_standard_reasons(written: tuple[list[Path], list[object]]) -> None:
    files, _ = written
    responses = [m for m in iter_members(files[0]) if m.header("WARC-Type") == "response"]
    status_lines = [m.block.split(b"\r\n", 1)[0] for m in responses]
    assert status_lines == [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 301 Moved Permanently",
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 200 OK",
    ]


def test_request_record(written: tuple[list[Path], list[object]]) -> None:
    files, _ = written
    members = iter_members(files[0])[1:]
    for response, request in zip(members[::2], members[1::2], strict=True):
        assert request.header("Content-Type") == "application/http;msgtype=request"
        assert response.header("Content-Type") == "application/http;msgtype=response"
        assert request.header("WARC-Concurrent-To") == response.header("WARC-Record-ID")
        for name in ("WARC-Date", "WARC-Target-URI", "WARC-IP-Address"):
            assert request.header(name) == response.header(name)
    assert members[1].block.startswith(b"GET /gz?x=1&y=%C3%A9 HTTP/1.1\r\nHost: example.com\r\n")
    assert members[7].block.startswith(b"GET /news/?page=2&x=1 HTTP/1.1\r\n")


def test_warcinfo_first_names_its_file(written: tuple[list[Path], list[object]]) -> None:
    files, _ = written
    info = iter_members(files[0])[0]
    assert info.header("WARC-Type") == "warcinfo"
    assert info.header("WARC-Filename") == files[0].name
    assert info.header("Content-Type") == "application/warc-fields"
    assert b"format: WARC File Format 1.1\r\n" in info.block
    assert b"software: newsarchive/" in info.block


def test_file_name_and_no_open_left(
    written: tuple[list[Path], list[object]], tmp_path: Path
) -> None:
    files, _ = written
    assert NAME_PATTERN.fullmatch(files[0].name)
    assert sorted(p.name for p in tmp_path.iterdir()) == [files[0].name]


def test_rotation_keeps_pairs_together(tmp_path: Path) -> None:
    bodies = [os.urandom(1500) for _ in range(12)]
    captures = [make_capture(f"http://example.com/{i}", body=b) for i, b in enumerate(bodies)]
    files, written = write_captures(tmp_path, captures, max_size=4000)
    assert len(files) >= 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in files)
    assert [p.name.split("-")[2] for p in files] == [f"{i:05d}" for i in range(len(files))]
    for index, path in enumerate(files):
        assert NAME_PATTERN.fullmatch(path.name)
        assert warcio_check(path) == 0
        members = iter_members(path)
        assert members[0].header("WARC-Type") == "warcinfo"
        assert members[0].header("WARC-Filename") == path.name
        ids = {m.header("WARC-Record-ID") for m in members}
        for member in members:
            if member.header("WARC-Type") == "request":
                assert member.header("WARC-Concurrent-To") in ids
        if index < len(files) - 1:
            last_response = [m for m in members if m.header("WARC-Type") == "response"][-1]
            assert path.stat().st_size >= 4000 > last_response.offset
    assert (
        sum(1 for path in files for m in iter_members(path) if m.header("WARC-Type") == "response")
        == 12
    )
    assert [c.warc_file for c in written] == sorted(c.warc_file for c in written)


def test_metadata_and_resource_records(tmp_path: Path) -> None:
    with WarcWriter(WarcWriterConfig(tmp_path, max_size=1, host="h", pid=1)) as writer:
        first = writer.write_exchange(make_capture())
        meta = writer.write_metadata(
            first.record_id, "http://example.com/news/?page=2&x=1", {"title": "Т"}
        )
        log = writer.write_resource("urn:x-newsarchive:log", "text/plain; charset=utf-8", b"line\n")
    assert meta.warc_file == first.warc_file  # over max_size, yet beside its response
    assert log.warc_file != first.warc_file
    members = {m.offset: m for path in writer.files for m in iter_members(path)}
    assert members[meta.offset].header("WARC-Concurrent-To") == first.record_id
    assert members[meta.offset].header("Content-Type") == "application/json"
    assert members[meta.offset].block == '{"title": "Т"}'.encode()
    assert members[log.offset].header("WARC-Type") == "resource"
    assert members[log.offset].header("WARC-Target-URI") == "urn:x-newsarchive:log"
    for path in writer.files:
        assert warcio_check(path) == 0


def test_flushed_after_each_exchange(tmp_path: Path) -> None:
    writer = WarcWriter(WarcWriterConfig(tmp_path, host="h", pid=1))
    capture = writer.write_exchange(make_capture())
    open_files = list(tmp_path.glob("*.warc.gz.open"))
    assert len(open_files) == 1
    assert not writer.files[0].exists()
    assert record_at(open_files[0], capture.offset)[1] == capture.record_id
    assert writer.bytes_written == open_files[0].stat().st_size
    writer.close()
    writer.close()  # idempotent
    assert not open_files[0].exists() and writer.files[0].exists()
    with pytest.raises(WriterClosedError):
        writer.write_exchange(make_capture())


def test_no_file_without_records(tmp_path: Path) -> None:
    with WarcWriter(WarcWriterConfig(tmp_path / "warc")) as writer:
        pass
    assert writer.files == []
    assert not (tmp_path / "warc").exists()


def test_authorization_redacted(tmp_path: Path) -> None:
    headers = (
        ("Host", "example.com"),
        ("Authorization", "Bearer secret-token"),
        ("proxy-authorization", "Basic c2VjcmV0"),
        ("Cookie", "session=abc"),
    )
    files, _ = write_captures(tmp_path / "a", [make_capture(request_headers=headers)])
    request = iter_members(files[0])[2].block
    assert b"Authorization: REDACTED\r\n" in request
    assert b"proxy-authorization: REDACTED\r\n" in request
    assert b"secret" not in request and b"c2VjcmV0" not in request
    assert b"Cookie: session=abc\r\n" in request
    files, _ = write_captures(
        tmp_path / "b", [make_capture(request_headers=headers)], redact_headers=("cookie",)
    )
    request = iter_members(files[0])[2].block
    assert b"Cookie: REDACTED\r\n" in request and b"Bearer secret-token" in request


def test_transfer_encoding_dropped_and_truncation_marked(tmp_path: Path) -> None:
    capture = make_capture(
        response_headers=(("Transfer-Encoding", "chunked"), ("Content-Type", "text/html")),
        body=HTML[:10],
        truncated="length",
    )
    files, _ = write_captures(tmp_path, [capture])
    response = iter_members(files[0])[1]
    assert b"transfer-encoding" not in response.block.lower()
    assert response.block.endswith(b"\r\n\r\n" + HTML[:10])
    assert response.header("WARC-Truncated") == "length"
    assert iter_members(files[0])[2].header("WARC-Truncated") is None


def test_hostile_headers_cannot_break_records(tmp_path: Path) -> None:
    capture = make_capture(
        "http://example.com/a b/\u00e9t\u00e9?q=\u20ac\r\nX: y",
        method="GET",
        request_headers=(("Host", "example.com"), ("X-Evil", "a\r\nInjected: 1")),
        response_headers=(
            ("Content-Type", "text/html"),
            ("X-Latin", "caf\u00e9"),
            ("X-Euro", "\u20ac5"),
            ("Bad\r\nName", "v"),
            ("X-Raw", "\udce9t\udce9"),
            ("", "nameless"),
        ),
        reason="OK\r\nInjected: 2",
    )
    files, _ = write_captures(tmp_path, [capture])
    assert warcio_check(files[0]) == 0
    members = iter_members(files[0])
    response, request = members[1], members[2]
    uri = response.header("WARC-Target-URI") or ""
    assert " " not in uri and "\r" not in uri and uri.isascii()
    head = response.block.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert head[0] == b"HTTP/1.1 200 OK%0D%0AInjected: 2"
    assert b"X-Latin: caf\xe9" in head
    assert b"X-Euro: %E2%82%AC5" in head
    assert b"Bad%0D%0AName: v" in head
    assert b"X-Raw: \xe9t\xe9" in head
    assert not any(line.startswith(b"Injected") for line in head)
    assert len(head) == 6  # status line + 5 headers: the nameless one is dropped
    assert request.block.startswith(
        b"GET /a%20b/%C3%A9t%C3%A9?q=%E2%82%AC%0D%0AX:%20y HTTP/1.1\r\n"
    )
    assert b"X-Evil: a%0D%0AInjected: 1\r\n" in request.block
    records = ArchiveIterator(io.BytesIO(files[0].read_bytes()))
    parsed = [r.http_headers.get_header("X-Latin") for r in records if r.rec_type == "response"]
    assert parsed == ["caf\u00e9"]


def test_sha256_digests(tmp_path: Path) -> None:
    files, written = write_captures(tmp_path, [make_capture()], digest_algorithm="sha256")
    assert written[0].payload_digest and written[0].payload_digest.startswith("sha256:")
    assert all(
        (m.header("WARC-Block-Digest") or "").startswith("sha256:") for m in iter_members(files[0])
    )
    assert warcio_check(files[0]) == 0


def test_capture_validation() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_capture(warc_date=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="truncated"):
        make_capture(truncated="maybe")
    with pytest.raises(ValueError, match="status"):
        make_capture(status=42)
    with pytest.raises(ValueError, match="prefix"):
        WarcWriterConfig(Path("x"), prefix="../evil")
    assert isinstance(make_capture(), HttpCapture)


def test_dates_and_hosts() -> None:
    plus5 = timezone(timedelta(hours=5))
    assert format_warc_date(datetime(2025, 3, 29, 18, 0, 0, 7, tzinfo=plus5)) == (
        "2025-03-29T13:00:00.000007Z"
    )
    assert format_warc_date(WARC_DATE.astimezone(UTC)) == "2025-03-29T13:00:00.123456Z"
    assert sanitise_host("my host_1.example/x") == "my-host-1.example-x"
    assert sanitise_host("__") == "localhost"


class _DiskFullAfter:
    """Stands in for the writer's file: writes `room` bytes, then fails like a full disk."""

    def __init__(self, real: io.FileIO, room: int) -> None:
        self._real = real
        self._room = room

    def write(self, data: memoryview) -> int:
        if self._room <= 0:
            raise OSError(28, "No space left on device")
        written = self._real.write(data[: self._room])
        self._room -= written
        return written

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_failed_write_is_cut_off(tmp_path: Path) -> None:
    writer = WarcWriter(WarcWriterConfig(tmp_path, host="h", pid=1))
    first = writer.write_exchange(make_capture("http://example.com/1"))
    files = writer._files
    real = files._file
    assert real is not None
    files._file = _DiskFullAfter(real, 100)  # type: ignore[assignment]
    with pytest.raises(OSError, match="No space"):
        writer.write_exchange(make_capture("http://example.com/2"))
    files._file = real
    third = writer.write_exchange(make_capture("http://example.com/3"))
    writer.close()
    assert third.offset == first.offset + first.length + iter_members(writer.files[0])[2].length
    assert [m.header("WARC-Target-URI") for m in iter_members(writer.files[0])[1:]] == [
        "http://example.com/1",
        "http://example.com/1",
        "http://example.com/3",
        "http://example.com/3",
    ]
    assert warcio_check(writer.files[0]) == 0


def test_decoded_body_is_flagged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    decoded = make_capture(
        response_headers=(("Content-Encoding", "gzip"), ("Content-Length", "12")), body=HTML
    )
    assert consistency_problems(decoded) == [
        f"Content-Length 12 but the body has {len(HTML)} bytes",
        "Content-Encoding: gzip but the body is not gzip data",
    ]
    assert consistency_problems(gzip_capture()) == []
    assert consistency_problems(make_capture(body=HTML[:5], truncated="length")) == []
    with caplog.at_level("WARNING", logger="newsarchive.warc.writer"):
        write_captures(tmp_path, [decoded])
    assert "not gzip data" in caplog.text
