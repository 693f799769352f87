"""Incremental runs: the second run fetches listings again but skips known articles, re-checks
recent ones with conditional requests, and emits an article only when its content changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.demo_server import demo_site_process
from tests.e2e import CrawlRun, crawl_demo, run_cli

pytestmark = pytest.mark.slow


def record_ids(run: CrawlRun) -> set[str]:
    found = set()
    for path in run.warc_files:
        with path.open("rb") as fh:
            found |= {r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(fh)}
    return found


def revisits(run: CrawlRun) -> list[dict[str, str]]:
    found = []
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "revisit":
                    found.append(dict(record.rec_headers.headers))
    return found


def statuses(run: CrawlRun) -> dict[int, int]:
    found: dict[int, int] = {}
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in {"response", "revisit"}:
                    code = int(record.http_headers.get_statuscode())
                    found[code] = found.get(code, 0) + 1
    return found


@pytest.fixture(scope="module")
def base() -> object:
    with demo_site_process() as url:
        yield url


def crawl_into(out: Path, base: str, *extra: str) -> CrawlRun:
    before = {p.name for p in (out / "demo").iterdir()} if (out / "demo").exists() else set()
    crawl_demo(out, "--demo-url", base, *extra)
    (new,) = [p for p in (out / "demo").iterdir() if p.is_dir() and p.name not in before]

    class Run(CrawlRun):
        @property
        def run_dir(self) -> Path:
            return new

    return Run(out=out, result=None)  # type: ignore[arg-type]


def test_second_run_skips_known_articles(tmp_path: Path, base: str) -> None:
    first = crawl_into(tmp_path, base)
    assert first.run_json["counts"]["articles_new"] == len(first.articles) >= 100
    second = crawl_into(tmp_path, base, "--run-id", "20990101T000000Z")
    counts = second.run_json["counts"]
    assert second.articles == []
    assert counts["articles_skipped"]["known"] >= 100
    assert counts["exchanges"] < first.run_json["counts"]["exchanges"] / 2
    assert second.listings, "listings are fetched again: the front page's state is data"


def test_recheck_uses_conditional_requests(tmp_path: Path, base: str) -> None:
    first = crawl_into(tmp_path, base)
    again = crawl_into(
        tmp_path, base, "--run-id", "20990101T000000Z", "-s", "NEWSARCHIVE_RECHECK_HOURS=1000000"
    )
    counts = again.run_json["counts"]
    assert again.articles == []
    assert counts["articles_unchanged"] >= 100
    assert statuses(again).get(304, 0) >= 100
    not_modified = [
        r for r in revisits(again) if r["WARC-Profile"].endswith("/revisit/server-not-modified")
    ]
    assert len(not_modified) >= 100
    originals = record_ids(first)
    for record in not_modified:
        assert record["WARC-Refers-To"] in originals
        assert record["WARC-Refers-To-Target-URI"] and record["WARC-Refers-To-Date"]


def test_full_run_emits_everything(tmp_path: Path, base: str) -> None:
    first = crawl_into(tmp_path, base)
    full = crawl_into(tmp_path, base, "--run-id", "20990101T000000Z", "--full")
    assert len(full.articles) == len(first.articles)
    assert {a["version"] for a in full.articles} == {1}
    same_bytes = [
        r for r in revisits(full) if r["WARC-Profile"].endswith("/revisit/identical-payload-digest")
    ]
    assert len(same_bytes) >= 100, "unchanged pages become revisit records"
    originals = record_ids(first)
    assert all(r["WARC-Refers-To"] in originals for r in same_bytes)

    # The full run's articles point at revisit records: replay needs run 1 to resolve them.
    def replayed_articles(*runs: CrawlRun) -> int:
        result = run_cli("replay", *(str(r.run_dir) for r in runs))
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        return sum(1 for line in lines if line["type"] == "article")

    assert replayed_articles(full) < 10
    assert replayed_articles(first, full) == len(first.articles)


def test_changed_article_is_emitted_again_with_its_version(tmp_path: Path, base: str) -> None:
    """The state says an article had other content before (as after an edit on the site): the
    re-check finds the difference, and the line comes again as version 2 with the old digest."""
    import sqlite3

    first = crawl_into(tmp_path, base)
    target = first.articles[0]
    db = sqlite3.connect(tmp_path / "demo" / "state.sqlite")
    with db:
        db.execute(
            "UPDATE articles SET content_digest = 'sha1:before-the-edit', etag = NULL, "
            "last_modified = NULL WHERE content_digest = ?",
            (target["content_digest"],),
        )
    db.close()
    again = crawl_into(
        tmp_path, base, "--run-id", "20990101T000000Z", "-s", "NEWSARCHIVE_RECHECK_HOURS=1000000"
    )
    (changed,) = again.articles
    assert changed["canonical_url"] == target["canonical_url"]
    assert changed["version"] == 2
    assert changed["previous_digest"] == "sha1:before-the-edit"
    assert changed["content_digest"] == target["content_digest"]
    counts = again.run_json["counts"]
    assert counts["articles_updated"] == 1 and counts["articles_new"] == 0
    assert counts["revisits"].get("server-not-modified", 0) >= 100
