"""Stories split over several pages: the link from one page of a story to the next.

A continuation is a `rel="next"` link (`<link>` in the head or `<a>` in the page) to the same
story's next page: the same host and path with the page number one higher, as a query parameter
(`?page=2`, `?p=2`, `?pg=2`, `?paged=2`) or a path suffix (`/page/2/`). A `rel="next"` to
another path is the next story of a blog, not a continuation; a listing's next page is never
asked about (only article pages are).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from newsarchive.extract.html import HtmlPage

_PAGE_PARAMS = ("page", "p", "pg", "paged")
_PATH_PAGE = re.compile(r"/page/(?P<n>\d{1,3})/?$")
# (one pass in C over the document; the token test follows in Python)
_NEXT_LINKS = etree.XPath("//link[contains(@rel, 'next')] | //a[contains(@rel, 'next')]")
_MEMO_KEY = ("continuation",)
_MAX_PAGES = 50
"""A bigger number is no page of a story: an id, a calendar, a counter."""


def story_page(url: str) -> tuple[str, int]:
    """(the URL of the story's first page, this page's number): `/story/?page=3` → (`/story/`,
    3); a URL without a page marker is page 1 of itself."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for index, (name, value) in enumerate(query):
        # (a bigger number is an id: WordPress's `?p=4521` names a post, not its page)
        if name in _PAGE_PARAMS and value.isdigit() and 1 <= int(value) <= _MAX_PAGES:
            rest = query[:index] + query[index + 1 :]
            return urlunsplit(parts._replace(query=urlencode(rest), fragment="")), int(value)
    match = _PATH_PAGE.search(parts.path)
    if match and 1 <= int(match["n"]) <= _MAX_PAGES:
        path = parts.path[: match.start()] + "/"
        return urlunsplit(parts._replace(path=path, fragment="")), int(match["n"])
    return urlunsplit(parts._replace(fragment="")), 1


def continuation_url(page: HtmlPage) -> str | None:
    """The URL of the next page of this story, if the page links one (memoised on the page:
    the crawl asks once to fetch it and once to join it)."""
    if _MEMO_KEY not in page.memo:
        page.memo[_MEMO_KEY] = _find_continuation(page)
    found: str | None = page.memo[_MEMO_KEY]
    return found


def _find_continuation(page: HtmlPage) -> str | None:
    own = page.url or page.base_url
    if not own:
        return None
    story, number = story_page(own)
    found = _NEXT_LINKS(page.root)
    links = (
        [el for el in found if isinstance(el, etree._Element)] if isinstance(found, list) else []
    )
    for link in links:
        if "next" not in str(link.get("rel") or "").lower().split():
            continue
        url = page.absolute(str(link.get("href") or ""))
        if url is None:
            continue
        next_story, next_number = story_page(url)
        if next_number == number + 1 and _same_story(next_story, story):
            return url
    return None


def _same_story(a: str, b: str) -> bool:
    first, second = urlsplit(a), urlsplit(b)
    return (
        first.netloc.lower() == second.netloc.lower()
        and first.path.rstrip("/") == second.path.rstrip("/")
        and first.query == second.query
    )
