"""De-chunking and bounded Content-Encoding decoding of archived payloads."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import brotli
import pytest

from newsarchive.warc.content import content_encodings, dechunk, decode_content

TEXT = b"<p>" + b"news " * 200 + b"</p>"


def test_dechunk() -> None:
    assert dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n") == (
        b"hello world",
        True,
    )
    assert dechunk(b"5\nhello\n0\n\n") == (b"hello", True)  # bare LF
    assert dechunk(b"5\r\nhello\r\n6\r\n wo") == (b"hello wo", False)  # cut capture
    assert dechunk(b"<html>not chunked</html>") is None
    assert dechunk(b"0x5\r\nhello\r\n0\r\n\r\n") is None  # int() would accept this, HTTP does not
    assert dechunk(b"") is None


def test_encodings_header() -> None:
    assert content_encodings("gzip, br") == ["gzip", "br"]
    assert content_encodings(" Identity ") == []
    assert content_encodings(None) == []


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("GZIP", gzip.compress(TEXT[:500]) + gzip.compress(TEXT[500:])),  # two members
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress(TEXT)),
        ("gzip, br", brotli.compress(gzip.compress(TEXT))),
        ("identity", TEXT),
        (None, TEXT),
    ],
)
def test_decode(encoding: str | None, data: bytes) -> None:
    decoded = decode_content(data, encoding, limit=10_000)
    assert decoded.body == TEXT
    assert (decoded.error, decoded.incomplete, decoded.cut) == (None, False, False)


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress)],
)
def test_decompression_bomb_is_bounded(encoding: str, compress: object) -> None:
    bomb = compress(b"\0" * 20_000_000)  # type: ignore[operator]
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        decoded = decode_content(bomb, encoding, limit=4096)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert decoded.body == b"\0" * 4096 and decoded.cut and decoded.error is None
    assert peak < 2_000_000  # never the 20 MB the bomb expands to


def test_broken_and_incomplete_streams() -> None:
    broken = decode_content(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage!", "gzip", limit=100)
    assert broken.error and broken.body == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage!"
    half = gzip.compress(TEXT * 20)[:80]
    incomplete = decode_content(half, "gzip", limit=100_000)
    assert incomplete.incomplete and incomplete.error is None
    assert incomplete.body and (TEXT * 20).startswith(incomplete.body)
    bad_br = decode_content(b"\xff\xff\xff\xff", "br", limit=100)
    assert bad_br.error and "br" in bad_br.error
    unsupported = decode_content(b"(\xb5/\xfd", "zstd", limit=100)
    assert unsupported.error == "unsupported Content-Encoding zstd"
    assert decode_content(b"", "gzip", limit=100).body == b""  # HEAD / 304
