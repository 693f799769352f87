"""Site profiles: what to fetch from one news site, as data (a TOML file per site).

A profile names start URLs, feeds, sitemaps, the hosts in scope, which URLs are articles or
listings, optional selector overrides for extraction, and politeness settings. `{BASE}` in any URL
is replaced by the site's base URL, so the demo profile works on whatever port its server got.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsarchive.errors import ProfileError

_TOP_KEYS = {
    "name",
    "description",
    "base_url",
    "start_urls",
    "feeds",
    "sitemaps",
    "allowed_hosts",
    "article_url_patterns",
    "listing_url_patterns",
    "deny_url_patterns",
    "allow_private_addresses",
    "crawl",
    "extract",
}
_CRAWL_KEYS = {
    "download_delay",
    "obey_crawl_delay",
    "concurrent_requests_per_domain",
    "autothrottle",
    "max_listing_pages",
    "download_timeout",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlPolicy:
    """Politeness and paging limits; None leaves the global setting in force."""

    download_delay: float | None = None
    obey_crawl_delay: bool | None = None
    concurrent_requests_per_domain: int | None = None
    autothrottle: bool | None = None
    max_listing_pages: int | None = None
    download_timeout: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteProfile:
    name: str
    description: str = ""
    base_url: str = ""
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    article_url_patterns: tuple[str, ...] = ()
    listing_url_patterns: tuple[str, ...] = ()
    deny_url_patterns: tuple[str, ...] = ()
    allow_private_addresses: bool = False
    crawl: CrawlPolicy = field(default_factory=CrawlPolicy)
    extract: Mapping[str, Any] = field(default_factory=dict)
    """Raw `[extract]` table; `newsarchive.extract.ExtractProfile.from_mapping` validates it."""

    @property
    def needs_base_url(self) -> bool:
        """Whether URLs carry `{BASE}`/`{HOST}`, to be filled with the running site's address."""
        values = (self.base_url, *self.start_urls, *self.feeds, *self.sitemaps, *self.allowed_hosts)
        return any("{BASE}" in v or "{HOST}" in v for v in values)

    def with_base_url(self, base_url: str) -> SiteProfile:
        """The profile with `{BASE}` (and `{HOST}`) replaced throughout."""
        base = base_url.rstrip("/")
        host = urlsplit(base).hostname or ""

        def sub(values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(v.replace("{BASE}", base).replace("{HOST}", host) for v in values)

        return SiteProfile(
            name=self.name,
            description=self.description,
            base_url=base,
            start_urls=sub(self.start_urls),
            feeds=sub(self.feeds),
            sitemaps=sub(self.sitemaps),
            allowed_hosts=sub(self.allowed_hosts),
            article_url_patterns=self.article_url_patterns,
            listing_url_patterns=self.listing_url_patterns,
            deny_url_patterns=self.deny_url_patterns,
            allow_private_addresses=self.allow_private_addresses,
            crawl=self.crawl,
            extract=self.extract,
        )

    def compiled(self, which: str) -> tuple[re.Pattern[str], ...]:
        patterns: tuple[str, ...] = getattr(self, which)
        return tuple(re.compile(p) for p in patterns)


def _strings(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"'{key}' must be a list of strings", path=source)
    return tuple(value)


def profile_from_mapping(data: Mapping[str, Any], source: str = "<profile>") -> SiteProfile:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ProfileError(
            f"unknown keys {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}", path=source
        )
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,40}", name):
        raise ProfileError("'name' must be a short lowercase identifier", path=source)
    crawl_data = data.get("crawl", {})
    unknown = set(crawl_data) - _CRAWL_KEYS
    if unknown:
        raise ProfileError(f"unknown [crawl] keys {sorted(unknown)}", path=source)
    for key in ("article_url_patterns", "listing_url_patterns", "deny_url_patterns"):
        for pattern in _strings(data, key, source):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(
                    f"bad regex in '{key}': {pattern!r}: {exc}", path=source
                ) from exc
    extract = data.get("extract", {})
    if not isinstance(extract, Mapping):
        raise ProfileError("[extract] must be a table", path=source)
    profile = SiteProfile(
        name=name,
        description=str(data.get("description", "")),
        base_url=str(data.get("base_url", "")),
        start_urls=_strings(data, "start_urls", source),
        feeds=_strings(data, "feeds", source),
        sitemaps=_strings(data, "sitemaps", source),
        allowed_hosts=_strings(data, "allowed_hosts", source),
        article_url_patterns=_strings(data, "article_url_patterns", source),
        listing_url_patterns=_strings(data, "listing_url_patterns", source),
        deny_url_patterns=_strings(data, "deny_url_patterns", source),
        allow_private_addresses=bool(data.get("allow_private_addresses", False)),
        crawl=CrawlPolicy(**crawl_data),
        extract=dict(extract),
    )
    if not profile.start_urls and not profile.feeds and not profile.sitemaps:
        raise ProfileError("a profile needs start_urls, feeds or sitemaps", path=source)
    if not profile.allowed_hosts:
        raise ProfileError("'allowed_hosts' is empty: nothing would be in scope", path=source)
    return profile


def load_profile(name_or_path: str) -> SiteProfile:
    """A bundled profile by name (`demo`, `orda`) or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        return profile_from_mapping(_read_toml(path.read_bytes(), str(path)), str(path))
    bundled = resources.files("newsarchive.sites").joinpath(f"{name_or_path}.toml")
    if not re.fullmatch(r"[a-z0-9_-]+", name_or_path) or not bundled.is_file():
        raise ProfileError(
            f"no site profile named {name_or_path!r}; bundled: {', '.join(bundled_profiles())}"
            " (or pass a path to a .toml profile)"
        )
    return profile_from_mapping(_read_toml(bundled.read_bytes(), str(bundled)), str(bundled))


def bundled_profiles() -> list[str]:
    folder = resources.files("newsarchive.sites")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _read_toml(data: bytes, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"not valid TOML: {exc}", path=source) from exc
