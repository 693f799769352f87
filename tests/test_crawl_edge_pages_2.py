"""The second batch of edge-case pages through a real crawl: the charset pages decode to the
exact text (E8c undeclared windows-1251, E8d a BOM over a lying header), a story printed over
two pages comes out as one line (E17), relative URLs come out
absolute (E18), hidden text stays out and a hidden caption copy counts once (E19), and of the
two extension-less "latest" sitemaps (E22) the XML one is parsed while the HTML one is ignored."""

from __future__ import annotations

from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.demosite import DemoOptions, build_manifest
from newsarchive.state import SiteState
from tests.e2e import CrawlRun, path_of

pytestmark = pytest.mark.slow

LATEST_XML = "/sitemap/latest"
LATEST_HTML = "/ru/sitemap/latest"


def manifest() -> list[dict[str, Any]]:
    return build_manifest(DemoOptions())


def edge_entries() -> dict[str, dict[str, Any]]:
    return {m["edge"]: m for m in manifest() if m.get("edge") and m["edge"] != "E22"}


def line_for(run: CrawlRun, entry: dict[str, Any]) -> dict[str, Any]:
    lines = [a for a in run.articles if path_of(a["url"]) == path_of(entry["url"])]
    assert len(lines) == 1, (entry["url"], len(lines))
    return lines[0]


def absolute(run: CrawlRun, value: str) -> str:
    """A manifest URL as the crawl saw it: on the site, or on 127.0.0.2 at the same port."""
    base = run.run_json["base_url"]
    foreign = "http://127.0.0.2:" + base.rsplit(":", 1)[1]
    value = value.replace("{FOREIGN}", foreign)
    return base + value if value.startswith("/") else value


def exchanges(run: CrawlRun) -> list[tuple[str, str, dict[str, str | None]]]:
    """(record type, target path, selected HTTP headers) of every request and response."""
    found = []
    for path in run.warc_files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type not in ("request", "response"):
                    continue
                headers = record.http_headers
                found.append(
                    (
                        record.rec_type,
                        path_of(record.rec_headers.get_header("WARC-Target-URI")),
                        {
                            "content-type": headers.get_header("Content-Type"),
                            "referer": headers.get_header("Referer"),
                        },
                    )
                )
    return found


@pytest.mark.parametrize("edge", ["E8c", "E8d", "E17", "E18", "E19"])
def test_edge_article_lines_match_the_manifest(demo_run: CrawlRun, edge: str) -> None:
    entry = edge_entries()[edge]
    line = line_for(demo_run, entry)
    for key in ("title", "body", "lead", "published", "section", "tags", "language"):
        wanted = entry["lang"] if key == "language" else entry[key]
        assert line[key] == wanted, key
    for needle in entry["must_not_contain"]:
        assert needle not in line["body"], needle


def test_story_in_two_pages_is_one_line(demo_run: CrawlRun) -> None:
    entry = edge_entries()["E17"]
    line = line_for(demo_run, entry)
    assert line["body"] == entry["body"]
    assert line["pages"] == [absolute(demo_run, url) for url in entry["pages"]]
    assert line["capture"]["record_id"]  # the first page's response record
    assert not [a for a in demo_run.articles if "?page=2" in a["url"]]
    assert demo_run.run_json["counts"]["page_outcomes"]["article_joined"] == 1
    assert [a["url"] for a in demo_run.articles if a["pages"]] == [line["url"]]
    # The next incremental run knows the second page through the story: no line of its own.
    base = demo_run.run_json["base_url"]
    state = SiteState(demo_run.out / "demo" / "state.sqlite", base=base)
    try:
        first, second = (state.known(absolute(demo_run, url)) for url in entry["pages"])
        assert first is not None and second is not None and second.key == first.key
    finally:
        state.close()


@pytest.mark.parametrize("edge", ["E8c", "E8d"])
def test_charset_pages_credit_and_read_also(demo_run: CrawlRun, edge: str) -> None:
    entry = edge_entries()[edge]
    line = line_for(demo_run, entry)
    image = entry["lead_image"]
    assert [(c["text"], c["credit"], c["image_url"]) for c in line["captions"]] == [
        (image["caption"] or "", image["credit"], absolute(demo_run, image["src"]))
    ]
    read_also = [(r["title"], r["url"]) for r in line["related"] if r["kind"] == "read_also"]
    assert read_also == [
        (r["text"], absolute(demo_run, r["href"])) for r in entry["inline_related"]
    ]


def test_relative_urls_come_out_absolute(demo_run: CrawlRun) -> None:
    entry = edge_entries()["E18"]
    line = line_for(demo_run, entry)
    assert [(c["text"], c["credit"], c["image_url"]) for c in line["captions"]] == [
        (c["text"], c["credit"], absolute(demo_run, c["image_url"])) for c in entry["captions"]
    ]
    assert line["captions"][1]["image_url"].startswith("http://127.0.0.2:")
    read_also = [(r["title"], r["url"]) for r in line["related"] if r["kind"] == "read_also"]
    assert read_also == [
        (r["text"], absolute(demo_run, r["href"])) for r in entry["inline_related"]
    ]
    # Nothing was fetched at a URL resolved against the page instead of the base.
    fetched = {target for kind, target, _ in exchanges(demo_run) if kind == "request"}
    assert not [
        target for target in fetched if target.startswith(entry["url"]) and target != entry["url"]
    ]


def test_hidden_content_stays_out(demo_run: CrawlRun) -> None:
    entry = edge_entries()["E19"]
    line = line_for(demo_run, entry)
    for text in entry["hidden_texts"]:
        assert text not in line["body"], text
    (caption,) = entry["captions"]
    assert [(c["text"], c["credit"], c["image_url"]) for c in line["captions"]] == [
        (caption["text"], caption["credit"], absolute(demo_run, caption["image_url"]))
    ]
    assert line["body"].count(caption["text"]) == 0


def test_latest_sitemap_xml_parsed_html_ignored(demo_run: CrawlRun) -> None:
    entries = {m["url"]: m for m in manifest()}
    records = exchanges(demo_run)
    responses = {target: headers for kind, target, headers in records if kind == "response"}
    # The crawler met both (the sitemap index names them) and archived what it got.
    assert responses[LATEST_XML]["content-type"] == entries[LATEST_XML]["content_type"]
    assert responses[LATEST_HTML]["content-type"] == entries[LATEST_HTML]["content_type"]
    # Every sitemap the crawler reached was parsed, but for the HTML one.
    sitemaps = [m for m in entries.values() if m["page_type"] == "sitemap" and m["status"] == 200]
    reached = [m for m in sitemaps if m["url"] in responses]
    assert {m["url"] for m in reached} == {m["url"] for m in sitemaps if m["crawlable"]}
    parseable = [m for m in reached if m.get("parse_as_sitemap", True)]
    assert demo_run.run_json["counts"]["sitemaps_parsed"] == len(parseable)
    assert [m["url"] for m in reached if m not in parseable] == [LATEST_HTML]
    base = demo_run.run_json["base_url"]
    log = (demo_run.run_dir / "crawl.log").read_text(encoding="utf-8")
    ignored = [line for line in log.splitlines() if "not a sitemap" in line]
    assert [line for line in ignored if f" {base}{LATEST_HTML}:" in line]
    assert not [line for line in ignored if f" {base}{LATEST_XML}:" in line]
    # The XML one's URLs were all fetched; nothing was followed from the HTML one.
    written = {path_of(a["url"]) for a in demo_run.articles}
    assert set(entries[LATEST_XML]["locs"]) <= written
    html_url = base + LATEST_HTML
    assert not [t for kind, t, h in records if kind == "request" and h["referer"] == html_url]
