"""The anchor extractors the harness compares against, each timed in this one process.

trafilatura (default and `favor_precision`, both with `include_comments=False`, as the
benchmark's own runner calls it), readability-lxml (summary HTML turned into block-separated
text) and the bare `lxml.html.fromstring` parse as the floor. All of them come from the `bench`
extra (`pip install -e '.[bench]'`); none is a runtime dependency of newsarchive.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.pages import Page

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4",
        "h5", "h6", "pre", "table", "tr", "td", "th", "dd", "dt", "figure", "figcaption", "br",
    }
)  # fmt: skip
_WARMUP_PAGES = 10


@dataclass(frozen=True, slots=True)
class Timed:
    """Predictions of one extractor and how long the timed pass over all pages took."""

    name: str
    predictions: dict[str, str]
    total_seconds: float
    per_page_ms: list[float]

    @property
    def mean_ms(self) -> float:
        return 1000 * self.total_seconds / max(1, len(self.per_page_ms))

    @property
    def median_ms(self) -> float:
        return statistics.median(self.per_page_ms) if self.per_page_ms else 0.0


Pass = tuple[float, list[float], dict[str, str]]
"""(wall seconds, per-page milliseconds, predictions) of one timed pass over all pages."""


def warm_up(pages: list[Page], extract: Callable[[Page], str]) -> None:
    for page in pages[:_WARMUP_PAGES]:
        extract(page)


def timed_pass(pages: list[Page], extract: Callable[[Page], str]) -> Pass:
    predictions: dict[str, str] = {}
    per_page: list[float] = []
    started = time.perf_counter()
    for page in pages:
        t0 = time.perf_counter()
        predictions[page.id] = extract(page) or ""
        per_page.append(1000 * (time.perf_counter() - t0))
    return time.perf_counter() - started, per_page, predictions


def median_pass(name: str, passes: list[Pass]) -> Timed:
    ordered = sorted(passes, key=lambda p: p[0])
    total, per_page, predictions = ordered[len(ordered) // 2]
    return Timed(name, predictions, total, per_page)


def _run_loop(name: str, pages: list[Page], extract: Callable[[Page], str], repeat: int) -> Timed:
    """Warm up on a few pages, then time `repeat` passes over all pages; keep the median pass."""
    warm_up(pages, extract)
    return median_pass(name, [timed_pass(pages, extract) for _ in range(max(1, repeat))])


def trafilatura_runner(*, favor_precision: bool) -> Callable[[Page], str]:
    import trafilatura

    def run(page: Page) -> str:
        text = trafilatura.extract(
            page.html,
            url=page.url,
            favor_precision=favor_precision,
            include_comments=False,
        )
        return text or ""

    return run


def _block_text(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def readability_runner() -> Callable[[Page], str]:
    from readability import Document

    def run(page: Page) -> str:
        return _block_text(Document(page.html, url=page.url).summary(html_partial=True))

    return run


def lxml_parse_runner() -> Callable[[Page], str]:
    import lxml.html

    def run(page: Page) -> str:
        lxml.html.fromstring(page.html)
        return ""

    return run


def run_anchors(pages: list[Page], repeat: int) -> list[Timed]:
    """trafilatura default, readability-lxml, lxml parse (the reference, trafilatura with
    favor_precision, is timed between the newsarchive runs: see bench/extraction.py)."""
    return [
        _run_loop("trafilatura default", pages, trafilatura_runner(favor_precision=False), repeat),
        _run_loop("readability-lxml", pages, readability_runner(), repeat),
        _run_loop("lxml parse only", pages, lxml_parse_runner(), repeat),
    ]
