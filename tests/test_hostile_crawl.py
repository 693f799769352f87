"""One crawl of the fault-mode demo site (plus a robots.txt that answers 500 once), served from
this process so that its access log and what reached the off-scope host 127.0.0.2 can be
checked against the manifest: what a polite crawler should fetch was fetched, nothing it should
not fetch was, every byte received is in the WARC, every article is accounted for."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.demosite import DemoOptions, DemoServer
from newsarchive.demosite import faults as f
from newsarchive.demosite.manifest import build_manifest
from newsarchive.discovery import url_matches_any
from newsarchive.sites import load_profile
from tests.e2e import CrawlRun, path_of, run_cli

pytestmark = pytest.mark.slow

OPTIONS = DemoOptions(faults=True, robots_500_once=True)
NOT_FETCHED = ("refused", "never requested")
"""`expected` of the faults a polite, careful crawler must not fetch."""


@dataclass
class HostileCrawl:
    run: CrawlRun
    base: str
    access_log: list[tuple[str, str, int]]
    foreign: list[tuple[str, str]]
    manifest: list[dict[str, Any]]
    server: DemoServer

    def requested(self, path: str) -> list[int]:
        """Statuses of the requests for `path` (escapes compared case-insensitively)."""
        key = path_of(path)
        return [status for _, target, status in self.access_log if path_of(target) == key]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    server = DemoServer(OPTIONS)
    base = server.start()
    out = tmp_path_factory.mktemp("hostile-crawl")
    try:
        # A short timeout keeps the stalls short; it is the profile's 5 s otherwise.
        result = run_cli(
            "crawl", "demo", "--demo-url", base, "--out", str(out), "-s", "DOWNLOAD_TIMEOUT=2"
        )
    finally:
        server.stop()
    assert result.returncode == 1, result.stderr[-3000:]  # finished, with errors
    yield HostileCrawl(
        run=CrawlRun(out=out, result=result),
        base=base,
        access_log=server.access_log,
        foreign=server.foreign_requests,
        manifest=build_manifest(OPTIONS),
        server=server,
    )


def should_fetch(crawl: HostileCrawl) -> set[str]:
    """Manifest URLs a polite crawler with the demo profile fetches: crawlable (reachable from
    the seeds, allowed by robots.txt), wanted by the profile's patterns or a seed (robots.txt,
    feed, sitemap), and not one of the faults it must refuse."""
    profile = load_profile("demo")
    deny = profile.compiled("deny_url_patterns")
    want = profile.compiled("article_url_patterns") + profile.compiled("listing_url_patterns")
    found = set()
    for entry in crawl.manifest:
        url = entry["url"]
        if not entry["crawlable"] or not url.startswith("/"):
            continue
        if str(entry.get("expected", "")).startswith(NOT_FETCHED):
            continue
        absolute = crawl.base + url
        seed = entry["page_type"] in ("robots", "feed", "sitemap")
        if seed or (url_matches_any(absolute, want) and not url_matches_any(absolute, deny)):
            found.add(path_of(url))
    return found


def warc_responses(run: CrawlRun) -> dict[str, list[str | None]]:
    """Path → WARC-Truncated of each response or revisit record for it."""
    found: dict[str, list[str | None]] = {}
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    if uri.startswith("http"):
                        truncated = record.rec_headers.get_header("WARC-Truncated")
                        found.setdefault(path_of(uri), []).append(truncated)
    return found


def extracted_paths(run: CrawlRun) -> set[str]:
    paths = set()
    for article in run.articles:
        paths.add(path_of(article["url"]))
        if article.get("canonical_url"):
            paths.add(path_of(article["canonical_url"]))
    return paths


def test_finishes_without_unhandled_errors(hostile: HostileCrawl) -> None:
    record = hostile.run.run_json
    assert record["finish_reason"] == "finished"
    log = (hostile.run.run_dir / "crawl.log").read_text(encoding="utf-8")
    for text in (hostile.run.result.stderr, log):
        assert "Traceback" not in text
        assert "Unhandled error" not in text


def test_fetches_what_a_polite_crawler_should(hostile: HostileCrawl) -> None:
    wanted = should_fetch(hostile)
    fetched = {path_of(target) for _, target, _ in hostile.access_log}
    missing = sorted(wanted - fetched)
    assert len(wanted) > 200
    assert len(wanted & fetched) >= 0.9 * len(wanted), missing[:20]


def test_robots_500_once_is_retried_and_the_crawl_goes_on(hostile: HostileCrawl) -> None:
    """Scrapy's RetryMiddleware retries the robots.txt request (RETRY_TIMES); with RETRY_TIMES=0
    the 500 stays, newsarchive.protect.robots reads it as disallow-all (RFC 9309) and the crawl
    ends with nothing but robots.txt."""
    assert hostile.requested("/robots.txt")[:2] == [500, 200]
    assert hostile.run.run_json["counts"]["articles"] >= 100


def test_every_exchange_that_sent_bytes_is_in_the_warc(hostile: HostileCrawl) -> None:
    stalled = {path_of(e["url"]) for e in hostile.manifest if e.get("delivery") == "stall_headers"}
    cut = {
        path_of(e["url"])
        for e in hostile.manifest
        if e.get("delivery") in ("truncate", "reset", "stall_body")
    }
    archived = warc_responses(hostile.run)
    requests = Counter(path_of(target) for _, target, _ in hostile.access_log)
    short = {
        path: (count, len(archived.get(path, [])))
        for path, count in requests.items()
        if path not in stalled and len(archived.get(path, [])) < count
    }
    assert not short, short
    fetched_cut = cut & requests.keys()
    assert len(fetched_cut) == 3, fetched_cut
    for path in fetched_cut:
        assert all(archived[path]), f"{path} is archived without WARC-Truncated"


def test_every_article_is_extracted_or_listed_with_a_reason(hostile: HostileCrawl) -> None:
    record = hostile.run.run_json
    unextracted = record["unextracted_articles"]
    listed = {path_of(item["url"]): item["reason"] for item in unextracted["listed"]}
    assert all(reason for reason in listed.values())
    assert unextracted["total"] == sum(unextracted["by_reason"].values())
    extracted = extracted_paths(hostile.run)
    wanted = should_fetch(hostile)
    articles = [e for e in hostile.manifest if e["page_type"] == "article"]
    unaccounted = [
        e["url"]
        for e in articles
        if path_of(e["url"]) in wanted
        and path_of(e["url"]) not in extracted
        and path_of(e["url"]) not in listed
    ]
    assert not unaccounted, unaccounted
    # The faults a robust crawler gets an article from: all extracted.
    expected = {
        path_of(e["final_url"] if e["page_type"] == "redirect" else e["canonical_url"])
        for e in hostile.manifest
        if e.get("expect_article") and e["page_type"] in ("article", "redirect")
    }
    assert expected and not expected - extracted, sorted(expected - extracted)
    # The ones it does not get an article from, when fetched, are listed with their reason.
    for path in ("/truncated-body-9026/", "/slow-body-9032/", "/broken-gzip-9009/"):
        assert listed[path].startswith("error: "), listed[path]


def test_counts_add_up(hostile: HostileCrawl, demo_run: CrawlRun) -> None:
    """pages = article_written + article_unchanged + article_duplicate + article_dropped
    + listing + skipped + extract_failed (newsarchive/accounting.py), on a crawl with faults
    and on a clean one."""
    for run in (hostile.run, demo_run):
        counts = run.run_json["counts"]
        outcomes = counts["page_outcomes"]
        assert counts["pages"] > 100
        assert sum(outcomes.values()) == counts["pages"], outcomes
        assert outcomes["article_written"] == counts["articles"] == len(run.articles)
        assert outcomes["listing"] == counts["listings"] == len(run.listings)
        assert outcomes["skipped"] == sum(counts["pages_skipped"].values())
        assert counts["error_total"] == sum(counts["errors"].values())


def test_redirect_loops_stop_and_the_chain_is_followed(hostile: HostileCrawl) -> None:
    """Loops end at the duplicate filter (or REDIRECT_MAX_TIMES) and are reported as
    `refused: redirect_loop` by newsarchive.protect.redirect_loops; without that extension
    they vanish silently and the run.json assertions fail."""
    for path in (f.LOOP_A, f.LOOP_B, f.SELF_LOOP):
        assert 1 <= len(hostile.requested(path)) <= 2, path
    record = hostile.run.run_json
    assert record["counts"]["requests_refused"]["redirect_loop"] >= 2
    listed = {path_of(i["url"]): i["reason"] for i in record["unextracted_articles"]["listed"]}
    assert listed[f.LOOP_A] == listed[f.SELF_LOOP] == "refused: redirect_loop"
    for hop in [f.CHAIN_START, *(f"{f.CHAIN_START}hop-{n}/" for n in range(2, 6))]:
        assert hostile.requested(hop), hop
    assert f"/redirect-chain-end-{f.CHAIN_END_ID}/" in extracted_paths(hostile.run)


def test_nothing_off_scope_is_fetched(hostile: HostileCrawl) -> None:
    """Off-scope links are never followed and off-scope redirects are refused (Scrapy's
    OffsiteMiddleware and newsarchive.protect.scope.ScopeMiddleware; with both disabled the
    offsite redirect reaches 127.0.0.2)."""
    assert hostile.server.foreign_listening
    assert hostile.foreign == []
    refused = hostile.run.run_json["counts"]["requests_refused"]
    assert refused.get("off_scope", 0) >= 2  # the off-site and the metadata redirects


def test_url_length_limit(hostile: HostileCrawl) -> None:
    """NEWSARCHIVE_URL_MAX_LENGTH (2048): the 3000-character link is never requested; the
    1500-character one is fetched and extracted."""
    long_paths = [e["url"] for e in hostile.manifest if e.get("fault") in ("long_path",)]
    ok_paths = [e["url"] for e in hostile.manifest if e.get("fault") == "long_path_ok"]
    too_long = [p for p in long_paths if len(p) > 2048]
    assert too_long and all(not hostile.requested(p) for p in too_long)
    assert any(path_of(p) in extracted_paths(hostile.run) for p in ok_paths)


def test_xml_parsers_fetch_nothing(hostile: HostileCrawl) -> None:
    """discovery.xmlsafe (resolve_entities=False, load_dtd=False, no_network): the entity
    bomb does not expand and /etc/passwd does not end up in a URL (with the parser options
    turned around it does); the external DTD is never requested (no_network; libxml2 2.13+
    has no network code left at all)."""
    assert hostile.requested(f.EXTERNAL_ENTITY_SITEMAP) == [200]
    assert hostile.requested(f.ENTITY_BOMB_SITEMAP) == [200]
    assert not hostile.requested(f.XXE_PROBE)
    # No URL built from entity text was requested: the bomb's entities are "lol" runs, the
    # external entity is /etc/passwd; `/leak-&xxe;-9050/` is read without the entity.
    targets = [target for _, target, _ in hostile.access_log]
    assert not any("lollol" in t or "root:" in t or "root%3A" in t for t in targets)
    assert hostile.requested("/leak--9050/") == [404]


def test_bombs_refused_and_archived_raw(hostile: HostileCrawl) -> None:
    """Scrapy's HttpCompressionMiddleware stops decoding at DOWNLOAD_MAXSIZE (refused:
    decoded_size); the raw compressed bytes are in the WARC as the server sent them."""
    listed = {
        path_of(i["url"]): i["reason"]
        for i in hostile.run.run_json["unextracted_articles"]["listed"]
    }
    records = raw_records(hostile.run, {f.GZIP_BOMB, f.BROTLI_BOMB})
    for path in (f.GZIP_BOMB, f.BROTLI_BOMB):
        assert listed[path] == "refused: decoded_size"
        assert records[path] == hostile.server.sent_bytes(path)


def raw_records(run: CrawlRun, paths: set[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for warc in run.warc_files:
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    path = path_of(record.rec_headers.get_header("WARC-Target-URI"))
                    if path in paths:
                        found[path] = record.raw_stream.read()
    return found


def test_file_names_in_the_run_are_safe(hostile: HostileCrawl) -> None:
    """No file name is built from a URL: everything the run wrote has a plain, short name."""
    for path in Path(hostile.run.out).rglob("*"):
        assert re.fullmatch(r"[A-Za-z0-9._-]{1,120}", path.name), path
