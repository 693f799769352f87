"""iter_exchanges / iter_warc_paths on WARC and ARC files of other tools and of our writer."""

from __future__ import annotations

import gzip
import shutil
import zlib
from pathlib import Path

import brotli
import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.records import Exchange
from newsarchive.warc.errors import ReadError
from newsarchive.warc.reader import iter_exchanges, iter_warc_paths
from newsarchive.warc.scanner import iter_records
from tests.conftest import shared_path
from tests.warc_factory import HTML, gzip_capture, make_capture, write_captures

ORIGINAL = "heritrix-20130729-original.warc.gz"
REVISIT = "heritrix-20130729-revisit.warc.gz"
# HTTP response records per sample, counted once with `warcio index` (see test below).
SAMPLE_RESPONSES = {
    "commoncrawl-CC-MAIN-2020-34-sample.warc.gz": 16,
    ORIGINAL: 1,
    REVISIT: 0,  # one revisit record, unresolvable without its original
    "ia-example.arc.gz": 1,
    "warcprox-iana-chunked.warc": 1,
    "wpull-example.warc.gz": 1,
}


def sample(name: str) -> Path:
    return shared_path(f"warc-samples/{name}")


def read_all(*paths: Path, **kwargs: object) -> tuple[list[Exchange], list[ReadError]]:
    errors: list[ReadError] = []
    exchanges = list(iter_exchanges(list(paths), on_error=errors.append, **kwargs))  # type: ignore[arg-type]
    return exchanges, errors


def warcio_responses(path: Path) -> list[tuple[int, int, str, bytes]]:
    """(offset, length, url, decoded body) of HTTP response records, as warcio reads them."""
    out = []
    with path.open("rb") as fh:
        records = ArchiveIterator(fh, arc2warc=True)
        for record in records:
            if record.rec_type != "response" or not record.http_headers:
                continue
            body = record.content_stream().read()
            url = record.rec_headers.get_header("WARC-Target-URI")
            out.append((records.get_record_offset(), records.get_record_length(), url, body))
    return out


@pytest.mark.parametrize("name", sorted(SAMPLE_RESPONSES))
def test_sample_exchange_counts(name: str) -> None:
    path = sample(name)
    assert len(warcio_responses(path)) == SAMPLE_RESPONSES[name]
    exchanges, errors = read_all(path)
    assert len(exchanges) == SAMPLE_RESPONSES[name]
    assert len(errors) == (1 if name == REVISIT else 0)


@pytest.mark.parametrize("name", sorted(set(SAMPLE_RESPONSES) - {REVISIT}))
def test_sample_exchanges_match_warcio(name: str) -> None:
    path = sample(name)
    exchanges, _ = read_all(path)
    expected = warcio_responses(path)
    assert [(e.capture.offset, e.capture.length) for e in exchanges if e.capture] == [
        (offset, length) for offset, length, _, _ in expected
    ]
    assert [e.url for e in exchanges] == [url for _, _, url, _ in expected]
    assert [e.body for e in exchanges] == [body for _, _, _, body in expected]
    for exchange in exchanges:
        assert exchange.capture is not None
        assert exchange.capture.warc_file == name
        assert exchange.capture.record_id.startswith("<urn:uuid:")
        assert exchange.capture.payload_digest and exchange.capture.payload_digest.startswith(
            "sha1:"
        )
        assert exchange.status == 200
        assert exchange.fetched_at.endswith("Z")
        assert exchange.meta["warc_type"] == "response"


def test_revisit_resolves_with_original_first() -> None:
    exchanges, errors = read_all(sample(ORIGINAL), sample(REVISIT))
    assert errors == []
    original, revisit = exchanges
    assert revisit.meta["warc_type"] == "revisit"
    assert revisit.meta["revisit_of"] == "<urn:uuid:8897520c-76a7-4f2f-bfbd-ab1750bac5ea>"
    assert revisit.meta["revisit_of_file"] == ORIGINAL
    assert revisit.body == original.body and len(revisit.body) == 68639
    assert revisit.fetched_at == "2013-07-29T09:01:07Z"
    assert revisit.header("Date") == "Mon, 29 Jul 2013 09:01:07 GMT"  # its own HTTP head
    assert revisit.capture is not None and revisit.capture.warc_file == REVISIT
    assert revisit.capture.record_id == "<urn:uuid:265268bc-9591-478a-ba90-cfdef9469b6c>"
    assert revisit.capture.payload_digest == original.capture.payload_digest  # type: ignore[union-attr]


def test_revisit_before_original_is_reported() -> None:
    exchanges, errors = read_all(sample(REVISIT), sample(ORIGINAL))
    assert [e.meta["warc_type"] for e in exchanges] == ["response"]
    assert len(errors) == 1
    assert errors[0].path.name == REVISIT and errors[0].offset == 0
    assert "original record not found" in str(errors[0]) and REVISIT in str(errors[0])


def test_samples_directory_in_one_call() -> None:
    directory = sample(ORIGINAL).parent
    paths = list(iter_warc_paths([directory]))
    assert [p.name for p in paths] == sorted(SAMPLE_RESPONSES)
    exchanges, errors = read_all(*paths)
    assert errors == []  # sorted order puts the original before its revisit
    assert len(exchanges) == sum(SAMPLE_RESPONSES.values()) + 1


def test_warcprox_chunked_payload_is_dechunked() -> None:
    path = sample("warcprox-iana-chunked.warc")
    stored = next(r for r in iter_records(path) if r.warc_type == "response")
    assert stored.payload.startswith(b"001c37\r\n")
    [exchange] = read_all(path)[0]
    assert exchange.header("Transfer-Encoding") == "chunked"  # headers as archived
    assert exchange.body.startswith(b"<!doctype html>")
    assert exchange.body.endswith(b"</html>\n")
    assert b"\r\n0\r\n" not in exchange.body
    assert len(exchange.body) < len(stored.payload)
    assert exchange.content_type == "text/html; charset=UTF-8"


def test_arc_record() -> None:
    path = sample("ia-example.arc.gz")
    [first] = read_all(path)[0]
    [again] = read_all(path)[0]
    assert first.url == "http://example.com/"
    assert first.fetched_at == "2014-02-16T05:02:21Z"
    assert first.meta["ip_address"] == "93.184.216.119"
    assert first.body.startswith(b"<!doctype html>") and len(first.body) == 1270
    assert first.capture is not None and (first.capture.offset, first.capture.length) == (171, 856)
    assert first.capture == again.capture  # a stable record id although ARC has none


def test_compression_detected_by_content_not_name(tmp_path: Path) -> None:
    original = sample("wpull-example.warc.gz")
    gzipped_as_warc = tmp_path / "gzipped.warc"
    shutil.copy(original, gzipped_as_warc)
    plain_as_gz = tmp_path / "plain.warc.gz"
    with gzip.open(original) as stream:
        plain_as_gz.write_bytes(stream.read())
    expected = [(e.url, e.body) for e in read_all(original)[0]]
    assert len(expected) == 1
    for path in (gzipped_as_warc, plain_as_gz):
        exchanges, errors = read_all(path)
        assert errors == []
        assert [(e.url, e.body) for e in exchanges] == expected


def test_round_trip_of_our_writer(tmp_path: Path) -> None:
    br_body = brotli.compress(HTML)
    deflated = zlib.compress(HTML)
    captures = [
        gzip_capture("http://example.com/gz?x=1"),
        make_capture(
            "http://example.com/br",
            response_headers=(("Content-Encoding", "br"), ("Content-Type", "text/html")),
            body=br_body,
        ),
        make_capture(
            "http://example.com/deflate",
            response_headers=(("Content-Encoding", "deflate"),),
            body=deflated,
        ),
        make_capture("http://example.com/gone", status=410, reason="Gone Away", body=b""),
        make_capture("http://example.com/cut", body=HTML[:20], truncated="disconnect"),
    ]
    files, written = write_captures(tmp_path, captures)
    exchanges, errors = read_all(*files)
    assert errors == []
    assert [e.url for e in exchanges] == [c.url for c in captures]
    assert [e.capture for e in exchanges] == written
    assert [e.body for e in exchanges] == [HTML, HTML, HTML, b"", HTML[:20]]
    assert [e.status for e in exchanges] == [200, 200, 200, 410, 200]
    assert exchanges[0].headers == captures[0].response_headers
    assert [v for k, v in exchanges[0].headers if k == "Set-Cookie"] == [
        "a=1; Path=/",
        "b=2; Path=/",
    ]
    assert {e.fetched_at for e in exchanges} == {"2025-03-29T13:00:00.123456Z"}
    assert exchanges[0].meta["ip_address"] == "127.0.0.1"
    assert [e.meta["truncated"] for e in exchanges] == [None, None, None, None, "disconnect"]
    assert exchanges[1].content_type == "text/html"


def test_max_body_cuts(tmp_path: Path) -> None:
    page = b"<p>compressible</p>" * 1000
    packed = gzip.compress(page)
    captures = [
        make_capture(response_headers=(("Content-Encoding", "gzip"),), body=packed),
        make_capture(body=page),
    ]
    files, _ = write_captures(tmp_path, captures)
    exchanges, errors = read_all(*files, max_body=1000)
    assert errors == []
    assert [e.body for e in exchanges] == [page[:1000], page[:1000]]
    assert all(e.meta["body_cut"] for e in exchanges)
    exchanges, _ = read_all(*files, max_body=len(page))
    assert [e.body for e in exchanges] == [page, page]
    assert not any(e.meta.get("body_cut") for e in exchanges)


def test_iter_warc_paths(tmp_path: Path) -> None:
    run = tmp_path / "run"
    for name in ("warc/b.warc.gz", "warc/a.warc.gz.open", "warc/c.ARC", "old/d.arc.gz", "x.warc"):
        (run / name).parent.mkdir(parents=True, exist_ok=True)
        (run / name).write_bytes(b"")
    (run / "articles.jsonl").write_text("{}\n")
    (run / "warc" / "notes.txt").write_text("")
    explicit = tmp_path / "explicit.bin"
    explicit.write_bytes(b"")
    errors: list[ReadError] = []
    found = list(
        iter_warc_paths(
            [run, explicit, run / "warc" / "b.warc.gz", tmp_path / "nope"], on_error=errors.append
        )
    )
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "run/old/d.arc.gz",
        "run/warc/a.warc.gz.open",
        "run/warc/b.warc.gz",
        "run/warc/c.ARC",
        "run/x.warc",
        "explicit.bin",
    ]
    assert [(e.path.name, e.offset) for e in errors] == [("nope", 0)]
