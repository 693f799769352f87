"""`newsarchive replay` on WARC/ARC files written by other crawlers (../shared/warc-samples)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import shared_path
from tests.e2e import run_cli


def test_replay_reads_other_tools_warcs(tmp_path: Path) -> None:
    samples = shared_path("warc-samples")
    out = tmp_path / "out.jsonl"
    result = run_cli("replay", str(samples), "--site", "generic", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "replayed 6 WARC file(s), 21 responses" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        assert line["type"] in {"article", "listing"}
        assert line["capture"]["warc_file"] and line["capture"]["record_id"]


def test_replay_reports_bad_records_and_goes_on(tmp_path: Path) -> None:
    sample = shared_path("warc-samples/wpull-example.warc.gz").read_bytes()
    broken = tmp_path / "broken.warc.gz"
    # A good file, garbage, then the good file again: the second copy must still be read.
    broken.write_bytes(sample + b"\x1f\x8b\x08garbage-not-a-gzip-member" * 3 + sample)
    result = run_cli("replay", str(broken), "--site", "generic")
    assert result.returncode == 0, result.stderr
    assert "2 responses" in result.stderr
    assert "broken.warc.gz" in result.stderr and "offset" in result.stderr


def test_replay_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("replay", str(tmp_path / "nope.warc.gz"))
    assert result.returncode == 2
    assert "not found" in result.stderr
