"""The edge-case pages of the default demo site (§12: E1 paywall, E2 live blog, E3 gallery, E4
video-only page, E6 soft 404, E12 undated statement, E16 JavaScript-only article): the markup
the spec promises, served like every other page, reachable by a crawler, listed in the
manifest with their expected values."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import lxml.etree
import lxml.html
import pytest

from newsarchive.demosite import DemoOptions, DemoServer
from newsarchive.demosite.responder import Responder
from newsarchive.demosite.routes import RouteTable
from tests.demo_server import fetch
from tests.edge_pages import SITEMAP_NS, XML_PARSER, Entry, html, texts

PAYWALL = "/premium-how-kazakhstan-budget-was-spent-9001/"
LIVEBLOG = "/live/almaty-floods-live-9002/"
GALLERY = "/photo/nauryz-in-astana-photos-9003/"
VIDEO = "/video/akim-briefing-video-9004/"
SOFT_404 = "/soft-404-test-9006/"
UNDATED = "/undated-statement-9012/"
JS_ONLY = "/js-only-article-9017/"
EDGE_PATHS = {
    "E1": PAYWALL,
    "E2": LIVEBLOG,
    "E3": GALLERY,
    "E4": VIDEO,
    "E6": SOFT_404,
    "E12": UNDATED,
    "E16": JS_ONLY,
}
ARTICLE_PATHS = (PAYWALL, LIVEBLOG, GALLERY, VIDEO, UNDATED)
SPECIAL_SITEMAP = "/sitemap/special.xml"


def jsonld(doc: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    return [json.loads(text) for text in doc.xpath('//script[@type="application/ld+json"]/text()')]


# -- serving and discovery -------------------------------------------------------------------------


@pytest.mark.parametrize("path", list(EDGE_PATHS.values()))
def test_served_with_the_sites_normal_headers(site: DemoServer, path: str) -> None:
    _, plain_headers, plain = fetch(site, path)
    status, headers, body = fetch(site, path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == plain
    assert headers["vary"] == "Accept-Encoding" and headers["cache-control"] == "max-age=60"
    assert headers["date"] == "Sat, 29 Mar 2025 13:00:00 GMT"
    assert int(plain_headers["content-length"]) == len(plain)
    # Articles carry validators; the undated statement must not leak a date through them.
    dated = path not in (SOFT_404, UNDATED)
    assert ("last-modified" in headers, "etag" in headers) == (dated, dated)


def test_every_edge_page_is_linked_from_the_home_page(
    site: DemoServer, manifest: dict[str, Entry]
) -> None:
    home = html(site, "/")
    links = home.xpath('//section[@class="special-coverage"]//a/@href')
    # (The later edge pages sit between these in catalogue order: test_demosite_edge_pages_2.)
    assert [link for link in links if link in EDGE_PATHS.values()] == list(EDGE_PATHS.values())
    for path in EDGE_PATHS.values():
        assert manifest[path]["crawlable"] is True, path
    assert manifest[SPECIAL_SITEMAP]["crawlable"] is True


def test_edge_articles_are_in_their_own_sitemap(site: DemoServer) -> None:
    index = lxml.etree.fromstring(fetch(site, "/sitemap.xml")[2], XML_PARSER)
    children = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP_NS)
    assert f"{site.base_url}{SPECIAL_SITEMAP}" in children
    sitemap = lxml.etree.fromstring(fetch(site, SPECIAL_SITEMAP)[2], XML_PARSER)
    locs = sitemap.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    ours = [f"{site.base_url}{path}" for path in (*ARTICLE_PATHS, JS_ONLY)]
    assert [loc for loc in locs if loc in ours] == ours
    assert len(sitemap.xpath("//s:url/s:lastmod", namespaces=SITEMAP_NS)) == len(locs)


def test_editions_feeds_and_listings_are_unchanged(site: DemoServer) -> None:
    """The edge pages live beside the editions: no listing page or feed shows them."""
    model = site.table.model
    ids = {article.id for edition in model.editions.values() for article in edition.articles}
    assert not ids & set(range(9001, 9100))
    assert [page.code for page in model.edge_pages if page.code in EDGE_PATHS] == list(EDGE_PATHS)
    for target in ("/last-news/", "/feed/", "/category/economy/", "/sitemap/news.xml"):
        body = fetch(site, target)[2]
        assert not re.search(rb"-90(0[1-9]|1[0-9])/", body), target


def test_pages_are_deterministic() -> None:
    tables = [RouteTable(DemoOptions()), RouteTable(DemoOptions(size=7))]
    bodies = [
        [
            Responder(table, "http://127.0.0.1:1", "http://127.0.0.2:1")
            .rendered(table.resolve(path))
            .body
            for path in (PAYWALL, LIVEBLOG, GALLERY, JS_ONLY, SPECIAL_SITEMAP)
        ]
        for table in (*tables, RouteTable(DemoOptions()))
    ]
    assert bodies[0] == bodies[2]
    # The pages do not depend on the edition's size but for the sidebar (latest headlines).
    assert bodies[0][3:] == bodies[1][3:]


# -- E1 paywall ------------------------------------------------------------------------------------


def test_paywall_teaser(site: DemoServer, manifest: dict[str, Entry]) -> None:
    doc = html(site, PAYWALL)
    newstext = doc.xpath('//div[@class="newstext"]')[0]
    children = list(newstext)
    assert [child.tag for child in children] == ["p", "p", "div"]
    assert children[-1].get("class") == "paywall"
    assert children[-1].text_content() == "Subscribe to continue reading…"
    entry = manifest[PAYWALL]
    assert entry["paywalled"] is True and entry["edge"] == "E1"
    assert entry["body_paragraphs"] == texts(children[:2])
    assert entry["body"] == "\n\n".join(texts(children[:2]))
    assert "Subscribe to continue reading…" in entry["must_not_contain"]
    # The full text is absent: no other paragraph in the article column, none in the JSON-LD.
    assert texts(doc.xpath('//div[contains(@class, "fulltext")]//p')) == texts(children[:2])
    (story, _) = jsonld(doc)
    assert story["@type"] == "NewsArticle" and "articleBody" not in story
    assert story["isAccessibleForFree"] is False
    assert story["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".paywall",
    }
    assert manifest[UNDATED]["paywalled"] is False


# -- E2 live blog ----------------------------------------------------------------------------------


def test_live_blog(site: DemoServer, manifest: dict[str, Entry]) -> None:
    doc = html(site, LIVEBLOG)
    entries = doc.xpath('//div[@class="live-entry"]')
    assert len(entries) == 15
    assert [e.get("id") for e in entries] == [f"entry-{n}" for n in range(15, 0, -1)]
    times = [e.xpath("./time/@datetime")[0] for e in entries]
    assert times == sorted(times, reverse=True) and len(set(times)) == 15
    page_texts = [texts(e.xpath("./p"))[0] for e in entries]
    header = doc.xpath('//header[@class="live-header"]')[0]
    assert "Live updates" in header.text_content()
    (story, _) = jsonld(doc)
    assert story["@type"] == "LiveBlogPosting"
    updates = story["liveBlogUpdate"]
    assert [u["datePublished"] for u in updates] == times
    assert [u["articleBody"] for u in updates] == page_texts
    entry = manifest[LIVEBLOG]
    assert entry["format"] == "liveblog" and entry["edge"] == "E2"
    oldest_first = list(zip(reversed(times), reversed(page_texts), strict=True))
    assert [(e["time"], e["text"]) for e in entry["entries"]] == oldest_first
    assert all(set(e) == {"time", "text"} for e in entry["entries"])
    assert entry["body_paragraphs"] == page_texts[::-1]
    assert entry["published"] == times[-1] and entry["modified"] == times[0]
    assert "Live updates" in entry["must_not_contain"]


# -- E3 gallery ------------------------------------------------------------------------------------


def test_photo_gallery(site: DemoServer, manifest: dict[str, Entry]) -> None:
    doc = html(site, GALLERY)
    intro = texts(doc.xpath('//div[@class="newstext"]/p'))
    assert len(intro) == 1
    figures = doc.xpath('//div[@class="gallery"]/figure')
    assert len(figures) == 12
    for figure in figures:
        assert figure.xpath("./figcaption/span[@class='credit']/text()"), "credit"
        assert figure.xpath("./figcaption/text()")[0].strip(), "caption"
    srcs = [figure.xpath("./img/@src")[0] for figure in figures]
    assert len(set(srcs)) == 12
    assert doc.xpath('//ol[@class="gallery__thumbs"]//img/@src') == srcs
    entry = manifest[GALLERY]
    assert entry["format"] == "gallery" and entry["edge"] == "E3"
    assert entry["body_paragraphs"] == intro and entry["body"] == intro[0]
    assert [g["image_url"] for g in entry["gallery"]] == srcs
    assert [f["src"] for f in entry["figures"]] == srcs
    for item, figure in zip(entry["gallery"], figures, strict=True):
        assert set(item) == {"text", "credit", "image_url"}
        raw = figure.xpath("./figcaption/span[@class='credit']/text()")[0]
        assert texts(figure.xpath("./figcaption")) == [f"{item['text']} {raw}"]
        assert item["credit"] and item["credit"] in raw
        assert item["text"] in entry["must_not_contain"] and raw in entry["must_not_contain"]


# -- E4 video-only ---------------------------------------------------------------------------------


def test_video_only_page(site: DemoServer, manifest: dict[str, Entry]) -> None:
    doc = html(site, VIDEO)
    assert doc.xpath('//meta[@property="og:type"]/@content') == ["video.other"]
    assert not doc.xpath('//meta[starts-with(@property, "article:")]')
    iframes = doc.xpath("//iframe/@src")
    assert len(iframes) == 1 and iframes[0].startswith("https://www.youtube.com/embed/")
    column = doc.xpath('//div[contains(@class, "fulltext")]')[0]
    line = texts(column.xpath(".//p"))
    assert len(line) == 1
    entry = manifest[VIDEO]
    assert entry["format"] == "video" and entry["edge"] == "E4"
    assert entry["body_paragraphs"] == line and entry["body"] == line[0]
    assert entry["embeds"] == [{"provider": "youtube", "url": iframes[0]}]
    assert [item["@type"] for item in jsonld(doc)] == ["VideoObject", "BreadcrumbList"]


# -- E6 soft 404 -----------------------------------------------------------------------------------


def test_soft_404(site: DemoServer, manifest: dict[str, Entry]) -> None:
    status, _, body = fetch(site, SOFT_404)
    assert status == 200
    doc = lxml.html.document_fromstring(body)
    assert texts(doc.xpath("//h1")) == ["Page not found"]
    assert doc.xpath('//header[@class="site-header"]') and doc.xpath("//footer")
    assert len(doc.xpath('//aside//div[@class="newslist3"]/ul/li')) == 20
    assert doc.xpath('//meta[@property="og:type"]/@content') != ["article"]
    assert not jsonld(doc) and not doc.xpath('//meta[starts-with(@property, "article:")]')
    assert fetch(site, "/no-such-article-999999/")[0] == 404  # the real 404 (E5) stays
    entry = manifest[SOFT_404]
    assert entry["page_type"] == "soft_404" and entry["status"] == 200
    assert (entry["is_article"], entry["expect_article"]) == (False, False)
    assert "body" not in entry


# -- E12 undated -----------------------------------------------------------------------------------

_DATE_PATTERNS = (
    rb"\d{4}-\d{2}-\d{2}",
    rb"\d{1,2}\.\d{1,2}\.\d{2,4}",
    rb"(January|February|March|April|May|June|July|August|September|October|November|"
    rb"December)\s+\d",
    rb"\d\s+(January|February|March|April|May|June|July|August|September|October|November|"
    rb"December)",
)


def test_undated_statement(site: DemoServer, manifest: dict[str, Entry]) -> None:
    status, headers, body = fetch(site, UNDATED)
    assert status == 200 and "last-modified" not in headers
    doc = lxml.html.document_fromstring(body)
    assert not doc.xpath("//time") and not doc.xpath("//*[@datetime]")
    assert not jsonld(doc) and not doc.xpath('//meta[starts-with(@property, "article:")]')
    for pattern in (*_DATE_PATTERNS, rb"/(19|20)\d\d/"):
        assert not re.search(pattern, body), pattern
        assert not re.search(pattern, UNDATED.encode()), pattern
    entry = manifest[UNDATED]
    assert entry["edge"] == "E12" and entry["page_type"] == "article"
    assert (entry["published"], entry["modified"]) == (None, None)
    assert entry["body_paragraphs"] == texts(doc.xpath('//div[@class="newstext"]/p'))
    sitemap = lxml.etree.fromstring(fetch(site, SPECIAL_SITEMAP)[2], XML_PARSER)
    lastmod = sitemap.xpath(
        f"//s:url[s:loc='{site.base_url}{UNDATED}']/s:lastmod/text()", namespaces=SITEMAP_NS
    )
    assert lastmod == [entry["sitemap_lastmod"]]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:00", lastmod[0])


# -- E16 JavaScript-only ---------------------------------------------------------------------------


def test_js_only_article(site: DemoServer, manifest: dict[str, Entry]) -> None:
    status, _, body = fetch(site, JS_ONLY)
    assert status == 200
    doc = lxml.html.document_fromstring(body)
    app = doc.xpath('//div[@id="app"]')
    assert len(app) == 1 and len(app[0]) == 0 and not app[0].text_content().strip()
    assert not doc.xpath("//p")
    match = re.search(rb"<script>window\.__NUXT__=(\{.*?\})</script>", body)
    assert match
    state = json.loads(match.group(1))["data"][0]["article"]
    entry = manifest[JS_ONLY]
    assert entry["edge"] == "E16" and entry["page_type"] == "article"
    assert (entry["needs_js"], entry["expect_article"]) == (True, True)
    assert state["title"] == entry["title"]
    assert [state["lead"]] + [b["text"] for b in state["blocks"]] == entry["body_paragraphs"]
    app_js = doc.xpath("//head/script/@src")
    assert app_js == ["/assets/js/app.js"]
    assert fetch(site, app_js[0])[0] == 200
    # The text exists only inside the state: nowhere in the document once scripts are gone.
    for script in doc.xpath("//script"):
        script.drop_tree()
    visible = doc.text_content()
    for paragraph in entry["body_paragraphs"][1:]:
        assert paragraph not in visible


# -- manifest --------------------------------------------------------------------------------------


def test_manifest_lists_each_edge_page(manifest: dict[str, Entry]) -> None:
    for code, path in EDGE_PATHS.items():
        entry = manifest[path]
        assert entry["edge"] == code and entry["id"] == path.rstrip("/").rsplit("-", 1)[1]
        assert (entry["status"], entry["final_url"], entry["lang"]) == (200, path, "en")
        assert entry["fault"] is None
    for path in ARTICLE_PATHS:
        entry = manifest[path]
        assert entry["page_type"] == "article" and entry["canonical_url"] == path
        assert (entry["is_article"], entry["expect_article"]) == (True, True)
        assert entry["title"] and entry["authors"] and entry["section"]
        assert entry["body"] == "\n\n".join(entry["body_paragraphs"])
        assert entry["body_paragraphs"][0] == entry["lead"]
        assert len(entry["latest_news"]) == 20
    formats = {path: manifest[path]["format"] for path in (*ARTICLE_PATHS, JS_ONLY)}
    assert formats == {
        PAYWALL: "article",
        LIVEBLOG: "liveblog",
        GALLERY: "gallery",
        VIDEO: "video",
        UNDATED: "article",
        JS_ONLY: "article",
    }
    assert [path for path in EDGE_PATHS.values() if manifest[path].get("paywalled")] == [PAYWALL]
    needs_js = [path for path in EDGE_PATHS.values() if manifest[path].get("needs_js")]
    assert needs_js == [JS_ONLY]
