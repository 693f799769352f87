"""The terminal table: widths in terminal cells, cut cells, aligned numbers."""

from __future__ import annotations

import datetime as dt

from newsarchive.query.table import cell_text, cut, render_table, text_width


def test_widths_count_terminal_cells() -> None:
    assert text_width("abc") == 3
    assert text_width("Қазақ") == 5
    assert text_width("新聞") == 4
    assert text_width("e\u0301") == 1  # e + combining acute accent


def test_cut_ends_with_an_ellipsis_and_never_splits_a_wide_character() -> None:
    assert cut("short", 10) == "short"
    assert cut("Маслихат Астаны", 8) == "Маслиха…"
    assert cut("新聞新聞", 4) == "新…"
    assert text_width(cut("新聞新聞", 4)) <= 4


def test_cells_show_null_times_and_nested_values_readably() -> None:
    assert cell_text(None) == "NULL"
    assert cell_text(True) == "true"
    when = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    assert cell_text(when) == "2026-03-01 09:00:00+00:00"
    assert cell_text([{"text": "Фото", "credit": None}]) == '[{"text": "Фото", "credit": null}]'
    assert cell_text("line one\nline two\ttab") == "line one↵line two tab"


def test_columns_align_and_numbers_go_right() -> None:
    lines = render_table(
        ["site", "n", "title"],
        ["VARCHAR", "BIGINT", "VARCHAR"],
        [("demo", 5, "新聞 title"), ("a-much-longer-site", 12345, None)],
    )
    assert lines == [
        "site                    n  title",
        "------------------  -----  ----------",
        "demo                    5  新聞 title",
        "a-much-longer-site  12345  NULL",
    ]


def test_long_cells_are_cut_to_the_maximum_width() -> None:
    lines = render_table(["body"], ["VARCHAR"], [("x" * 100,)], max_cell_width=10)
    assert lines[2] == "x" * 9 + "…"


def test_the_table_fits_the_terminal_width() -> None:
    rows = [("a" * 30, "b" * 30, "c" * 30)]
    lines = render_table(["one", "two", "three"], ["VARCHAR"] * 3, rows, total_width=50)
    assert all(text_width(line) <= 50 for line in lines)
    assert lines[2].count("…") == 3
