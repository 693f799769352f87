"""URL shape heuristics: does a URL look like an article, a listing, a service page?"""

from __future__ import annotations

from urllib.parse import urlsplit

from newsarchive.extract import vocab


def _long_slug(path: str) -> bool:
    """`/some-long-article-slug/`: a last segment of at least four hyphenated words."""
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".html", ".shtml", ".htm"):
        segment = segment.removesuffix(suffix)
    run = 0
    for word in reversed(segment.split("-")):
        if not (word.isalnum() and word.isascii()):
            break
        run += 1
    return run >= vocab.LONG_SLUG_WORDS


def looks_like_article_url(url: str) -> bool:
    """A numeric id or a date in the path, or a long slug, and not a listing/service path."""
    parts = urlsplit(url)
    path = parts.path or "/"
    lowered = path.lower()
    if path == "/" or vocab.LISTING_PATH.search(lowered) or vocab.SERVICE_PATH.search(lowered):
        return False
    return _long_slug(path) or bool(vocab.ARTICLE_URL.search(path))


def looks_like_story_url(url: str) -> bool:
    """Weaker than looks_like_article_url, for links whose context already says "headline":
    any page below the site root that is not a listing or service page (`/story/some-slug/`)."""
    path = urlsplit(url).path or "/"
    lowered = path.lower()
    if path == "/" or vocab.LISTING_PATH.search(lowered) or vocab.SERVICE_PATH.search(lowered):
        return False
    segments = [s for s in path.split("/") if s]
    return (
        _long_slug(path)
        or bool(vocab.ARTICLE_URL.search(path))
        or (len(segments) >= 2 and ("-" in segments[-1] or "_" in segments[-1]))
    )


def looks_like_listing_url(url: str) -> bool:
    """Pagination, section/tag/author archives, or a ?page= query."""
    parts = urlsplit(url)
    return bool(vocab.LISTING_PATH.search((parts.path or "/").lower())) or bool(
        parts.query and vocab.LISTING_QUERY.search(parts.query)
    )


def looks_like_service_url(url: str) -> bool:
    """About, contacts, privacy, search... pages."""
    return bool(vocab.SERVICE_PATH.search((urlsplit(url).path or "/").lower()))


def page_number(url: str) -> int:
    """The page number a pagination URL names (1 when it names none)."""
    match = vocab.PAGE_NUMBER.search(url)
    if not match:
        return 1
    return int(match.group(1) or match.group(2))
