"""Captions and credit lines: every credit format of fixture-site.md §6(b), the figcaption forms
of §6(c), credit-line positions of §6(a), and hidden modal duplicates (E19)."""

from __future__ import annotations

import pytest

from newsarchive.extract import extract_article
from newsarchive.extract.credits import parse_credit_line, split_caption
from newsarchive.records import Caption
from tests.extract_pages import BASE, IMAGE, load, orda_page, paragraphs, postpic

LEAD_IMAGE = BASE + IMAGE

CREDIT_FORMATS = [
    ("Photo: freepik, ill. purp.", "freepik, ill. purp."),
    ("Photo: Elements.envato.com, ill. purposes", "Elements.envato.com, ill. purposes"),
    ("Photo: Qala News collage", "Qala News collage"),
    ("Фото: Айдос Ерланов / Qala News", "Айдос Ерланов / Qala News"),
    ("Коллаж: Qala News / Akorda / Freepik", "Qala News / Akorda / Freepik"),
    ("Фото: istockphoto.com", "istockphoto.com"),
    ("Сурет: ашық дереккөз", "ашық дереккөз"),
    ("Images | Depositphotos", "Depositphotos"),
    ("© Reuters", "Reuters"),
    ("(Photo: AFP)", "AFP"),
]


@pytest.mark.parametrize(("line", "credit"), CREDIT_FORMATS)
def test_parse_credit_line(line: str, credit: str) -> None:
    assert parse_credit_line(line) == credit


@pytest.mark.parametrize(
    "sentence",
    [
        "Photos of the meeting were published by the akimat on Monday evening.",
        "The photo exhibition opens in Almaty on Friday.",
        "Images from the satellite show the damage clearly.",
        "",
    ],
)
def test_sentences_are_not_credit_lines(sentence: str) -> None:
    assert parse_credit_line(sentence) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Planned route of the first line. Photo: Almaty akimat press service",
            ("Planned route of the first line.", "Almaty akimat press service"),
        ),
        ("Protesters in Bishkek (Photo: AFP)", ("Protesters in Bishkek", "AFP")),
        ("The new depot © Reuters", ("The new depot", "Reuters")),
        ("Photo: freepik, ill. purp.", ("", "freepik, ill. purp.")),
        ("Just a caption", ("Just a caption", "")),
    ],
)
def test_split_caption(text: str, expected: tuple[str, str]) -> None:
    assert split_caption(text) == expected


@pytest.mark.parametrize(("line", "credit"), CREDIT_FORMATS)
def test_credit_line_under_lead_image(line: str, credit: str) -> None:
    html = orda_page(paragraphs(), postpic=postpic(f'<div class="postpic__caption">{line}</div>'))
    fields = extract_article(load(html))
    assert fields.captions == (Caption(text="", credit=credit, image_url=LEAD_IMAGE),)
    assert line not in fields.body
    assert fields.body.startswith("The Almaty city administration")


def test_bare_credit_paragraph_first_in_body() -> None:
    """§6(a) hardest case: a bare <p>Photo: …</p> as the first child of the body."""
    html = orda_page("<p>Photo: freepik, ill. purp.</p>" + paragraphs(), postpic=postpic(""))
    fields = extract_article(load(html))
    assert fields.captions == (
        Caption(text="", credit="freepik, ill. purp.", image_url=LEAD_IMAGE),
    )
    assert "freepik" not in fields.body
    assert len(fields.body.split("\n\n")) == 4


def test_photo_credit_paragraph_after_first_paragraph() -> None:
    """§6(a) lada style: <p class="photo-credit">Фото: …</p> after paragraph 1."""
    html = orda_page(
        paragraphs(1) + '<p class="photo-credit">Фото: istockphoto.com</p>' + paragraphs(),
        postpic=postpic(""),
    )
    fields = extract_article(load(html))
    assert fields.captions == (Caption(text="", credit="istockphoto.com", image_url=LEAD_IMAGE),)
    assert "istockphoto" not in fields.body


def test_no_credit_line_gives_no_caption() -> None:
    fields = extract_article(load(orda_page(paragraphs(), postpic=postpic(""))))
    assert fields.captions == ()


def test_figcaption_with_credit_span() -> None:
    figure = (
        '<figure class="inline-figure"><img data-src="/uploads/route.webp" '
        'src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><noscript><img src="/uploads/route.webp">'
        "</noscript><figcaption>Planned route of the first line. "
        '<span class="credit">Photo: Almaty akimat press service</span></figcaption></figure>'
    )
    html = orda_page(paragraphs(2) + figure + paragraphs(4)[-300:], postpic=postpic(""))
    fields = extract_article(load(html))
    assert (
        Caption(
            text="Planned route of the first line.",
            credit="Almaty akimat press service",
            image_url=f"{BASE}/uploads/route.webp",
        )
        in fields.captions
    )
    assert "Planned route" not in fields.body
    assert "press service" not in fields.body


def test_kommersant_pair_and_hidden_modal_copy_counted_once() -> None:
    """§6(c): caption/credit pair, plus a hidden modal duplicate (ui-modal__hide)."""
    pair = (
        '<p class="media__text">Residents at a public hearing.</p>'
        '<p class="media__text media__src">Фото: Дмитрий Азаров, Коммерсантъ</p>'
    )
    figure = (
        f'<figure class="media"><img src="/uploads/hearing.webp"><figcaption>{pair}</figcaption>'
        f'<div class="ui-modal__hide"><figcaption>{pair}</figcaption></div></figure>'
        f'<div class="ui-modal__hide"><figure><img src="/uploads/hearing.webp">'
        f"<figcaption>{pair}</figcaption></figure></div>"
    )
    html = orda_page(paragraphs(2) + figure + paragraphs(), postpic=postpic(""))
    fields = extract_article(load(html))
    expected = Caption(
        text="Residents at a public hearing.",
        credit="Дмитрий Азаров, Коммерсантъ",
        image_url=f"{BASE}/uploads/hearing.webp",
    )
    assert fields.captions == (expected,)
    assert "Residents at a public hearing" not in fields.body


def test_caption_pair_without_figure_element() -> None:
    block = (
        '<div class="media"><img src="/uploads/street.webp" alt="">'
        '<p class="media__text">A street in Turkistan after the rain.</p>'
        '<p class="media__text media__src">(Photo: AFP)</p></div>'
    )
    fields = extract_article(load(orda_page(paragraphs(2) + block + paragraphs())))
    assert (
        Caption(
            text="A street in Turkistan after the rain.",
            credit="AFP",
            image_url=f"{BASE}/uploads/street.webp",
        )
        in fields.captions
    )
    assert "Turkistan after the rain" not in fields.body


def test_hidden_caption_elements_are_ignored() -> None:
    hidden = (
        '<figure><img src="/uploads/a.webp"><figcaption>Visible caption.</figcaption></figure>'
        '<div style="display:none"><figure><img src="/uploads/b.webp">'
        "<figcaption>SEO caption.</figcaption></figure></div>"
        '<figure aria-hidden="true"><img src="/uploads/c.webp"><figcaption>Aria caption.'
        "</figcaption></figure>"
    )
    fields = extract_article(load(orda_page(paragraphs(2) + hidden + paragraphs())))
    assert [c.text for c in fields.captions] == ["Visible caption."]
