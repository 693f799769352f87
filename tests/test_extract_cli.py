"""`newsarchive extract`: FILE arguments, --url, --from-jsonl with .html.gz, error objects and
exit codes, run in-process through newsarchive.cli.main."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newsarchive.cli import main
from tests.conftest import FIXTURES

SEED = FIXTURES / "seed-article.html"
SEED_URL = json.loads((FIXTURES / "seed-article.expected.json").read_text(encoding="utf-8"))["url"]


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["extract", *args])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return code, lines, captured.err


def test_single_file_with_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run_cli(["--url", "https://example.org/x-1/", str(SEED)], capsys)
    assert code == 0
    assert len(lines) == 1
    obj = lines[0]
    assert obj["source"] == str(SEED)
    assert obj["url"] == "https://example.org/x-1/"
    assert obj["title"].startswith("Ukraine: Russian and U.S. Officials Meet")
    assert obj["related"][0]["url"] == (
        "https://example.org/basmanny-court-sentences-yuri-dud-in-absentia-under-foreign-agent-law-9862/"
    )
    assert list(obj)[:3] == ["source", "url", "title"]
    assert "extracted 1 page(s), 0 error(s)" in err


def test_without_url_the_canonical_link_is_the_base(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run_cli([str(SEED)], capsys)
    assert code == 0
    assert lines[0]["url"] == SEED_URL
    assert lines[0]["captions"][0]["image_url"].startswith("https://en.orda.kz/uploads/")


def test_from_jsonl_with_gzip_and_relative_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    # gzip detected by magic bytes, whatever the name says
    (pages / "seed.html.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (pages / "other.html").write_bytes(gzip.compress(SEED.read_bytes()))
    listing = tmp_path / "list.jsonl"
    listing.write_text(
        json.dumps({"path": "pages/seed.html.gz", "url": SEED_URL})
        + "\n"
        + json.dumps({"path": str(pages / "other.html"), "url": "https://example.org/y-2/"})
        + "\n",
        encoding="utf-8",
    )
    code, lines, _ = run_cli(["--from-jsonl", str(listing)], capsys)
    assert code == 0
    assert [obj["source"] for obj in lines] == ["pages/seed.html.gz", str(pages / "other.html")]
    assert lines[0]["published"] == "2025-02-18T12:41:00+05:00"
    assert lines[1]["url"] == "https://example.org/y-2/"
    assert "error" not in lines[0]
    assert "error" not in lines[1]


def test_unreadable_file_gives_error_object_and_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.html"
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code, lines, err = run_cli([str(missing), str(SEED), str(empty)], capsys)
    assert code == 0
    assert [obj["source"] for obj in lines] == [str(missing), str(SEED), str(empty)]
    assert "cannot read file" in lines[0]["error"]
    assert set(lines[0]) == {"source", "url", "error"}
    assert "error" not in lines[1]
    assert lines[2]["error"] == "empty document"
    assert "extracted 1 page(s), 2 error(s)" in err


def test_all_unreadable_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    listing = tmp_path / "list.jsonl"
    listing.write_text('{"path": "nope.html"}\nnot json\n{"url": "https://x/"}\n', encoding="utf-8")
    code, lines, _ = run_cli([str(broken), "--from-jsonl", str(listing)], capsys)
    assert code == 1
    assert len(lines) == 4
    assert all("error" in obj for obj in lines)
    assert "broken gzip" in lines[0]["error"]
    assert lines[2]["source"] == f"{listing}:2"


def test_no_input_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract"]) == 2
    assert "FILE" in capsys.readouterr().err


def test_capture_time_rules_out_later_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed page says 2025-02-18; a capture a day earlier cannot have seen that date."""
    listing = tmp_path / "list.jsonl"
    records = [
        {"path": str(SEED), "url": SEED_URL, "fetched_at": "2025-02-20T00:00:00Z"},
        {"path": str(SEED), "url": SEED_URL, "fetched_at": "2025-02-16T00:00:00Z"},
    ]
    listing.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, lines, _ = run_cli(["--from-jsonl", str(listing)], capsys)
    assert code == 0
    assert [obj["published"] for obj in lines] == ["2025-02-18T12:41:00+05:00", None]
    code, lines, _ = run_cli(["--fetched-at", "2025-02-16T00:00:00Z", str(SEED)], capsys)
    assert lines[0]["published"] is None


def test_gc_settings_are_restored_after_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    before = gc.get_threshold()
    run_cli([str(SEED)], capsys)
    assert gc.get_threshold() == before
    assert gc.isenabled()
