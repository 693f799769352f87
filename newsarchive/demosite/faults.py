"""Fault mode (`faults=True`): the catalogue of broken responses added on top of the default
site (which itself only serves well-formed ones). Each fault has a name, what a robust crawler
should observe (`expected`) and whether it should end up with an article; the manifest copies
these onto every URL that carries the fault.

Where things live: the articles behind faults in `content.FAULT_SLUGS` and `fault_articles`,
their routes and the fault-mode listing block in `fault_routes`, the hostile bytes in
`hostile`, and the socket-level deliveries (reset, truncation, stalls) in `server`."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

from newsarchive.demosite.hostile import malform, malform_jsonld
from newsarchive.demosite.model import Article
from newsarchive.demosite.options import FOREIGN
from newsarchive.demosite.page import Page

RETRY_AFTER_SECONDS = 1
BOMB_EXPANDED_BYTES = 1 << 30
"""What the gzip and brotli bombs decode to (zeros): 1 GiB from about 1 MB and 4 KB."""
LONG_PATH_CHARS = 3000
"""Longer than Scrapy's URLLENGTH_LIMIT (2083) and the spider's 2048-character cap."""
LONG_PATH_OK_CHARS = 1500
"""Long, but under every URL limit: fetched, so file names built from it must be capped."""

LOOP_A = "/loop-a-9008/"
LOOP_B = "/loop-b-9008/"
SELF_LOOP = "/self-redirect-9033/"
CHAIN_START = "/redirect-chain-9034/"
CHAIN_HOPS = 5
CHAIN_STATUSES = (301, 302, 303, 307, 308)
SLOW_RESPONSE_ID = 9031
SLOW_BODY_ID = 9032
CHAIN_END_ID = 9034
GZIP_BOMB = "/gzip-bomb-9035/"
BROTLI_BOMB = "/brotli-bomb-9036/"
BINARY_AS_HTML = "/binary-as-html-9037/"
EMPTY_PAGE = "/empty-page-9038/"
EMPTY_GZIP = "/empty-gzip-9039/"
MALFORMED_JSONLD_ID = 9040
OFFSITE_STORY = f"{FOREIGN}/offsite-story-9041/"
OFFSITE_REDIRECT = "/offsite-redirect-9042/"
METADATA_REDIRECT = "/metadata-redirect-9043/"
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
"""Link-local cloud metadata address: only ever sent as a Location header."""
DOT_SEGMENTS_ID = 9044
DOT_SEGMENTS_LINK = "/fault/../dot-segments-9044/"
ENCODED_DOTS_ID = 9045
ENCODED_DOTS_NORMALISED = "/etc/passwd-9045/"
NUL_PATH_ID = 9046
LONG_PATH_ID = 9047
UNICODE_PATH_ID = 9048
LONG_PATH_OK_ID = 9049
LONGREAD_ID = 9011
ENTITY_BOMB_SITEMAP = "/sitemap/fault-entity-bomb.xml"
EXTERNAL_ENTITY_SITEMAP = "/sitemap/fault-external-entity.xml"
XXE_PROBE = "/fault/xxe-probe.dtd"
"""Referenced by the external-entity sitemap; any request for it means a parser fetched it."""
GARBAGE_FEED = "/feed/"
ROBOTS = "/robots.txt"


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    expected: str
    """What a robust crawler observes: "retry then 200", "truncated", "refused: off-scope"..."""
    expect_article: bool
    """Whether a robust crawler ends up with an article for this URL."""


def _catalogue(*faults: Fault) -> dict[str, Fault]:
    return {fault.name: fault for fault in faults}


FAULTS = _catalogue(
    Fault("broken_gzip", "error: gzip header over a plain body; raw bytes archived", False),
    Fault("charset_lie", "article: header says utf-8 over windows-1251 bytes", True),
    Fault("malformed_html", "article despite unclosed tags and a NUL byte", True),
    Fault("malformed_jsonld", "article from the HTML; JSON-LD unparseable and ignored", True),
    Fault("rate_limited_once", "retry after Retry-After: 1, then 200", True),
    Fault("unavailable_once", "retry then 200 (503 once)", True),
    Fault("robots_500_once", "retry robots.txt, then 200; the crawl must not end empty", False),
    Fault("truncated_body", "truncated: body ends early under a longer Content-Length", False),
    Fault("connection_reset", "error: connection reset mid-body; partial bytes archived", False),
    Fault("stall_before_headers", "timeout: nothing sent within DOWNLOAD_TIMEOUT", False),
    Fault("stall_mid_body", "timeout: half the body, then silence", False),
    Fault("redirect_loop", "error: loop", False),
    Fault("redirect_chain", "5 redirects (301, 302, 303, 307, 308), then 200", True),
    Fault("gzip_bomb", "refused: decoded size over DOWNLOAD_MAXSIZE", False),
    Fault("brotli_bomb", "refused: decoded size over DOWNLOAD_MAXSIZE", False),
    Fault("long_article", "article: 1.5 MB page, 600 paragraphs", True),
    Fault("binary_as_html", "no article: binary bytes labelled text/html", False),
    Fault("empty_200", "no article: empty 200", False),
    Fault("empty_200_gzip", "no article: empty 200 with Content-Encoding gzip", False),
    Fault("offsite_link", "refused: off-scope", False),
    Fault("offsite_redirect", "refused: off-scope", False),
    Fault("private_redirect", "refused: redirect to a link-local address", False),
    Fault("dot_segments", "article at the normalised URL", True),
    Fault("encoded_dot_segments", "article; file names built from the URL must not traverse", True),
    Fault("nul_in_path", "article; %00 must never become a NUL in a file name", True),
    Fault("long_path", "refused: URL longer than the URL length limit", False),
    Fault("long_path_ok", "article; file names built from the URL must be length-capped", True),
    Fault("unicode_path", "article at the percent-encoded UTF-8 URL", True),
    Fault("entity_bomb_sitemap", "no entity expansion; the sitemap's URLs or a parse error", False),
    Fault("external_entity_sitemap", "no file or network access by the XML parser", False),
    Fault("xxe_probe", "never requested (only an XML parser fetching entities would)", False),
    Fault("feed_garbage", "valid items kept, garbage items skipped", False),
)


def transform_article(article: Article, page: Page) -> Page:
    """Apply the article's fault to its rendered page (identity for normal articles)."""
    match article.fault:
        case "broken_gzip":
            return dataclasses.replace(page, content_encoding="gzip")
        case "rate_limited_once":
            return dataclasses.replace(page, once_status=429)
        case "unavailable_once":
            return dataclasses.replace(page, once_status=503)
        case "truncated_body":
            return dataclasses.replace(page, delivery="truncate")
        case "connection_reset":
            return dataclasses.replace(page, delivery="reset")
        case "stall_before_headers":
            return dataclasses.replace(page, delivery="stall_headers")
        case "stall_mid_body":
            return dataclasses.replace(page, delivery="stall_body")
        case "malformed_html":
            return dataclasses.replace(page, body=malform(page.body))
        case "malformed_jsonld":
            return dataclasses.replace(page, body=malform_jsonld(page.body))
    return page


class OnceState:
    """Remembers which URLs already had their one failure (per server instance)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: set[str] = set()

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._done:
                return False
            self._done.add(key)
            return True
