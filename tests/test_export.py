"""`newsarchive export`: one Parquet or CSV file per view, readable back by DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsarchive.cli import main
from newsarchive.query.views import VIEW_NAMES, open_archive
from tests.test_query_views import build_archive


@pytest.fixture(scope="module")
def archive(demo_run: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(demo_run, tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def view_counts(archive: Path) -> dict[str, int]:
    with open_archive(archive) as db:
        return {v: db.con.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in VIEW_NAMES}  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_view_is_exported_and_reads_back(
    archive: Path,
    view_counts: dict[str, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    out_dir = tmp_path / "out" / "nested"
    code = main(["export", "--format", fmt, str(archive), "-o", str(out_dir)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{v}.{fmt}" for v in VIEW_NAMES)
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    for view in VIEW_NAMES:
        path = out_dir / f"{view}.{fmt}"
        ((count,),) = duckdb.sql(f"SELECT count(*) FROM {reader}('{path}')").fetchall()
        assert count == view_counts[view], view
        assert f"{view_counts[view]:>9} rows" in out
    assert out.startswith(f"exported {archive} (2 run(s),")
    assert view_counts["articles"] > 100 and view_counts["related"] > view_counts["articles"]


def test_parquet_keeps_types_and_nested_columns(archive: Path, tmp_path: Path) -> None:
    assert main(["export", str(archive), "-o", str(tmp_path)]) == 0
    articles = tmp_path / "articles.parquet"
    types = dict(
        duckdb.sql(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{articles}')"
        ).fetchall()
    )
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["status"] == "BIGINT"
    assert types["captions"].startswith("STRUCT(")
    ((first, last),) = duckdb.sql(
        f"SELECT min(position), max(position) FROM '{tmp_path}/listing_items.parquet'"
    ).fetchall()
    assert first == 1 and last > 5


def test_an_output_path_that_is_a_file_stops_at_start(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    code = main(["export", str(archive), "-o", str(blocker / "sub")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"error: {blocker / 'sub'}: cannot create the output directory")


def test_a_missing_archive_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "archive directory not found" in err
    assert not list((tmp_path / "out").iterdir())


def test_no_partial_files_are_left_behind(archive: Path, tmp_path: Path) -> None:
    assert main(["export", "--format", "csv", str(archive), "-o", str(tmp_path)]) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
