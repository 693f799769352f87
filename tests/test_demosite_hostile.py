"""The hostile bytes of the demo site's fault mode (bombs, binary, malformed HTML/JSON-LD/XML,
garbage feed items, hostile URLs, the 1.5 MB long read), its CLI options, and scale: a
20,000-article site starts within seconds."""

from __future__ import annotations

import argparse
import http.client
import json
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import lxml.etree
import pytest

from newsarchive.demosite import DemoOptions, DemoServer, build_manifest, faults
from newsarchive.demosite.fault_articles import UNICODE_PATH
from newsarchive.demosite.model import Figure, Video, has_media
from newsarchive.demosite.routes import RouteTable
from tests.demo_server import fetch

SAFE_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
PREFIX_BYTES = 16 << 20
"""How much of a bomb the tests decode: enough to see the ratio, never the whole."""


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    with DemoServer(DemoOptions(faults=True, size=30)) as server:
        yield server


# -- decompression bombs ------------------------------------------------------------------------


def test_gzip_bomb_is_small_on_the_wire_and_huge_decoded(site: DemoServer) -> None:
    status, headers, wire = fetch(site, faults.GZIP_BOMB, {"Accept-Encoding": "identity"})
    assert (status, headers["content-encoding"]) == (200, "gzip"), "sent whatever was asked"
    assert headers["content-type"].startswith("text/html")
    assert len(wire) < 1_100_000
    # ISIZE, the gzip trailer's length of the decoded data modulo 2**32: 1 GiB.
    assert struct.unpack("<I", wire[-4:])[0] == faults.BOMB_EXPANDED_BYTES
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    decoded, pending = 0, wire
    while decoded < PREFIX_BYTES:
        out = decoder.decompress(pending, 1 << 20)
        assert out and not out.strip(b"\0")
        decoded += len(out)
        pending = decoder.unconsumed_tail
    consumed = len(wire) - len(pending)
    assert decoded / consumed > 900, "deflate's best ratio is about 1000:1"


def test_brotli_bomb_is_tiny_on_the_wire_and_huge_decoded(site: DemoServer) -> None:
    status, headers, wire = fetch(site, faults.BROTLI_BOMB)
    assert (status, headers["content-encoding"]) == (200, "br")
    assert len(wire) < 10_000
    decoder = brotli.Decompressor()
    decoded = consumed = 0
    while decoded < PREFIX_BYTES:
        out = decoder.process(wire[consumed : consumed + 8])
        consumed += 8
        assert not out.strip(b"\0")
        decoded += len(out)
    assert decoded / consumed > 100_000
    # The whole stream, 1 GiB over a few KB, scaled: a ratio this size cannot be anything else.
    assert faults.BOMB_EXPANDED_BYTES / len(wire) > 250_000


# -- bodies that are not HTML, or barely ---------------------------------------------------------


def test_binary_and_empty_bodies(site: DemoServer) -> None:
    status, headers, body = fetch(site, faults.BINARY_AS_HTML)
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert body.startswith(b"\x89PNG") and b"\x00" in body and len(body) > 40_000
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, headers, body = fetch(site, faults.EMPTY_PAGE, {"Accept-Encoding": "gzip"})
    assert (status, headers["content-length"], body) == (200, "0", b"")
    assert "content-encoding" not in headers
    status, headers, body = fetch(site, faults.EMPTY_GZIP)
    assert (status, headers["content-encoding"], headers["content-length"]) == (200, "gzip", "0")


def test_charset_lie_malformed_html_and_jsonld(site: DemoServer) -> None:
    lie = site.table.model.by_id[416105].path
    _, headers, body = fetch(site, lie)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body.decode("windows-1251")  # cp1251 bytes under a utf-8 header
    body = fetch(site, "/malformed-html-9030/")[2]
    assert b"\x00" in body and b"true,}" in body
    body = fetch(site, "/malformed-jsonld-9040/")[2].decode("utf-8")
    start = body.index('<script type="application/ld+json">') + 35
    script = body[start : body.index("</script>", start)]
    assert script.startswith("// ") and "\x01" in script and script.endswith(",}")
    with pytest.raises(json.JSONDecodeError):
        json.loads(script)
    title = site.table.model.by_id[faults.MALFORMED_JSONLD_ID].title
    assert f'<h1 class="post-title">{title}</h1>' in body.replace("&#x27;", "'")


# -- XML and feeds -------------------------------------------------------------------------------


def test_entity_bomb_sitemap(site: DemoServer) -> None:
    status, headers, body = fetch(site, faults.ENTITY_BOMB_SITEMAP)
    assert status == 200 and headers["content-type"].startswith("application/xml")
    assert b'<!ENTITY lol0 "lol">' in body and b"<!ENTITY lol9 " in body
    assert body.count(b"&lol9;") == 2 and len(body) < 5_000
    assert f"<url><loc>{site.base_url}{site.table.en.articles[0].path}</loc>".encode() in body
    try:
        root = lxml.etree.fromstring(body, SAFE_XML)
    except lxml.etree.XMLSyntaxError as error:  # libxml2 >= 2.11 refuses the amplification
        assert "amplification" in str(error)
    else:
        assert len(lxml.etree.tostring(root)) < 10_000, "not expanded"


def test_external_entity_sitemap_and_probe(site: DemoServer) -> None:
    body = fetch(site, faults.EXTERNAL_ENTITY_SITEMAP)[2]
    assert b'<!ENTITY xxe SYSTEM "file:///etc/passwd">' in body
    assert f'SYSTEM "{site.base_url}{faults.XXE_PROBE}'.encode() in body
    site.clear_access_log()
    root = lxml.etree.fromstring(body, SAFE_XML)
    assert b"root:" not in lxml.etree.tostring(root)
    assert site.access_log == [], "a safe parser fetches nothing"
    status, headers, _ = fetch(site, faults.XXE_PROBE + "?parameter-entity")
    assert (status, headers["content-type"]) == (200, "application/xml-dtd")
    assert site.access_log == [("GET", faults.XXE_PROBE + "?parameter-entity", 200)]


def test_feed_keeps_valid_items_before_the_garbage(site: DemoServer) -> None:
    body = fetch(site, "/feed/")[2]
    valid, _, garbage = body.partition(b"<item><title>No link at all")
    assert valid.count(b"<item>") == 30
    for needle in (b"javascript:", b"\x01", b"&nbsp;", b"not a date", b"Very long title " * 100):
        assert needle in garbage
    assert garbage.rstrip().endswith(b"</channel>\n</rss>")
    with pytest.raises(lxml.etree.XMLSyntaxError):
        lxml.etree.fromstring(body, SAFE_XML)
    recovering = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    links = [el.text for el in lxml.etree.fromstring(body, recovering).iter("link")]
    assert sum(1 for link in links if link and link.strip().startswith(site.base_url)) >= 30


# -- hostile URLs ---------------------------------------------------------------------------------


def test_hostile_urls_answer(site: DemoServer) -> None:
    model = site.table.model.by_id
    dotted = fetch(site, faults.DOT_SEGMENTS_LINK)
    assert dotted[0] == 200 and dotted[2] == fetch(site, "/dot-segments-9044/")[2]
    encoded = model[faults.ENCODED_DOTS_ID].path
    assert encoded == "/%2E%2E/%2E%2E/etc/passwd-9045/"
    assert fetch(site, encoded)[0] == fetch(site, faults.ENCODED_DOTS_NORMALISED)[0] == 200
    assert fetch(site, "/nul-byte%00-9046/")[0] == 200
    unicode_path = model[faults.UNICODE_PATH_ID].path
    assert unicode_path.isascii() and "%E2%98%83" in unicode_path
    assert fetch(site, unicode_path)[0] == 200
    assert not UNICODE_PATH.isascii()
    long_path = model[faults.LONG_PATH_ID].path
    assert len(long_path) == faults.LONG_PATH_CHARS and long_path.endswith("-9047/")
    assert fetch(site, long_path)[0] == 200
    assert len(model[faults.LONG_PATH_OK_ID].path) == faults.LONG_PATH_OK_CHARS


def test_long_read_is_about_one_and_a_half_megabytes(site: DemoServer) -> None:
    status, _, body = fetch(site, "/longread-the-aral-sea-50-years-later-9011/")
    assert status == 200 and 1_400_000 < len(body) < 1_700_000
    assert body.count(b"<h2>") == body.count(b"<h3>") == 15
    assert body.count(b'<table class="data-table">') == 2
    assert body.count(b'class="adv adv--inread"') == 3
    article = site.table.model.by_id[faults.LONGREAD_ID]
    assert sum(isinstance(b, Figure) for b in article.blocks) == 25
    entry = {e["url"]: e for e in build_manifest(DemoOptions(faults=True, size=3))}[article.path]
    paragraphs = entry["body_paragraphs"]
    assert len(paragraphs) == 1 + 600 + 30 + 2 + 8  # lead, paragraphs, headings, tables, items
    assert "Year | Shoreline retreat, km" in entry["body"]


# -- CLI and scale ------------------------------------------------------------------------------


def _demo_site_args(argv: list[str]) -> argparse.Namespace:
    from newsarchive.cli import demo_site

    parser = argparse.ArgumentParser(prog="newsarchive")
    demo_site.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["demo-site", *argv])


def test_cli_fault_options(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    args = _demo_site_args(
        ["--faults", "--robots-500-once", "--size", "3", "--manifest", str(path)]
    )
    assert (args.faults, args.robots_500_once, args.stall_seconds) == (True, True, 30.0)
    assert args.func(args) == 0
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines == build_manifest(DemoOptions(faults=True, size=3, robots_500_once=True))
    assert _demo_site_args(["--stall-seconds", "2.5"]).stall_seconds == 2.5
    bad = _demo_site_args(["--stall-seconds", "-1", "--manifest", str(path)])
    assert bad.func(bad) == 2


def test_twenty_thousand_articles_start_quickly() -> None:
    started = time.monotonic()
    server = DemoServer(DemoOptions(size=20_000, faults=True))
    server.start()
    try:
        elapsed = time.monotonic() - started
        print(f"size=20000 started in {elapsed:.1f} s")
        assert elapsed < 8, f"size=20000 took {elapsed:.1f} s to start"
        en = server.table.en
        assert len(en.articles) == 20_000
        oldest = en.articles[-1]
        status, _, body = fetch(server, oldest.path)
        assert status == 200 and oldest.title.encode() in body.replace(b"&#x27;", b"'")
        assert (b'class="inline-figure"' in body or b'class="media"' in body) == has_media(
            oldest.blocks, "figure"
        )
        assert any(isinstance(b, Video) for b in oldest.blocks) == has_media(oldest.blocks, "video")
        assert fetch(server, "/last-news/page/999/")[0] == 200
        assert fetch(server, "/category/politics/page/90/")[0] in (200, 301)
    finally:
        server.stop()


def test_large_sites_are_deterministic() -> None:
    first = DemoServer(DemoOptions(size=1_200)).table.en.articles
    second = DemoServer(DemoOptions(size=1_200)).table.en.articles
    assert [a.title for a in first] == [a.title for a in second]
    assert list(first[-1].blocks) == list(second[-1].blocks)
    assert first[-1].blocks == second[-1].blocks


def test_keep_alive_responses_are_not_held_back(site: DemoServer) -> None:
    """Headers and body leave in two writes; with Nagle's algorithm on, a keep-alive client's
    delayed ACK costs 40 ms a response (TCP_NODELAY: `disable_nagle_algorithm`)."""
    port = int(site.base_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    paths = [a.path for a in site.table.en.articles] * 3
    started = time.monotonic()
    for path in paths:
        connection.request("GET", path)
        connection.getresponse().read()
    connection.close()
    elapsed = time.monotonic() - started
    assert elapsed < 0.02 * len(paths), f"{len(paths)} responses took {elapsed:.1f} s"


def test_rendered_page_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsarchive.demosite import responder

    monkeypatch.setattr(responder, "CACHE_BYTES", 300_000)
    table = RouteTable(DemoOptions(size=200))
    cache = responder.Responder(table, "http://127.0.0.1:1", "http://127.0.0.2:1")
    for article in table.en.articles:
        cache.respond("GET", article.path, {"Accept-Encoding": "gzip"})
    assert cache.cached_bytes <= 300_000
    assert 0 < cache.cached_pages < 100
