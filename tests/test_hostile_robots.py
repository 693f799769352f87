"""A robots.txt that stays 5xx means "disallow everything" for the run (RFC 9309 §2.3.1.4),
after bounded retries (newsarchive/protect/robots.py). The 500-once case is in
test_hostile_crawl.py: retried, and the crawl goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http.request import NO_CALLBACK

from newsarchive.protect.robots import is_robots_request, unreachable_status
from tests.hostile_server import ScriptedServer, crawl_profile, page, status, write_profile

STORY = "/story-201/"


def test_only_the_robots_request_is_recognised() -> None:
    robots = Request(
        "http://a.example/robots.txt", callback=NO_CALLBACK, meta={"dont_obey_robotstxt": True}
    )
    assert is_robots_request(robots)
    assert not is_robots_request(Request("http://a.example/robots.txt"))
    fake = Request(
        "http://a.example/x/robots.txt", callback=NO_CALLBACK, meta={"dont_obey_robotstxt": True}
    )
    assert not is_robots_request(fake)
    assert unreachable_status(500) and unreachable_status(503) and unreachable_status(429)
    assert not unreachable_status(404) and not unreachable_status(200)


@pytest.mark.slow
def test_robots_txt_that_stays_5xx_disallows_the_host(tmp_path: Path) -> None:
    """RobotsUnreachableMiddleware: after RETRY_TIMES retries of a 503 robots.txt nothing else
    is fetched from the host, an ERROR line says why and the run ends with status 1. Without
    the middleware Scrapy parses the 503 page as an empty robots.txt and fetches the story."""
    routes = {"/robots.txt": status(503), STORY: page("Story behind a broken robots.txt")}
    with ScriptedServer(routes) as server:
        profile = write_profile(
            tmp_path / "p.toml", [server.base + STORY], allowed_hosts=["127.0.0.1"]
        )
        run = crawl_profile(profile, tmp_path / "out", "RETRY_TIMES=2")
    assert server.paths() == ["/robots.txt"] * 3
    assert run.returncode == 1, run.stderr[-2000:]
    assert "RFC 9309" in run.stderr and "disallow-all" in run.stderr
    counts = run.run_json["counts"]
    assert counts["errors"]["RobotsUnreachable"] == 1
    assert counts["requests_refused"] == {"robots": 1}
    assert run.run_json["unextracted_articles"]["by_reason"] == {"refused: robots": 1}
