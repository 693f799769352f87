"""Runs that cron can own: site lock, exit codes, quiet mode, minimal environment."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.lock import AlreadyRunning, SiteLock
from tests.conftest import ROOT
from tests.e2e import read_jsonl

pytestmark = pytest.mark.slow


def cron_run(*args: str) -> subprocess.CompletedProcess[str]:
    """The way cron runs a job: no TTY, stdin closed, an almost empty environment."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "newsarchive"), *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "LANG": "C"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    with SiteLock(tmp_path / "demo"), pytest.raises(AlreadyRunning, match="pid"):
        SiteLock(tmp_path / "demo").acquire()
    SiteLock(tmp_path / "demo").acquire().release()  # free again once released


def test_second_run_exits_at_once_with_its_own_code(tmp_path: Path) -> None:
    with SiteLock(tmp_path / "demo"):
        started = time.monotonic()
        result = cron_run("crawl", "demo", "--out", str(tmp_path), "--quiet")
        assert time.monotonic() - started < 20
    assert result.returncode == 75
    assert "another crawl of this site is running" in result.stderr
    assert not list((tmp_path / "demo").glob("2*")), "no run directory for a refused run"


def test_cron_style_quiet_run(tmp_path: Path) -> None:
    result = cron_run("crawl", "demo", "--out", str(tmp_path), "--quiet", "--max-pages", "30")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    (run_dir,) = [p for p in (tmp_path / "demo").iterdir() if p.is_dir()]
    assert read_jsonl(run_dir / "articles.jsonl")
    assert (run_dir / "crawl.log").stat().st_size > 0


def test_bad_profile_is_a_usage_error(tmp_path: Path) -> None:
    result = cron_run("crawl", "nosuchsite", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "no site profile named 'nosuchsite'" in result.stderr


def test_errors_give_exit_status_one(fault_run) -> None:  # type: ignore[no-untyped-def]
    assert fault_run.result.returncode == 1
    assert fault_run.run_json["counts"]["error_total"] > 0


def test_unwritable_output_directory_stops_at_start(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = cron_run("crawl", "demo", "--out", str(blocker), "--quiet")
    assert result.returncode == 2
    assert "not-a-dir" in result.stderr and "--out" in result.stderr
    assert "Traceback" not in result.stderr
