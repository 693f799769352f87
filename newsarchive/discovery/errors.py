"""Errors raised by the discovery library; each names the URL it concerns and the fix."""

from __future__ import annotations

from newsarchive.errors import NewsarchiveError

# Hostile URLs can be megabytes long; a log line needs only enough to find the source.
_MAX_URL_IN_MESSAGE = 300


def shorten_url(url: str) -> str:
    """The URL as it should appear in an error: capped, with the original length noted."""
    if len(url) <= _MAX_URL_IN_MESSAGE:
        return url
    return f"{url[:_MAX_URL_IN_MESSAGE]}…({len(url)} chars)"


class DiscoveryError(NewsarchiveError):
    """A sitemap, feed or URL could not be used for discovery."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message, url=shorten_url(url))


class SitemapError(DiscoveryError):
    """A body that should be a sitemap is unreadable, too large, or not a sitemap."""


class FeedError(DiscoveryError):
    """A body that should be an RSS/Atom/RDF feed is unreadable, too large, or not a feed."""


class UrlError(DiscoveryError):
    """A URL is not an absolute http(s) URL, or cannot be parsed."""
