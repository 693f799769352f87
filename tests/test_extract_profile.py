"""ExtractProfile.from_mapping validation and the selector overrides it carries."""

from __future__ import annotations

import pytest

from newsarchive.errors import ProfileError
from newsarchive.extract import (
    EXTRACTOR_VERSION,
    ExtractProfile,
    RelatedBlockRule,
    extract_article,
)
from newsarchive.records import Related
from tests.extract_pages import BASE, load, orda_page, paragraphs


def test_from_mapping_builds_tuples() -> None:
    profile = ExtractProfile.from_mapping(
        {
            "body": "div.newstext",
            "remove": ["p.promo", "div.adv"],
            "related": [
                {"selector": "div.newslist3", "kind": "latest_news", "block": "Latest news"},
                "div.related",
            ],
            "article_url_patterns": [r"-\d+/$"],
        }
    )
    assert profile.body == ("div.newstext",)
    assert profile.remove == ("p.promo", "div.adv")
    assert profile.related == (
        RelatedBlockRule(selector="div.newslist3", kind="latest_news", block="Latest news"),
        RelatedBlockRule(selector="div.related"),
    )
    assert profile.matches("article_url_patterns", f"{BASE}/story-5719/")
    assert hash(profile) == hash(ExtractProfile.from_mapping(dict(profile_items(profile))))


def profile_items(profile: ExtractProfile) -> list[tuple[str, object]]:
    return [
        ("body", list(profile.body)),
        ("remove", list(profile.remove)),
        (
            "related",
            [{"selector": r.selector, "kind": r.kind, "block": r.block} for r in profile.related],
        ),
        ("article_url_patterns", list(profile.article_url_patterns)),
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"bdoy": ["div"]}, "unknown extract key(s) bdoy"),
        ({"body": [""]}, "non-empty strings"),
        ({"body": [3]}, "non-empty strings"),
        ({"body": ["div[[["]}, "invalid CSS selector"),
        ({"article_url_patterns": ["(unclosed"]}, "invalid regex"),
        ({"related": [{"selector": "div", "kind": "sidebar"}]}, "is not one of"),
        ({"related": [{"selector": "div", "label": "x"}]}, "unknown extract.related key(s) label"),
        ({"related": [{"kind": "related"}]}, "needs a non-empty 'selector'"),
    ],
)
def test_from_mapping_rejects_bad_tables(mapping: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ExtractProfile.from_mapping(mapping, source="sites/demo.toml")


def test_error_names_the_profile_file() -> None:
    with pytest.raises(ProfileError) as info:
        ExtractProfile.from_mapping({"nope": 1}, source="sites/demo.toml")
    assert "sites/demo.toml" in str(info.value)


def test_profile_related_rule_and_field_selectors() -> None:
    html = orda_page(
        paragraphs(),
        after='<div class="more"><a href="/one-5601/">One</a><a href="/two-5602/">Two</a></div>'
        '<div class="tagline"><span class="t">Alpha</span><span class="t">Beta</span></div>'
        '<p class="who">Zhanna Ospanova</p>',
    )
    profile = ExtractProfile.from_mapping(
        {
            "related": [{"selector": "div.more", "kind": "related", "block": "More"}],
            "tags": ["div.tagline span.t"],
            "authors": ["p.who"],
            "title": ["h1.post-title"],
            "date": ["time"],
        }
    )
    fields = extract_article(load(html), profile)
    assert fields.related == (
        Related(title="One", url=f"{BASE}/one-5601/", position=1, block="More", kind="related"),
        Related(title="Two", url=f"{BASE}/two-5602/", position=2, block="More", kind="related"),
    )
    assert fields.tags == ("Alpha", "Beta")
    assert fields.authors == ("Zhanna Ospanova",)
    assert fields.published == "2025-03-29T14:32:00+05:00"


def test_extractor_version_is_semver() -> None:
    parts = EXTRACTOR_VERSION.split(".")
    assert len(parts) == 3
    assert all(p.isdigit() for p in parts)
