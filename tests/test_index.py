"""`newsarchive index`: sorted CDXJ equal to what `cdxj-indexer --sort` writes, errors that name
the file and the fix."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.cli import main
from newsarchive.warc.index import write_cdxj
from tests.conftest import require
from tests.e2e import CrawlRun
from tests.warc_factory import gzip_capture, iter_members, make_capture, write_captures


def cdxj_indexer_sorted(*files: Path, post_append: bool = False) -> str:
    """The reference: cdxj-indexer's own command line, `--sort`."""
    command = Path(sys.executable).parent / "cdxj-indexer"
    require(command.exists(), "cdxj-indexer is not installed (pip install cdxj-indexer)")
    flags = ["-s", "-p"] if post_append else ["-s"]
    result = subprocess.run(
        [str(command), *flags, *map(str, files)], capture_output=True, text=True, check=True
    )
    return result.stdout


def index_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["index", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def is_bytewise_sorted(text: str) -> bool:
    lines = [line.encode("utf-8") for line in text.splitlines()]
    return lines == sorted(lines)


@pytest.fixture
def two_files(tmp_path: Path) -> list[Path]:
    first, _ = write_captures(
        tmp_path / "a",
        [
            make_capture("http://example.com/zeta?b=2&a=1"),
            gzip_capture("http://www.example.com/Alpha"),
            make_capture("http://example.com/", status=301, response_headers=(("Location", "/x"),)),
        ],
    )
    second, _ = write_captures(
        tmp_path / "b",
        [make_capture("http://example.org/beta"), make_capture("https://example.com/alpha")],
    )
    return [*first, *second]


def test_equals_cdxj_indexer_sorted_output(two_files: list[Path]) -> None:
    out = io.StringIO()
    summary = write_cdxj(two_files, out)
    expected = cdxj_indexer_sorted(*two_files)
    assert out.getvalue() == expected
    assert summary.lines == 5 == len(expected.splitlines())
    assert summary.files == 2 and not summary.errors


def test_post_append_equals_cdxj_indexer_p(two_files: list[Path]) -> None:
    out = io.StringIO()
    write_cdxj(two_files, out, post_append=True)
    assert out.getvalue() == cdxj_indexer_sorted(*two_files, post_append=True)


def test_lines_are_sorted_bytewise_across_files(two_files: list[Path]) -> None:
    out = io.StringIO()
    write_cdxj(list(reversed(two_files)), out)
    text = out.getvalue()
    assert is_bytewise_sorted(text)
    assert text.splitlines()[0].startswith("com,example)/ ")  # not in input order


def test_demo_run_to_stdout_equals_reference(
    demo_run: CrawlRun, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = index_cli(capsys, str(demo_run.run_dir))
    assert code == 0, err
    assert out == cdxj_indexer_sorted(*demo_run.warc_files)
    assert is_bytewise_sorted(out)
    urls = {line.split('"url": "', 1)[1].split('"', 1)[0] for line in out.splitlines()}
    assert {article["url"] for article in demo_run.articles} <= urls
    assert err.startswith(f"indexed {len(out.splitlines())} records of 1 file(s)")


def test_output_file(two_files: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / "index.cdxj"
    target.parent.mkdir()
    code, out, err = index_cli(capsys, *map(str, two_files), "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == cdxj_indexer_sorted(*two_files)
    assert f"-> {target}" in err
    assert not list(target.parent.glob("*.part"))


def test_open_file_is_indexed_under_its_final_name(
    two_files: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    still_open = tmp_path / "running" / (two_files[0].name + ".open")
    still_open.parent.mkdir()
    shutil.copy(two_files[0], still_open)
    code, out, err = index_cli(capsys, str(still_open.parent))
    assert code == 0
    assert f'"filename": "{two_files[0].name}"' in out
    assert ".open" not in out
    assert "still .open" in err


def test_damaged_file_is_named_and_the_rest_indexed(
    two_files: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.warc.gz"
    last = iter_members(two_files[0])[-2]  # the last response (its request follows)
    assert last.header("WARC-Type") == "response"
    damaged.write_bytes(two_files[0].read_bytes()[: last.offset + last.length // 2])
    code, out, err = index_cli(capsys, str(damaged), str(two_files[1]))
    assert code == 1
    assert len(out.splitlines()) == 4  # two of the cut file, both of the intact one
    assert f"{damaged} at offset " in err and "cut short" in err
    assert "1 damaged file(s)" in err


def test_whole_file_gzip_names_the_fix(
    two_files: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_stream = tmp_path / "onestream.warc.gz"
    one_stream.write_bytes(gzip.compress(gzip.decompress(two_files[0].read_bytes())))
    code, _, err = index_cli(capsys, str(one_stream))
    assert code == 1
    assert "warcio recompress" in err and str(one_stream) in err


def test_missing_input_and_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    code, _, err = index_cli(capsys, str(tmp_path / "nope"))
    assert code == 2 and "nope" in err and "not found" in err
    code, _, err = index_cli(capsys, str(tmp_path))
    assert code == 2 and "no WARC or ARC files" in err


def test_other_tools_warcs_equal_reference() -> None:
    from tests.conftest import shared_path

    samples = shared_path("warc-samples")
    files = sorted(
        p for p in samples.iterdir() if p.name.endswith((".warc", ".warc.gz", ".arc.gz"))
    )
    out = io.StringIO()
    summary = write_cdxj(files, out)
    assert not summary.errors, summary.errors
    assert out.getvalue() == cdxj_indexer_sorted(*files)


def test_wacz_input_points_at_its_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "run.wacz"
    package.write_bytes(b"PK")
    code, _, err = index_cli(capsys, str(package))
    assert code == 2 and "indexes/index.cdxj" in err
