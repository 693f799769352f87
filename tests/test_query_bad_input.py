"""Damaged archives: each unreadable line is reported as file:line and skipped, the rest is
queried; unusable archive directories give a clear error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsarchive.output import dumps_line
from newsarchive.query.columns import ARTICLE_COLUMNS
from newsarchive.query.errors import ArchiveError
from newsarchive.query.layout import find_runs
from newsarchive.query.lines import line_problem
from newsarchive.query.views import open_archive
from tests.test_query_views import SYNTH_RUN, SYNTH_SITE, add_synthetic_run, synthetic_articles

GOOD = [dumps_line(a) for a in synthetic_articles()]


def write_run(archive: Path, name: str, lines: list[str], run_id: str = SYNTH_RUN) -> Path:
    run = archive / SYNTH_SITE / run_id
    run.mkdir(parents=True, exist_ok=True)
    path = run / name
    path.write_bytes("".join(lines).encode("utf-8") if lines else b"")
    return path


def open_and_count(archive: Path) -> tuple[int, list[str]]:
    with open_archive(archive) as db:
        (count,) = db.con.execute("SELECT count(*) FROM articles").fetchone() or (0,)
        return count, [str(s) for s in db.summary.skipped]


def article_with(**changes: object) -> str:
    line = json.loads(GOOD[0])
    line.update(changes)
    return json.dumps(line, ensure_ascii=False) + "\n"


DAMAGE = {
    "truncated": ('{"type":"article","url":"https://x/","bo', "invalid JSON: Unterminated string"),
    "garbage": ("<html>not json</html>", "invalid JSON: Expecting value"),
    "null line": ("null", "expected a JSON object, got NoneType"),
    "array line": ("[1, 2]", "expected a JSON object, got list"),
    "listing in article file": ('{"type":"listing","url":"https://x/"}', "type is 'listing'"),
    "no type": ('{"url":"https://x/"}', "type is None, expected 'article'"),
    "wrong list type": (article_with(captions="text").rstrip("\n"), "captions: expected an array"),
    "nested type": (
        article_with(related=[{"title": "t", "url": "u", "position": "first"}]).rstrip("\n"),
        "related[0].position: expected an integer, got str",
    ),
    "status text": (article_with(status="ok").rstrip("\n"), "status: expected an integer"),
    "huge integer": (article_with(status=2**70).rstrip("\n"), "status: integer out of range"),
    "duplicate key": ('{"type":"article","title":"a","title":"b"}', "duplicate key 'title'"),
    "lone surrogate": ('{"type":"article","title":"\\ud800x"}', "unpaired UTF-16 surrogate"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_line_is_reported_with_file_and_line_and_skipped(
    tmp_path: Path, case: str
) -> None:
    bad, reason = DAMAGE[case]
    path = write_run(tmp_path, "articles.jsonl", [GOOD[0], GOOD[1], bad + "\n", GOOD[2]])
    count, skipped = open_and_count(tmp_path)
    assert count == 3
    assert len(skipped) == 1, skipped
    assert skipped[0].startswith(f"{path}:3: "), skipped
    assert reason in skipped[0]


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    run = tmp_path / SYNTH_SITE / SYNTH_RUN
    run.mkdir(parents=True)
    path = run / "articles.jsonl"
    path.write_bytes(
        GOOD[0].encode() + b'{"type":"article","title":"\xff\xfe"}\n' + GOOD[1].encode()
    )
    count, skipped = open_and_count(tmp_path)
    assert count == 2
    assert skipped == [f"{path}:2: not UTF-8 (invalid byte at offset 27)"]


def test_a_truncated_last_line_without_newline_is_reported(tmp_path: Path) -> None:
    # What a crash mid-write leaves behind.
    path = write_run(tmp_path, "articles.jsonl", [GOOD[0], GOOD[1][: len(GOOD[1]) // 2]])
    count, skipped = open_and_count(tmp_path)
    assert count == 1
    assert len(skipped) == 1 and skipped[0].startswith(f"{path}:2: invalid JSON")


def test_blank_lines_are_not_errors(tmp_path: Path) -> None:
    write_run(tmp_path, "articles.jsonl", [GOOD[0], "\n", "   \n", GOOD[1]])
    assert open_and_count(tmp_path) == (2, [])


def test_several_bad_lines_and_files_are_all_found_in_order(tmp_path: Path) -> None:
    # Forty files, three of them damaged: DuckDB names one file per error, the rest is bisected.
    damaged = {3: [1, 3], 17: [2], 38: [1, 2, 3]}
    expected = []
    for number in range(40):
        lines = [GOOD[0], GOOD[1], GOOD[2]]
        for line_number in damaged.get(number, []):
            lines[line_number - 1] = "{broken\n"
        path = write_run(tmp_path, f"articles-host-{number:03d}.jsonl", lines)
        expected += [f"{path}:{n}: " for n in damaged.get(number, [])]
    count, skipped = open_and_count(tmp_path)
    assert count == 40 * 3 - 6
    assert [s[: s.index(": ") + 2] for s in skipped] == expected


def test_skipped_lines_keep_site_run_and_source_file(tmp_path: Path) -> None:
    path = write_run(tmp_path, "articles-worker-7.jsonl", [GOOD[0], "oops\n", GOOD[1]])
    with open_archive(tmp_path) as db:
        got = db.con.execute("SELECT DISTINCT site, run_id, source_file FROM articles").fetchall()
        assert got == [(SYNTH_SITE, SYNTH_RUN, str(path))]
        assert db.summary.article_lines == 2


def test_bad_listing_lines_are_reported_too(tmp_path: Path) -> None:
    add_synthetic_run(tmp_path)
    path = tmp_path / SYNTH_SITE / SYNTH_RUN / "listings-hosta-101.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = '{"type":"listing","items":[{"position":"top"}]}\n'
    path.write_text("".join(lines), encoding="utf-8")
    with open_archive(tmp_path) as db:
        assert [str(s) for s in db.summary.skipped] == [
            f"{path}:2: items[0].position: expected an integer, got str"
        ]
        assert db.con.execute("SELECT count(*) FROM listings").fetchone() == (3,)


def test_a_damaged_run_json_is_reported_and_left_out(tmp_path: Path) -> None:
    add_synthetic_run(tmp_path)
    second = write_run(tmp_path, "articles.jsonl", GOOD[:1], run_id="20260302T090000Z")
    run_json = second.parent / "run.json"
    run_json.write_text('{"site": "synth", "counts": ', encoding="utf-8")
    with open_archive(tmp_path) as db:
        skipped = [str(s) for s in db.summary.skipped]
        assert len(skipped) == 1 and skipped[0].startswith(f"{run_json}: invalid JSON")
        assert db.con.execute("SELECT run_id FROM runs").fetchall() == [(SYNTH_RUN,)]
        assert db.con.execute("SELECT count(*) FROM articles").fetchone() == (7,)


def test_run_json_fields_of_the_wrong_type_become_null(tmp_path: Path) -> None:
    add_synthetic_run(tmp_path)
    run_json = tmp_path / SYNTH_SITE / SYNTH_RUN / "run.json"
    run_json.write_text(
        json.dumps({"counts": {"articles": "many", "pages": 3}, "duration_s": True}),
        encoding="utf-8",
    )
    with open_archive(tmp_path) as db:
        assert db.summary.skipped == ()
        got = db.con.execute("SELECT articles, pages, duration_s FROM runs").fetchall()
        assert got == [(None, 3, None)]


def test_a_missing_archive_directory_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ArchiveError) as raised:
        find_runs(missing)
    assert str(missing) in str(raised.value)
    assert "archive directory not found" in str(raised.value)


def test_a_file_instead_of_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    path = write_run(tmp_path, "articles.jsonl", GOOD[:1])
    with pytest.raises(ArchiveError, match="not a directory"):
        find_runs(path)


def test_an_unreadable_archive_directory_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, where chmod 000 changes nothing: deny access the way the OS would.
    real_access = os.access

    def no_access(path: object, mode: int) -> bool:
        return False if Path(str(path)) == tmp_path else real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", no_access)
    with pytest.raises(ArchiveError, match="permission denied"):
        find_runs(tmp_path)


def test_an_unreadable_subdirectory_is_skipped_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_synthetic_run(tmp_path)
    locked = tmp_path / "locked-site"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    runs, skipped = find_runs(tmp_path)
    assert [r.run_id for r in runs] == [SYNTH_RUN]
    assert [str(s) for s in skipped] == [f"{locked}: cannot read directory: Permission denied"]


def test_the_quick_check_passes_what_only_the_strict_check_rejects() -> None:
    # The quick pass (json.loads) runs first; DuckDB's verdict on its copy decides whether the
    # strict pass is needed, so both must agree on the common damage.
    nested = article_with(related=[{"position": "first"}]).encode()
    assert line_problem(nested, ARTICLE_COLUMNS, "article", strict=False) is None
    assert "related[0].position" in (
        line_problem(nested, ARTICLE_COLUMNS, "article", strict=True) or ""
    )
    truncated = GOOD[0][:50].encode()
    for strict in (False, True):
        assert "invalid JSON" in (
            line_problem(truncated, ARTICLE_COLUMNS, "article", strict=strict) or ""
        )
