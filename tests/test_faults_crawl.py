"""Bad input served by the demo site's fault mode: logged, counted, the crawl goes on, and the
raw exchange is still in the WARC."""

from __future__ import annotations

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.e2e import CrawlRun, path_of

pytestmark = pytest.mark.slow


def responses_by_path(run: CrawlRun) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    found[path_of(uri)] = record.raw_stream.read()
    return found


def test_fault_crawl_finishes(fault_run: CrawlRun) -> None:
    data = fault_run.run_json
    assert data["finish_reason"] == "finished"
    assert data["counts"]["articles"] >= 100


def test_broken_gzip_is_counted_and_archived(fault_run: CrawlRun) -> None:
    errors = fault_run.run_json["counts"]["errors"]
    assert sum(errors.values()) >= 1, errors
    raw = responses_by_path(fault_run)["/broken-gzip-9009/"]
    assert raw[:2] != b"\x1f\x8b"  # what the server sent: no gzip despite the header
    assert b"<html" in raw.lower()
    assert "/broken-gzip-9009/" in fault_run.result.stderr


def test_lying_charset_page_still_extracted(fault_run: CrawlRun) -> None:
    found = [a for a in fault_run.articles if a["url"].endswith("-416105/")]
    assert len(found) == 1
    assert found[0]["title"]
    assert "\ufffd" not in found[0]["title"], "cp1251 bytes under a utf-8 header are recovered"


def test_malformed_html_extracted(fault_run: CrawlRun) -> None:
    found = [a for a in fault_run.articles if "-9030/" in a["url"]]
    assert len(found) == 1 and found[0]["body"]


def test_every_retry_is_a_capture(fault_run: CrawlRun) -> None:
    statuses: dict[str, list[int]] = {}
    for path in fault_run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    uri = path_of(record.rec_headers.get_header("WARC-Target-URI"))
                    statuses.setdefault(uri, []).append(int(record.http_headers.get_statuscode()))
    assert statuses["/rate-limited-9015/"] == [429, 200]
    assert statuses["/flaky-9016/"] == [503, 200]
    assert [s // 100 for s in statuses["/redirect-chain-9034/"]] == [3]
