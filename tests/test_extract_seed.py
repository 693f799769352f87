"""Golden test: the seed article (an en.orda.kz page) extracts exactly to its expected JSON.

One test per field, so a failure names the field.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from newsarchive.extract import extract_article, load_page
from newsarchive.records import ArticleFields, fields_to_json_dict
from tests.conftest import FIXTURES

SEED_HTML = FIXTURES / "seed-article.html"
SEED_EXPECTED = FIXTURES / "seed-article.expected.json"
OUTPUT_FIELDS = frozenset(ArticleFields.__dataclass_fields__)


@cache
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    return data


@cache
def extracted() -> dict[str, Any]:
    page = load_page(SEED_HTML.read_bytes(), expected()["url"])
    return fields_to_json_dict(extract_article(page))


def _expected_fields() -> list[str]:
    return sorted(key for key in expected() if key in OUTPUT_FIELDS)


def test_expected_file_covers_the_issue_fields() -> None:
    assert {"body", "captions", "related", "title", "published", "tags", "lead"} <= set(
        _expected_fields()
    )


@pytest.mark.parametrize("field", _expected_fields())
def test_seed_field(field: str) -> None:
    assert extracted()[field] == expected()[field]


@pytest.mark.parametrize("needle", expected()["must_not_contain_in_body"])
def test_seed_body_excludes(needle: str) -> None:
    assert needle not in extracted()["body"]


def test_seed_body_has_seven_paragraphs() -> None:
    assert len(extracted()["body"].split("\n\n")) == 7


@cache
def extracted_with_orda_profile() -> dict[str, Any]:
    from newsarchive.process import extract_profile_for
    from newsarchive.sites import load_profile

    profile = extract_profile_for(load_profile("orda"))
    page = load_page(SEED_HTML.read_bytes(), expected()["url"])
    return fields_to_json_dict(extract_article(page, profile))


@pytest.mark.parametrize("field", _expected_fields())
def test_seed_field_with_orda_profile(field: str) -> None:
    """The bundled orda profile's selector overrides give the same answer as the generic path."""
    assert extracted_with_orda_profile()[field] == expected()[field]


def test_cli_on_seed_page_gives_expected_fields(capsys: pytest.CaptureFixture[str]) -> None:
    from newsarchive.cli import main

    assert main(["extract", "--url", expected()["url"], str(SEED_HTML)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    output = json.loads(line)
    assert output["source"] == str(SEED_HTML) and output["url"] == expected()["url"]
    for field in _expected_fields():
        assert output[field] == expected()[field], field


def test_fixture_copy_matches_shared_seed() -> None:
    from tests.conftest import shared_path

    for name in ("seed-article.html", "seed-article.expected.json"):
        assert (FIXTURES / name).read_bytes() == shared_path(f"seed/{name}").read_bytes()
