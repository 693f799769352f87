"""Revisit records (writer), their resolution (reader), the digest index and the revisit policy."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from newsarchive.records import Capture
from newsarchive.warc.capture import HttpCapture
from newsarchive.warc.digest_index import DigestIndex
from newsarchive.warc.reader import iter_exchanges
from newsarchive.warc.revisit import PriorCapture, RevisitPolicy
from newsarchive.warc.revisit_writer import write_capture
from newsarchive.warc.writer import WarcWriter, WarcWriterConfig
from tests.test_warc_writer import warcio_check
from tests.warc_factory import HTML, WARC_DATE, gzip_capture, iter_members, make_capture, sha1_label

IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
LATER = WARC_DATE + timedelta(days=1)


def writer_for(directory: Path) -> WarcWriter:
    return WarcWriter(WarcWriterConfig(directory, host="h", pid=1))


def revisit_of(writer: WarcWriter, original: Capture, capture: HttpCapture) -> Capture:
    return writer.write_revisit(
        capture,
        refers_to=original.record_id,
        refers_to_target_uri="http://example.com/gz",
        refers_to_date="2025-03-29T13:00:00.123456Z",
        profile="identical-payload-digest",
    )


def test_identical_payload_digest_record(tmp_path: Path) -> None:
    with writer_for(tmp_path) as writer:
        original = writer.write_exchange(gzip_capture())
        revisit = revisit_of(writer, original, replace(gzip_capture(), warc_date=LATER))
    path = writer.files[0]
    assert warcio_check(path) == 0
    members = {m.offset: m for m in iter_members(path)}
    record = members[revisit.offset]
    assert record.header("WARC-Type") == "revisit"
    assert record.header("WARC-Profile") == IDENTICAL
    assert record.header("WARC-Refers-To") == original.record_id
    assert record.header("WARC-Refers-To-Target-URI") == "http://example.com/gz"
    assert record.header("WARC-Refers-To-Date") == "2025-03-29T13:00:00.123456Z"
    assert record.header("WARC-Date") == "2025-03-30T13:00:00.123456Z"
    assert record.header("WARC-Truncated") == "length"
    assert record.header("Content-Type") == "application/http;msgtype=response"
    assert record.header("WARC-Payload-Digest") == original.payload_digest == revisit.payload_digest
    assert record.header("WARC-Block-Digest") == sha1_label(record.block)
    head = record.block.decode("latin-1")
    assert head.startswith("HTTP/1.1 200 OK\r\n") and head.endswith("\r\n\r\n")
    assert "Content-Encoding: gzip\r\n" in head and head.count("Set-Cookie:") == 2
    request = members[revisit.offset + revisit.length]
    assert request.header("WARC-Type") == "request"
    assert request.header("WARC-Concurrent-To") == revisit.record_id
    assert request.header("WARC-Date") == record.header("WARC-Date")


def test_reader_resolves_revisit_with_its_own_head(tmp_path: Path) -> None:
    with writer_for(tmp_path / "one") as writer:
        original = writer.write_exchange(gzip_capture())
    later = replace(gzip_capture(), warc_date=LATER)
    with writer_for(tmp_path / "two") as writer:
        revisit = revisit_of(writer, original, later)
    errors: list[object] = []
    exchanges = list(iter_exchanges([tmp_path / "one", tmp_path / "two"], on_error=errors.append))
    assert not errors
    assert [e.body for e in exchanges] == [HTML, HTML]
    resolved = exchanges[1]
    assert resolved.fetched_at == "2025-03-30T13:00:00.123456Z"
    assert resolved.capture is not None and resolved.capture.record_id == revisit.record_id
    assert resolved.meta["revisit_of"] == original.record_id
    assert resolved.meta["revisit_profile"] == IDENTICAL
    # Without the original, the revisit is reported, not guessed at.
    alone = list(iter_exchanges([tmp_path / "two"], on_error=errors.append))
    assert alone == [] and "original record not found" in str(errors[0])


def test_server_not_modified_record(tmp_path: Path) -> None:
    not_modified = make_capture(
        "http://example.com/news/",
        status=304,
        response_headers=(("ETag", '"v1"'), ("Date", "Sun, 30 Mar 2025 13:00:00 GMT")),
        body=b"",
        warc_date=LATER,
    )
    with writer_for(tmp_path) as writer:
        original = writer.write_exchange(make_capture("http://example.com/news/"))
        revisit = writer.write_revisit(
            not_modified,
            refers_to=original.record_id,
            refers_to_target_uri="http://example.com/news/",
            refers_to_date="2025-03-29T13:00:00.123456Z",
            profile="server-not-modified",
            payload_digest=original.payload_digest,
        )
    record = {m.offset: m for m in iter_members(writer.files[0])}[revisit.offset]
    assert record.header("WARC-Profile") == NOT_MODIFIED
    assert record.header("WARC-Truncated") is None
    assert record.header("WARC-Payload-Digest") == original.payload_digest
    assert record.block.startswith(b"HTTP/1.1 304 Not Modified\r\n")
    assert warcio_check(writer.files[0]) == 0
    exchanges = list(iter_exchanges([writer.files[0]]))
    assert exchanges[1].status == 200 and exchanges[1].body == HTML  # the original's


def test_truncated_body_cannot_be_an_identical_payload(tmp_path: Path) -> None:
    with writer_for(tmp_path) as writer:
        original = writer.write_exchange(make_capture())
        with pytest.raises(ValueError, match="truncated"):
            revisit_of(writer, original, make_capture(truncated="length"))


# --- digest index --------------------------------------------------------------------------


def test_digest_index_persists_and_keeps_other_tables(tmp_path: Path) -> None:
    state = tmp_path / "demo" / "state.sqlite"
    state.parent.mkdir()
    with sqlite3.connect(state) as other:
        other.execute("CREATE TABLE articles (key TEXT PRIMARY KEY)")
        other.execute("INSERT INTO articles VALUES ('kept')")
    other.close()
    pointer = Capture(
        warc_file="a.warc.gz",
        offset=10,
        length=20,
        record_id="<urn:uuid:1>",
        payload_digest="sha1:AAAA",
    )
    with DigestIndex(state) as index:
        index.add("http://example.com/", "2025-03-29T13:00:00Z", pointer)
    with DigestIndex(state) as index:
        prior = index.lookup("sha1:aaaa", "http://example.com/")
        assert prior == PriorCapture(
            record_id="<urn:uuid:1>",
            target_uri="http://example.com/",
            warc_date="2025-03-29T13:00:00Z",
            warc_file="a.warc.gz",
            offset=10,
            length=20,
            payload_digest="sha1:AAAA",
            last_recorded="2025-03-29T13:00:00Z",
        )
        assert index.lookup("sha1:AAAA", "http://example.com/other") is None
        index.note_revisit("sha1:AAAA", "http://example.com/", "2025-03-30T00:00:00Z")
        assert index.lookup("sha1:AAAA", "http://example.com/").last_recorded.startswith(  # type: ignore[union-attr]
            "2025-03-30"
        )
    with sqlite3.connect(state) as check:
        assert check.execute("SELECT key FROM articles").fetchall() == [("kept",)]
    check.close()


def test_digest_index_matches_hex_digests(tmp_path: Path) -> None:
    hex_sha1 = "a" * 40
    pointer = Capture(
        warc_file="a", offset=0, length=1, record_id="<r>", payload_digest=f"sha1:{hex_sha1}"
    )
    with DigestIndex(tmp_path / "state.sqlite") as index:
        index.add("u", "2025-01-01T00:00:00Z", pointer)
        assert index.lookup("sha1:VKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVK", "u") is not None


# --- policy and write_capture across runs ---------------------------------------------------


def crawl(
    tmp_path: Path, run: str, policy: RevisitPolicy, captures: list[HttpCapture]
) -> list[str]:
    """One 'run': its own WARC directory, the site's shared state.sqlite; the decisions made."""
    decisions = []
    with writer_for(tmp_path / run) as writer, DigestIndex(tmp_path / "state.sqlite") as index:
        for capture in captures:
            decisions.append(write_capture(writer, index, policy, capture).decision)
    return decisions


def at(minutes: int, **overrides: object) -> HttpCapture:
    return make_capture(
        "http://example.com/", warc_date=WARC_DATE + timedelta(minutes=minutes), **overrides
    )


def test_always_turns_a_later_run_into_revisits(tmp_path: Path) -> None:
    policy = RevisitPolicy(mode="always")
    assert crawl(tmp_path, "run1", policy, [at(0)]) == ["response"]
    assert crawl(tmp_path, "run2", policy, [at(15), at(30, body=b"changed")]) == [
        "revisit",
        "response",
    ]
    exchanges = list(iter_exchanges([tmp_path / "run1", tmp_path / "run2"]))
    assert [e.body for e in exchanges] == [HTML, HTML, b"changed"]
    assert warcio_check(next((tmp_path / "run2").iterdir())) == 0


def test_blackout_skips_within_the_window_and_restarts_it(tmp_path: Path) -> None:
    policy = RevisitPolicy(mode="blackout", blackout_seconds=3600)
    visits = [at(0), at(15), at(45), at(61), at(75), at(130)]
    assert crawl(tmp_path, "run1", policy, visits) == [
        "response",
        "skip",
        "skip",
        "revisit",
        "skip",
        "revisit",
    ]


def test_min_size_off_and_non_2xx_store_in_full(tmp_path: Path) -> None:
    small = RevisitPolicy(mode="always", min_size=len(HTML) + 1)
    assert crawl(tmp_path, "a", small, [at(0), at(15)]) == ["response", "response"]
    off = RevisitPolicy(mode="off")
    assert crawl(tmp_path, "b", off, [at(20)]) == ["response"]
    not_found = [at(0, status=404), at(15, status=404)]
    assert crawl(tmp_path, "c", RevisitPolicy(), not_found) == ["response", "response"]
    # `off` still indexed its responses: a policy switched on later finds them.
    assert crawl(tmp_path, "d", RevisitPolicy(), [at(30)]) == ["revisit"]


def test_policy_validation() -> None:
    with pytest.raises(ValueError, match="blackout_seconds"):
        RevisitPolicy(mode="blackout")
    with pytest.raises(ValueError, match="mode"):
        RevisitPolicy(mode="sometimes")  # type: ignore[arg-type]
