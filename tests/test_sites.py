from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsarchive.errors import ProfileError
from newsarchive.sites import bundled_profiles, load_profile, profile_from_mapping


def test_bundled_profiles_load() -> None:
    assert {"demo", "orda"} <= set(bundled_profiles())
    for name in bundled_profiles():
        profile = load_profile(name)
        assert profile.name == name and profile.allowed_hosts


def test_demo_profile_base_url_substitution() -> None:
    profile = load_profile("demo")
    assert profile.needs_base_url
    bound = profile.with_base_url("http://127.0.0.1:4321/")
    assert bound.start_urls[0] == "http://127.0.0.1:4321/"
    assert bound.allowed_hosts == ("127.0.0.1",)
    assert not bound.needs_base_url
    assert all("{" not in url for url in bound.feeds + bound.sitemaps)


def test_orda_profile_classifies_urls() -> None:
    profile = load_profile("orda")
    articles = profile.compiled("article_url_patterns")
    denied = profile.compiled("deny_url_patterns")
    assert any(
        p.search("https://en.orda.kz/kazakhstan-monitoring-taxi-market-5517/") for p in articles
    )
    assert any(
        p.search("https://orda.kz/itogi-2023-top-10-materialov-ordakz-380565") for p in articles
    )
    assert not any(p.search("https://en.orda.kz/last-news/") for p in articles)
    assert any(p.search("https://orda.kz/some-slug__trashed-9021/") for p in denied)
    assert any("{N}" in url for url in profile.sitemaps)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x", "start_urls": ["http://a/"], "allowed_hosts": ["a"], "bogus": 1}, "unknown"),
        ({"name": "Bad Name", "start_urls": ["http://a/"], "allowed_hosts": ["a"]}, "identifier"),
        ({"name": "x", "allowed_hosts": ["a"]}, "start_urls"),
        ({"name": "x", "start_urls": ["http://a/"]}, "allowed_hosts"),
        (
            {
                "name": "x",
                "start_urls": ["http://a/"],
                "allowed_hosts": ["a"],
                "article_url_patterns": ["("],
            },
            "bad regex",
        ),
        (
            {
                "name": "x",
                "start_urls": ["http://a/"],
                "allowed_hosts": ["a"],
                "crawl": {"speed": 1},
            },
            "unknown [crawl]",
        ),
    ],
)
def test_invalid_profiles_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError, match=re.escape(message)):
        profile_from_mapping(data, "test.toml")


def test_profile_from_path(tmp_path: Path) -> None:
    path = tmp_path / "mysite.toml"
    path.write_text(
        'name = "mysite"\nstart_urls = ["https://example.org/"]\nallowed_hosts = ["example.org"]\n',
        encoding="utf-8",
    )
    assert load_profile(str(path)).name == "mysite"


def test_unknown_profile_names_the_choices() -> None:
    with pytest.raises(ProfileError, match=r"bundled: .*demo"):
        load_profile("nosuchsite")
