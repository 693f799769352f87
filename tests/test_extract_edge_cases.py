"""Edge cases of fixture-site.md §12 that concern extraction, built by hand in the §6 markup:
paywall (E1), gallery (E3), video-only (E4), soft 404 (E6), JS shell (E16), relative URLs
(E18), hidden content (E19), and the modern template of §6(e)."""

from __future__ import annotations

from newsarchive.extract import classify_page, extract_article
from newsarchive.records import Caption
from tests.extract_pages import BASE, PARAGRAPHS, SIDEBAR, load, orda_page, paragraphs


def test_paywall_teaser_only() -> None:
    """E1: two teaser paragraphs, then a paywall box; no promo text in the body."""
    html = orda_page(
        paragraphs(2) + '<div class="paywall">Subscribe to continue reading. '
        "Get full access to Qala News for 990 tenge a month.</div>"
    )
    assert extract_article(load(html)).body == "\n\n".join(PARAGRAPHS[:2])


def test_gallery_captions_are_not_body() -> None:
    """E3: intro paragraph plus figures with captions and credits; body is the intro only."""
    figures = "".join(
        f'<figure><img src="/uploads/nauryz-{n}.webp"><figcaption>Celebration in Astana, '
        f'scene {n}. <span class="credit">Photo: Aidos Erlanov</span></figcaption></figure>'
        for n in range(1, 4)
    )
    thumbs = "".join(f'<img src="/uploads/thumb-{n}.webp" width="40">' for n in range(1, 4))
    html = orda_page(paragraphs(1) + f'<div class="gallery">{figures}</div>{thumbs}')
    fields = extract_article(load(html, url=f"{BASE}/photo/nauryz-in-astana-photos-9003/"))
    assert fields.body == PARAGRAPHS[0]
    assert [c.text for c in fields.captions] == [
        f"Celebration in Astana, scene {n}." for n in range(1, 4)
    ]
    assert {c.credit for c in fields.captions} == {"Aidos Erlanov"}


def test_video_only_page_keeps_its_one_line() -> None:
    """E4: a YouTube iframe and a one-line description."""
    html = orda_page(
        '<div class="embed embed--video"><iframe src="https://www.youtube.com/embed/x"></iframe>'
        "</div><p>The akim answered questions about the new tram line.</p>",
        head='<meta property="og:type" content="video.other">',
    )
    page = load(html, url=f"{BASE}/video/akim-briefing-video-9004/")
    assert extract_article(page).body == "The akim answered questions about the new tram line."


def test_soft_404_is_not_found_even_with_chrome() -> None:
    html = (
        "<html><head><title>Page not found</title></head><body><main><h1>Page not found</h1>"
        f"<p>Sorry, this page does not exist. Try the search.</p></main>{SIDEBAR}</body></html>"
    )
    assert classify_page(load(html, url=f"{BASE}/soft-404-test-9006/")) == "not_found"


def test_js_only_shell_text_comes_from_its_state() -> None:
    """E16: article text only in an inline JSON state script."""
    html = (
        '<html><head><meta property="og:type" content="article"><title>Story</title></head>'
        '<body><div id="app"></div><script>window.__NUXT__={"body": "'
        + PARAGRAPHS[0]
        + '"}</script></body></html>'
    )
    fields = extract_article(load(html, url=f"{BASE}/js-only-article-9017/"))
    assert fields.needs_js
    assert fields.body == PARAGRAPHS[0]


def test_relative_urls_resolve_against_base_href() -> None:
    """E18: <base href="/ru/">, protocol-relative and ../ links."""
    html = orda_page(
        paragraphs()
        + '<p><b>Read also:</b> <a href="../other-story-5701/">Other story</a></p>'
        + '<figure><img src="//127.0.0.2:8080/img.webp"><figcaption>Foreign image.</figcaption>'
        "</figure>",
        head='<base href="/ru/">',
    )
    fields = extract_article(load(html, url=f"{BASE}/relative-urls-9019/"))
    read_also = [r.url for r in fields.related if r.kind == "read_also"]
    assert read_also == [f"{BASE}/other-story-5701/"]
    assert fields.captions == (
        Caption(text="Foreign image.", credit="", image_url="https://127.0.0.2:8080/img.webp"),
    )
    latest = [r.url for r in fields.related if r.kind == "latest_news"]
    assert latest[0] == f"{BASE}/kazakhstan-to-extend-gas-export-ban-5718/"


def test_hidden_content_is_excluded() -> None:
    """E19: hidden duplicate caption, aria-hidden block, display:none SEO text."""
    html = orda_page(
        paragraphs(2)
        + '<div class="ui-modal__hide"><p>Hidden modal copy of a long caption text here.</p></div>'
        + '<div aria-hidden="true"><p>Decorative text that screen readers skip entirely.</p></div>'
        + '<p style="display:none">Keyword stuffing for search engines, hidden from readers.</p>'
        + '<p style="visibility: hidden">Invisible text that takes space but is not shown.</p>'
        + paragraphs()[-300:]
    )
    body = extract_article(load(html, url=f"{BASE}/hidden-content-9020/")).body
    for needle in ("Hidden modal", "Decorative", "Keyword stuffing", "Invisible text"):
        assert needle not in body


def test_modern_template() -> None:
    """§6(e): <article>, itemprop=articleBody, <figure>, address.byline with rel=author."""
    html = f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
    <title>Story — Qala News</title><meta property="og:type" content="article"></head>
    <body><main class="content"><ol class="breadcrumbs"><li><a href="/">Главная</a></li>
    <li><a href="/category/society/">Общество</a></li></ol>
    <article class="story" itemscope itemtype="https://schema.org/NewsArticle">
    <header class="story__header"><p class="story__kicker"><a href="/category/society/">Общество</a>
    </p><h1 class="story__title" itemprop="headline">Маслихат пересмотрел тендер</h1>
    <p class="story__standfirst">Маслихат Астаны пересмотрел тендер на строительство линии.</p>
    <address class="byline">Автор: <a rel="author" href="/author/a/">Айгерим Садыкова</a></address>
    <time itemprop="datePublished" datetime="2025-03-28T20:48:00+05:00">28.03.2025, 20:48</time>
    </header><figure class="story__image"><img src="/uploads/lead.webp" alt="">
    <figcaption>Зал заседаний. <span class="credit">Фото: Айдос Ерланов / Qala News</span>
    </figcaption></figure><div class="share">Telegram WhatsApp</div>
    <div class="story__body" itemprop="articleBody">{paragraphs()}</div>
    <footer class="story__footer"><ul class="tags"><li><a href="/tag/astana/">Астана</a></li>
    </ul></footer></article>{SIDEBAR}</main></body></html>"""
    fields = extract_article(load(html))
    assert fields.title == "Маслихат пересмотрел тендер"
    assert fields.lead == "Маслихат Астаны пересмотрел тендер на строительство линии."
    assert fields.body == "\n\n".join([fields.lead, *PARAGRAPHS])
    assert fields.authors == ("Айгерим Садыкова",)
    assert fields.published == "2025-03-28T20:48:00+05:00"
    assert fields.section == "Общество"
    assert fields.tags == ("Астана",)
    assert fields.language == "en"  # lang="ru", but the paragraphs are English
    assert fields.captions == (
        Caption(
            text="Зал заседаний.",
            credit="Айдос Ерланов / Qala News",
            image_url=f"{BASE}/uploads/lead.webp",
        ),
    )


def test_snapshot_hiding_states_do_not_hide_the_page() -> None:
    """Anti-flicker `async-hide` on <html>, aria-hidden on the page wrapper behind a modal."""
    html = orda_page(paragraphs())
    html = html.replace('<html lang="en">', '<html lang="en" class="async-hide">')
    html = html.replace('<main class="content">', '<div id="page" aria-hidden="true"><main>')
    html = html.replace("</main>", "</main></div>")
    fields = extract_article(load(html))
    assert fields.body == "\n\n".join(PARAGRAPHS)
    assert fields.title == "Almaty Akimat Postpones LRT Tender for Third Time"
