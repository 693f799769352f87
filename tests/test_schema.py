"""The JSON Schema of the JSON lines: valid, shipped, matching what the writer emits, and
documented field by field."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from newsarchive.output import dumps_line
from newsarchive.query.columns import ARTICLE_COLUMNS, LISTING_COLUMNS
from newsarchive.records import SCHEMA_VERSION, Article, ArticleFields, Listing
from newsarchive.schema import load_schema, schema_file_name
from newsarchive.schema.fields_doc import FIELDS_DOC, render_fields_markdown
from tests.conftest import ROOT
from tests.test_query_views import synthetic_articles, synthetic_listings


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return load_schema()


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def errors(validator: Draft202012Validator, line: dict[str, Any]) -> list[str]:
    return [e.message for e in validator.iter_errors(line)]


def test_the_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f":{SCHEMA_VERSION}")
    assert schema["$defs"]["schema_version"]["const"] == SCHEMA_VERSION


def test_the_schema_is_package_data() -> None:
    # A wheel ships only the data files pyproject names.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["newsarchive"]
    assert "schema/*.json" in patterns
    assert (ROOT / "newsarchive" / "schema" / schema_file_name()).exists()


def test_every_line_of_a_demo_run_is_valid(validator: Draft202012Validator, demo_run: Any) -> None:
    lines = demo_run.articles + demo_run.listings
    assert len(demo_run.articles) > 100 and len(demo_run.listings) > 10
    for line in lines:
        assert line["schema_version"] == SCHEMA_VERSION
        assert errors(validator, line) == [], line["url"]


def test_records_with_empty_fields_are_valid(validator: Draft202012Validator) -> None:
    bare = Article(
        url="https://x.example/a/",
        site="x",
        fetched_at="2026-03-01T09:00:00Z",
        status=200,
        extractor_version="1",
        fields=ArticleFields(),
    )
    listing = Listing(
        url="https://x.example/", site="x", fetched_at="2026-03-01T09:00Z", status=200
    )
    records = [bare, listing, *synthetic_articles(), *synthetic_listings()]
    for record in records:
        assert errors(validator, json.loads(dumps_line(record))) == []


def test_the_writer_emits_exactly_the_schema_fields(schema: dict[str, Any]) -> None:
    article = json.loads(dumps_line(synthetic_articles()[0]))
    listing = json.loads(dumps_line(synthetic_listings()[0]))
    assert list(article) == list(schema["$defs"]["article"]["properties"])
    assert list(listing) == list(schema["$defs"]["listing"]["properties"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"schema_version": "0"}, "'1' was expected"),
        ({"unknown_field": 1}, "Additional properties are not allowed"),
        ({"status": "200"}, "is not of type 'integer'"),
        ({"fetched_at": "yesterday"}, "does not match"),
        ({"published": "1 March 2025"}, "does not match"),
        ({"related": [{"title": "t", "url": "u", "position": 0, "block": "b", "kind": "other"}]},
         "less than the minimum"),
        ({"related": [{"title": "t", "url": "u", "position": 1, "block": "b", "kind": "ads"}]},
         "is not one of"),
        ({"captions": [{"text": "t"}]}, "'credit' is a required property"),
        ({"capture": {"warc_file": "w"}}, "'offset' is a required property"),
    ],
)  # fmt: skip
def test_invalid_article_lines_are_rejected(
    validator: Draft202012Validator, change: dict[str, Any], expected: str
) -> None:
    line = json.loads(dumps_line(synthetic_articles()[0])) | change
    found = errors(validator, line)
    assert any(expected in message for message in found), found


def test_a_line_without_a_field_is_rejected(validator: Draft202012Validator) -> None:
    for kind, record in (
        ("article", synthetic_articles()[0]),
        ("listing", synthetic_listings()[0]),
    ):
        line = json.loads(dumps_line(record))
        for name in ("schema_version", "url", "fetched_at", "capture"):
            partial = {k: v for k, v in line.items() if k != name}
            assert f"'{name}' is a required property" in errors(validator, partial), (kind, name)


def test_every_field_is_described(schema: dict[str, Any]) -> None:
    def walk(node: dict[str, Any], path: str) -> None:
        for name, prop in node.get("properties", {}).items():
            target = prop
            if "$ref" in prop and "description" not in prop:
                target = schema["$defs"][prop["$ref"].rsplit("/", 1)[1]]
            assert target.get("description"), f"{path}{name} has no description"
            walk(target, f"{path}{name}.")
            items = target.get("items", {})
            if "$ref" in items:
                walk(schema["$defs"][items["$ref"].rsplit("/", 1)[1]], f"{path}{name}[].")

    walk(schema["$defs"]["article"], "")
    walk(schema["$defs"]["listing"], "")


def test_the_field_reference_is_generated_from_the_schema() -> None:
    assert FIELDS_DOC.read_text(encoding="utf-8") == render_fields_markdown(), (
        "regenerate it: python -m newsarchive.schema.fields_doc"
    )


def test_the_views_read_every_field_of_the_schema(schema: dict[str, Any]) -> None:
    # `site` comes from the directory layout, not the line.
    for kind, columns in (("article", ARTICLE_COLUMNS), ("listing", LISTING_COLUMNS)):
        fields = set(schema["$defs"][kind]["properties"]) - {"site"}
        assert {name for name, _ in columns} == fields, kind
