"""Date parsing: ISO forms with offsets, dates as printed in en/ru/kk (and the European languages
of the benchmark), time zones printed after a time, datelines, and the capture-time check."""

from __future__ import annotations

import pytest

from newsarchive.extract.dates import (
    is_date_line,
    month_number,
    normalize_datetime,
    not_after,
    parse_relative_date,
    parse_visible_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # en
        ("March 29, 2025", "2025-03-29"),
        ("Nov. 19, 2019, 8:41 AM UTC", "2019-11-19T08:41:00+00:00"),
        ("Posted: 12/03/2021 at 5:30 pm", "2021-03-12T17:30:00"),
        ("29 March 2025, 14:32", "2025-03-29T14:32:00"),
        ("1st April 2024", "2024-04-01"),
        # ru
        ("29 марта 2025", "2025-03-29"),
        ("3 июня 2025, 18:05", "2025-06-03T18:05:00"),
        ("14 февраля 2025 г., 09:30", "2025-02-14T09:30:00"),
        ("18.02.2025, 12:41", "2025-02-18T12:41:00"),
        ("Опубликовано 1 мая 2024 в 07:15", "2024-05-01T07:15:00"),
        ("14:32, 29 марта 2025", "2025-03-29T14:32:00"),
        ("10:30 | 18.02.2025", "2025-02-18T10:30:00"),
        ("Posted: Fri 6:45 PM, Feb 16, 2018", "2018-02-16T18:45:00"),
        # kk
        ("29 наурыз 2025, 14:32", "2025-03-29T14:32:00"),
        ("2025 жылғы 29 наурыз", "2025-03-29"),
        ("2024 ж. 5 желтоқсан 10:00", "2024-12-05T10:00:00"),
        ("12 қыркүйек 2023", "2023-09-12"),
        ("1 мамыр 2025", "2025-05-01"),
        ("1 маусым 2025", "2025-06-01"),
        # de, pt, fr
        ("29. März 2025 um 14:32", "2025-03-29T14:32:00"),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", "2010-10-22T20:13:00"),
        ("12 juillet 2024", "2024-07-12"),
    ],
)
def test_visible_dates(text: str, expected: str) -> None:
    assert parse_visible_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.03.2025, 20:48 (GMT+5)", "2025-03-28T20:48:00+05:00"),
        ("Published 3 April 2024 10:00 GMT+6", "2024-04-03T10:00:00+06:00"),
        ("18 февраля 2025, 12:41 UTC+05:00", "2025-02-18T12:41:00+05:00"),
        ("March 1, 2024 3:15 pm -0500", "2024-03-01T15:15:00-05:00"),
        ("Tue Nov 19 2019 08:41:00 GMT+0000 (UTC)", "2019-11-19T08:41:00+00:00"),
    ],
)
def test_visible_dates_keep_printed_offsets(text: str, expected: str) -> None:
    assert parse_visible_date(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-02-18T12:41:00+05:00", "2025-02-18T12:41:00+05:00"),
        ("2024-02-14T10:00:00+06:00", "2024-02-14T10:00:00+06:00"),
        ("2025-02-18T07:41:00Z", "2025-02-18T07:41:00+00:00"),
        ("2025-02-18T12:41+0500", "2025-02-18T12:41:00+05:00"),
        ("2025-02-18 12:41:00 GMT", "2025-02-18T12:41:00+00:00"),
        ("Tue, 18 Feb 2025 12:41:00 +0600", "2025-02-18T12:41:00+06:00"),
        ("20250218T1241", "2025-02-18T12:41:00"),
        ("2025-02-30", None),
        ("2025-02-18T12:41:00+15:00", None),
        ("1889-01-01", None),
    ],
)
def test_normalize_datetime(raw: str, expected: str | None) -> None:
    assert normalize_datetime(raw) == expected


@pytest.mark.parametrize(
    "text",
    ["1 284 views", "Room 12/03", "Call 8 800 2025 12", "The 2025 budget", "31 Foo 2025"],
)
def test_not_dates(text: str) -> None:
    assert parse_visible_date(text) is None


@pytest.mark.parametrize(
    ("word", "month"),
    [("марта", 3), ("наурыз", 3), ("мамыр", 5), ("маусым", 6), ("қазан", 10), ("қараша", 11),
     ("Dec.", 12), ("juin", 6), ("juillet", 7), ("outubro", 10), ("März", 3), ("blah", None)],
)  # fmt: skip
def test_month_names(word: str, month: int | None) -> None:
    assert month_number(word.rstrip(".")) == month


@pytest.mark.parametrize(
    ("line", "dateline"),
    [
        ("28.03.2025, 20:48", True),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", True),
        ("Published: 29 March 2025, 14:32", True),
        ("Бейсенбі, 29 наурыз 2025", True),
        ("The council met on 29 March 2025 to vote on the budget.", False),
        ("29 марта 2025 года в Алматы прошёл митинг против повышения тарифов", False),
    ],
)
def test_date_lines(line: str, dateline: bool) -> None:
    assert is_date_line(line) is dateline


@pytest.mark.parametrize(
    ("value", "capture", "kept"),
    [
        ("2025-02-14T09:30:00+05:00", "2025-02-14T12:00:00Z", True),
        ("2025-09-12T19:00:00+05:00", "2025-02-14T12:00:00Z", False),
        # A day of slack: a date without offset, written in local time, late in the evening.
        ("2025-02-14T23:30:00", "2025-02-14T12:00:00Z", True),
        ("2025-02-16", "2025-02-14T12:00:00Z", False),
        ("2025-09-12T19:00:00+05:00", None, True),
    ],
)
def test_dates_after_the_capture_time_are_rejected(
    value: str, capture: str | None, kept: bool
) -> None:
    assert (not_after(value, capture) == value) is kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Сегодня, 14:32", "2025-04-01T14:32:00"),
        ("Обновлено: вчера в 09:15", "2025-03-31T09:15:00"),
        ("Бүгін 10:00", "2025-04-01T10:00:00"),
        ("Кеше, 23:40", "2025-03-31T23:40:00"),
        ("Yesterday at 2:32 PM", "2025-03-31T14:32:00"),
        ("29 марта 2025", None),
    ],
)
def test_relative_dates_take_the_day_of_capture(text: str, expected: str | None) -> None:
    assert parse_relative_date(text, "2025-04-01T03:00:00Z") == expected
    assert parse_relative_date(text, None) is None
