"""What kind of page an article is, beyond its text: live blog, gallery, video or plain
article; behind a paywall; or an app shell whose text only a script renders.

These flags tell a researcher why a body is short: a paywall teaser, a gallery introduction,
a video's one line, or nothing at all because the HTML holds no text (`needs_js`).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from newsarchive.extract.dom import DomIndex
from newsarchive.extract.metadata import PageMetadata
from newsarchive.extract.vocab import Role
from newsarchive.records import Caption, Embed, LiveEntry, PageFormat

_LIVE_TYPES = frozenset({"liveblogposting"})
_GALLERY_TYPES = frozenset({"imagegallery", "mediagallery"})
_VIDEO_TYPES = frozenset({"videoobject"})
_VIDEO_PROVIDERS = frozenset(
    {"youtube", "vimeo", "rutube", "dailymotion", "vk", "tiktok", "coub", "video"}
)
_MIN_LIVE_ENTRIES = 3
_MIN_GALLERY_IMAGES = 4
_MIN_SLIDES = 3
_MAX_VIDEO_BODY = 600
_MAX_GALLERY_BODY = 1200
_MAX_SHELL_BODY = 200
# Class/id words of a paywall box (its class may also say `promo` or `subscribe`).
_PAYWALL_WORDS = ("paywall", "pay-wall", "regwall", "premium-wall", "subscriber-only", "metered")
# App shells: a mount point and the state a script renders from.
_SHELL_IDS = frozenset({"app", "root", "__next", "__nuxt", "main-app", "react-root"})
_STATE_MARKERS = (
    "__NUXT__", "__NEXT_DATA__", "__INITIAL_STATE__", "__PRELOADED_STATE__",
    "__APOLLO_STATE__", "__remixContext",
)  # fmt: skip


def page_format(
    dom: DomIndex,
    meta: PageMetadata,
    body_chars: int,
    captions: tuple[Caption, ...],
    embeds: tuple[Embed, ...],
    entries: tuple[LiveEntry, ...],
    *,
    scope: HtmlElement | None,
    paywalled: bool,
) -> PageFormat:
    types = meta.jsonld_types
    if types & _LIVE_TYPES or len(entries) >= _MIN_LIVE_ENTRIES:
        return "liveblog"
    og_type = meta.og_type or ""
    has_video = any(e.provider in _VIDEO_PROVIDERS for e in embeds) or bool(dom.tagged("video"))
    video_marked = og_type.startswith("video") or bool(types & _VIDEO_TYPES)
    if body_chars <= _MAX_VIDEO_BODY and has_video and (video_marked or body_chars < 300):
        return "video"
    if types & _GALLERY_TYPES:
        return "gallery"
    if body_chars <= _MAX_GALLERY_BODY:
        pictured = sum(1 for c in captions if c.image_url)
        captioned = sum(len(c.text) for c in captions)
        if pictured >= _MIN_GALLERY_IMAGES and captioned >= 0.5 * body_chars:
            return "gallery"
        if not paywalled and scope is not None and _has_slider(dom, scope):
            return "gallery"  # (a paywall's teaser is short too: its slider is no gallery)
    return "article"


def _has_slider(dom: DomIndex, scope: HtmlElement) -> bool:
    """A gallery/slider/carousel of several pictures in the article."""
    for el in dom.walk(scope, skip_chrome=True):
        if not dom.role(el) & Role.GALLERY:
            continue
        # Slides other than the current one are hidden: count the pictures, shown or not.
        if sum(1 for _ in el.iter("img", "amp-img")) >= _MIN_SLIDES:
            return True
    return False


def is_paywalled(dom: DomIndex, meta: PageMetadata) -> bool:
    """JSON-LD says the article is not free, or a visible paywall box sits in the page."""
    if meta.free is False:
        return True
    for el, roles in dom.roles.items():
        if not roles & Role.PROMO or dom.is_invisible(el):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if any(word in names for word in _PAYWALL_WORDS):
            return True
    return False


def needs_js(dom: DomIndex, body_chars: int) -> bool:
    """Almost no text in the HTML, and an app shell that a script fills in."""
    if body_chars > _MAX_SHELL_BODY:
        return False
    for el in dom.tagged("div", "main", "section"):
        if (el.get("id") or "").lower() in _SHELL_IDS and dom.chars(el) < _MAX_SHELL_BODY:
            return True
    return any(_holds_state(script) for script in dom.tagged("script"))


def _holds_state(script: HtmlElement) -> bool:
    if (script.get("id") or "") in ("__NEXT_DATA__", "__NUXT_DATA__"):
        return True
    text = script.text or ""
    return any(marker in text for marker in _STATE_MARKERS)
