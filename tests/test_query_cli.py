"""`newsarchive query`: output formats, -o, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsarchive.cli import main
from tests.conftest import ROOT
from tests.e2e import run_cli
from tests.test_query_views import (
    FRONT_PAGE_OVER_TIME,
    SYNTH_RUN,
    SYNTH_SITE,
    add_synthetic_run,
)

TOP_THREE = (
    "SELECT position, title FROM listing_items "
    "WHERE fetched_at = TIMESTAMPTZ '2026-03-01 09:00:00+00' AND position <= 3 ORDER BY position"
)


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    add_synthetic_run(tmp_path / "archives")
    return tmp_path / "archives"


def query(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_output_is_aligned(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = query(capsys, TOP_THREE, str(archive))
    assert code == 0, err
    assert out.splitlines() == [
        "position  title",
        "--------  ----------",
        "       1  Headline A",
        "       2  Headline B",
        "       3  Headline C",
        "(3 rows)",
    ]


def test_table_cells_are_cut_and_rows_limited(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = query(
        capsys,
        "SELECT body FROM articles ORDER BY url",
        str(archive),
        "--max-width",
        "12",
        "--max-rows",
        "2",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[2] == "Paragraph o…"
    assert len(lines) == 2 + 2 + 1
    assert lines[-1].startswith("(first 2 rows shown")


def test_csv_to_stdout(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = query(capsys, TOP_THREE, str(archive), "--format", "csv")
    assert code == 0, err
    assert list(csv.reader(io.StringIO(out))) == [
        ["position", "title"],
        ["1", "Headline A"],
        ["2", "Headline B"],
        ["3", "Headline C"],
    ]


def test_jsonl_to_stdout_keeps_nested_values(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = query(
        capsys,
        "SELECT url, captions, related[1].title AS first_related FROM articles ORDER BY url",
        str(archive),
        "--format",
        "jsonl",
    )
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 6
    assert lines[0]["captions"] == [
        {"text": "Caption 0", "credit": "Photo desk", "image_url": None}
    ]
    assert lines[0]["first_related"] == "Synthetic story everyone links to"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_output_file_is_readable_by_duckdb(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    target = tmp_path / f"front.{fmt}"
    code, out, err = query(
        capsys, FRONT_PAGE_OVER_TIME, str(archive), "--format", fmt, "-o", str(target)
    )
    assert code == 0, err
    assert out == ""
    assert f"wrote 10 row(s) to {target}" in err
    reader = {"csv": "read_csv", "jsonl": "read_json", "parquet": "read_parquet"}[fmt]
    got = duckdb.sql(f"SELECT position, title FROM {reader}('{target}')").fetchall()
    assert got[:5] == [(i, f"Headline {h}") for i, h in enumerate("GABCD", start=1)]
    assert len(got) == 10


def test_table_to_a_file(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "table.txt"
    code, out, _ = query(capsys, TOP_THREE, str(archive), "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").splitlines()[-1] == "(3 rows)"


def test_parquet_needs_an_output_file(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = query(capsys, TOP_THREE, str(archive), "--format", "parquet")
    assert code == 2
    assert out == ""
    assert "--format parquet needs -o FILE" in err


def test_output_into_a_missing_directory_is_refused_before_reading(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-dir" / "out.csv"
    code, _, err = query(capsys, TOP_THREE, str(archive), "--format", "csv", "-o", str(target))
    assert code == 2
    assert f"the directory {target.parent} does not exist" in err


def test_a_syntax_error_prints_duckdbs_message_without_traceback(archive: Path) -> None:
    result = run_cli("query", "SELEC title FROM articles", str(archive))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith('error: Parser Error: syntax error at or near "SELEC"')
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT * FROM no_such_view", "Catalog Error"),
        ("SELECT no_such_column FROM articles", "Binder Error"),
        ("SELECT CAST(title AS INTEGER) FROM articles", "Conversion Error"),
        ("", "the query is empty"),
    ],
)
def test_other_query_errors_exit_2_with_the_message(
    archive: Path, capsys: pytest.CaptureFixture[str], sql: str, message: str
) -> None:
    code, out, err = query(capsys, sql, str(archive))
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and message in err


def test_a_missing_archive_directory_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = query(capsys, TOP_THREE, str(tmp_path / "nowhere"))
    assert code == 2
    assert out == ""
    assert f"error: {tmp_path / 'nowhere'}: archive directory not found" in err


def test_the_default_archive_directory_is_archives(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(archive.parent)
    code, out, _ = query(capsys, "SELECT DISTINCT site, run_id FROM articles", "--format", "csv")
    assert code == 0
    assert out.splitlines() == ["site,run_id", f"{SYNTH_SITE},{SYNTH_RUN}"]


def test_corrupt_lines_are_reported_on_stderr_and_the_query_runs(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = archive / SYNTH_SITE / SYNTH_RUN / "articles-hostb-202.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"type": "article", "url": "https://synth.example/cut-o\n')
    code, out, err = query(
        capsys, "SELECT count(*) AS n FROM articles", str(archive), "--format", "csv"
    )
    assert code == 0
    assert out.splitlines() == ["n", "6"]
    assert err.splitlines()[0] == (
        f"{path}:3: invalid JSON: Unterminated string starting at (column 28)"
    )
    assert "skipped 1 unreadable line(s) or file(s)" in err


def test_several_statements_run_in_order(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = (
        "CREATE MACRO front(t) AS TABLE SELECT title FROM listing_items "
        "WHERE fetched_at = t AND position = 1; "
        "SELECT * FROM front(TIMESTAMPTZ '2026-03-01 13:00:00+00');"
    )
    code, out, err = query(capsys, sql, str(archive), "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["title", "Headline H"]


def test_writing_a_non_query_statement_as_csv_is_refused(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = query(capsys, "CREATE TABLE t AS SELECT 1", str(archive), "--format", "csv")
    assert code == 2
    assert "only a query" in err


def test_the_command_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out: Any = capsys.readouterr().out
    assert "query" in out and "export" in out


def test_query_and_export_do_not_load_scrapy() -> None:
    code = (
        "import sys\n"
        "from newsarchive.cli import build_parser\n"
        "import newsarchive.query.views, newsarchive.query.export, newsarchive.schema\n"
        "build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'scrapy', 'twisted'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_a_syntax_error_is_found_before_the_archive_is_read(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = archive / SYNTH_SITE / SYNTH_RUN / "articles-hostb-202.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{broken\n")
    code, out, err = query(capsys, "SELECT FROM WHERE", str(archive))
    assert code == 2
    assert out == ""
    assert err.startswith("error: Parser Error")
    assert str(path) not in err
