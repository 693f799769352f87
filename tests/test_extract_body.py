"""Body text: generic main-content detection on several CMS shapes, and what the body excludes
(read-also lines, promos, embeds, hidden text, tags, bylines) or keeps (subheadings, lists,
quotes, tables)."""

from __future__ import annotations

import re

import pytest

from newsarchive.extract import extract_article
from newsarchive.records import Related
from tests.extract_pages import BASE, PARAGRAPHS, load, orda_page, paragraphs

READ_ALSO_URL = f"{BASE}/almaty-buses-switch-to-cashless-fares-5702/"


def body_of(html: str) -> str:
    return extract_article(load(html)).body


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ('<p><b>Read also:</b> <a href="/almaty-buses-switch-to-cashless-fares-5702/">{t}</a></p>',
         "Read also"),
        ('<p><strong>Читайте также:</strong> '
         '<a href="/almaty-buses-switch-to-cashless-fares-5702/">{t}</a></p>', "Читайте также"),
        ('<p>Оқи отырыңыз: <a href="/almaty-buses-switch-to-cashless-fares-5702/">{t}</a></p>',
         "Оқи отырыңыз"),
        ('<p><a href="/almaty-buses-switch-to-cashless-fares-5702/">{t}</a></p>', "read_also"),
    ],
)  # fmt: skip
def test_read_also_variants(line: str, label: str) -> None:
    title = "Almaty buses switch to cashless fares"
    html = orda_page(paragraphs(2) + line.format(t=title) + paragraphs()[-400:])
    fields = extract_article(load(html))
    assert title not in fields.body
    assert "Read also" not in fields.body
    read_also = [r for r in fields.related if r.kind == "read_also"]
    assert read_also == [
        Related(title=title, url=READ_ALSO_URL, position=1, block=label, kind="read_also")
    ]


def test_all_read_also_lines_form_one_block_in_document_order() -> None:
    lines = (
        '<p><b>Read also:</b> <a href="/first-story-5601/">First story</a></p>'
        + paragraphs(1)
        + '<p><a href="/second-story-5602/">Second story</a></p>'
        + '<p><b>Read also:</b> <a href="/third-story-5603/">Third story</a></p>'
    )
    fields = extract_article(load(orda_page(paragraphs(2) + lines + paragraphs())))
    read_also = [r for r in fields.related if r.kind == "read_also"]
    assert [(r.title, r.position, r.block) for r in read_also] == [
        ("First story", 1, "Read also"),
        ("Second story", 2, "Read also"),
        ("Third story", 3, "Read also"),
    ]
    # The read-also block comes before the sidebar block in document order.
    assert fields.related[0].kind == "read_also"
    assert fields.related[-1].kind == "latest_news"


def test_link_in_running_text_is_not_read_also() -> None:
    line = (
        '<p>The <a href="/almaty-buses-switch-to-cashless-fares-5702/">switch to cashless fares</a>'
        " last year showed how quickly the city can move when the money is there.</p>"
    )
    fields = extract_article(load(orda_page(paragraphs(2) + line)))
    assert "switch to cashless fares last year" in fields.body
    assert not [r for r in fields.related if r.kind == "read_also"]


def test_chrome_inside_body_is_excluded() -> None:
    chrome = """
      <div class="adv adv--inread"><span class="adv__label">Advertisement</span></div>
      <blockquote class="twitter-tweet"><p>The LRT tender has been moved again.</p>&mdash; City
        Watch (@citywatch_kz) <a href="https://twitter.com/citywatch_kz/status/1">March 29</a>
      </blockquote><script async src="https://platform.twitter.com/widgets.js"></script>
      <div class="embed embed--video"><iframe src="https://www.youtube.com/embed/x"></iframe></div>
      <p class="promo">Subscribe to our <a href="https://t.me/qala_news">Telegram channel</a> to
        get the news first.</p>
      <p>Subscribe to our Telegram channel to get the news first.</p>
      <p class="original-author">Original Author: Raushan Temirova</p>
      <p>Original Author: Raushan Temirova</p>
      <ul class="tags"><li><a href="/tag/almaty/">Almaty</a></li><li><a href="/tag/lrt/">LRT</a>
      </li></ul>
      <div hidden>Hidden SEO text that is long enough to look like a paragraph of the body.</div>
      <p style="display: none">Another hidden paragraph with enough words to be scored.</p>
      <div aria-hidden="true">Aria hidden paragraph with enough words in it to count.</div>
      <div class="comments"><p>Great article, thanks for writing it, very informative!</p></div>
    """
    intro = "<p>City Watch, a local activist group, posted the news on X:</p>"
    body = body_of(orda_page(paragraphs(2) + intro + chrome + paragraphs()[-300:]))
    assert "posted the news on X:" in body  # the sentence introducing an embed stays
    for needle in (
        "Advertisement",
        "LRT tender has been moved",
        "citywatch",
        "Subscribe",
        "Telegram",
        "Original Author",
        "Almaty\n",
        "Hidden SEO",
        "hidden paragraph",
        "Aria hidden",
        "Great article",
        "We use cookies",
        "Latest news",
        "Kazakhstan to Extend",
        "Reproduction",
        "1 284",
        "29.03.2025",
    ):
        assert needle not in body, needle


@pytest.mark.parametrize(
    "line",
    [
        "Get Motor Cycle Weekly delivered through your letterbox. 12 issues for £11.99.",
        "Listen to Morning Report live at 7:00 weekdays - or listen back here.",
        "Download our app for the latest headlines.",
        "Got a news tip? Email newsroom@example.org.",
        "Copyright 2019 The Associated Press. All rights reserved.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Comments are moderated and will be approved if they respect our guidelines.",
        "ATENÇÃO: Comentários ofensivos não serão aprovados pelo moderador.",
        'Also: <a href="https://www.example.org/black-friday-deals">See our Black Friday deals</a>',
        "Best gifts for co-workers under $50 on A... SEE FULL GALLERY",
        "The minister said the plan would cost more than… Read more",
        "Если вы нашли ошибку, выделите её и нажмите Ctrl+Enter.",
        "При перепечатке материалов ссылка на Qala News обязательна.",
        "Есть новость? Пишите нам в WhatsApp: +7 777 123 45 67",
        "Бізді Telegram-да оқыңыз!",
        "Жаңалықтарды Telegram арнамыздан оқыңыз",
        "Мақаланы бөлісіңіз",
    ],
)
def test_offer_tip_copyright_comment_and_teaser_lines_are_not_body(line: str) -> None:
    body = body_of(orda_page(paragraphs(2) + f"<p>{line}</p>" + paragraphs()[-300:]))
    words = re.sub(r"<[^>]+>", "", line).split()
    assert " ".join(words[:4]) not in body, line


@pytest.mark.parametrize(
    "sentence",
    [
        "If you want Disney+, a free 7-day trial is on offer; then it costs $6.99 per month.",
        "The new app lets drivers pay for parking, the city said on Tuesday in a statement.",
        "Also, the mayor said the route would reopen in April after the repairs are finished.",
        "The council said it would watch the results closely before the next budget round.",
        "Residents left hundreds of comments under the plan during the public hearing.",
        "Shares of the airline fell 4% after the announcement, the exchange said on Monday.",
        "Ошибку в расчётах нашли аудиторы, сообщили в министерстве финансов в пятницу.",
    ],
)
def test_sentences_that_look_like_promos_stay(sentence: str) -> None:
    body = body_of(orda_page(paragraphs(2) + f"<p>{sentence}</p>" + paragraphs()[-300:]))
    assert sentence in body


def test_subheadings_lists_quotes_and_tables_are_kept() -> None:
    content = (
        paragraphs(2)
        + "<h2>Reaction from residents</h2>"
        + "<ul><li>Fares will rise by 10 percent in May.</li><li>Night routes are cut.</li></ul>"
        + '<blockquote class="quote">We need open financing terms,</blockquote>'
        + "<p>said urban planner Dana Bekova.</p>"
        + "<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2024</td><td>530</td></tr></table>"
    )
    body = body_of(orda_page(content))
    blocks = body.split("\n\n")
    assert "Reaction from residents" in blocks
    assert "Fares will rise by 10 percent in May." in blocks
    assert "Night routes are cut." in blocks
    assert "We need open financing terms," in blocks
    assert "said urban planner Dana Bekova." in blocks
    assert "Year | Cost\n2024 | 530" in blocks


def test_pull_quote_repeating_a_sentence_is_not_added_twice() -> None:
    quote = f"<blockquote><p>{PARAGRAPHS[1]}</p></blockquote>"
    body = body_of(orda_page(paragraphs(1) + quote + paragraphs()))
    assert body.count(PARAGRAPHS[1]) == 1


def test_double_br_splits_paragraphs() -> None:
    text = f"{PARAGRAPHS[0]}<br><br>{PARAGRAPHS[1]}<br>{PARAGRAPHS[2]}"
    body = body_of(orda_page(text))
    assert body == f"{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}\n{PARAGRAPHS[2]}"


def test_wordpress_entry_content_with_sidebar_and_comments() -> None:
    html = f"""<html><head><title>Post</title></head><body>
    <div id="page"><header id="masthead"><h1 class="site-title">Blog</h1></header>
    <div id="primary" class="content-area"><article class="post type-post">
    <header class="entry-header"><h1 class="entry-title">Post title here</h1>
    <div class="entry-meta">Posted on March 3 by admin</div></header>
    <div class="entry-content">{paragraphs()}<div class="sharedaddy">Share this: Twitter</div>
    </div><footer class="entry-footer">Tags: a, b</footer></article>
    <div id="comments" class="comments-area"><ol class="comment-list"><li><p>{PARAGRAPHS[3]}
    and I fully agree with the author on this point, great job.</p></li></ol></div></div>
    <aside id="secondary" class="widget-area"><section class="widget"><p>{PARAGRAPHS[2]} About
    the author of this blog and other long sidebar text.</p></section></aside>
    </div></body></html>"""
    body = body_of(html)
    assert body == "\n\n".join(PARAGRAPHS)


def test_schema_org_article_body_is_preferred() -> None:
    html = f"""<html><body><div class="layout"><div class="col">
    <div class="teaser"><p>{PARAGRAPHS[3]} Teaser text of another story on the home page.</p></div>
    <div itemprop="articleBody">{paragraphs(3)}</div></div></div></body></html>"""
    assert body_of(html) == "\n\n".join(PARAGRAPHS[:3])


def test_text_split_by_ads_into_chunks_is_joined() -> None:
    html = f"""<html><body><article><h1>Headline of the story</h1><div class="chunks">
    <div class="grid"><div class="article-body">{paragraphs(2)}</div><div class="ad-rail"></div>
    </div><div class="grid"><div class="article-body">{
        "".join(f"<p>{p} More words.</p>" for p in PARAGRAPHS[2:])
    }</div><div class="ad-rail"></div></div></div></article></body></html>"""
    body = body_of(html)
    assert PARAGRAPHS[0] in body
    assert f"{PARAGRAPHS[3]} More words." in body


def test_loose_text_container_with_br() -> None:
    text = "<br><br>".join(PARAGRAPHS)
    html = f"""<html><body><table><tr><td class="menu"><a href="/">Home</a></td>
    <td><div class="news-detail">{text}</div></td></tr></table></body></html>"""
    assert body_of(html) == "\n\n".join(PARAGRAPHS)


def test_standfirst_outside_body_is_lead_and_first_paragraph() -> None:
    standfirst = "The city has postponed the tender for the third time this year."
    html = f"""<html><head><meta name="description" content="Meta description."></head><body>
    <article><h1>Headline</h1><p class="story__standfirst">{standfirst}</p>
    <div class="story__body" itemprop="articleBody">{paragraphs()}</div></article></body></html>"""
    fields = extract_article(load(html))
    assert fields.lead == standfirst
    assert fields.body.split("\n\n")[0] == standfirst
    assert fields.body.count(standfirst) == 1


def test_lead_falls_back_to_meta_description() -> None:
    fields = extract_article(load(orda_page(paragraphs())))
    assert fields.lead == "The city administration has again moved the tender."


def test_profile_body_selector_overrides_detection() -> None:
    from newsarchive.extract import ExtractProfile

    html = orda_page(paragraphs(), after='<div class="extra"><p>Profile-selected text.</p></div>')
    profile = ExtractProfile.from_mapping({"body": ["div.extra"]})
    assert extract_article(load(html), profile).body == "Profile-selected text."
    assert extract_article(load(html)).body.startswith(PARAGRAPHS[0])


def test_profile_remove_selector_drops_nodes() -> None:
    from newsarchive.extract import ExtractProfile

    html = orda_page(paragraphs(2) + '<p class="site-note">A site-specific note to drop.</p>')
    profile = ExtractProfile.from_mapping({"remove": ["p.site-note"]})
    assert "site-specific note" in extract_article(load(html)).body
    assert "site-specific note" not in extract_article(load(html), profile).body


def test_author_tagline_after_the_text_is_not_body() -> None:
    tagline = "Aigerim Sadykova is a senior reporter for Qala News covering the city budget."
    at_end = body_of(orda_page(paragraphs() + f"<p>{tagline}</p>"))
    assert "Aigerim Sadykova" not in at_end
    assert paragraphs(1)[3:40] in at_end
    in_text = body_of(orda_page(paragraphs(1) + f"<p>{tagline}</p>" + paragraphs()))
    assert tagline in in_text, "a sentence about a reporter inside the story stays"


def test_trailing_link_lines_are_not_body_but_a_bracketed_citation_is() -> None:
    guide = '<p>Buyer\'s Guide: <a href="/guides/buses/">City buses (Buy Now)</a></p>'
    standards = (
        '<p>Our Standards: <a href="https://trust.example.org/">The Trust Principles.</a></p>'
    )
    body = body_of(orda_page(paragraphs() + guide + standards))
    assert "Buyer's Guide" not in body and "Trust Principles" not in body
    assert body.endswith(PARAGRAPHS[3])
    citation = '<p>[<a href="https://www.theverge.com/x">The Verge</a>]</p>'
    assert body_of(orda_page(paragraphs() + citation)).endswith("[The Verge]")
    linked = '<p>More details are in <a href="/report-5701/">the full report</a>.</p>'
    assert "More details are in the full report." in body_of(orda_page(paragraphs() + linked))


def test_short_story_beside_teaser_cards_and_a_long_footer() -> None:
    """Two short paragraphs against eight teaser cards whose class sounds like content (`post`)
    and a footer with more prose: the cards' excerpts and the footer are not the article."""
    story = [
        "The city council approved the new parking rules on Tuesday.",
        "The rules take effect in May, officials said.",
    ]
    cards = "".join(
        f'<div class="post"><h3><a href="/news/story-{i}/">Story number {i} about another '
        f"topic</a></h3><p>The excerpt of story {i} talks at length about a different topic, "
        "with many commas, clauses, and details, so that it reads like prose.</p></div>"
        for i in range(8)
    )
    footer = "<footer><p>" + "About us: an independent newsroom, with reporters in Almaty, "
    footer += "Astana, and Shymkent, covering the region. " * 3 + "</p></footer>"
    for wrapper in ("<article>{}</article>", '<div class="entry">{}</div>', "{}"):
        text = "".join(f"<p>{p}</p>" for p in story)
        main = wrapper.format(f"<h1>Council approves parking rules</h1>{text}")
        html = (
            "<html><head><title>Council approves parking rules</title></head><body><div "
            f'class="wrap"><div class="main">{main}</div><div class="sidebar">{cards}</div>'
            f"</div>{footer}</body></html>"
        )
        assert body_of(html) == "\n\n".join(story), wrapper


def test_widget_with_a_content_like_class_is_not_a_chunk_of_the_text() -> None:
    tweets = "".join(
        f'<div class="tweet-content"><p>Breaking: the council meets again on day {i}, '
        "officials say.</p></div>"
        for i in range(3)
    )
    html = f"""<html><body><div class="wrapper"><div class="main-content">
    <div class="shortcode-content">{paragraphs()}</div></div>
    <div class="tweets-feed">{tweets}</div></div></body></html>"""
    assert body_of(html) == "\n\n".join(PARAGRAPHS)


def test_one_cell_layout_table_keeps_its_paragraphs() -> None:
    text = "<br><br>".join(PARAGRAPHS)
    html = f"""<html><body><div class="col-main"><h1>Tender postponed</h1><table><tr><td>
    {text}</td></tr></table></div><aside class="sidebar"><h3>Popular</h3><ul>{
        "".join(f'<li><a href="/news/s-{i}/">Popular story {i} headline</a></li>' for i in range(6))
    }</ul></aside></body></html>"""
    assert body_of(html) == "\n\n".join(PARAGRAPHS)


def test_comment_section_after_the_text_in_the_same_container() -> None:
    comments = (
        "<h3>Comments (2)</h3><ul><li><b>Ivan</b><p>Great article, thanks for writing about "
        "this important topic!</p></li><li><b>Asel</b><p>I disagree with the city "
        "administration, the tender should go ahead now.</p></li></ul>"
    )
    html = f"""<html><body><div class="col-main"><h1>Tender postponed</h1>{paragraphs()}
    {comments}</div><aside><a href="/news/1/">Other story</a></aside></body></html>"""
    assert body_of(html) == "\n\n".join(PARAGRAPHS)


def test_posted_by_lines_of_live_updates_are_not_body() -> None:
    entries = "".join(
        f'<article class="update"><time>10:0{i}</time><h3>Update {i}: the depot</h3>'
        f'<p>{PARAGRAPHS[i]}</p><span class="note">Posted by Dana Sadykova</span></article>'
        for i in range(3)
    )
    body = body_of(orda_page(paragraphs(1) + entries))
    assert "Posted by" not in body
    assert PARAGRAPHS[2] in body and "Update 2: the depot" in body


def test_follow_us_line_before_channel_icons_and_cards_of_other_stories() -> None:
    """zakon.kz-style "Следите за новостями … в:" with icons after it; a kt.kz-style block of
    other stories' headlines, each with its full lead, under the text."""
    follow = (
        '<p>Следите за новостями Qala News в:</p><div class="social"><a href="https://t.me/q">'
        '<img src="/tg.svg" alt=""></a></div>'
    )
    cards = (
        '<div class="relevant-news"><div class="title">Актуальные новости</div>'
        + "".join(
            f'<div class="item"><a href="/ru/news-{i}-570{i}/">'
            f"Заголовок другой новости номер {i}</a>"
            f"<p>Полный лид другой новости номер {i}, который повторяет первый абзац той статьи "
            "целиком и довольно длинный.</p></div>"
            for i in range(4)
        )
        + "</div>"
    )
    html = orda_page(paragraphs() + follow + cards, lang="ru")
    fields = extract_article(load(html))
    assert fields.body == "\n\n".join(PARAGRAPHS)
    latest = [r for r in fields.related if r.block == "Актуальные новости"]
    assert [(r.position, r.kind) for r in latest] == [(i, "latest_news") for i in range(1, 5)]
