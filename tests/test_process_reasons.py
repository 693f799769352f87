"""Why an article page gives no line: the reason names what was wrong with the page."""

from __future__ import annotations

from newsarchive.process import PageProcessor
from newsarchive.records import Exchange
from newsarchive.sites.model import load_profile
from tests.extract_pages import orda_page, paragraphs

URL = "http://127.0.0.1:8080/almaty-akimat-postpones-lrt-tender-5719/"


def reason_for(html: str) -> str | None:
    exchange = Exchange(
        url=URL,
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=html.encode("utf-8"),
        fetched_at="2026-11-28T10:00:00Z",
        content_type="text/html; charset=utf-8",
    )
    return PageProcessor(load_profile("demo")).process(exchange, page_type="article").drop_reason


def test_app_shell_without_readable_state_says_needs_js() -> None:
    shell = (
        '<!DOCTYPE html><html lang="en"><head><title>Story — Qala News</title>'
        '<meta property="og:type" content="article"></head><body><div id="app"></div>'
        "<script>window.__NUXT__=(function(a){return {}}(1));</script></body></html>"
    )
    assert reason_for(shell) == "needs_js"
    empty = (
        '<!DOCTYPE html><html lang="en"><head><title>Story — Qala News</title></head>'
        "<body><main><h1>Story</h1></main></body></html>"
    )
    assert reason_for(empty) == "no_body"
    assert reason_for(orda_page(paragraphs())) is None
