"""The fixture zoo: hand-written pages of different template families, each with ground truth
for every field (tests/fixtures/zoo/<name>.html + <name>.expected.json).

Per page, every field must come out as written down. Across the zoo and the seed page, captions,
credits and related items are also scored with the matching rules of the extraction issue (§8):
a predicted caption matches a true one when their texts (credits and labels stripped, whitespace
normalised) are at least 0.8 similar, or when both are credit-only with matching credits;
credits match the same way; related items match by absolute URL. Each F1 must be ≥ 0.90, and no
caption, credit or related title may be left inside a body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import cache
from typing import Any

import pytest

from newsarchive.extract import extract_article, load_page
from newsarchive.extract.indexing import build_dom_index
from newsarchive.extract.metadata import read_metadata
from newsarchive.records import fields_to_json_dict
from tests.conftest import FIXTURES

ZOO = FIXTURES / "zoo"
PAGES = sorted(p.name.removesuffix(".expected.json") for p in ZOO.glob("*.expected.json"))
FIELDS = (
    "title", "lead", "body", "captions", "related", "authors", "published", "modified",
    "language", "section", "tags", "canonical_url", "format", "paywalled", "needs_js", "embeds",
    "entries",
)  # fmt: skip
MIN_F1 = 0.90
SIMILAR = 0.8
# Shorter captions or titles may occur in a body by coincidence ("Almaty").
MIN_NEEDLE = 12


@cache
def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ZOO / f"{name}.expected.json").read_text("utf-8"))
    return data


@cache
def extracted(name: str) -> dict[str, Any]:
    truth = expected(name)
    page = load_page(
        (ZOO / f"{name}.html").read_bytes(), truth["url"], content_type=truth.get("content_type")
    )
    return fields_to_json_dict(extract_article(page, fetched_at=truth.get("fetched_at")))


def _seed() -> tuple[dict[str, Any], dict[str, Any]]:
    truth: dict[str, Any] = json.loads((FIXTURES / "seed-article.expected.json").read_text("utf-8"))
    page = load_page((FIXTURES / "seed-article.html").read_bytes(), truth["url"])
    return truth, fields_to_json_dict(extract_article(page))


def test_zoo_covers_a_dozen_template_families() -> None:
    families = {expected(name)["family"] for name in PAGES}
    assert len(PAGES) >= 12
    assert len(families) == len(PAGES)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("field", FIELDS)
def test_zoo_field(name: str, field: str) -> None:
    assert extracted(name)[field] == expected(name)[field]


@pytest.mark.parametrize("name", PAGES)
def test_zoo_body_excludes_chrome(name: str) -> None:
    body = extracted(name)["body"]
    leaked = [needle for needle in expected(name)["must_not_contain_in_body"] if needle in body]
    assert leaked == []


@pytest.mark.parametrize("name", [n for n in PAGES if "original_author" in expected(n)])
def test_zoo_original_author(name: str) -> None:
    truth = expected(name)
    page = load_page((ZOO / f"{name}.html").read_bytes(), truth["url"])
    meta = read_metadata(page, build_dom_index(page, None), None)
    assert meta.original_author == truth["original_author"]
    assert truth["original_author"] not in meta.authors


# --- §8 scoring ------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, _norm(a), _norm(b)).ratio() >= SIMILAR


def _caption_match(pred: dict[str, Any], true: dict[str, Any]) -> bool:
    if pred["text"] and true["text"]:
        return _similar(pred["text"], true["text"])
    if not pred["text"] and not true["text"]:
        return _similar(pred["credit"], true["credit"])
    return False


def _credit_match(pred: dict[str, Any], true: dict[str, Any]) -> bool:
    return _similar(pred["credit"], true["credit"])


def _url_match(pred: dict[str, Any], true: dict[str, Any]) -> bool:
    return bool(pred["url"] == true["url"])


def _counts(
    pred: list[dict[str, Any]],
    true: list[dict[str, Any]],
    match: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> tuple[int, int, int]:
    """(true positives, predicted, true) with one-to-one greedy matching."""
    unmatched = list(true)
    hits = 0
    for item in pred:
        for candidate in unmatched:
            if match(item, candidate):
                unmatched.remove(candidate)
                hits += 1
                break
    return hits, len(pred), len(true)


def _f1(hits: int, predicted: int, actual: int) -> float:
    if predicted == actual == 0:
        return 1.0
    precision = hits / predicted if predicted else 0.0
    recall = hits / actual if actual else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _all_pages() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(expected(name), extracted(name)) for name in PAGES] + [_seed()]


@pytest.mark.parametrize(
    ("kind", "select", "match"),
    [
        ("captions", lambda d: d["captions"], _caption_match),
        ("credits", lambda d: [c for c in d["captions"] if c["credit"]], _credit_match),
        ("related", lambda d: d["related"], _url_match),
    ],
)
def test_caption_credit_related_f1(
    kind: str,
    select: Callable[[dict[str, Any]], list[dict[str, Any]]],
    match: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> None:
    totals = [0, 0, 0]
    for truth, got in _all_pages():
        for i, value in enumerate(_counts(select(got), select(truth), match)):
            totals[i] += value
    assert totals[2] >= 10, f"too few true {kind} to score"
    assert _f1(*totals) >= MIN_F1, (kind, totals)


def test_scoring_rules_can_fail() -> None:
    """The matcher rejects a wrong caption, a different credit and another URL."""
    true = {"text": "The new depot at dusk.", "credit": "Reuters", "url": "https://a.example/1"}
    assert not _caption_match({"text": "Deputies during the vote.", "credit": ""}, true)
    assert not _credit_match({"text": "", "credit": "AFP"}, true)
    assert not _url_match({"url": "https://a.example/2"}, true)
    assert _f1(*_counts([{"url": "x"}], [{"url": "y"}], _url_match)) == 0.0


@pytest.mark.parametrize("index", range(len(PAGES) + 1))
def test_no_caption_credit_or_related_title_inside_body(index: int) -> None:
    truth, got = _all_pages()[index]
    body = got["body"]
    needles = [c["text"] for c in got["captions"]] + [c["credit"] for c in got["captions"]]
    needles += [r["title"] for r in got["related"]]
    needles += [c["text"] for c in truth["captions"]] + [r["title"] for r in truth["related"]]
    leaked = [n for n in needles if len(n) >= MIN_NEEDLE and n in body]
    assert leaked == [], truth["url"]
