"""429/503 with Retry-After: honoured up to NEWSARCHIVE_RETRY_AFTER_MAX, retries bounded by
RETRY_TIMES, and a wait over the cap gives the URL up (newsarchive/protect/retry_after.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newsarchive.protect.retry_after import retry_after_seconds
from tests.hostile_server import (
    ScriptedServer,
    crawl_profile,
    first_then,
    page,
    status,
    write_profile,
)

STORY = "/story-101/"


def test_retry_after_values() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(" 0 ") == 0.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("-5") is None
    assert retry_after_seconds("9" * 5000) == float("inf")  # no int() of 5000 digits
    date = "Sat, 29 Mar 2025 13:00:00 GMT"
    assert retry_after_seconds("Sat, 29 Mar 2025 13:00:30 GMT", date) == 30.0
    assert retry_after_seconds("Sat, 29 Mar 2025 12:00:00 GMT", date) == 0.0  # in the past
    far = retry_after_seconds("Fri, 01 Jan 2100 00:00:00 GMT")
    assert far is not None and far > 365 * 86400


@pytest.mark.slow
def test_retry_after_is_waited_for_and_retries_are_bounded(tmp_path: Path) -> None:
    """RetryAfterMiddleware pauses the host for Retry-After before RetryMiddleware's retry goes
    out; RETRY_TIMES bounds the retries. Without the middleware Scrapy retries at once and the
    gaps are milliseconds."""
    routes = {STORY: status(503, ("Retry-After", "1"))}
    with ScriptedServer(routes) as server:
        profile = write_profile(
            tmp_path / "p.toml", [server.base + STORY], allowed_hosts=["127.0.0.1"]
        )
        run = crawl_profile(profile, tmp_path / "out", "RETRY_TIMES=2")
    hits = server.hits(STORY)
    assert len(hits) == 3, hits  # the request and RETRY_TIMES=2 retries, no more
    gaps = [b - a for a, b in itertools.pairwise(hits)]
    assert all(gap >= 0.95 for gap in gaps), gaps
    assert run.run_json["counts"]["pages_skipped"] == {"status_503": 1}
    listed = run.run_json["unextracted_articles"]["listed"]
    assert listed == [{"url": server.base + STORY, "reason": "status_503"}]


@pytest.mark.slow
def test_rate_limited_once_then_served(tmp_path: Path) -> None:
    """A 429 with Retry-After: 2, then the page: fetched on the retry, two seconds later."""
    routes = {STORY: first_then(status(429, ("Retry-After", "2")), page("Rate limited story"))}
    with ScriptedServer(routes) as server:
        profile = write_profile(
            tmp_path / "p.toml", [server.base + STORY], allowed_hosts=["127.0.0.1"]
        )
        run = crawl_profile(profile, tmp_path / "out")
    first, second = server.hits(STORY)
    assert second - first >= 1.95
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.run_json["counts"]["articles"] == 1


@pytest.mark.slow
def test_retry_after_over_the_cap_gives_up(tmp_path: Path) -> None:
    """NEWSARCHIVE_RETRY_AFTER_MAX (60 s): a server asking for an hour is not asked again in
    this run (not at once either: that is what Scrapy alone does, three requests in a row)."""
    routes = {STORY: status(429, ("Retry-After", "3600"))}
    with ScriptedServer(routes) as server:
        profile = write_profile(
            tmp_path / "p.toml", [server.base + STORY], allowed_hosts=["127.0.0.1"]
        )
        run = crawl_profile(profile, tmp_path / "out")
    assert len(server.hits(STORY)) == 1
    assert "Retry-After: 3600" in run.stderr and "NEWSARCHIVE_RETRY_AFTER_MAX" in run.stderr
    record = run.run_json
    assert record["duration_s"] < 30
    assert record["unextracted_articles"]["by_reason"] == {"status_429": 1}
