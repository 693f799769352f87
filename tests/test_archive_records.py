"""Derived data inside the archive: a metadata record per article capture, and the crawl log and
run.json as resource records in the last WARC file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.e2e import CrawlRun

pytestmark = pytest.mark.slow


def records_of(run: CrawlRun, warc_type: str) -> list[tuple[str, Any, bytes]]:
    found = []
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == warc_type:
                    found.append((path.name, record.rec_headers, record.content_stream().read()))
    return found


def test_metadata_record_for_every_article(demo_run: CrawlRun) -> None:
    metadata = {
        h.get_header("WARC-Concurrent-To"): (h, body)
        for _, h, body in records_of(demo_run, "metadata")
    }
    for article in demo_run.articles:
        headers, body = metadata[article["capture"]["record_id"]]
        assert headers.get_header("WARC-Target-URI").endswith(article["url"])
        assert headers.get_header("Content-Type").startswith("application/json")
        payload = json.loads(body)
        assert payload["extractor_version"] == article["extractor_version"]
        assert payload["record"]["title"] == article["title"]
        assert payload["record"]["body"] == article["body"]


def test_run_records_in_last_warc(demo_run: CrawlRun) -> None:
    resources = records_of(demo_run, "resource")
    uris = {h.get_header("WARC-Target-URI"): (name, body) for name, h, body in resources}
    run_id = demo_run.run_dir.name
    log_name, log_body = uris[f"urn:newsarchive:demo:{run_id}:crawl.log"]
    json_name, json_body = uris[f"urn:newsarchive:demo:{run_id}:run.json"]
    last = demo_run.warc_files[-1].name
    assert log_name == last and json_name == last
    assert b"finished (finished)" in log_body
    archived = json.loads(json_body)
    assert archived["run_id"] == run_id and archived["site"] == "demo"
    assert archived["counts"]["articles"] == demo_run.run_json["counts"]["articles"]


def test_crawl_log_file_in_run_directory(demo_run: CrawlRun) -> None:
    log = (demo_run.run_dir / "crawl.log").read_text(encoding="utf-8")
    assert "Closing spider (finished)" in log
    assert f"run {demo_run.run_dir.name} finished (finished)" in log
