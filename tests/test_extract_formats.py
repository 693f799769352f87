"""Page kinds and what the body leaves out: live blogs (updates oldest first), galleries,
video pages, paywalls, app shells that need JavaScript, and embedded third-party content."""

from __future__ import annotations

import json

from newsarchive.extract import extract_article
from newsarchive.records import Embed, fields_from_json, fields_to_json_dict
from tests.extract_pages import load, orda_page, paragraphs


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def updates(times: list[str], *, holder_class: str = "live-feed") -> str:
    entries = "".join(
        f'<div class="update"><time datetime="2025-03-29T{t}:00+05:00">{t}</time>'
        f"<h3>Update at {t}</h3><p>Rescue teams reported progress on the dam at {t} today, "
        "the emergency ministry said in a statement.</p></div>"
        for t in times
    )
    return f'<div class="{holder_class}">{entries}</div>'


def test_live_blog_updates_come_oldest_first_in_entries_and_body() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "x"})
    html = orda_page(paragraphs(1) + updates(["12:40", "11:05", "09:12"]), head=head)
    fields = extract_article(load(html))
    assert fields.format == "liveblog"
    assert [e.time for e in fields.entries] == [
        "2025-03-29T09:12:00+05:00",
        "2025-03-29T11:05:00+05:00",
        "2025-03-29T12:40:00+05:00",
    ]
    assert fields.entries[0].title == "Update at 09:12"
    assert fields.entries[0].text.startswith("Rescue teams reported progress on the dam at 09:12")
    body = fields.body
    assert body.index("The Almaty city administration") < body.index("Update at 09:12")
    assert body.index("Update at 09:12") < body.index("Update at 11:05") < body.index("12:40")


def test_a_dated_timeline_in_an_article_keeps_its_order() -> None:
    html = orda_page(paragraphs(2) + updates(["12:40", "11:05", "09:12"], holder_class="story"))
    fields = extract_article(load(html))
    assert fields.format == "article"
    assert fields.entries == ()
    assert fields.body.index("Update at 12:40") < fields.body.index("Update at 09:12")


def test_video_page_with_one_line_and_its_player() -> None:
    head = '<meta property="og:type" content="video.other">'
    player = (
        '<iframe src="https://www.youtube.com/embed/abc123" allowfullscreen></iframe>'
        "<p>The akim answers questions about the new tram line.</p>"
    )
    fields = extract_article(load(orda_page(player, head=head)))
    assert fields.format == "video"
    assert fields.body == "The akim answers questions about the new tram line."
    assert fields.embeds == (Embed(provider="youtube", url="https://www.youtube.com/embed/abc123"),)


def test_gallery_page_is_its_introduction_with_captioned_slides() -> None:
    slides = "".join(
        f'<figure><img src="/uploads/nauryz-{i}.jpg" alt=""><figcaption>Nauryz celebrations in '
        f'Astana, picture {i}. <span class="credit">Photo: Aidos Erlanov</span></figcaption>'
        "</figure>"
        for i in range(1, 7)
    )
    intro = "<p>Astana celebrated Nauryz with concerts, fairs and a parade on the main square.</p>"
    fields = extract_article(load(orda_page(intro + f'<div class="gallery">{slides}</div>')))
    assert fields.format == "gallery"
    assert fields.body == intro.removeprefix("<p>").removesuffix("</p>")
    assert len(fields.captions) == 6


def test_paywall_from_json_ld_or_a_visible_box_but_not_a_hidden_template() -> None:
    closed = jsonld({"@type": "NewsArticle", "isAccessibleForFree": "False"})
    assert extract_article(load(orda_page(paragraphs(2), head=closed))).paywalled
    box = '<div class="paywall">Subscribe to continue reading…</div>'
    fields = extract_article(load(orda_page(paragraphs(2) + box)))
    assert fields.paywalled
    assert "Subscribe" not in fields.body
    hidden = '<div class="paywall" style="display:none">Subscribe to continue reading…</div>'
    assert not extract_article(load(orda_page(paragraphs() + hidden))).paywalled
    assert not extract_article(load(orda_page(paragraphs()))).paywalled


STATE_PARAGRAPHS = [
    "Акимат Алматы в третий раз перенёс тендер на строительство линии LRT, сообщили в городе.",
    "По данным акимата, заявки участников не соответствовали обновлённым техническим "
    "требованиям, и комиссия попросила переподать документы до конца апреля.",
    "Первая очередь должна связать микрорайоны на севере города с деловым центром.",
]


def shell(state: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ru"><head><title>Новость — Qala</title></head><body>'
        f'<div id="app"></div><script>{state}</script></body></html>'
    )


def test_app_shell_needs_javascript_and_its_state_gives_the_text() -> None:
    markup = "".join(f"<p>{p}</p>" for p in STATE_PARAGRAPHS) + "<script>alert(1)</script>"
    state = "window.__NUXT__=" + json.dumps(
        {
            "data": [
                {
                    "article": {
                        "title": "Новость",
                        "lead": "Коротко",
                        "body": markup,
                        "published": "2025-03-29T10:20:00+05:00",
                        "authors": [{"name": "Данияр Омаров"}],
                    }
                }
            ]
        },
        ensure_ascii=False,
    ).replace("</", "<\\/")  # as pages escape it, so that no "</script>" ends the script
    fields = extract_article(load(shell(state)))
    assert fields.needs_js
    assert fields.body == "\n\n".join(["Коротко", *STATE_PARAGRAPHS]), "the lead comes first"
    assert (fields.published, fields.authors) == ("2025-03-29T10:20:00+05:00", ("Данияр Омаров",))
    early = extract_article(load(shell(state)), fetched_at="2025-03-01T00:00:00+00:00")
    assert early.published is None, "a date after the capture is no publication date"
    assert not extract_article(load(orda_page(paragraphs()))).needs_js


def test_app_state_with_content_blocks() -> None:
    blocks = [{"type": "paragraph", "text": p} for p in STATE_PARAGRAPHS]
    blocks.insert(1, {"type": "image", "text": "Фото: пресс-служба акимата"})
    state = "window.__INITIAL_STATE__ = " + json.dumps({"page": {"item": {"blocks": blocks}}})
    fields = extract_article(load(shell(state + ";")))
    assert fields.body == "\n\n".join(STATE_PARAGRAPHS)


def test_app_shell_whose_state_is_code_has_no_body() -> None:
    state = 'window.__NUXT__=(function(a){return {body:"' + "x" * 300 + '"}}(1));'
    fields = extract_article(load(shell(state)))
    assert fields.needs_js
    assert fields.body == ""


def test_embeds_in_the_article_in_page_order() -> None:
    embeds = (
        '<blockquote class="twitter-tweet"><p>Tram news</p>&mdash; City (@city) '
        '<a href="https://twitter.com/city/status/42">March 29</a></blockquote>'
        '<script async src="https://telegram.org/js/telegram-widget.js" '
        'data-telegram-post="qala_news/1234"></script>'
        '<amp-youtube data-videoid="xyz789" layout="responsive"></amp-youtube>'
        '<iframe src="https://ads.doubleclick.net/frame"></iframe>'
        '<iframe src="/polls/42/"></iframe>'
    )
    sidebar = '<aside class="sidebar"><iframe src="https://www.youtube.com/embed/side"></iframe>'
    html = orda_page(paragraphs(2) + embeds + paragraphs(4)[-300:], after=sidebar + "</aside>")
    fields = extract_article(load(html))
    assert fields.embeds == (
        Embed(provider="twitter", url="https://twitter.com/city/status/42"),
        Embed(provider="telegram", url="https://t.me/qala_news/1234"),
        Embed(provider="youtube", url="https://www.youtube.com/watch?v=xyz789"),
    )
    assert "Tram news" not in fields.body


def test_new_fields_survive_the_json_round_trip() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "x"})
    fields = extract_article(
        load(orda_page(paragraphs(1) + updates(["12:40", "11:05"] * 2), head=head))
    )
    assert fields.entries
    assert fields_from_json(json.loads(json.dumps(fields_to_json_dict(fields)))) == fields
    assert fields_from_json({"title": "Old line", "body": "Text"}).format == "article"
