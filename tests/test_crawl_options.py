"""Crawl options end to end: --max-pages, --since, --demo-url, robots Crawl-delay, UA."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.demo_server import demo_site_process
from tests.e2e import CrawlRun, crawl_demo, path_of

pytestmark = pytest.mark.slow


def request_records(run: CrawlRun) -> list[tuple[str, datetime, str]]:
    found = []
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "request":
                    when = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date"))
                    agent = record.http_headers.get_header("User-Agent") or ""
                    found.append((record.rec_headers.get_header("WARC-Target-URI"), when, agent))
    return found


def test_max_pages_stops_early(tmp_path: Path) -> None:
    run = crawl_demo(tmp_path, "--max-pages", "25")
    data = run.run_json
    assert data["finish_reason"] == "closespider_pagecount"
    # Requests already handed to the downloader still complete after the limit.
    assert 25 <= data["counts"]["exchanges"] <= 25 + 2 * 16
    assert data["counts"]["articles"] == len(run.articles) < 100


def test_since_skips_older_articles(tmp_path: Path, demo_run: CrawlRun) -> None:
    since = "2025-03-15"
    run = crawl_demo(tmp_path, "--since", since)
    assert run.articles
    assert all(a["published"] is None or a["published"][:10] >= since for a in run.articles)
    assert len(run.articles) < len(demo_run.articles)
    assert run.run_json["settings"]["NEWSARCHIVE_SINCE"] == since
    # Listing pages older than DATE are not paged through.
    assert run.run_json["counts"]["exchanges"] < demo_run.run_json["counts"]["exchanges"]


def test_crawl_delay_from_robots_is_honoured(tmp_path: Path) -> None:
    """The demo robots.txt says Crawl-delay: 1. The demo profile ignores it; turning
    NEWSARCHIVE_OBEY_CRAWL_DELAY back on must space requests to one host >= 1 s apart."""
    run = crawl_demo(
        tmp_path,
        "--max-pages",
        "4",
        "-s",
        "NEWSARCHIVE_OBEY_CRAWL_DELAY=true",
        "-s",
        "CONCURRENT_REQUESTS=1",
    )
    times = sorted(when for uri, when, _ in request_records(run) if path_of(uri) != "/robots.txt")
    assert len(times) >= 3
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.9, gaps


def test_user_agent_names_project_and_contact(tmp_path: Path) -> None:
    run = crawl_demo(
        tmp_path, "--max-pages", "3", "-s", "NEWSARCHIVE_CONTACT_URL=https://example.org/ops"
    )
    agents = {agent for _, _, agent in request_records(run)}
    assert agents and all(a.startswith("newsarchive/") for a in agents)
    assert all("https://example.org/ops" in a for a in agents)


def test_demo_url_crawls_a_running_site(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    with demo_site_process("--access-log", str(log)) as base:
        run = crawl_demo(tmp_path / "out", "--demo-url", base, "--max-pages", "20")
        assert run.run_json["base_url"] == base
        assert all(a["url"].startswith(base) for a in run.articles)
    served = log.read_text(encoding="utf-8")
    assert "/robots.txt" in served
