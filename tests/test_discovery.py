"""Tests for newsarchive.discovery: sitemaps, feeds, robots Sitemap lines, URLs, XML attacks."""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import random
import re
import time
import tracemalloc
from pathlib import Path

import pytest

from newsarchive.discovery import (
    FeedError,
    SitemapError,
    UrlError,
    in_scope,
    is_feed_body,
    is_sitemap_body,
    iter_sitemap,
    normalize_url,
    parse_feed,
    parse_host_entry,
    parse_sitemap,
    safe_filename,
    sitemap_kind,
    sitemap_urls_from_robots,
    url_matches_any,
)
from newsarchive.errors import NewsarchiveError

BASE = "http://127.0.0.1:8080"
SM_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
XHTML_NS = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'
IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {SM_NS} {XHTML_NS} {IMAGE_NS}>
  <url>
    <loc>
      {BASE}/budget-talks-open-5720/
    </loc>
    <lastmod>2025-03-29T18:00:00+05:00</lastmod>
    <xhtml:link rel="alternate" hreflang="ru" href="{BASE}/ru/peregovory-416030/"/>
    <xhtml:link rel="alternate" hreflang="kk" href="/kk/kelissozder-137015/"/>
    <image:image><image:loc>{BASE}/uploads/posts/2025-03/sizes/1440x810/a.webp</image:loc></image:image>
  </url>
  <url><loc>/ru/peregovory-416030/</loc><lastmod> 2025-03-28 </lastmod></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><lastmod>2025-01-01</lastmod></url>
  <url><loc>{BASE}/kk/ruhani-zha%D2%A3%D2%93yru-137010/</loc></url>
</urlset>
""".encode()

SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex {SM_NS}>
  <sitemap><loc>{BASE}/sitemap/sitemap_news1.xml</loc><lastmod>2025-03-29</lastmod></sitemap>
  <sitemap><loc>sitemap/news.xml</loc></sitemap>
  <sitemap><loc>{BASE}/sitemap/archive-2024.xml.gz</loc></sitemap>
</sitemapindex>
""".encode()

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {SM_NS} {NEWS_NS}>
  <url>
    <loc>{BASE}/budget-talks-open-5720/</loc>
    <news:news>
      <news:publication><news:name>Qala News</news:name><news:language>en</news:language>
      </news:publication>
      <news:publication_date>2025-03-29T17:45:00+05:00</news:publication_date>
      <news:title><![CDATA[Budget talks   open & close]]></news:title>
    </news:news>
  </url>
</urlset>
""".encode()

HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Qala</title></head><body><p>hi</p></body></html>"


# ---------------------------------------------------------------- sitemaps


def test_urlset_entries_keep_lastmod_verbatim_and_resolve_locs() -> None:
    sitemap = parse_sitemap(URLSET, f"{BASE}/sitemap/sitemap_news1.xml")
    assert sitemap.kind == "urlset"
    assert [entry.loc for entry in sitemap.entries] == [
        f"{BASE}/budget-talks-open-5720/",
        f"{BASE}/ru/peregovory-416030/",
        f"{BASE}/kk/ruhani-zha%D2%A3%D2%93yru-137010/",
    ]
    first, second = sitemap.entries[0], sitemap.entries[1]
    assert first.lastmod == "2025-03-29T18:00:00+05:00"
    assert second.lastmod == "2025-03-28"
    assert first.alternates == (
        ("ru", f"{BASE}/ru/peregovory-416030/"),
        ("kk", f"{BASE}/kk/kelissozder-137015/"),
    )
    assert first.image_locs == (f"{BASE}/uploads/posts/2025-03/sizes/1440x810/a.webp",)
    assert second.alternates == () and second.news_title is None


def test_sitemap_index_lists_child_sitemaps() -> None:
    sitemap = parse_sitemap(SITEMAP_INDEX, f"{BASE}/sitemap.xml")
    assert sitemap.kind == "sitemapindex"
    assert [entry.loc for entry in sitemap.entries] == [
        f"{BASE}/sitemap/sitemap_news1.xml",
        f"{BASE}/sitemap/news.xml",
        f"{BASE}/sitemap/archive-2024.xml.gz",
    ]
    assert sitemap.entries[0].lastmod == "2025-03-29"
    assert sitemap_kind(SITEMAP_INDEX) == "sitemapindex"
    assert sitemap_kind(gzip.compress(URLSET)) == "urlset"
    assert sitemap_kind(HTML_PAGE) is None


def test_google_news_fields_are_parsed() -> None:
    (entry,) = parse_sitemap(NEWS_SITEMAP, f"{BASE}/sitemap/news.xml").entries
    assert entry.news_title == "Budget talks open & close"
    assert entry.news_publication_date == "2025-03-29T17:45:00+05:00"
    assert entry.news_publication_name == "Qala News"
    assert entry.news_language == "en"


@pytest.mark.parametrize("path", ["/sitemap/archive-2024.xml.gz", "/sitemap/archive-2024"])
def test_gzip_sitemap_detected_by_magic_whatever_the_extension(path: str) -> None:
    body = gzip.compress(URLSET)
    assert is_sitemap_body(body, "application/gzip", BASE + path)
    assert is_sitemap_body(body, None, BASE + path)
    assert parse_sitemap(body, BASE + path) == parse_sitemap(URLSET, BASE + path)
    members = gzip.compress(URLSET[:99]) + gzip.compress(URLSET[99:])  # multi-member gzip
    assert parse_sitemap(members, BASE + path) == parse_sitemap(URLSET, BASE + path)


def test_e22_extensionless_sitemap_xml_parsed_html_rejected() -> None:
    url = f"{BASE}/sitemap/latest"
    assert is_sitemap_body(URLSET, "application/xml", url)
    assert len(parse_sitemap(URLSET, url).entries) == 3
    assert not is_sitemap_body(HTML_PAGE, "text/html; charset=utf-8", url)
    # The body decides, not the header: a lying header either way.
    assert not is_sitemap_body(HTML_PAGE, "application/xml", url)
    assert is_sitemap_body(URLSET, "text/html", url)
    assert is_sitemap_body(b"\xef\xbb\xbf  \n" + SITEMAP_INDEX, None, url)


def test_is_sitemap_body_other_cases() -> None:
    url = f"{BASE}/x"
    long_comment = b'<?xml version="1.0"?><!--' + b"x" * 20_000 + b"--><urlset/>"
    assert is_sitemap_body(long_comment, None, url)  # prologue longer than the sniff window
    assert is_sitemap_body(b"   ", "text/xml", url)
    assert not is_sitemap_body(b"", None, url)
    assert not is_sitemap_body(b"just some text", "text/plain", url)
    assert not is_sitemap_body(RSS, "application/xml", url)
    prefixed = b'<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    assert is_sitemap_body(prefixed, "text/plain", url)


def test_iter_sitemap_streams_the_same_entries() -> None:
    url = f"{BASE}/sitemap/sitemap_news1.xml"
    expected = list(parse_sitemap(URLSET, url).entries)
    assert list(iter_sitemap(URLSET, url)) == expected
    assert list(iter_sitemap(io.BytesIO(URLSET), url)) == expected
    assert list(iter_sitemap(io.BytesIO(gzip.compress(URLSET)), url)) == expected
    with pytest.raises(SitemapError, match="not urlset or sitemapindex"):
        list(iter_sitemap(HTML_PAGE, url))


def test_max_entries_stops_early() -> None:
    urls = "".join(f"<url><loc>{BASE}/a-{n}/</loc></url>" for n in range(10))
    body = f"<urlset {SM_NS}>{urls}</urlset>".encode()
    assert len(parse_sitemap(body, BASE, max_entries=4).entries) == 4
    assert len(list(iter_sitemap(body, BASE, max_entries=4))) == 4


def test_non_sitemap_bodies_raise_sitemap_error_naming_the_url() -> None:
    url = f"{BASE}/sitemap/latest"
    for body in (HTML_PAGE, b"", b"\x00\x01garbage", RSS, b"\x1f\x8bnot really gzip"):
        with pytest.raises(SitemapError) as caught:
            parse_sitemap(body, url)
        assert url in str(caught.value)
        assert isinstance(caught.value, NewsarchiveError)
    with pytest.raises(SitemapError, match="truncated"):
        parse_sitemap(gzip.compress(URLSET)[:-20], url)
    with pytest.raises(SitemapError, match="max_bytes"):
        parse_sitemap(URLSET, url, max_bytes=100)


def test_malformed_sitemap_recovers_valid_entries() -> None:
    body = (
        f"<urlset {SM_NS}><url><loc>{BASE}/a-1/</loc></url>"
        f"<url><loc>{BASE}/a-2/</loc><<<garbage &&& </url>"
        f"<url><loc>{BASE}/a-3/</loc></url>\x01 trailing"
    ).encode()
    locs = [entry.loc for entry in parse_sitemap(body, BASE).entries]
    assert locs == [f"{BASE}/a-1/", f"{BASE}/a-2/", f"{BASE}/a-3/"]
    assert [entry.loc for entry in iter_sitemap(body, BASE)][:2] == locs[:2]


def test_mutated_sitemaps_never_raise_anything_but_sitemap_error() -> None:
    rng = random.Random(20250329)
    for _ in range(300):
        body = bytearray(NEWS_SITEMAP if rng.random() < 0.5 else URLSET)
        for _ in range(rng.randint(1, 20)):
            body[rng.randrange(len(body))] = rng.randrange(256)
        if rng.random() < 0.3:
            del body[rng.randrange(len(body)) :]
        for parse in (parse_sitemap, lambda b, u: list(iter_sitemap(b, u))):
            with contextlib.suppress(SitemapError):
                parse(bytes(body), BASE)


def test_robots_sitemap_lines() -> None:
    robots = (
        "\ufeffUser-agent: *\r\nDisallow: /print/\r\n"
        f"Sitemap: {BASE}/sitemap.xml\r\n"
        "sitemap:/sitemap/news.xml   # the news one\r\n"
        f"SITEMAP :  {BASE}/sitemap.xml\r\n"
        f"# Sitemap: {BASE}/commented.xml\r\n"
        "Sitemap: ftp://example.com/s.xml\r\n"
        "Sitemap:\r\n"
        "Disallow: /*?utm_\n"
    )
    assert sitemap_urls_from_robots(robots.encode(), f"{BASE}/robots.txt") == [
        f"{BASE}/sitemap.xml",
        f"{BASE}/sitemap/news.xml",
    ]
    assert sitemap_urls_from_robots(b"\xff\xfe\x00garbage", BASE) == []


# ---------------------------------------------------------------- XML attacks

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n<urlset "
    + SM_NS.encode()
    + b"><url><loc>http://a/&lol9;</loc></url><url><loc>http://a/ok</loc></url></urlset>"
)


def test_billion_laughs_is_not_expanded() -> None:
    started = time.monotonic()
    entries = parse_sitemap(BILLION_LAUGHS, BASE).entries
    streamed = list(iter_sitemap(BILLION_LAUGHS, BASE))
    assert time.monotonic() - started < 2
    assert "lol" not in repr(entries) + repr(streamed)


def test_internal_entities_are_not_substituted() -> None:
    """Fails if the parser resolved entities: the declared text would land in loc and title."""
    body = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e "INJECTED">]>'
        f"<urlset {SM_NS} {NEWS_NS}><url><loc>{BASE}/a-&e;-1/</loc>"
        "<news:news><news:title>T &e;</news:title></news:news></url></urlset>"
    ).encode()
    entries = parse_sitemap(body, BASE).entries
    assert entries and "INJECTED" not in repr(entries)
    assert "INJECTED" not in repr(list(iter_sitemap(body, BASE)))
    assert "&e;" not in repr(entries)


def _xxe_body(secret_file: Path, template: str) -> bytes:
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>'
    return ('<?xml version="1.0"?>' + doctype + template).encode()


def test_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    sitemap_body = _xxe_body(
        secret, f"<urlset {SM_NS}><url><loc>{BASE}/a-1/&xxe;</loc></url></urlset>"
    )
    feed_body = _xxe_body(
        secret,
        f"<rss><channel><item><title>&xxe;</title><link>{BASE}/a-1/</link></item></channel></rss>",
    )
    found = (
        repr(parse_sitemap(sitemap_body, BASE).entries)
        + repr(list(iter_sitemap(sitemap_body, BASE)))
        + repr(parse_feed(feed_body, BASE))
    )
    assert "TOPSECRET" not in found
    assert f"{BASE}/a-1/" in found


def test_gzip_bomb_is_refused_quickly() -> None:
    bomb = gzip.compress(b"\x00" * 20_000_000)
    assert len(bomb) < 100_000
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(SitemapError, match="max_bytes=1000000") as caught:
            parse_sitemap(bomb, f"{BASE}/sitemap/bomb.xml.gz", max_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # never inflated past the bound
    assert f"{BASE}/sitemap/bomb.xml.gz" in str(caught.value)
    with pytest.raises(FeedError, match="max_bytes=1000000"):
        parse_feed(bomb, f"{BASE}/feed/", max_bytes=1_000_000)
    assert time.monotonic() - started < 2


def test_streamed_gzip_bomb_is_refused_while_reading() -> None:
    start = f"<urlset {SM_NS}><url><loc>{BASE}/a-1/</loc></url>".encode()
    bomb = io.BytesIO(gzip.compress(start + b" " * 20_000_000))
    started = time.monotonic()
    with pytest.raises(SitemapError, match="max_bytes=1000000"):
        list(iter_sitemap(bomb, BASE, max_bytes=1_000_000))
    assert time.monotonic() - started < 2


# ---------------------------------------------------------------- feeds

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Qala News</title><link>{BASE}/</link>
  <atom:link href="{BASE}/feed/" rel="self" type="application/rss+xml"/>
  <item>
    <title>Budget talks open</title>
    <link>
{BASE}/budget-talks-open-5720/
</link>
    <guid isPermaLink="false">qala-5720</guid>
    <pubDate>Sat, 29 Mar 2025 17:45:00 +0500</pubDate>
    <dc:creator><![CDATA[Aigerim Sadykova]]></dc:creator>
    <category>politics</category><category>budget</category><category>politics</category>
    <description><![CDATA[<p>The lead.</p>]]></description>
    <content:encoded><![CDATA[<p>Photo: Qala</p><p>Body.</p>]]></content:encoded>
    <media:content url="{BASE}/uploads/a.webp" medium="image"><media:credit>Qala</media:credit>
    </media:content>
  </item>
  <item><title>No link at all</title><description>garbage</description></item>
  <item><title>Bad scheme</title><link>javascript:void(0)</link></item>
  <item>
    <title>Permalink guid</title><guid>/ru/permalink-416002/</guid>
    <pubDate>Fri, 28 Mar 2025 10:00:00 GMT</pubDate>
  </item>
  <item><title>Odd date</title><link>/odd-5701/</link><pubDate>yesterday-ish</pubDate></item>
</channel>
</rss>
""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{BASE}/kk/">
  <title>Qala kk</title>
  <link rel="self" href="{BASE}/kk/feed/atom/"/>
  <entry>
    <title type="html">&lt;b&gt;Rukhani&lt;/b&gt; &amp;amp; zhangyru</title>
    <link rel="self" href="{BASE}/api/entry/137010"/>
    <link rel="alternate" type="text/html" href="ruhani-zha%d2%a3%d2%93yru-137010/"/>
    <id>tag:qala,2025:137010</id>
    <updated>2025-03-29T12:00:00Z</updated>
    <published>2025-03-29T10:00:00+05:00</published>
    <author><name>Dana Ermek</name></author>
    <category term="culture"/>
  </entry>
  <entry><title>Only self link</title><link rel="self" href="{BASE}/x"/></entry>
  <entry><title>Updated only</title><link href="{BASE}/kk/b-137002/"/>
    <updated>2025-03-28T09:00:00+05:00</updated></entry>
</feed>
""".encode()

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="{BASE}/"><title>Qala</title><link>{BASE}/</link></channel>
  <item rdf:about="{BASE}/a-5601/">
    <title>First</title><link>{BASE}/a-5601/</link>
    <dc:date>2025-01-15T09:30:00+05:00</dc:date><dc:creator>Nurlan</dc:creator>
    <dc:subject>economy</dc:subject>
  </item>
  <item rdf:about="{BASE}/a-5602/"><title>Second, about only</title></item>
</rdf:RDF>
""".encode()


def test_rss_with_namespaces_and_whitespace_wrapped_link(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="newsarchive.discovery.feed"):
        entries = parse_feed(RSS, f"{BASE}/feed/")
    assert [entry.url for entry in entries] == [
        f"{BASE}/budget-talks-open-5720/",
        f"{BASE}/ru/permalink-416002/",
        f"{BASE}/odd-5701/",
    ]
    first = entries[0]
    assert first.title == "Budget talks open"
    assert first.published == "2025-03-29T17:45:00+05:00"
    assert first.guid == "qala-5720"
    assert first.authors == ("Aigerim Sadykova",)
    assert first.categories == ("politics", "budget")
    assert entries[1].published == "2025-03-28T10:00:00+00:00"
    assert entries[2].published == "yesterday-ish"
    skipped = [record for record in caplog.records if "skipped item" in record.getMessage()]
    assert len(skipped) == 2 and all(f"{BASE}/feed/" in r.getMessage() for r in skipped)


def test_atom_feed() -> None:
    entries = parse_feed(ATOM, f"{BASE}/kk/feed/atom/")
    assert [entry.url for entry in entries] == [
        f"{BASE}/kk/ruhani-zha%d2%a3%d2%93yru-137010/",
        f"{BASE}/kk/b-137002/",
    ]
    first = entries[0]
    assert first.title == "Rukhani & zhangyru"
    assert first.published == "2025-03-29T10:00:00+05:00"
    assert first.guid == "tag:qala,2025:137010"
    assert first.authors == ("Dana Ermek",)
    assert first.categories == ("culture",)
    assert entries[1].published == "2025-03-28T09:00:00+05:00"


def test_rdf_feed() -> None:
    entries = parse_feed(RDF, f"{BASE}/rdf")
    assert [entry.url for entry in entries] == [f"{BASE}/a-5601/", f"{BASE}/a-5602/"]
    assert entries[0].published == "2025-01-15T09:30:00+05:00"
    assert entries[0].authors == ("Nurlan",) and entries[0].categories == ("economy",)
    assert entries[1].guid == f"{BASE}/a-5602/"


def test_non_feed_bodies_raise_feed_error() -> None:
    for body in (HTML_PAGE, URLSET, b"", b"\x00garbage"):
        with pytest.raises(FeedError) as caught:
            parse_feed(body, f"{BASE}/feed/")
        assert f"{BASE}/feed/" in str(caught.value)
    with pytest.raises(FeedError, match="max_bytes"):
        parse_feed(RSS, f"{BASE}/feed/", max_bytes=10)


def test_is_feed_body() -> None:
    assert is_feed_body(RSS, "application/rss+xml")
    assert is_feed_body(ATOM, "text/html")  # the body decides
    assert is_feed_body(RDF, None)
    assert is_feed_body(gzip.compress(RSS), "application/gzip")
    assert not is_feed_body(HTML_PAGE, "application/rss+xml")
    assert not is_feed_body(URLSET, "application/xml")
    assert is_feed_body(b"", "application/atom+xml")
    assert not is_feed_body(b"", "text/html")


# ---------------------------------------------------------------- URLs

KK_FORMS = [
    "http://127.0.0.1:8080/kk/ruhani-zhaңғyru-137010/",
    "http://127.0.0.1:8080/kk/ruhani-zha%d2%a3%d2%93yru-137010/",
    "http://127.0.0.1:8080/kk/ruhani-zha%D2%A3%D2%93yru-137010/",
]


def test_kazakh_slug_forms_normalise_to_one() -> None:
    normalised = {normalize_url(url) for url in KK_FORMS}
    assert normalised == {"http://127.0.0.1:8080/kk/ruhani-zha%D2%A3%D2%93yru-137010/"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"{BASE}/a-5710/?utm_source=telegram&utm_medium=social",
            f"{BASE}/a-5710/",
        ),
        (
            f"{BASE}/a/?b=2&fbclid=X&a=1&UTM_Campaign=z&yclid=1&gclid=2&_openstat=q&mc_cid=c",
            f"{BASE}/a/?b=2&a=1",
        ),
        ("HTTPS://Example.COM:443/A/#section", "https://example.com/A/"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/", "http://example.com:8080/"),
        ("http://example.com/%7euser/a%2fb?q=%7e%2f", "http://example.com/~user/a%2Fb?q=~%2F"),
        ("http://example.com/a/./b/../c/%2E%2E/d", "http://example.com/a/d"),
        ("http://example.com/../../../etc/passwd", "http://example.com/etc/passwd"),
        ("http://example.com/a%00b/%zz", "http://example.com/a%00b/%25zz"),
        ("http://пример.рф/путь", "http://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"),
        ("  http://example.com/a\n/b\t ", "http://example.com/a/b"),
        ("http://example.com/a b?x=1&&y", "http://example.com/a%20b?x=1&y"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected  # idempotent


def test_normalize_url_custom_strip_params() -> None:
    url = f"{BASE}/a/?ref=tg&utm_source=x&page=2"
    assert normalize_url(url, strip_params=["ref"]) == f"{BASE}/a/?utm_source=x&page=2"
    assert normalize_url(url, strip_params=()) == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "mailto:a@b.c",
        "/relative/path",
        "http://",
        "http://[::1",
        "http://a:99999/",
        "javascript:alert(1)",
        "http://%00/",
    ],
)
def test_normalize_url_rejects_non_http_or_unparseable(url: str) -> None:
    with pytest.raises(UrlError):
        normalize_url(url)


def test_normalize_url_survives_hostile_input() -> None:
    long_url = "http://example.com/" + "%00/../" * 50_000 + "x" * 200_000
    started = time.monotonic()
    assert normalize_url(long_url).startswith("http://example.com/")
    assert time.monotonic() - started < 5
    with pytest.raises(UrlError) as caught:
        normalize_url("gopher://" + "x" * 100_000)
    assert len(str(caught.value)) < 1_000
    rng = random.Random(7)
    alphabet = "abc/:.?#&=%@[]\\\x00\x7f ңғ\ud800" + "0123456789"
    for _ in range(2_000):
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for url in (f"http://{tail}", f"https://example.com/{tail}", tail):
            try:
                result = normalize_url(url)
            except UrlError:
                continue
            assert normalize_url(result) == result


def test_url_matches_any() -> None:
    patterns = [re.compile(r"-\d+/?$"), re.compile(r"/page/\d+/")]
    assert url_matches_any(f"{BASE}/a-5601/", patterns)
    assert url_matches_any(f"{BASE}/last-news/page/2/", patterns)
    assert not url_matches_any(f"{BASE}/about/", patterns)
    assert not url_matches_any(f"{BASE}/about/", [])


ALLOWED = ["127.0.0.1:8080", "example.com"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/a-1/", True),
        ("http://127.0.0.1:9090/a-1/", False),  # the entry's port must match
        ("http://127.0.0.1/a-1/", False),
        ("https://example.com/", True),
        ("http://news.Example.com:81/", True),  # no port on the entry: any port
        ("http://example.com./", True),
        ("http://notexample.com/", False),
        ("http://example.com.evil.net/", False),
        ("http://evil-127.0.0.1.com:8080/", False),
        ("http://x.127.0.0.1:8080/", False),  # IP entries never match "subdomains"
        ("http://127.0.0.1:8080@evil.net/", False),
        ("http://example.com@evil.net/", False),
        ("http://evil.net\\@example.com/", False),
        ("http://evil.net#@example.com/", False),
        ("ftp://example.com/", False),
        ("javascript://example.com/%0aalert(1)", False),
        ("http://[::1/", False),
        ("/relative", False),
    ],
)
def test_in_scope(url: str, expected: bool) -> None:
    assert in_scope(url, ALLOWED) is expected


def test_in_scope_rejects_invalid_entries() -> None:
    with pytest.raises(UrlError, match="site profile"):
        in_scope("http://example.com/", ["user@example.com"])
    assert parse_host_entry("News.Example.COM:8080") == ("news.example.com", 8080)
    with pytest.raises(UrlError):
        parse_host_entry("*.orda.kz")
    assert in_scope("http://[::1]:8080/", ["[::1]:8080"])
    assert in_scope("http://127.0.0.2:5000/x", ["http://127.0.0.2:5000"])


def test_safe_filename() -> None:
    for hostile in ("../../etc/passwd", "..", ".", "/", "a\x00b\x1f\\c", "..\\..\\boot.ini", "-rf"):
        name = safe_filename(hostile)
        assert name and "/" not in name and "\\" not in name and ".." not in name
        assert not name.startswith((".", "-"))
        assert all(char.isascii() and char.isprintable() for char in name)
    long_url = "https://example.com/" + "x" * 500 + ".html"
    assert len(safe_filename(long_url)) == 120
    assert len(safe_filename(long_url, max_length=40)) <= 40
    assert safe_filename(long_url).endswith(".html")
    assert safe_filename(long_url) == safe_filename(long_url)
    assert safe_filename("a/b") != safe_filename("a_b") != safe_filename("a?b")
    assert safe_filename("run.json") == "run.json"
    assert safe_filename("CON").lower() != "con"
    assert safe_filename("ңғ") != safe_filename("әі")
    with pytest.raises(ValueError):
        safe_filename("x", max_length=5)
