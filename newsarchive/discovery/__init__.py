"""Discovery: find article and listing URLs in sitemaps and feeds, and normalise URLs.

A pure library (lxml and the standard library only, no Scrapy or Twisted): the spider hands it
bodies and URLs and gets frozen records back.
"""

from newsarchive.discovery.errors import DiscoveryError, FeedError, SitemapError, UrlError
from newsarchive.discovery.feed import FeedEntry, is_feed_body, parse_feed
from newsarchive.discovery.sitemap import (
    Sitemap,
    SitemapEntry,
    is_sitemap_body,
    iter_sitemap,
    parse_sitemap,
    sitemap_kind,
    sitemap_urls_from_robots,
)
from newsarchive.discovery.urls import (
    DEFAULT_TRACKING_PARAMS,
    in_scope,
    normalize_url,
    parse_host_entry,
    resolve_http_url,
    safe_filename,
    url_matches_any,
)

__all__ = [
    "DEFAULT_TRACKING_PARAMS",
    "DiscoveryError",
    "FeedEntry",
    "FeedError",
    "Sitemap",
    "SitemapEntry",
    "SitemapError",
    "UrlError",
    "in_scope",
    "is_feed_body",
    "is_sitemap_body",
    "iter_sitemap",
    "normalize_url",
    "parse_feed",
    "parse_host_entry",
    "parse_sitemap",
    "resolve_http_url",
    "safe_filename",
    "sitemap_kind",
    "sitemap_urls_from_robots",
    "url_matches_any",
]
