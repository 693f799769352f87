"""Fuzzing the parsers that read what strangers send: random and mutated HTML through the
extractor, mutated WARC files (written by our writer) through the reader, random and mutated
sitemaps and feeds through discovery. Property: no crash, no hang, only the documented errors
(PageParseError from load_page; ReadError to the reader's on_error; SitemapError, FeedError).

Each target runs NEWSARCHIVE_FUZZ_EXAMPLES examples (default 100: the module takes well under a
minute), each within a hypothesis deadline, and each test within a wall-clock bound. A longer
run, e.g. before a release:

    NEWSARCHIVE_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz_parsers.py -p no:randomly

(add `--hypothesis-seed=N` to replay a run; hypothesis prints the failing example and how to
reproduce it).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.demosite.hostile import entity_bomb_sitemap, external_entity_sitemap, malform
from newsarchive.discovery import FeedError, SitemapError, iter_sitemap, parse_feed, parse_sitemap
from newsarchive.extract import (
    PageParseError,
    classify_page,
    extract_article,
    extract_links,
    extract_listing,
    load_page,
)
from newsarchive.warc.errors import ReadError
from newsarchive.warc.reader import iter_exchanges
from tests.conftest import FIXTURES
from tests.warc_factory import gzip_capture, make_capture, write_captures

EXAMPLES = int(os.environ.get("NEWSARCHIVE_FUZZ_EXAMPLES", "100"))
PER_EXAMPLE = timedelta(seconds=3)
TEST_BOUND_SECONDS = max(40.0, EXAMPLES * 0.5)
"""Wall-clock bound of one test: hypothesis' deadline only fails slow examples afterwards, it
cannot interrupt one that hangs."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=PER_EXAMPLE,
    database=None,  # no .hypothesis/ directory in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

URL = "https://news.example/section/story-12345/"
TOKENS = [
    b"<",
    b">",
    b"</div>",
    b"<p>",
    b"<script>",
    b"</script>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"]]>",
    b"\x00",
    b"&#",
    b"&amp;",
    b"&lol9;",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<meta charset=windows-1251>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","headline":',
    b"<base href=javascript:x>",
    b"<a href='//evil/'>",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"<url><loc>",
    b"</loc></url>",
    b"<item><link>",
    b"\r\n\r\n",
    b"\x1f\x8b\x08\x00",
]


class FuzzTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def bounded_time() -> Iterator[None]:
    """Fail a test that runs past TEST_BOUND_SECONDS (a hang in a parser) instead of waiting."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise FuzzTimeout(f"fuzz test ran over {TEST_BOUND_SECONDS:.0f} s: a parser hangs?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, TEST_BOUND_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


Mutation = Callable[[bytes], bytes]


@st.composite
def mutation(draw: st.DrawFn) -> Mutation:
    kind = draw(st.sampled_from(["flip", "delete", "duplicate", "insert", "token", "truncate"]))
    where = draw(st.floats(min_value=0, max_value=1))
    size = draw(st.integers(min_value=1, max_value=256))
    junk = draw(st.binary(min_size=1, max_size=64))
    token = draw(st.sampled_from(TOKENS))

    def apply(data: bytes) -> bytes:
        at = int(where * len(data))
        match kind:
            case "flip":
                return data[:at] + bytes(b ^ 0xFF for b in data[at : at + size]) + data[at + size :]
            case "delete":
                return data[:at] + data[at + size :]
            case "duplicate":
                return data[:at] + data[at : at + size] * 3 + data[at:]
            case "insert":
                return data[:at] + junk + data[at:]
            case "token":
                return data[:at] + token + data[at:]
        return data[:at]

    return apply


def mutated(seeds: Callable[[], list[bytes]]) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = draw(st.sampled_from(seeds()))
        for change in draw(st.lists(mutation(), min_size=1, max_size=6)):
            data = change(data)
        return data

    return build()


def random_markup() -> st.SearchStrategy[bytes]:
    return st.lists(
        st.one_of(
            st.sampled_from(TOKENS), st.binary(max_size=32), st.text(max_size=32).map(str.encode)
        ),
        max_size=60,
    ).map(b"".join)


# --- HTML through the extractor ------------------------------------------------------------


@functools.cache
def html_seeds() -> list[bytes]:
    article = (FIXTURES / "seed-article.html").read_bytes()
    listing = (
        b"<html><body><main><ul>"
        + b"".join(
            b'<li><a href="/news/story-%d/">Headline number %d of the day</a></li>' % (n, n)
            for n in range(20)
        )
        + b'</ul><a rel="next" href="/news/page/2/">Next</a></main></body></html>'
    )
    return [article, malform(article), listing]


def extract_everything(body: bytes, content_type: str | None) -> None:
    try:
        page = load_page(body, URL, content_type=content_type)
    except PageParseError:
        return
    classify_page(page)
    extract_article(page, fetched_at="2025-03-29T13:00:00Z")
    extract_listing(page)
    extract_links(page)


CONTENT_TYPES = st.sampled_from(
    [
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=windows-1251",
        "text/html; charset=bogus",
    ]
)


@FUZZ
@given(body=mutated(html_seeds), content_type=CONTENT_TYPES)
def test_mutated_html(body: bytes, content_type: str | None) -> None:
    extract_everything(body, content_type)


@FUZZ
@given(body=random_markup(), content_type=CONTENT_TYPES)
def test_random_html(body: bytes, content_type: str | None) -> None:
    extract_everything(body, content_type)


# --- WARC files through the reader ---------------------------------------------------------


@functools.cache
def warc_seeds() -> list[bytes]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        captures = [
            make_capture(),
            gzip_capture(),
            make_capture("http://example.com/cut", truncated="length"),
            make_capture("http://example.com/404", status=404, body=b"missing"),
        ]
        paths, _ = write_captures(Path(tmp), captures)
        return [path.read_bytes() for path in paths]


@FUZZ
@given(data=mutated(warc_seeds), suffix=st.sampled_from([".warc.gz", ".warc"]))
def test_mutated_warc(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("fuzz-warc") / f"fuzzed{suffix}"
    path.write_bytes(data)
    errors: list[ReadError] = []
    for exchange in iter_exchanges(path, on_error=errors.append):
        assert exchange.url  # every yielded exchange is usable
    assert all(isinstance(error, ReadError) for error in errors)


# --- sitemaps and feeds through discovery --------------------------------------------------


@functools.cache
def sitemap_seeds() -> list[bytes]:
    locs = ["/story-1/", "/story-2/", "/story-3/"]
    plain = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(
            f"<url><loc>https://news.example{loc}</loc><lastmod>2025-03-29</lastmod>"
            "<news:news><news:title>T</news:title><news:publication_date>2025-03-29T10:00:00Z"
            "</news:publication_date></news:news></url>"
            for loc in locs
        )
        + "</urlset>"
    )
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://news.example/s1.xml</loc></sitemap></sitemapindex>"
    )
    hostile = [entity_bomb_sitemap(locs), external_entity_sitemap(locs, "/probe.dtd")]
    return [
        text.replace("{BASE}", "https://news.example").encode() for text in [plain, index, *hostile]
    ]


@functools.cache
def feed_seeds() -> list[bytes]:
    rss = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>News</title>"
        + "".join(
            f"<item><title>Story {n}</title><link>https://news.example/story-{n}/</link>"
            "<pubDate>Sat, 29 Mar 2025 10:00:00 +0500</pubDate></item>"
            for n in range(3)
        )
        + "</channel></rss>"
    )
    atom = (
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>News</title><entry><title>A</title>"
        "<link rel='alternate' href='https://news.example/a-1/'/><updated>2025-03-29T10:00:00Z"
        "</updated></entry></feed>"
    )
    return [rss.encode(), atom.encode()]


def read_sitemap(body: bytes) -> None:
    with contextlib.suppress(SitemapError):
        parse_sitemap(body, "https://news.example/sitemap.xml")
    with contextlib.suppress(SitemapError):
        for _ in iter_sitemap(body, "https://news.example/sitemap.xml"):
            pass


def read_feed(body: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_feed(body, "https://news.example/feed/")


@FUZZ
@given(body=st.one_of(mutated(sitemap_seeds), random_markup()))
def test_sitemaps(body: bytes) -> None:
    read_sitemap(body)


@FUZZ
@given(body=st.one_of(mutated(feed_seeds), random_markup()))
def test_feeds(body: bytes) -> None:
    read_feed(body)
