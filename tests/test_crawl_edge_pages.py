"""The demo site's edge-case pages through a real crawl: the article lines carry what the
manifest expects (paywall teaser, live-blog updates oldest first, gallery introduction with its
slides as captions, a video's one line and its player, no date where the page has none, the
text of a JavaScript-only page from its app state), and the soft 404 is no article."""

from __future__ import annotations

from typing import Any

import pytest

from newsarchive.demosite import DemoOptions, build_manifest
from tests.e2e import CrawlRun, path_of

pytestmark = pytest.mark.slow


def edge_entries() -> dict[str, dict[str, Any]]:
    return {m["edge"]: m for m in build_manifest(DemoOptions()) if m.get("edge")}


def line_for(run: CrawlRun, entry: dict[str, Any]) -> dict[str, Any]:
    lines = [a for a in run.articles if path_of(a["url"]) == path_of(entry["url"])]
    assert len(lines) == 1, (entry["url"], len(lines))
    return lines[0]


@pytest.mark.parametrize("edge", ["E1", "E2", "E3", "E4", "E12", "E16"])
def test_edge_article_lines_match_the_manifest(demo_run: CrawlRun, edge: str) -> None:
    entry = edge_entries()[edge]
    line = line_for(demo_run, entry)
    for key in ("title", "body", "published", "format", "paywalled", "needs_js", "embeds"):
        assert line[key] == entry[key], key


def test_live_blog_updates_oldest_first(demo_run: CrawlRun) -> None:
    entry = edge_entries()["E2"]
    entries = line_for(demo_run, entry)["entries"]
    assert [(e["time"], e["text"]) for e in entries] == [
        (e["time"], e["text"]) for e in entry["entries"]
    ]
    assert len(entries) == 15
    assert entries[0]["time"] < entries[-1]["time"]


def test_gallery_slides_are_captions(demo_run: CrawlRun) -> None:
    entry = edge_entries()["E3"]
    captions = line_for(demo_run, entry)["captions"]
    assert [(c["text"], c["credit"], path_of(c["image_url"])) for c in captions] == [
        (g["text"], g["credit"], path_of(g["image_url"])) for g in entry["gallery"]
    ]


def test_soft_404_is_no_article_and_says_why(demo_run: CrawlRun) -> None:
    entry = edge_entries()["E6"]
    assert not [a for a in demo_run.articles if path_of(a["url"]) == entry["url"]]
    listed = demo_run.run_json["unextracted_articles"]["listed"]
    reasons = {path_of(item["url"]): item["reason"] for item in listed}
    assert reasons[entry["url"]] == "soft_404"
