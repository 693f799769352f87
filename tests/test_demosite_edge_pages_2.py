"""The second batch of edge-case pages of the default demo site (§12: E8c windows-1251 without
any declaration, E8d a UTF-8 BOM under a windows-1251 header, E17 a story printed over two
pages, E18 relative URLs under
`<base href="/ru/">`, E19 hidden content, E22 an extension-less sitemap served as XML and as
HTML): the markup the spec promises, how a crawler meets each page, and the manifest's
expected values."""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest
from scrapy.http import Headers, HtmlResponse
from scrapy.responsetypes import responsetypes
from scrapy.spiders import SitemapSpider

from newsarchive.demosite import DemoOptions, DemoServer
from newsarchive.demosite.responder import Responder
from newsarchive.demosite.routes import RouteTable
from tests.demo_server import fetch, port_of
from tests.edge_pages import SITEMAP_NS, XML_PARSER, Entry, html, texts

MULTIPAGE = "/multipage-story-9018/"
RELATIVE = "/relative-urls-9019/"
HIDDEN = "/hidden-content-9020/"
LATEST_XML = "/sitemap/latest"
LATEST_HTML = "/ru/sitemap/latest"
SPECIAL_SITEMAP = "/sitemap/special.xml"
CATALOGUE = ["E1", "E2", "E3", "E4", "E6", "E8c", "E8d", "E12", "E16", "E17", "E18", "E19"]
NEW_CODES = ("E8c", "E8d", "E17", "E18", "E19")


@pytest.fixture(scope="module")
def edge(manifest: dict[str, Entry]) -> dict[str, Entry]:
    """Manifest entries of the edge pages by catalogue code (E22 has two, not here)."""
    return {e["edge"]: e for e in manifest.values() if e.get("edge") and e["edge"] != "E22"}


def absolute(site: DemoServer, value: str) -> str:
    """A manifest URL as served: root-relative on the site, {FOREIGN} on 127.0.0.2."""
    value = value.replace("{FOREIGN}", site.foreign_url)
    return site.base_url + value if value.startswith("/") else value


# -- discovery -------------------------------------------------------------------------------------


def test_catalogue_order_home_links_and_special_sitemap(
    site: DemoServer, edge: dict[str, Entry]
) -> None:
    model = site.table.model
    assert [page.code for page in model.edge_pages] == CATALOGUE
    paths = [page.path for page in model.edge_pages]
    home = html(site, "/")
    assert home.xpath('//section[@class="special-coverage"]//a/@href') == paths
    sitemap = lxml.etree.fromstring(fetch(site, SPECIAL_SITEMAP)[2], XML_PARSER)
    locs = sitemap.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    articles = [page.path for page in model.edge_pages if page.article is not None]
    assert locs == [f"{site.base_url}{path}" for path in articles]
    for code in NEW_CODES:
        entry = edge[code]
        assert entry["crawlable"] is True and entry["url"] in paths
        assert (entry["status"], entry["final_url"], entry["fault"]) == (200, entry["url"], None)
        assert (entry["page_type"], entry["is_article"], entry["expect_article"]) == (
            "article",
            True,
            True,
        )
        assert entry["id"] == entry["url"].rstrip("/").rsplit("-", 1)[1]
        assert entry["body"] == "\n\n".join(entry["body_paragraphs"])
        assert entry["body_paragraphs"][0] == entry["lead"]
        assert len(entry["latest_news"]) == 20


def test_new_pages_stay_out_of_the_editions(site: DemoServer, edge: dict[str, Entry]) -> None:
    model = site.table.model
    listed = {article.id for e in model.editions.values() for article in e.articles}
    assert not listed & {416103, 416104, 9019, 9020}
    for target in ("/ru/last-news/", "/ru/feed/", "/ru/sitemap.xml", "/last-news/", "/feed/"):
        body = fetch(site, target)[2]
        assert not re.search(rb"-(416103|416104|9019|9020)/", body), target


def test_charset_pages_have_their_amp_and_print_copies(
    site: DemoServer, edge: dict[str, Entry]
) -> None:
    """They are regular article pages, whose head links an AMP copy (and a print one)."""
    for code in ("E8c", "E8d"):
        path = edge[code]["url"]
        doc = lxml.html.document_fromstring(fetch(site, path)[2])
        (amp,) = doc.xpath('//link[@rel="amphtml"]/@href')
        assert fetch(site, urlsplit(amp).path)[0] == 200
        (printed,) = doc.xpath('//a[@class="print-link"]/@href')
        assert fetch(site, printed)[0] == 200


def test_pages_are_deterministic(edge: dict[str, Entry]) -> None:
    paths = [edge[code]["url"] for code in NEW_CODES] + [LATEST_HTML]

    def bodies(options: DemoOptions) -> list[bytes]:
        table = RouteTable(options)
        responder = Responder(table, "http://127.0.0.1:1", "http://127.0.0.2:1")
        return [responder.rendered(table.resolve(path)).body for path in paths]

    default = bodies(DemoOptions())
    assert default == bodies(DemoOptions())
    assert default != bodies(DemoOptions(size=7))  # (the sidebars follow the editions)


# -- E8c undeclared windows-1251 -------------------------------------------------------------------


def test_undeclared_windows_1251(site: DemoServer, edge: dict[str, Entry]) -> None:
    entry = edge["E8c"]
    assert re.fullmatch(r"/ru/[a-z0-9-]+-416103/", entry["url"])
    status, headers, body = fetch(site, entry["url"])
    assert status == 200 and headers["content-type"] == "text/html"
    # No declaration anywhere: no charset parameter, no meta, no BOM, no XML declaration.
    assert b"charset" not in body.lower() and b"encoding" not in body.lower()
    assert not body.startswith((codecs.BOM_UTF8, b"<?xml"))
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1251")
    doc = lxml.html.document_fromstring(text)
    newstext = texts(doc.xpath('//div[@class="newstext"]/p'))
    assert [p for p in newstext if p in entry["body_paragraphs"]] == entry["body_paragraphs"]
    assert texts(doc.xpath("//h1")) == [entry["title"]]
    # Long real text, so that statistical detection has something to go on.
    assert sum(len(p) for p in entry["body_paragraphs"]) > 1500
    assert (entry["charset"], entry["charset_declaration"]) == ("windows-1251", "undeclared")
    assert entry["content_type"] == "text/html" and entry["lang"] == "ru"
    # Scrapy 2.19 detects it (§12: "detected cp1251 via charset-normalizer").
    response = HtmlResponse(site.base_url + entry["url"], body=body, headers=headers)
    assert response.text == text


# -- E8d BOM over a windows-1251 header ------------------------------------------------------------


def test_bom_beats_the_header(site: DemoServer, edge: dict[str, Entry]) -> None:
    entry = edge["E8d"]
    assert re.fullmatch(r"/ru/[a-z0-9-]+-416104/", entry["url"])
    status, headers, body = fetch(site, entry["url"])
    assert status == 200 and headers["content-type"] == "text/html; charset=windows-1251"
    assert body.startswith(codecs.BOM_UTF8) and body.count(codecs.BOM_UTF8) == 1
    text = body[len(codecs.BOM_UTF8) :].decode("utf-8")
    assert "<meta charset" not in text and "http-equiv" not in text
    doc = lxml.html.document_fromstring(text)
    assert texts(doc.xpath("//h1")) == [entry["title"]]
    newstext = texts(doc.xpath('//div[@class="newstext"]/p'))
    assert [p for p in newstext if p in entry["body_paragraphs"]] == entry["body_paragraphs"]
    # Read as the header says, it is mojibake.
    assert entry["title"] not in body.decode("cp1251", errors="replace")
    assert (entry["charset"], entry["charset_declaration"]) == ("utf-8", "bom-over-header")
    assert (entry["header_charset"], entry["bom"]) == ("windows-1251", True)
    response = HtmlResponse(site.base_url + entry["url"], body=body, headers=headers)
    assert response.encoding == "utf-8" and entry["title"] in response.text


# -- E17 a story printed over two pages ------------------------------------------------------------


def test_story_in_two_pages_markup(site: DemoServer, manifest: dict[str, Entry]) -> None:
    entry, second = manifest[MULTIPAGE], manifest[f"{MULTIPAGE}?page=2"]
    assert entry["edge"] == "E17" and entry["pages"] == [MULTIPAGE, f"{MULTIPAGE}?page=2"]
    assert (second["page_type"], second["canonical_url"]) == ("article_page", MULTIPAGE)
    assert second["crawlable"] is True and second["status"] == 200
    paragraphs = entry["body_paragraphs"]
    first_doc, second_doc = html(site, MULTIPAGE), html(site, f"{MULTIPAGE}?page=2")
    first = texts(first_doc.xpath('//div[@class="newstext"]/p'))
    rest = texts(second_doc.xpath('//div[@class="newstext"]/p'))
    assert first + rest == paragraphs and len(first) == 5 and first[0] == entry["lead"]
    assert first_doc.xpath('//link[@rel="next"]/@href') == [f"{MULTIPAGE}?page=2"]
    assert first_doc.xpath('//a[@rel="next"]/@href') == [f"{MULTIPAGE}?page=2"]
    assert second_doc.xpath('//a[@rel="prev"]/@href') == [MULTIPAGE]
    assert not second_doc.xpath('//link[@rel="next"]')
    canonical = second_doc.xpath('//link[@rel="canonical"]/@href')[0]
    assert urlsplit(canonical).path == MULTIPAGE


# -- E18 relative URLs -----------------------------------------------------------------------------


def test_relative_urls_markup(site: DemoServer, edge: dict[str, Entry]) -> None:
    entry = edge["E18"]
    assert entry["url"] == RELATIVE and entry["base_href"] == "/ru/"
    doc = html(site, RELATIVE)
    assert doc.xpath("//base/@href") == ["/ru/"] and doc.xpath("//head/base")
    newstext = doc.xpath('//div[@class="newstext"]')[0]
    hrefs = newstext.xpath(".//a/@href")
    assert all(not h.startswith(("/", "http")) for h in hrefs), hrefs
    assert sum(h.startswith("../") for h in hrefs) == 2
    srcs = [figure.xpath(".//noscript/img/@src")[0] for figure in newstext.xpath(".//figure")]
    assert srcs[0].startswith("../uploads/")
    assert srcs[1] == f"//127.0.0.2:{port_of(site)}/img.webp"
    assert [figure.xpath("./img/@data-src")[0] for figure in newstext.xpath(".//figure")] == srcs
    # The chrome's links stay root-relative or absolute: the base changes nothing there.
    outside = [h for h in doc.xpath("//a/@href") if h not in hrefs]
    assert all(h.startswith(("/", "http")) for h in outside)


def test_relative_urls_resolve_to_the_manifest_urls(
    site: DemoServer, edge: dict[str, Entry]
) -> None:
    entry = edge["E18"]
    base = urljoin(site.base_url + RELATIVE, entry["base_href"])
    doc = html(site, RELATIVE)
    newstext = doc.xpath('//div[@class="newstext"]')[0]
    # "Read also" lines: labelled (<p><b>Read also:</b> <a>) or bare (<p><a>).
    lines = newstext.xpath("./p[b]/a | ./p[count(node()) = 1]/a")
    related = [(" ".join(a.text_content().split()), urljoin(base, a.get("href"))) for a in lines]
    assert related == [(r["text"], absolute(site, r["href"])) for r in entry["inline_related"]]
    assert [r["style"] for r in entry["inline_related"]] == ["labelled", "bare"]
    assert entry["inline_related"][1]["href"].startswith("/ru/")
    images = [urljoin(base, src) for src in newstext.xpath(".//figure//noscript/img/@src")]
    captions = entry["captions"]
    assert [absolute(site, c["image_url"]) for c in captions] == images
    assert images[1] == f"{site.foreign_url}/img.webp"
    assert [c["image_url"] for c in captions] == [f["src"] for f in entry["figures"]]
    for caption, figure in zip(captions, newstext.xpath(".//figure"), strict=True):
        assert texts(figure.xpath("./figcaption"))[0].startswith(caption["text"])
        assert caption["credit"] and caption["credit"] in texts(figure.xpath("./figcaption"))[0]
    # Every same-site target answers; read against the page URL instead, the base-relative
    # link would not.
    for url in [u for _, u in related] + images[:1]:
        assert fetch(site, urlsplit(url).path)[0] == 200, url
    bare = entry["inline_related"][1]["printed_href"]
    assert fetch(site, urlsplit(urljoin(site.base_url + RELATIVE, bare)).path)[0] == 404


# -- E19 hidden content ----------------------------------------------------------------------------


def test_hidden_content_markup(site: DemoServer, edge: dict[str, Entry]) -> None:
    entry = edge["E19"]
    assert entry["url"] == HIDDEN
    doc = html(site, HIDDEN)
    newstext = doc.xpath('//div[@class="newstext"]')[0]
    hidden = entry["hidden_texts"]
    aria = newstext.xpath('./div[@aria-hidden="true"]')
    seo = newstext.xpath('./div[@style="display:none"]')
    assert len(aria) == 2 and len(seo) == 1
    assert texts([*aria, *seo[0].xpath("./p")]) == hidden
    # One figure, its caption twice: visible, and a hidden copy for the modal.
    (figure,) = newstext.xpath(".//figure")
    modal = figure.xpath('./div[@class="ui-modal__hide" and @aria-hidden="true"]')
    assert len(modal) == 1
    (caption,) = entry["captions"]
    assert texts(figure.xpath("./figcaption"))[0].startswith(caption["text"])
    assert texts(modal[0].xpath('./p[@class="doc_media__text"]')) == [caption["text"]]
    assert figure.xpath("./noscript/img/@src") == [caption["image_url"]]
    assert len(entry["figures"]) == 1 and entry["figures"][0]["form"] == "modal_copy"
    # The body: the visible paragraphs of the column, nothing hidden.
    assert texts(newstext.xpath("./p")) == entry["body_paragraphs"]
    for text in hidden:
        assert text in entry["must_not_contain"] and text not in entry["body"]
        assert text not in texts(newstext.xpath("./p"))


# -- E22 extension-less sitemap, as XML and as HTML ------------------------------------------------


def sitemap_body(site: DemoServer, path: str) -> tuple[str, bytes | None]:
    """The response class Scrapy builds for the URL, and what `SitemapSpider` reads from it
    (None: "Ignoring invalid sitemap")."""
    _, headers, body = fetch(site, path)
    scrapy_headers = Headers({"Content-Type": headers["content-type"]})
    url = site.base_url + path
    cls = responsetypes.from_args(headers=scrapy_headers, url=url, body=body)
    response = cls(url=url, headers=scrapy_headers, body=body)
    return cls.__name__, SitemapSpider(name="probe")._get_sitemap_body(response)


def test_latest_sitemap_is_in_the_index(site: DemoServer, manifest: dict[str, Entry]) -> None:
    index = lxml.etree.fromstring(fetch(site, "/sitemap.xml")[2], XML_PARSER)
    children = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP_NS)
    assert f"{site.base_url}{LATEST_XML}" in children
    assert f"{site.base_url}{LATEST_HTML}" in children
    for path in (LATEST_XML, LATEST_HTML):
        assert "." not in path.rsplit("/", 1)[1]
        entry = manifest[path]
        assert entry["crawlable"] is True and entry["page_type"] == "sitemap"
        assert (entry["edge"], entry["is_article"], entry["expect_article"]) == (
            "E22",
            False,
            False,
        )


def test_latest_sitemap_as_xml(site: DemoServer, manifest: dict[str, Entry]) -> None:
    status, headers, body = fetch(site, LATEST_XML)
    assert status == 200 and headers["content-type"] == "application/xml; charset=utf-8"
    root = lxml.etree.fromstring(body, XML_PARSER)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = root.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    newest = site.table.model.edition("en").articles[:10]
    assert locs == [f"{site.base_url}{article.path}" for article in newest]
    entry = manifest[LATEST_XML]
    assert entry["locs"] == [article.path for article in newest]
    assert (entry["sitemap_variant"], entry["parse_as_sitemap"]) == ("xml", True)
    assert sitemap_body(site, LATEST_XML) == ("XmlResponse", body)


def test_latest_sitemap_as_html(site: DemoServer, manifest: dict[str, Entry]) -> None:
    status, headers, body = fetch(site, LATEST_HTML)
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml.html.document_fromstring(body)
    assert doc.tag == "html" and b"<urlset" not in body and b"<loc>" not in body
    links = doc.xpath('//ul[@class="sitemap-list"]/li/a/@href')
    newest = site.table.model.edition("ru").articles[:10]
    assert links == [article.path for article in newest]
    entry = manifest[LATEST_HTML]
    assert (entry["sitemap_variant"], entry["parse_as_sitemap"]) == ("html", False)
    assert entry["locs"] == [] and entry["lang"] == "ru"
    assert sitemap_body(site, LATEST_HTML) == ("HtmlResponse", None)
