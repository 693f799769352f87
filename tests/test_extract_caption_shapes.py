"""Caption markup of large news templates, written from scratch in their shapes: a caption
hidden from screen readers only, a credit in schema.org `copyrightHolder` with a "Credit…"
label, a header that wraps headline and picture, a caption and its credit in sibling elements,
player poster frames, avatar thumbnails, caption controls and rights notices."""

from __future__ import annotations

import pytest

from newsarchive.extract import extract_article
from newsarchive.records import Caption
from tests.extract_pages import BASE, load, orda_page, paragraphs

PHOTO = f"{BASE}/uploads/2025/03/depot.jpg"


def captions_of(inner: str, *, before: str = "") -> tuple[Caption, ...]:
    html = orda_page(before + paragraphs(2) + inner + paragraphs(4)[-300:])
    return extract_article(load(html)).captions


def test_caption_hidden_from_screen_readers_only_and_copyright_holder() -> None:
    figure = (
        '<figure aria-label="media" role="group"><img src="/uploads/2025/03/depot.jpg" alt="">'
        '<figcaption itemprop="caption description"><span aria-hidden="true">The new depot on '
        'the first day.</span><span itemprop="copyrightHolder"><span>Credit...</span><span>'
        "Aidos Erlanov/Qala News</span></span></figcaption></figure>"
    )
    assert captions_of(figure) == (
        Caption(
            text="The new depot on the first day.",
            credit="Aidos Erlanov/Qala News",
            image_url=PHOTO,
        ),
    )


def test_headline_in_the_picture_wrapper_is_not_caption() -> None:
    header = (
        '<div class="wp-caption"><h1 class="article-title">Depot opens</h1>'
        '<img src="/uploads/2025/03/depot.jpg" alt=""><div class="caption-text-block"><p>The '
        "new depot on the first day, Tuesday, March 18, 2025. (Aidos Erlanov/AP)</p></div></div>"
    )
    assert captions_of(header) == (
        Caption(
            text="The new depot on the first day, Tuesday, March 18, 2025.",
            credit="Aidos Erlanov/AP",
            image_url=PHOTO,
        ),
    )


def test_caption_and_credit_in_sibling_elements_make_one_entry() -> None:
    embed = (
        '<div class="InlineImage-imageEmbed"><div class="InlineImage-imagePlaceholder">'
        '<img src="/uploads/2025/03/depot.jpg" alt=""></div><div>'
        '<div class="InlineImage-imageEmbedCaption">The new depot on the first day.</div>'
        '<div class="InlineImage-imageEmbedCredit">Aidos Erlanov | Qala News</div></div></div>'
    )
    assert captions_of(embed) == (
        Caption(
            text="The new depot on the first day.",
            credit="Aidos Erlanov | Qala News",
            image_url=PHOTO,
        ),
    )


def test_player_poster_avatar_controls_and_rights_notice_are_not_captions() -> None:
    video = (
        '<div class="featured-video"><div class="video-player"><a href="/v/1">'
        '<img src="/uploads/2025/03/poster.jpg" alt="The mayor on the depot"></a></div>'
        '<div class="caption">close video The mayor talks about the depot.</div></div>'
    )
    avatar = (
        '<div class="author-box"><span class="byline-pic"><img '
        'src="/uploads/2013/03/Qala-News-115x115.png" alt=""></span><span>Qala News, '
        'March 18, 2025</span><p class="caption">Qala News staff</p></div>'
    )
    figure = (
        '<figure><img src="/uploads/2025/03/depot.jpg" alt=""><figcaption>Enlarge Image '
        '<span class="credit">Photo: Aidos Erlanov</span></figcaption></figure>'
        '<p class="copyright">© 2025 Qala News. All rights reserved.</p>'
    )
    found = captions_of(video + avatar + figure)
    assert found == (Caption(text="", credit="Aidos Erlanov", image_url=PHOTO),)


def test_unlabelled_credit_set_apart_at_the_end_of_a_caption() -> None:
    figure = (
        '<figure class="small"><img src="/uploads/2025/03/depot.jpg" alt=""><figcaption '
        'class="mt4"><span class="mr3">The mayor at the depot on March 18, 2025.</span><span '
        'class="f2 dib">J. Aidos Erlanov / AP file</span></figcaption></figure>'
    )
    plain = (  # two parts of one sentence: no credit
        '<figure><img src="/uploads/2025/03/yard.jpg" alt=""><figcaption><span>The yard'
        "</span> <span>seen from the east / west gate</span></figcaption></figure>"
    )
    assert captions_of(figure + plain) == (
        Caption(
            text="The mayor at the depot on March 18, 2025.",
            credit="J. Aidos Erlanov / AP file",
            image_url=PHOTO,
        ),
        Caption(
            text="The yard seen from the east / west gate",
            credit="",
            image_url=f"{BASE}/uploads/2025/03/yard.jpg",
        ),
    )


def test_caption_of_a_picture_a_script_loads_stays_its_own() -> None:
    figure = (
        '<figure><img src="/uploads/2025/03/depot.jpg" alt=""><figcaption>The depot.'
        "</figcaption></figure>"
    )
    placeholder = (  # an empty box filled by a script: the caption is not the depot's
        '<figure><div class="picture-placeholder" style="padding-top:67%"></div><figcaption>'
        "<span>The yard at night.</span><span>Aidos Erlanov / Qala News</span></figcaption>"
        "</figure>"
    )
    quotation = (
        "<figure><blockquote><p>We will open the depot on time.</p></blockquote><figcaption>"
        "The mayor</figcaption></figure>"
    )
    assert captions_of(figure + placeholder + quotation) == (
        Caption(text="The depot.", credit="", image_url=PHOTO),
        Caption(text="The yard at night.", credit="Aidos Erlanov / Qala News", image_url=None),
    )


def test_inline_caption_after_the_picture_in_its_paragraph() -> None:
    line = (
        '<p><img src="/uploads/2025/03/depot.jpg" alt=""><br><em>The new depot on the first '
        "day. Фото из открытых источников</em></p>"
    )
    running = (  # emphasis that opens a paragraph of its own is not a caption
        '<p><img src="/uploads/2025/03/yard.jpg" alt=""> <em>Update:</em> the yard opens in '
        "May, the akimat said on Tuesday.</p>"
    )
    fields = extract_article(load(orda_page(paragraphs(2) + line + running + paragraphs(3))))
    assert fields.captions == (
        Caption(
            text="The new depot on the first day.",
            credit="из открытых источников",
            image_url=PHOTO,
        ),
    )
    assert "new depot on the first day" not in fields.body
    assert "the yard opens in May" in fields.body


@pytest.mark.parametrize(
    "img",
    [
        '<img src="data:image/gif;base64,R0lGOD" data-src="/uploads/2025/03/depot.jpg">',
        '<img src="/img/placeholder.png" data-lazy-src="/uploads/2025/03/depot.jpg">',
        '<img srcset="/uploads/2025/03/depot-300.jpg 300w, /uploads/2025/03/depot.jpg 1200w">',
        '<picture><source data-srcset="/uploads/2025/03/depot.jpg 1200w"><img src="data:,">'
        "</picture>",
        '<picture><source srcset="/uploads/2025/03/depot.jpg" type="image/webp"><img '
        'src="/img/blank.gif"></picture>',
        '<img src="/img/blank.gif" class="lazyload"><noscript><img '
        'src="/uploads/2025/03/depot.jpg"></noscript>',
        '<amp-img src="/uploads/2025/03/depot.jpg" width="1200" height="800"></amp-img>',
        '<img src="//qala.example/uploads/2025/03/depot.jpg">',
    ],
)
def test_lazy_picture_shapes_and_a_hidden_copy(img: str) -> None:
    figure = f"<figure>{img}<figcaption>The new depot. Фото: Qala News</figcaption></figure>"
    hidden_copy = (
        '<div class="lightbox" style="display:none"><figure><img '
        'src="/uploads/2025/03/depot.jpg"><figcaption>The new depot. Фото: Qala News'
        "</figcaption></figure></div>"
    )
    assert captions_of(figure + hidden_copy) == (
        Caption(text="The new depot.", credit="Qala News", image_url=PHOTO),
    )


def test_lead_picture_of_the_article_outside_the_text_container() -> None:
    html = (
        '<html><head><title>Depot</title></head><body><article class="page-main"><div '
        'class="lead"><figure><img src="/uploads/2025/03/depot.jpg" alt=""><figcaption>The new '
        'depot. <span class="credit">Reed Saxon / Associated Press</span></figcaption></figure>'
        '</div><div class="article-body"><div class="rich-text">' + paragraphs(4) + "</div></div>"
        "</article></body></html>"
    )
    fields = extract_article(load(html))
    assert fields.captions == (
        Caption(text="The new depot.", credit="Reed Saxon / Associated Press", image_url=PHOTO),
    )


def test_credit_in_a_second_figcaption() -> None:
    figure = (
        '<figure><img src="/uploads/2025/03/depot.jpg" alt=""><figcaption class="caption">The '
        'new depot on the first day.</figcaption><figcaption class="below-caption">Photo<!-- -->: '
        "<!-- -->Getty Images</figcaption></figure>"
    )
    assert captions_of(figure) == (
        Caption(text="The new depot on the first day.", credit="Getty Images", image_url=PHOTO),
    )
