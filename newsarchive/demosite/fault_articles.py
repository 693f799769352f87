"""The articles that exist only in fault mode: stalled ones, the end of the redirect chain,
malformed JSON-LD, the E11 long read, and articles at hostile URLs (dot segments, %00, very
long paths, Unicode). They come from their own random stream, so fault mode never changes a
byte of the default site."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote

from newsarchive.demosite import faults, longread
from newsarchive.demosite.model import Article
from newsarchive.demosite.options import NOW

MakeArticle = Callable[[int, datetime], Article]
"""(id, published) → a freshly generated en article."""

UNICODE_PATH = "/unicode-ünï-каталог-☃-9048/"
"""Raw form (linked as is from the fault listing); served at its percent-encoded UTF-8 form."""

_PLAIN: tuple[tuple[int, str, str], ...] = (
    (faults.SLOW_RESPONSE_ID, "/slow-response-9031/", "stall_before_headers"),
    (faults.SLOW_BODY_ID, "/slow-body-9032/", "stall_mid_body"),
    (faults.CHAIN_END_ID, "/redirect-chain-end-9034/", "redirect_chain"),
    (faults.MALFORMED_JSONLD_ID, "/malformed-jsonld-9040/", "malformed_jsonld"),
    (faults.DOT_SEGMENTS_ID, "/dot-segments-9044/", "dot_segments"),
    (faults.ENCODED_DOTS_ID, "/%2E%2E/%2E%2E/etc/passwd-9045/", "encoded_dot_segments"),
    (faults.NUL_PATH_ID, "/nul-byte%00-9046/", "nul_in_path"),
    (faults.UNICODE_PATH_ID, quote(UNICODE_PATH), "unicode_path"),
)


def long_path(length: int, article_id: int) -> str:
    """/long-path-archive-archive-…-{id}/ of exactly `length` characters."""
    head, tail = "/long-path-", f"-{article_id}/"
    room = length - len(head) - len(tail)
    filler = ("archive-" * (room // 8 + 1))[:room]
    if filler.endswith("-"):
        filler = filler[:-1] + "s"
    return head + filler + tail


def fault_mode_articles(make_article: MakeArticle) -> tuple[Article, ...]:
    """Every fault-mode-only article, in a fixed order."""
    specs = [
        *_PLAIN,
        (faults.LONG_PATH_ID, long_path(faults.LONG_PATH_CHARS, faults.LONG_PATH_ID), "long_path"),
        (
            faults.LONG_PATH_OK_ID,
            long_path(faults.LONG_PATH_OK_CHARS, faults.LONG_PATH_OK_ID),
            "long_path_ok",
        ),
    ]
    out: list[Article] = []
    for offset, (article_id, path, fault) in enumerate(specs):
        article = make_article(article_id, NOW - timedelta(hours=6, minutes=11 * offset))
        slug = path.strip("/").rsplit("/", 1)[-1].rsplit("-", 1)[0]
        # JSON-LD is what the malformed-JSON-LD page breaks, so every one of them has some.
        jsonld = "default" if article.jsonld == "none" else article.jsonld
        out.append(dataclasses.replace(article, slug=slug, path=path, fault=fault, jsonld=jsonld))
    out.append(_longread(make_article))
    return tuple(out)


def _longread(make_article: MakeArticle) -> Article:
    published = NOW - timedelta(days=2, hours=3)
    article = make_article(faults.LONGREAD_ID, published)
    return dataclasses.replace(
        article,
        slug=longread.SLUG,
        path=f"/{longread.SLUG}-{faults.LONGREAD_ID}/",
        title=longread.TITLE,
        lead="Half a century after the sea began to retreat, the towns on its old shore count "
        "what was lost and what came back.",
        template="orda",
        jsonld="default",
        blocks=longread.longread_blocks(faults.LONGREAD_ID, published),
        fault="long_article",
    )
