"""Replay of a demo run's WARCs gives the same lines as the live run, with no network."""

from __future__ import annotations

from typing import Any

import pytest

from newsarchive.records import RUN_TIME_FIELDS
from tests.e2e import CrawlRun, read_jsonl, run_cli

pytestmark = pytest.mark.slow


def comparable(lines: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {
        line["url"]: {k: v for k, v in line.items() if k not in RUN_TIME_FIELDS}
        for line in lines
        if line["type"] == kind
    }


@pytest.fixture(scope="module")
def replayed(demo_run: CrawlRun, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("replay") / "replayed.jsonl"
    result = run_cli("replay", str(demo_run.run_dir), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "replayed" in result.stderr
    return read_jsonl(out)


def test_replay_reproduces_articles(demo_run: CrawlRun, replayed: list[dict[str, Any]]) -> None:
    live = comparable(demo_run.articles, "article")
    again = comparable(replayed, "article")
    assert live.keys() == again.keys()
    for url, line in live.items():
        assert again[url] == line, url


def test_replay_reproduces_listings(demo_run: CrawlRun, replayed: list[dict[str, Any]]) -> None:
    assert comparable(demo_run.listings, "listing") == comparable(replayed, "listing")


def test_replay_of_single_warc_file_to_stdout(demo_run: CrawlRun) -> None:
    warc = demo_run.warc_files[0]
    result = run_cli("replay", str(warc), "--site", "generic")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"type":"article"') >= 1
