"""Article images: the URL a lazy-loading <img> really shows, and which images are decoration."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsarchive.extract.html import HtmlPage

_LAZY_ATTRS = (
    "data-src", "data-lazy-src", "data-original", "data-full-src", "data-lazy", "data-url",
    "data-hi-res-src", "data-image", "data-orig-file",
)  # fmt: skip
_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
# A `src` that only holds the place of the real image until a script swaps it in.
_PLACEHOLDER = re.compile(
    r"^data:|(?:^|[/_.-])(?:blank|spacer|pixel|placeholder|lazy|loading|transparent|1x1|grey"
    r"|gray|empty)[^/]*\.(?:gif|png|jpe?g|svg|webp)(?:$|\?)",
    re.IGNORECASE,
)
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)([wx])$")
_SMALL_PX = 60
# WordPress-style resized copies carry their size in the name: `photo-115x115.png`.
_THUMBNAIL_SIZE = re.compile(r"[-_](\d{2,4})x(\d{2,4})\.(?:jpe?g|png|gif|webp)(?:$|\?)", re.I)
_THUMBNAIL_PX = 160
IMAGE_TAGS = ("img", "amp-img")
"""Elements that show a picture (AMP pages use <amp-img>)."""


def _largest_in_srcset(srcset: str) -> str | None:
    best, best_size = None, -1.0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1:
            match = _WIDTH.match(parts[1])
            if match:
                size = float(match.group(1))
        if size > best_size and not parts[0].startswith("data:"):
            best, best_size = parts[0], size
    return best


def _noscript_copy(img: HtmlElement) -> HtmlElement | None:
    """The <img> in a <noscript> right after (or around) a lazy placeholder."""
    for node in (img.getnext(), img.getparent()):
        if node is not None and node.tag == "noscript":
            return next(node.iter("img"), None)
    parent = img.getparent()
    if parent is not None:
        for sibling in parent:
            if sibling.tag == "noscript":
                return next(sibling.iter("img"), None)
    return None


def image_url(page: HtmlPage, img: HtmlElement) -> str | None:
    """Absolute URL of the picture an <img> shows: lazy-loading attributes, then a real `src`,
    then the largest `srcset` candidate (or its <picture>'s), then a <noscript> copy."""
    for attr in _LAZY_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not _PLACEHOLDER.search(value):
            return page.absolute(value)
    src = (img.get("src") or "").strip()
    if src and not _PLACEHOLDER.search(src):
        return page.absolute(src)
    for attr in _SRCSET_ATTRS:
        found = _largest_in_srcset(img.get(attr) or "")
        if found:
            return page.absolute(found)
    # (libxml2 does not know <source> is empty: the <img> may sit inside the <source> tags)
    picture = next(img.iterancestors("picture"), None)
    if picture is not None:
        for source in picture.iter("source"):
            found = _largest_in_srcset(source.get("data-srcset") or source.get("srcset") or "")
            if found:
                return page.absolute(found)
    copy = _noscript_copy(img)
    if copy is not None and copy is not img:
        return image_url(page, copy)
    return page.absolute(src) if src and not src.startswith("data:") else None


def is_small_image(img: HtmlElement) -> bool:
    """Icons, pixels and avatars (by declared size, or by the size in a CMS thumbnail's file
    name: `Associated-Press-115x115.png`) are not article images."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _SMALL_PX:
            return True
    src = img.get("src") or img.get("data-src") or ""
    if "x" in src:
        sized = _THUMBNAIL_SIZE.search(src)
        if sized and max(int(sized.group(1)), int(sized.group(2))) <= _THUMBNAIL_PX:
            return True
    return False
