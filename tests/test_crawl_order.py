"""Scheduling order: a listing's next page goes before the articles already queued, so that
the pagination chain (sequential: each page names the next) runs alongside the articles
instead of after them, where it would be the crawl's long tail."""

from __future__ import annotations

from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.e2e import crawl_demo, path_of

pytestmark = pytest.mark.slow


def fetch_order(run_dir: Path) -> list[str]:
    paths: list[str] = []
    for warc in sorted((run_dir / "warc").glob("*.warc.gz")):
        with warc.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "request":
                    paths.append(path_of(record.rec_headers.get_header("WARC-Target-URI")))
    return paths


def test_pagination_chain_is_not_left_behind_the_articles(tmp_path: Path) -> None:
    # One request at a time: the WARC order is the scheduling order.
    run = crawl_demo(tmp_path, "-s", "CONCURRENT_REQUESTS=1", "-s", "AUTOTHROTTLE_ENABLED=False")
    order = fetch_order(run.run_dir)
    pages = [i for i, path in enumerate(order) if path.startswith("/last-news/page/")]
    articles = {path_of(a["url"]) for a in run.articles}
    positions = [i for i, path in enumerate(order) if path in articles]
    assert len(pages) >= 5 and len(positions) >= 100
    assert pages[-1] < positions[len(positions) // 2], (
        f"last listing page fetched at {pages[-1]} of {len(order)}: behind the articles"
    )
