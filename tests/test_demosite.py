"""The bundled Qala News demo site: determinism, editions, HTTP behaviour, feeds, sitemaps,
fault mode, manifest and CLI."""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from newsarchive.demosite import DemoOptions, DemoServer, build_manifest, write_manifest
from newsarchive.demosite.responder import Responder, choose_encoding
from newsarchive.demosite.routes import RouteTable

Fetched = tuple[int, dict[str, str], bytes]
KAZAKH_LETTERS = "әғқңөұүһі"
XML_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True)


def fetch(
    base_url: str, target: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> Fetched:
    """One request, no redirect following; header names lower-cased."""
    port = int(base_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    with DemoServer(DemoOptions()) as server:
        yield server


@pytest.fixture(scope="module")
def fault_site() -> Iterator[DemoServer]:
    with DemoServer(DemoOptions(faults=True)) as server:
        yield server


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, object]]:
    return build_manifest(DemoOptions())


def by_url(entries: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(e["url"]): e for e in entries}


def articles(entries: list[dict[str, object]], lang: str | None = None) -> list[dict[str, object]]:
    """The editions' regular articles (not the fault-mode ones, not the §12 edge pages)."""
    return [
        e
        for e in entries
        if e["page_type"] == "article"
        and (lang is None or e["lang"] == lang)
        and e["fault"] is None
        and "edge" not in e
    ]


def article_url(server: DemoServer, article_id: int) -> str:
    return server.table.model.by_id[article_id].path


# -- determinism and content -----------------------------------------------------------------------


def test_two_builds_give_identical_manifest_and_bytes(manifest: list[dict[str, object]]) -> None:
    assert build_manifest(DemoOptions()) == manifest
    paths = ["/", "/last-news/page/2/", "/feed/", "/sitemap/sitemap_news1.xml", "/ru/"]
    tables = [RouteTable(DemoOptions()), RouteTable(DemoOptions())]
    paths.append(tables[0].model.by_id[5710].path)
    bodies = [
        [
            Responder(t, "http://127.0.0.1:1", "http://127.0.0.2:1").rendered(t.resolve(p)).body
            for p in paths
        ]
        for t in tables
    ]
    assert bodies[0] == bodies[1]
    assert all(b"http://127.0.0.1:1/" in body for body in bodies[0][2:4])


def test_served_bytes_identical_across_servers(site: DemoServer) -> None:
    path = article_url(site, 5719)
    bodies = []
    with DemoServer(DemoOptions()) as other:
        for server in (site, other):
            base = server.base_url
            body = fetch(base, path)[2].replace(base.encode(), b"BASE")
            bodies.append(body.replace(base.replace(".1:", ".2:").encode(), b"FOREIGN"))
    assert bodies[0] == bodies[1]
    assert b"BASE/" in bodies[0] and b"FOREIGN/" in bodies[0]


def test_en_edition_has_120_articles_with_ids(manifest: list[dict[str, object]]) -> None:
    en = articles(manifest, "en")
    assert len(en) == 120
    assert {int(str(e["id"])) for e in en} == set(range(5601, 5721))
    assert {e["section_slug"] for e in en} == {
        "politics",
        "society",
        "economy",
        "incidents",
        "world",
        "culture",
    }
    templates = [e["template"] for e in en]
    assert 10 <= templates.count("modern") <= 40
    assert 20 <= sum(1 for e in en if e["jsonld"] == "none") <= 50


def test_size_option_scales_en_edition() -> None:
    small = build_manifest(DemoOptions(size=7))
    assert len(articles(small, "en")) == 7
    assert len(articles(small, "ru")) == 32
    with pytest.raises(ValueError, match="size"):
        DemoOptions(size=0)


def test_ground_truth_matches_rendered_html() -> None:
    table = RouteTable(DemoOptions())
    responder = Responder(table, "http://127.0.0.1:1", "http://127.0.0.2:1")
    entries = [e for e in build_manifest(DemoOptions()) if e["page_type"] == "article"]
    for entry in entries:
        charset = str(entry["charset"])
        # A story printed over two pages (E17) has its text on both; the first is the entry's.
        urls = entry.get("pages") or [entry["url"]]
        docs = [
            lxml.html.document_fromstring(
                responder.rendered(table.resolve(str(url))).body.decode(charset)
            )
            for url in urls  # type: ignore[attr-defined]
        ]
        doc = docs[0]
        texts = {
            " ".join(el.text_content().split())
            for page in docs
            for el in page.iter("p", "li", "h2", "blockquote")
        }
        if not entry.get("needs_js"):  # (the app shell's text is in its script state only)
            for paragraph in entry["body_paragraphs"]:  # type: ignore[attr-defined]
                assert paragraph in texts, (entry["url"], paragraph)
        body = str(entry["body"])
        assert body.split("\n\n")[0] == entry["lead"]
        for forbidden in entry["must_not_contain"]:  # type: ignore[attr-defined]
            assert forbidden not in body, (entry["url"], forbidden)
        if entry["jsonld"] != "none":
            scripts = doc.xpath('//script[@type="application/ld+json"]/text()')
            assert scripts and all(json.loads(s) for s in scripts)
        else:
            assert not doc.xpath('//script[@type="application/ld+json"]')


def test_ru_edition_and_windows_1251_pages(
    site: DemoServer, manifest: list[dict[str, object]]
) -> None:
    ru = articles(manifest, "ru")
    assert {int(str(e["id"])) for e in ru} == set(range(416001, 416031)) | {416101, 416102}
    status, headers, body = fetch(site.base_url, article_url(site, 416101))
    assert status == 200
    assert headers["content-type"] == "text/html; charset=windows-1251"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1251")
    assert '<meta charset="windows-1251">' in text
    assert site.table.model.by_id[416101].title in text
    status, headers, body = fetch(site.base_url, article_url(site, 416102))
    assert headers["content-type"] == "text/html"
    assert "charset=windows-1251" in body.decode("cp1251")


def test_kk_edition_uses_kazakh_letters(manifest: list[dict[str, object]]) -> None:
    kk = articles(manifest, "kk")
    assert {int(str(e["id"])) for e in kk} == set(range(137001, 137016))
    titles = " ".join(str(e["title"]) for e in kk).lower()
    bodies = " ".join(str(e["body"]) for e in kk).lower()
    assert set(KAZAKH_LETTERS) <= set(titles)
    assert set(KAZAKH_LETTERS) <= set(bodies)
    assert sum(1 for e in kk if e["script"] == "latn") == 2


# -- listings, redirects, duplicates ---------------------------------------------------------------


def test_pagination_and_trap(site: DemoServer, manifest: list[dict[str, object]]) -> None:
    status, _, body = fetch(site.base_url, "/last-news/page/2/")
    doc = lxml.html.document_fromstring(body)
    assert status == 200
    assert len(doc.xpath('//div[@class="newslist3"]/ul/li/a')) == 20
    for rel in ("prev", "next", "last"):
        assert doc.xpath(f'//head/link[@rel="{rel}"]/@href')
        assert doc.xpath(f'//nav[@class="pagination"]//a[@rel="{rel}"]/@href')
    assert doc.xpath('//head/link[@rel="last"]/@href') == [f"{site.base_url}/last-news/page/6/"]
    status, headers, _ = fetch(site.base_url, "/last-news/page/1/")
    assert (status, headers["location"]) == (301, f"{site.base_url}/last-news/")
    status, _, body = fetch(site.base_url, "/last-news/page/7/")
    doc = lxml.html.document_fromstring(body)
    assert status == 200
    assert doc.xpath('//div[@class="newslist3"]/ul/li') == []
    assert doc.xpath('//nav[@class="pagination"]//a[@rel="last"]/@href') == ["/last-news/page/6/"]
    assert fetch(site.base_url, "/last-news/page/999/")[0] == 200
    assert fetch(site.base_url, "/last-news/page/1000/")[0] == 404
    trap = by_url(manifest)["/last-news/page/7/"]
    assert trap["trap"] is True and trap["crawlable"] is True and trap["items"] == []


def test_query_style_pagination_has_one_form(site: DemoServer) -> None:
    base = site.base_url
    listing = lxml.html.document_fromstring(fetch(base, "/category/politics/")[2])
    assert listing.xpath('//nav[@class="pagination"]//a[@rel="next"]/@href') == [
        "/category/politics/?page=2"
    ]
    status, _, body = fetch(base, "/category/politics/?page=2")
    page = lxml.html.document_fromstring(body)
    assert status == 200 and len(page.xpath('//div[@class="newslist3"]/ul/li')) == 15
    assert page.xpath('//link[@rel="canonical"]/@href') == [f"{base}/category/politics/?page=2"]
    status, headers, _ = fetch(base, "/category/politics/page/2/")
    assert (status, headers["location"]) == (301, f"{base}/category/politics/?page=2")
    assert fetch(base, "/category/politics/?page=1")[1]["location"] == f"{base}/category/politics/"
    assert fetch(base, "/category/society/page/2/")[0] == 200


def test_no_slash_article_url_redirects_and_is_linked(
    site: DemoServer, manifest: list[dict[str, object]]
) -> None:
    linked = [e for e in manifest if e.get("variant") == "no_slash" and e["crawlable"]]
    assert len(linked) == 1
    url = str(linked[0]["url"])
    assert not url.endswith("/")
    status, headers, _ = fetch(site.base_url, url)
    assert (status, headers["location"]) == (301, f"{site.base_url}{url}/")
    assert f'href="{url}"'.encode() in fetch(site.base_url, "/")[2]


def test_amp_duplicate_is_canonicalised_and_linked(site: DemoServer) -> None:
    path = article_url(site, 5710)
    status, _, body = fetch(site.base_url, f"/amp{path}")
    assert status == 200
    doc = lxml.html.document_fromstring(body)
    assert doc.xpath('//link[@rel="canonical"]/@href') == [f"{site.base_url}{path}"]
    home = lxml.html.document_fromstring(fetch(site.base_url, "/")[2])
    assert f"/amp{path}" in home.xpath("//a/@href")
    article = lxml.html.document_fromstring(fetch(site.base_url, path)[2])
    assert article.xpath('//link[@rel="amphtml"]/@href') == [f"{site.base_url}/amp{path}"]


def test_tracking_and_print_duplicates(site: DemoServer) -> None:
    path = article_url(site, 5710)
    plain = fetch(site.base_url, path)[2]
    assert fetch(site.base_url, f"{path}?utm_source=telegram&utm_medium=social")[2] == plain
    status, _, body = fetch(site.base_url, "/print/5710/")
    assert status == 200
    assert f'<link rel="canonical" href="{site.base_url}{path}">'.encode() in body


def test_404_page_has_chrome_and_is_linked(
    site: DemoServer, manifest: list[dict[str, object]]
) -> None:
    status, _, body = fetch(site.base_url, "/no-such-article-999999/")
    assert status == 404
    doc = lxml.html.document_fromstring(body)
    assert len(doc.xpath('//aside//div[@class="newslist3"]/ul/li')) == 20
    assert by_url(manifest)["/no-such-article-999999/"]["crawlable"] is True
    assert b'href="/no-such-article-999999/"' in fetch(site.base_url, "/about/")[2]


def test_static_assets(site: DemoServer) -> None:
    src = site.table.model.by_id[5710].lead_image.src  # type: ignore[union-attr]
    status, headers, body = fetch(site.base_url, src)
    assert (status, headers["content-type"], body[:4], body[8:12]) == (
        200,
        "image/webp",
        b"RIFF",
        b"WEBP",
    )
    status, headers, body = fetch(site.base_url, "/assets/img/logo.png")
    assert (status, headers["content-type"], body[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")


def test_offsite_links_use_foreign_host(site: DemoServer) -> None:
    body = fetch(site.base_url, article_url(site, 5710))[2].decode()
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", body))
    port = site.base_url.rsplit(":", 1)[1]
    assert hosts <= {f"127.0.0.1:{port}", f"127.0.0.2:{port}", "ogp.me", "schema.org"}
    assert f"127.0.0.2:{port}" in hosts


# -- HTTP behaviour --------------------------------------------------------------------------------


def test_gzip_when_asked(site: DemoServer) -> None:
    path = article_url(site, 5715)
    _, plain_headers, plain = fetch(site.base_url, path)
    status, headers, body = fetch(site.base_url, path, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body)
    assert gzip.decompress(body) == plain
    assert "content-encoding" not in plain_headers
    assert int(plain_headers["content-length"]) == len(plain)
    assert plain_headers["date"] == "Sat, 29 Mar 2025 13:00:00 GMT"


def test_content_coding_negotiation() -> None:
    assert choose_encoding("gzip, deflate, br, zstd") == "gzip"
    assert choose_encoding("br") == "br"
    assert choose_encoding("gzip;q=0, br") == "br"
    assert choose_encoding("br", brotli_ok=False) is None
    assert choose_encoding("") is None


def test_brotli_when_only_br_is_accepted(site: DemoServer) -> None:
    brotli = pytest.importorskip("brotli")
    path = article_url(site, 5715)
    _, headers, body = fetch(site.base_url, path, {"Accept-Encoding": "br"})
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == fetch(site.base_url, path)[2]


def test_conditional_get_and_head(site: DemoServer) -> None:
    path = article_url(site, 5712)
    _, headers, body = fetch(site.base_url, path)
    assert headers["etag"] and headers["last-modified"]
    assert fetch(site.base_url, path, {"If-None-Match": headers["etag"]})[0] == 304
    assert fetch(site.base_url, path, {"If-Modified-Since": headers["last-modified"]})[0] == 304
    assert fetch(site.base_url, path, {"If-None-Match": '"other"'})[0] == 200
    status, head_headers, head_body = fetch(site.base_url, path, method="HEAD")
    assert (status, head_body, head_headers["content-length"]) == (200, b"", str(len(body)))
    assert fetch(site.base_url, "/last-news/", method="HEAD")[0] == 405


def test_robots_txt(site: DemoServer) -> None:
    status, headers, body = fetch(site.base_url, "/robots.txt")
    lines = body.decode().splitlines()
    assert status == 200 and headers["content-type"].startswith("text/plain")
    for line in ("Disallow: /search-results.html", "Disallow: /print/", "Disallow: /admin/"):
        assert line in lines
    assert "Disallow: /*?utm_" in lines and "Crawl-delay: 1" in lines
    assert f"Sitemap: {site.base_url}/sitemap.xml" in lines
    assert f"Sitemap: {site.base_url}/sitemap/news.xml" in lines


def test_sitemap_index_numbered_and_news(site: DemoServer) -> None:
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "news": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    index = lxml.etree.fromstring(fetch(site.base_url, "/sitemap.xml")[2], XML_PARSER)
    locs = index.xpath("//s:sitemap/s:loc/text()", namespaces=ns)
    base = site.base_url
    assert locs[:3] == [f"{base}/sitemap/sitemap_news{n}.xml" for n in (1, 2, 3)]
    assert f"{base}/sitemap/news.xml" in locs and f"{base}/ru/sitemap.xml" in locs
    numbered = [
        lxml.etree.fromstring(fetch(base, f"/sitemap/sitemap_news{n}.xml")[2], XML_PARSER)
        for n in (1, 2, 3)
    ]
    assert len(numbered[0].xpath("//s:url", namespaces=ns)) == 50
    for sitemap in numbered:
        assert all(m.endswith("+05:00") for m in sitemap.xpath("//s:lastmod/text()", namespaces=ns))
    assert fetch(base, "/sitemap/sitemap_news4.xml")[0] == 404
    second = fetch(base, "/sitemap/sitemap_news2.xml")[2].decode()
    trashed = re.search(r"<loc>[^<]*(/[^<]*__trashed-9021/)</loc>", second)
    assert trashed and fetch(base, trashed.group(1))[0] == 404
    news = lxml.etree.fromstring(fetch(base, "/sitemap/news.xml")[2], XML_PARSER)
    titles = news.xpath("//news:news/news:title/text()", namespaces=ns)
    assert len(titles) == 20 and titles[0] == site.table.model.edition("en").articles[0].title
    assert news.xpath("//news:publication/news:name/text()", namespaces=ns)[0] == "Qala News"


def test_rss_feeds_parse(site: DemoServer) -> None:
    ns = {
        "content": "http://purl.org/rss/1.0/modules/content/",
        "dc": "http://purl.org/dc/elements/1.1/",
        "media": "http://search.yahoo.com/mrss/",
    }
    status, headers, body = fetch(site.base_url, "/feed/")
    assert status == 200 and headers["content-type"].startswith("application/rss+xml")
    feed = lxml.etree.fromstring(body, XML_PARSER)
    items = feed.xpath("//item")
    assert len(items) == 30
    newest = site.table.model.edition("en").articles[0]
    assert items[0].findtext("guid") == f"qala-{newest.id}"
    assert all(item.xpath("content:encoded/text()", namespaces=ns) for item in items)
    assert all(item.xpath("dc:creator/text()", namespaces=ns) for item in items)
    assert feed.xpath("//media:content/@url", namespaces=ns)
    links = [item.findtext("link") for item in items]
    assert sum(1 for link in links if link != link.strip()) == 1
    ru = lxml.etree.fromstring(fetch(site.base_url, "/ru/feed/")[2], XML_PARSER)
    assert re.search("[а-я]", ru.xpath("//item/title/text()")[0])


def test_every_crawlable_url_answers_as_the_manifest_says(
    site: DemoServer, manifest: list[dict[str, object]]
) -> None:
    for entry in manifest:
        if entry["crawlable"]:
            status = fetch(site.base_url, str(entry["url"]))[0]
            assert status == entry["status"], entry["url"]


# -- fault mode ------------------------------------------------------------------------------------


def test_default_site_has_no_faults(site: DemoServer, manifest: list[dict[str, object]]) -> None:
    assert fetch(site.base_url, "/broken-gzip-9009/")[0] == 404
    assert b"broken-gzip" not in fetch(site.base_url, "/last-news/")[2]
    assert all(e["fault"] is None for e in manifest)


def test_fault_mode_adds_broken_responses(fault_site: DemoServer) -> None:
    base = fault_site.base_url
    assert b'href="/broken-gzip-9009/"' in fetch(base, "/last-news/")[2]
    status, headers, body = fetch(base, "/broken-gzip-9009/", {"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert body.startswith(b"<!DOCTYPE html>")
    status, headers, body = fetch(base, article_url(fault_site, 416105))
    assert headers["content-type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    body = fetch(base, "/malformed-html-9030/")[2]
    assert b"\x00" in body and b"true,}" in body
    assert fetch(base, "/loop-a-9008/")[1]["location"] == f"{base}/loop-b-9008/"
    assert fetch(base, "/loop-b-9008/")[1]["location"] == f"{base}/loop-a-9008/"
    with pytest.raises(http.client.IncompleteRead):
        fetch(base, "/truncated-body-9026/")
    with pytest.raises((ConnectionResetError, http.client.IncompleteRead)):
        fetch(base, "/connection-reset-9027/")
    entries = by_url(build_manifest(DemoOptions(faults=True)))
    assert entries["/broken-gzip-9009/"]["fault"] == "broken_gzip"
    assert entries["/loop-a-9008/"]["final_url"] is None


def test_fail_once_state_is_per_server() -> None:
    options = DemoOptions(faults=True, size=3)
    for _ in range(2):
        with DemoServer(options) as server:
            first = fetch(server.base_url, "/rate-limited-9015/")
            assert (first[0], first[1]["retry-after"]) == (429, "1")
            assert fetch(server.base_url, "/rate-limited-9015/")[0] == 200
            assert fetch(server.base_url, "/flaky-9016/")[0] == 503
            assert fetch(server.base_url, "/flaky-9016/")[0] == 200


# -- server options, access log, CLI ---------------------------------------------------------------


def test_server_binds_loopback_ephemeral_port_and_logs(tmp_path: Path) -> None:
    log_path = tmp_path / "access.log"
    with DemoServer(DemoOptions(size=3), access_log_path=log_path) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
        assert not server.base_url.endswith(":0")
        fetch(server.base_url, "/robots.txt")
        fetch(server.base_url, "/nothing-here/", method="HEAD")
        assert server.access_log == [("GET", "/robots.txt", 200), ("HEAD", "/nothing-here/", 404)]
    assert log_path.read_text().splitlines() == ["GET /robots.txt 200", "HEAD /nothing-here/ 404"]


def test_latency_option_delays_responses() -> None:
    with DemoServer(DemoOptions(size=3, latency_ms=150)) as server:
        started = time.monotonic()
        fetch(server.base_url, "/robots.txt")
        assert time.monotonic() - started >= 0.15


def _demo_site_args(argv: list[str]) -> argparse.Namespace:
    from newsarchive.cli import demo_site

    parser = argparse.ArgumentParser(prog="newsarchive")
    demo_site.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["demo-site", *argv])


def test_cli_writes_manifest(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    args = _demo_site_args(["--manifest", str(path), "--size", "5"])
    assert args.func(args) == 0
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines == build_manifest(DemoOptions(size=5))
    assert write_manifest(tmp_path / "again.jsonl", DemoOptions(size=5)) == len(lines)


def test_cli_serves_and_prints_base_url_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive.cli.demo_site", "--size", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        assert fetch(base_url, "/robots.txt")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr


def test_demosite_does_not_import_scrapy_or_twisted() -> None:
    code = (
        "import sys; from newsarchive.demosite import DemoServer, DemoOptions, build_manifest; "
        "build_manifest(DemoOptions(size=2)); "
        "s = DemoServer(DemoOptions(size=2)); s.start(); s.stop(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
