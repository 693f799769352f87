"""Credit parsing: labels in en/ru/kk stripped, separators and "ill. purp." kept; captions that
end with their credit split in two; sentences that merely mention photos left alone."""

from __future__ import annotations

import pytest

from newsarchive.extract.credits import parse_credit_line, split_caption, strip_credit_label


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Photo: freepik, ill. purp.", "freepik, ill. purp."),
        ("Photo by Tim Marshall", "Tim Marshall"),
        ("Photos: Asel Nurlanova / Balkhash Observer", "Asel Nurlanova / Balkhash Observer"),
        ("Фото: департамент экологии области", "департамент экологии области"),
        ("Коллаж: Каспийский меридиан", "Каспийский меридиан"),
        ("Иллюстрация: Freepik", "Freepik"),
        ("Скриншот: YouTube", "YouTube"),
        ("Сурет: Алматы әкімдігінің баспасөз қызметі", "Алматы әкімдігінің баспасөз қызметі"),
        ("Сурет көзі: ашық дереккөз", "ашық дереккөз"),
        ("Images | Depositphotos", "Depositphotos"),
        ("© Reuters", "Reuters"),
        ("(c) AFP 2025", "AFP 2025"),
        ("(Photo: AFP)", "AFP"),
        ("Natalie Naccache | Getty Images", "Natalie Naccache | Getty Images"),
        ("Credit...Doug Mills/The New York Times", "Doug Mills/The New York Times"),
        ("Credit…Doug Mills/The New York Times", "Doug Mills/The New York Times"),
        ("Image copyright Getty Images", "Getty Images"),
        ("Image credit: © NASA/ESA", "NASA/ESA"),
        ("Photo courtesy of the Almaty akimat", "the Almaty akimat"),
        ("[사진=JTBC, 이매진아시아]", "JTBC, 이매진아시아"),
        ("（写真：共同通信）", "共同通信"),
        ("图片来源：新华社", "新华社"),
        ("Фото из открытых источников", "из открытых источников"),
        ("Фото с сайта akorda.kz", "с сайта akorda.kz"),
        ("Фото предоставлено пресс-службой акимата", "пресс-службой акимата"),
        ("Фото Айдоса Ерланова", "Айдоса Ерланова"),
        ("Источник фото: Qala News", "Qala News"),
        ("Сурет ашық дереккөздерден", "ашық дереккөздерден"),
        ("J. Scott Applewhite / AP file", "J. Scott Applewhite / AP file"),
    ],
)  # fmt: skip
def test_credit_lines(line: str, credit: str) -> None:
    assert parse_credit_line(line) == credit
    assert strip_credit_label(line) == credit


@pytest.mark.parametrize(
    "text",
    [
        "Photographers gathered outside the court on Monday morning.",
        "Фотографии выставки можно увидеть до конца месяца.",
        "The photo shows the damage to the bridge after the flood.",
        "Copyrights of the authors are protected by law, the court said in a long ruling.",
        "Reuters reported that the talks would resume in Geneva next week, citing three sources.",
        "© 2019 CBS Interactive Inc. All Rights Reserved.",
        "© Qala News. Перепечатка материалов запрещена.",
        "Photo Gallery",
        "Фото дня",
        "Фото Президента опубликовали в соцсетях.",
        "Photo from the archive of the museum was shown at the exhibition yesterday and then",
    ],
)
def test_sentences_are_not_credits(text: str) -> None:
    assert parse_credit_line(text) is None


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "The first stage runs along Abay Avenue. Photo: City Transport Department",
            ("The first stage runs along Abay Avenue.", "City Transport Department"),
        ),
        (
            "Берег у пляжа Аташ в понедельник. Фото: департамент экологии",
            ("Берег у пляжа Аташ в понедельник.", "департамент экологии"),
        ),
        (
            "Planned high-voltage lines in the south (Photo: KEGOC)",
            ("Planned high-voltage lines in the south", "KEGOC"),
        ),
        ("The new depot © Reuters", ("The new depot", "Reuters")),
        ("Фото: Айдос Ерланов / Qala News", ("", "Айдос Ерланов / Qala News")),
        ("A caption without a credit.", ("A caption without a credit.", "")),
        (
            "Nadal celebrates a point in Madrid, Tuesday, Nov. 19, 2019. (Manu Fernandez/AP)",
            ("Nadal celebrates a point in Madrid, Tuesday, Nov. 19, 2019.", "Manu Fernandez/AP"),
        ),
        (
            "Аким на объекте. Фото Айдоса Ерланова",
            ("Аким на объекте.", "Айдоса Ерланова"),
        ),
        ("The depot at night. Фото — Qala News", ("The depot at night.", "Qala News")),
        ("The depot at night. Photo by Aidos Erlanov", ("The depot at night.", "Aidos Erlanov")),
        (
            "The talks ended without a deal (the third time this year).",
            ("The talks ended without a deal (the third time this year).", ""),
        ),
    ],
)
def test_captions_split_from_their_credits(text: str, parts: tuple[str, str]) -> None:
    assert split_caption(text) == parts


def test_bracketed_credit_element_loses_its_brackets() -> None:
    assert strip_credit_label("(Reed Saxon / Associated Press)") == "Reed Saxon / Associated Press"
    assert strip_credit_label("© 2019 Qala News. All rights reserved.") == ""
