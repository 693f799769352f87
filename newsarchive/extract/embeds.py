"""Third-party content embedded in the article: players (YouTube, Vimeo...), social posts
(tweets, Telegram, Instagram, TikTok), maps and charts. The body leaves them out; `embeds` says
what was there, in document order, so a reader knows the text refers to something else.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsarchive.extract.dom import DomIndex
from newsarchive.records import Embed

_MAX_EMBEDS = 50
# Host suffix → provider name.
_PROVIDERS = (
    ("youtube.com", "youtube"), ("youtube-nocookie.com", "youtube"), ("youtu.be", "youtube"),
    ("vimeo.com", "vimeo"), ("twitter.com", "twitter"), ("x.com", "twitter"),
    ("facebook.com", "facebook"), ("instagram.com", "instagram"), ("t.me", "telegram"),
    ("telegram.org", "telegram"), ("tiktok.com", "tiktok"), ("vk.com", "vk"),
    ("vkvideo.ru", "vk"), ("rutube.ru", "rutube"), ("dailymotion.com", "dailymotion"),
    ("soundcloud.com", "soundcloud"), ("spotify.com", "spotify"), ("coub.com", "coub"),
    ("google.com", "google"), ("dwcdn.net", "datawrapper"), ("flourish.studio", "flourish"),
    ("infogram.com", "infogram"), ("podcasts.apple.com", "apple_podcasts"),
)  # fmt: skip
# Frames that are ads, trackers or widgets of the page itself, not embedded content.
_NOT_CONTENT_HOSTS = ("doubleclick.net", "googlesyndication.com", "googletagmanager.com",
                      "adfox.ru", "yandex.ru", "criteo.com", "facebook.com/tr")  # fmt: skip
_AMP_EMBEDS = {
    "amp-youtube": ("data-videoid", "https://www.youtube.com/watch?v={}", "youtube"),
    "amp-twitter": ("data-tweetid", "https://twitter.com/i/status/{}", "twitter"),
    "amp-instagram": ("data-shortcode", "https://www.instagram.com/p/{}/", "instagram"),
    "amp-vimeo": ("data-videoid", "https://vimeo.com/{}", "vimeo"),
}
_OWN_PLAYER = re.compile(r"video|player|embed|audio|podcast", re.IGNORECASE)
_TAGS = ("iframe", "amp-iframe", "blockquote", "script", "video", *_AMP_EMBEDS)


def provider_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for suffix, name in _PROVIDERS:
        if host == suffix or host.endswith("." + suffix):
            return name
    return host or "unknown"


def find_embeds(dom: DomIndex, scope: HtmlElement | None) -> tuple[Embed, ...]:
    """The embeds inside the article (scope), outside page chrome, each URL once."""
    if scope is None:
        return ()
    found: list[Embed] = []
    seen: set[str] = set()
    for el in scope.iter(*_TAGS):
        embed = _embed(dom, el)
        if embed is None or embed.url in seen:
            continue
        parent = el.getparent()
        if parent is not None and dom.in_chrome(parent):
            continue
        seen.add(embed.url)
        found.append(embed)
        if len(found) >= _MAX_EMBEDS:
            break
    return tuple(found)


def _embed(dom: DomIndex, el: HtmlElement) -> Embed | None:
    tag = el.tag
    absolute = dom.page.absolute
    if tag in ("iframe", "amp-iframe"):
        url = absolute(el.get("src") or el.get("data-src") or el.get("data-lazy-src"))
        if not url or any(h in url for h in _NOT_CONTENT_HOSTS):
            return None
        if dom.same_site(url) and not _OWN_PLAYER.search(urlsplit(url).path):
            return None  # the site's own widget (a poll, a comment frame), not content
        return Embed(provider=provider_of(url), url=url)
    if tag in _AMP_EMBEDS:
        attr, template, provider = _AMP_EMBEDS[tag]
        value = (el.get(attr) or "").strip()
        return Embed(provider=provider, url=template.format(value)) if value else None
    if tag == "script":
        post = (el.get("data-telegram-post") or "").strip()
        return Embed(provider="telegram", url=f"https://t.me/{post}") if post else None
    if tag == "video":
        src = el.get("src") or next((s.get("src") for s in el.iter("source") if s.get("src")), "")
        url = absolute(src)
        return Embed(provider=provider_of(url), url=url) if url else None
    return _quoted_post(dom, el)


def _quoted_post(dom: DomIndex, el: HtmlElement) -> Embed | None:
    """A social post in a <blockquote> that a script turns into a card."""
    classes = (el.get("class") or "").lower()
    absolute = dom.page.absolute
    if "twitter-tweet" in classes or "twitter-video" in classes:
        links = [absolute(a.get("href")) for a in el.iter("a")]
        status = [u for u in links if u and "/status/" in u]
        return Embed(provider="twitter", url=status[-1]) if status else None
    if "instagram-media" in classes:
        url = absolute(el.get("data-instgrm-permalink")) or next(
            (u for a in el.iter("a") if (u := absolute(a.get("href")))), None
        )
        return Embed(provider="instagram", url=url) if url else None
    if "tiktok-embed" in classes:
        url = absolute(el.get("cite"))
        return Embed(provider="tiktok", url=url) if url else None
    if "telegram-post" in classes:
        post = (el.get("data-telegram-post") or "").strip()
        return Embed(provider="telegram", url=f"https://t.me/{post}") if post else None
    return None
