"""XML from strangers: big sitemaps are streamed (memory does not grow with them), and no XML
parser on the crawl path fetches anything. Entity bombs and XXE at the library level are in
test_discovery.py; the fault-mode sitemaps against a whole crawl in test_hostile_crawl.py."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from newsarchive.discovery import iter_sitemap, parse_feed, parse_sitemap
from newsarchive.discovery.errors import DiscoveryError
from tests.hostile_server import Reply, ScriptedServer, crawl_measured, page

SITEMAP_ENTRIES = 250_000  # 25 MB of XML
PEAK_RSS_LIMIT_MB = 220
"""Streaming peaks at about 130 MB (the body itself is held by Scrapy and the capture); the
whole tree of the same sitemap takes about 360 MB."""


def big_sitemap(base: str) -> bytes:
    stories = b"".join(
        b"<url><loc>%s/story-40%d/</loc></url>\n" % (base.encode(), n) for n in range(3)
    )
    rows = b"".join(
        b"<url><loc>%s/archive/page-%07d.html</loc><lastmod>2025-03-01</lastmod></url>\n"
        % (base.encode(), n)
        for n in range(SITEMAP_ENTRIES)
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + stories
        + rows
        + b"</urlset>\n"
    )


@pytest.mark.slow
def test_big_sitemap_is_streamed(tmp_path: Path) -> None:
    """NEWSARCHIVE_SITEMAP_STREAM_BYTES (1 MB): the spider reads a 25 MB sitemap with
    discovery.iter_sitemap; with the threshold raised over the body size it builds the whole
    tree and the crawl peaks near 360 MB."""
    server = ScriptedServer({f"/story-40{n}/": page(f"Story {n}") for n in range(3)})
    base = server.start()
    body = big_sitemap(base)
    server.routes["/sitemap.xml"] = lambda n: Reply(
        200, [("Content-Type", "application/xml")], body
    )
    profile = tmp_path / "p.toml"
    profile.write_text(
        f'name = "hostile"\nsitemaps = ["{base}/sitemap.xml"]\nallowed_hosts = ["127.0.0.1"]\n'
        "article_url_patterns = ['-\\d+/$']\nallow_private_addresses = true\n"
        "[crawl]\ndownload_delay = 0\nautothrottle = false\nobey_crawl_delay = false\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    try:
        status, peak_mb, stderr = crawl_measured(profile, out)
    finally:
        server.stop()
    assert status == 0, stderr[-3000:]
    assert peak_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {peak_mb:.0f} MB"
    assert sorted(p for p in server.paths() if p.startswith("/story")) == [
        "/story-400/",
        "/story-401/",
        "/story-402/",
    ]
    (run_dir,) = [p for p in (out / "hostile").iterdir() if p.is_dir()]
    counts = (run_dir / "run.json").read_text(encoding="utf-8")
    assert '"sitemaps_streamed": 1' in counts


def test_parsers_fetch_no_external_entity(tmp_path: Path) -> None:
    """discovery.xmlsafe (no_network, load_dtd=False, resolve_entities=False): a sitemap and a
    feed whose DTD and entities point at a live server and at a local file get nothing."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    with ScriptedServer(
        {"/probe.dtd": lambda n: Reply(200, [], b'<!ENTITY x "leaked">')}
    ) as server:
        doctype = (
            f'<!DOCTYPE root SYSTEM "{server.base}/probe.dtd" [\n'
            f'  <!ENTITY file SYSTEM "file://{secret}">\n'
            f'  <!ENTITY % remote SYSTEM "{server.base}/probe.dtd?parameter">\n'
            "  %remote;\n]>\n"
        )
        sitemap = (
            f'<?xml version="1.0"?>\n{doctype}'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://news.example/a-&file;-1/</loc></url>"
            "<url><loc>https://news.example/story-2/</loc></url></urlset>"
        ).encode()
        feed = (
            f'<?xml version="1.0"?>\n{doctype}'
            "<rss version='2.0'><channel><item><title>&file;&x;</title>"
            "<link>https://news.example/story-3/</link></item></channel></rss>"
        ).encode()
        found: list[str] = []
        for parse in (
            lambda: [
                e.loc for e in parse_sitemap(sitemap, "https://news.example/sitemap.xml").entries
            ],
            lambda: [e.loc for e in iter_sitemap(sitemap, "https://news.example/sitemap.xml")],
            lambda: [f"{e.url} {e.title}" for e in parse_feed(feed, "https://news.example/feed/")],
        ):
            with contextlib.suppress(DiscoveryError):  # refusing the document is fine too
                found += parse()
        assert server.paths() == []
    assert found and not any("TOPSECRET" in text or "leaked" in text for text in found), found
