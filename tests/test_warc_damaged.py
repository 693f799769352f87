"""Damaged input: exact exchanges and exact errors (file and offset), never a crash."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.records import Capture, Exchange
from newsarchive.warc.errors import ReadError
from newsarchive.warc.reader import iter_exchanges
from newsarchive.warc.scanner import iter_records
from tests.warc_factory import HTML, make_capture, write_captures

URLS = [f"http://example.com/story/{n}?page=1" for n in range(1, 5)]


def read(path: Path) -> tuple[list[Exchange], list[ReadError]]:
    errors: list[ReadError] = []
    return list(iter_exchanges(path, on_error=errors.append)), errors


@pytest.fixture
def four(tmp_path: Path) -> tuple[Path, list[Capture]]:
    captures = [make_capture(url, body=HTML + url.encode() * 40) for url in URLS]
    files, written = write_captures(tmp_path / "src", captures)
    return files[0], written


def damaged_copy(source: Path, directory: Path, data: bytes) -> Path:
    target = directory / source.name
    target.write_bytes(data)
    return target


def test_corrupt_member_skipped_with_its_offset(
    four: tuple[Path, list[Capture]], tmp_path: Path
) -> None:
    path, written = four
    data = bytearray(path.read_bytes())
    middle = written[1].offset + written[1].length // 2
    for index in range(middle, middle + 8):
        data[index] ^= 0xFF
    broken = damaged_copy(path, tmp_path, bytes(data))
    exchanges, errors = read(broken)
    assert [e.url for e in exchanges] == [URLS[0], URLS[2], URLS[3]]
    assert [e.capture for e in exchanges] == [written[0], written[2], written[3]]
    assert [(e.path, e.offset) for e in errors] == [(broken, written[1].offset)]
    assert str(broken) in str(errors[0]) and f"offset {written[1].offset}" in str(errors[0])
    assert "gzip" in errors[0].message


def test_truncated_inside_last_response(four: tuple[Path, list[Capture]], tmp_path: Path) -> None:
    path, written = four
    data = path.read_bytes()[: written[3].offset + written[3].length // 2]
    broken = damaged_copy(path, tmp_path, data)
    exchanges, errors = read(broken)
    assert [e.url for e in exchanges] == URLS[:3]
    assert [(e.path, e.offset) for e in errors] == [(broken, written[3].offset)]
    assert "truncated" in errors[0].message


def test_truncated_inside_last_request(four: tuple[Path, list[Capture]], tmp_path: Path) -> None:
    path, written = four
    request_offset = written[3].offset + written[3].length
    broken = damaged_copy(path, tmp_path, path.read_bytes()[: request_offset + 30])
    exchanges, errors = read(broken)
    assert [e.url for e in exchanges] == URLS
    assert [(e.path, e.offset) for e in errors] == [(broken, request_offset)]


def test_garbage_between_members(four: tuple[Path, list[Capture]], tmp_path: Path) -> None:
    path, written = four
    data = path.read_bytes()
    cut = written[2].offset
    junk = b"\x00garbage\x1f\x8b\x08junk"  # includes a false gzip magic
    broken = damaged_copy(path, tmp_path, data[:cut] + junk + data[cut:])
    exchanges, errors = read(broken)
    assert [e.url for e in exchanges] == URLS
    shifted = [e.capture.offset for e in exchanges[2:]]  # type: ignore[union-attr]
    assert shifted == [written[2].offset + len(junk), written[3].offset + len(junk)]
    assert [(e.path, e.offset) for e in errors] == [(broken, cut)]


def plain_offsets(data: bytes) -> dict[str, int]:
    """Offsets of response records by URL in an uncompressed WARC, as warcio sees them."""
    records = ArchiveIterator(io.BytesIO(data))
    offsets = {}
    for record in records:
        if record.rec_type == "response":
            offsets[record.rec_headers.get_header("WARC-Target-URI")] = records.get_record_offset()
    return offsets


def test_uncompressed_truncated(four: tuple[Path, list[Capture]], tmp_path: Path) -> None:
    path, _ = four
    plain = gzip.decompress(path.read_bytes())
    offsets = plain_offsets(plain)
    broken = tmp_path / "plain.warc"
    broken.write_bytes(plain[: offsets[URLS[3]] + 500])
    exchanges, errors = read(broken)
    assert [e.url for e in exchanges] == URLS[:3]
    assert [e.capture.offset for e in exchanges] == [offsets[u] for u in URLS[:3]]  # type: ignore[union-attr]
    assert [(e.path, e.offset) for e in errors] == [(broken, offsets[URLS[3]])]
    assert "short of its Content-Length" in errors[0].message


@pytest.mark.parametrize("delta", [+25, -25])
def test_uncompressed_wrong_content_length(
    four: tuple[Path, list[Capture]], tmp_path: Path, delta: int
) -> None:
    path, _ = four
    plain = gzip.decompress(path.read_bytes())
    offsets = plain_offsets(plain)
    start = offsets[URLS[1]]
    head_end = plain.index(b"\r\n\r\n", start)
    line_start = plain.index(b"Content-Length: ", start) + len(b"Content-Length: ")
    line_end = plain.index(b"\r\n", line_start)
    assert line_end <= head_end  # the WARC header, not the HTTP one
    wrong = str(int(plain[line_start:line_end]) + delta).encode()
    broken = tmp_path / "plain.warc"
    broken.write_bytes(plain[:line_start] + wrong + plain[line_end:])
    exchanges, errors = read(broken)
    assert [e.url for e in exchanges] == [URLS[0], URLS[2], URLS[3]]
    assert [(e.path, e.offset) for e in errors] == [(broken, start)]


def test_not_a_warc_and_empty_and_missing(tmp_path: Path) -> None:
    text = tmp_path / "notes.warc.gz"
    text.write_text("hello\nworld\n")
    empty = tmp_path / "empty.warc.gz.open"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.warc.gz"
    errors: list[ReadError] = []
    exchanges = list(iter_exchanges([text, empty, missing], on_error=errors.append))
    assert exchanges == []
    assert [(e.path, e.offset) for e in errors] == [(text, 0), (missing, 0)]


def test_whole_file_gzip_is_read_but_flagged(
    four: tuple[Path, list[Capture]], tmp_path: Path
) -> None:
    path, _ = four
    one_member = tmp_path / "single-member.warc.gz"
    one_member.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())))
    exchanges, errors = read(one_member)
    assert [e.url for e in exchanges] == URLS
    assert all(e.capture is None for e in exchanges)
    assert len(errors) == 1 and "warcio recompress" in errors[0].message


def test_broken_content_encoding_still_yielded(tmp_path: Path) -> None:
    not_gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03this is not deflate data at all"
    half_gzip = gzip.compress(HTML * 50)[:60]
    captures = [
        make_capture(
            "http://example.com/bad",
            response_headers=(("Content-Encoding", "gzip"),),
            body=not_gzip,
        ),
        make_capture(
            "http://example.com/half",
            response_headers=(("Content-Encoding", "gzip"),),
            body=half_gzip,
        ),
        make_capture(
            "http://example.com/half-known",
            response_headers=(("Content-Encoding", "gzip"),),
            body=half_gzip,
            truncated="length",
        ),
        make_capture(
            "http://example.com/zstd",
            response_headers=(("Content-Encoding", "zstd"),),
            body=b"(\xb5/\xfd",
        ),
        make_capture("http://example.com/fine"),
    ]
    files, written = write_captures(tmp_path, captures)
    exchanges, errors = read(files[0])
    assert [e.url for e in exchanges] == [c.url for c in captures]
    bad, half, half_known, zstd, fine = exchanges
    assert bad.body == not_gzip and "gzip" in bad.meta["decode_error"]
    assert half.body and (HTML * 50).startswith(half.body) and half.meta["body_incomplete"]
    assert half_known.body == half.body and "decode_error" not in half_known.meta
    assert zstd.body == b"(\xb5/\xfd" and "zstd" in zstd.meta["decode_error"]
    assert fine.body == HTML and "decode_error" not in fine.meta
    assert [(e.path, e.offset) for e in errors] == [
        (files[0], written[0].offset),
        (files[0], written[1].offset),
        (files[0], written[3].offset),
    ]
    assert errors[0].record_id == written[0].record_id
    assert "http://example.com/bad" in str(errors[0])


def test_response_without_http_head(tmp_path: Path) -> None:
    record = (
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"WARC-Date: 2025-01-01T00:00:00Z\r\nWARC-Target-URI: http://example.com/\r\n"
        b"Content-Length: 0\r\n\r\n\r\n\r\n"
    )
    dns = record.replace(b"http://example.com/", b"dns:example.com")
    path = tmp_path / "odd.warc"
    path.write_bytes(record + dns)
    assert len(list(iter_records(path))) == 2
    exchanges, errors = read(path)
    assert exchanges == []
    assert [(e.path, e.offset) for e in errors] == [(path, 0)]


def test_corrupt_first_member(four: tuple[Path, list[Capture]], tmp_path: Path) -> None:
    path, written = four
    data = bytearray(path.read_bytes())
    for index in range(20, 40):  # inside the warcinfo member's deflate data
        data[index] ^= 0x55
    broken = damaged_copy(path, tmp_path, bytes(data))
    exchanges, errors = read(broken)
    assert [e.capture for e in exchanges] == written  # real record ids, not ARC-style ones
    assert [(e.path, e.offset) for e in errors] == [(broken, 0)]
