"""End to end: crawl the demo site, then check the JSON lines against the manifest and the WARCs
against the JSON lines."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.demosite import DemoOptions, build_manifest
from tests.e2e import CrawlRun, path_of

pytestmark = pytest.mark.slow


def warcio_cmd() -> str:
    return str(Path(sys.executable).parent / "warcio")


def manifest_articles() -> dict[str, dict[str, Any]]:
    return {
        m["url"]: m
        for m in build_manifest(DemoOptions())
        if m["page_type"] == "article" and m.get("crawlable", True)
    }


def warc_records(run: CrawlRun) -> list[dict[str, Any]]:
    """Every record of the run: type, URI, HTTP status and headers, raw payload."""
    found = []
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                entry: dict[str, Any] = {
                    "file": path.name,
                    "type": record.rec_type,
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "id": record.rec_headers.get_header("WARC-Record-ID"),
                    "concurrent": record.rec_headers.get_header("WARC-Concurrent-To"),
                    "http": record.http_headers,
                    "raw": record.raw_stream.read(),
                }
                found.append(entry)
    return found


def test_crawl_summary_printed(demo_run: CrawlRun) -> None:
    out = demo_run.result.stdout
    assert "articles" in out and "WARC" in out and "Try next" in out
    assert "newsarchive replay" in out


def test_every_manifest_article_found_once(demo_run: CrawlRun) -> None:
    expected = manifest_articles()
    assert len(expected) >= 100
    got = Counter(path_of(a["canonical_url"] or a["url"]) for a in demo_run.articles)
    missing = sorted(set(expected) - set(got))
    assert not missing, f"{len(missing)} manifest articles not extracted, e.g. {missing[:5]}"
    doubles = [url for url, n in got.items() if n > 1]
    assert not doubles


def test_no_non_article_emitted(demo_run: CrawlRun) -> None:
    expected = manifest_articles()
    extra = [a["url"] for a in demo_run.articles if path_of(a["canonical_url"]) not in expected]
    assert not extra


def test_article_fields_match_manifest(demo_run: CrawlRun) -> None:
    expected = manifest_articles()
    wrong_title = []
    for article in demo_run.articles:
        truth = expected[path_of(article["canonical_url"])]
        assert article["type"] == "article" and article["site"] == "demo"
        assert article["status"] == 200 and article["extractor_version"]
        if article["title"] != truth["title"]:
            wrong_title.append((article["url"], article["title"], truth["title"]))
        for needle in truth.get("must_not_contain", []):
            assert needle not in article["body"], (article["url"], needle)
    assert not wrong_title[:3]


def test_canonical_capture_wins_among_duplicates(demo_run: CrawlRun) -> None:
    by_canonical = {path_of(a["canonical_url"]): a for a in demo_run.articles}
    duplicates = [m for m in build_manifest(DemoOptions()) if m["page_type"] == "duplicate"]
    assert duplicates
    for dup in duplicates:
        article = by_canonical.get(path_of(dup["canonical_url"]))
        assert article is not None
        assert path_of(article["url"]) == path_of(dup["canonical_url"])


def test_capture_pointers_resolve(demo_run: CrawlRun) -> None:
    warc_dir = demo_run.run_dir / "warc"
    for line in demo_run.articles + demo_run.listings:
        cap = line["capture"]
        with (warc_dir / cap["warc_file"]).open("rb") as fh:
            fh.seek(cap["offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Record-ID") == cap["record_id"]
            assert record.rec_headers.get_header("WARC-Target-URI") == line["url"]
            assert record.rec_headers.get_header("WARC-Payload-Digest") == cap["payload_digest"]
            assert record.rec_headers.get_header("WARC-Date") == line["fetched_at"]


def test_warcio_extract_returns_the_record(demo_run: CrawlRun) -> None:
    article = demo_run.articles[0]
    cap = article["capture"]
    result = subprocess.run(
        [
            warcio_cmd(),
            "extract",
            "--headers",
            str(demo_run.run_dir / "warc" / cap["warc_file"]),
            str(cap["offset"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert cap["record_id"] in result.stdout and article["url"] in result.stdout


def test_warcio_check_passes(demo_run: CrawlRun) -> None:
    files = demo_run.warc_files
    assert files and all(p.name.endswith(".warc.gz") for p in files)
    result = subprocess.run(
        [warcio_cmd(), "check", "-v", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "digest pass" in result.stdout


def test_warc_holds_raw_exchanges(demo_run: CrawlRun) -> None:
    records = warc_records(demo_run)
    assert records[0]["type"] == "warcinfo"
    responses = [r for r in records if r["type"] == "response"]
    requests = {r["concurrent"]: r for r in records if r["type"] == "request"}
    assert len(requests) == len(responses)
    for response in responses:
        assert requests[response["id"]]["uri"] == response["uri"]
    statuses = Counter(int(r["http"].get_statuscode()) for r in responses)
    assert statuses[301] >= 1, "redirect hops must be archived"
    assert statuses[404] >= 1, "error statuses must be archived"
    uris = {path_of(r["uri"]) for r in responses}
    assert "/robots.txt" in uris and "/sitemap.xml" in uris and "/feed/" in uris
    gzipped = [r for r in responses if r["http"].get_header("Content-Encoding") == "gzip"]
    assert gzipped, "the demo site gzips HTML when asked"
    for response in gzipped:
        assert response["raw"][:2] == b"\x1f\x8b", response["uri"]
        gzip.decompress(response["raw"])


def test_request_records_carry_query_string(demo_run: CrawlRun) -> None:
    records = warc_records(demo_run)
    with_query = [r for r in records if r["type"] == "request" and "?" in r["uri"]]
    assert with_query, "the demo crawl fetches at least one URL with a query string"
    for record in with_query:
        request_line = record["http"].protocol + " " + record["http"].statusline
        target = path_of(record["uri"])
        assert target in request_line, request_line
        assert record["http"].get_header("Host")


def test_run_json_counts(demo_run: CrawlRun) -> None:
    data = demo_run.run_json
    counts = data["counts"]
    assert counts["articles"] == len(demo_run.articles)
    assert counts["listings"] == len(demo_run.listings)
    assert counts["warc_files"] == len(demo_run.warc_files)
    assert counts["warc_bytes"] == sum(p.stat().st_size for p in demo_run.warc_files)
    assert data["finish_reason"] == "finished"
    assert data["versions"]["scrapy"] and data["settings"]["ROBOTSTXT_OBEY"] is True
    assert sorted(data["warc_files"]) == [p.name for p in demo_run.warc_files]


def test_listings_show_pages_in_order(demo_run: CrawlRun) -> None:
    last_news = [entry for entry in demo_run.listings if path_of(entry["url"]) == "/last-news/"]
    assert len(last_news) == 1
    items = last_news[0]["items"]
    assert len(items) == 20
    assert [i["position"] for i in items] == list(range(1, 21))
    assert all(i["url"].startswith("http://127.0.0.1:") for i in items)


def test_run_directory_layout(demo_run: CrawlRun) -> None:
    site_dir = demo_run.out / "demo"
    names = {p.name for p in site_dir.iterdir()} - {"state.sqlite-wal", "state.sqlite-shm"}
    assert names == {".lock", "state.sqlite", demo_run.run_dir.name}
    names = sorted(p.name for p in demo_run.run_dir.iterdir())
    assert names == ["articles.jsonl", "crawl.log", "listings.jsonl", "run.json", "warc"]
    assert not list(Path(demo_run.run_dir / "warc").glob("*.open"))


def test_record_headers(demo_run: CrawlRun) -> None:
    """WARC/1.1, sub-second WARC-Date shared by request and response, WARC-IP-Address, digests,
    and a warcinfo record that says how the file was made."""
    responses: dict[str, str] = {}
    for path in demo_run.warc_files:
        with path.open("rb") as fh:
            iterator = iter(ArchiveIterator(fh))
            info = next(iterator)
            assert info.rec_type == "warcinfo"
            fields = info.content_stream().read().decode("utf-8")
            records = [info, *iterator]
        for name in (
            "software",
            "format",
            "conformsTo",
            "isPartOf",
            "operator",
            "robots",
            "http-header-user-agent",
            "description",
        ):
            assert f"{name}:" in fields, name
        for record in records:
            headers = record.rec_headers
            assert headers.protocol == "WARC/1.1"
            if record.rec_type == "response":
                date = headers.get_header("WARC-Date")
                assert "." in date and date.endswith("Z")
                assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
                assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
                assert headers.get_header("WARC-Block-Digest").startswith("sha1:")
                responses[headers.get_header("WARC-Record-ID")] = date
            elif record.rec_type == "request":
                concurrent = headers.get_header("WARC-Concurrent-To")
                assert headers.get_header("WARC-Date") == responses[concurrent]
                assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
