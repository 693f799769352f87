"""Progress is shown on a terminal and only there; every run ends with a summary."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_progress_on_a_terminal(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_STRICT_TESTS"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsarchive",
            "crawl",
            "demo",
            "--out",
            str(tmp_path),
            "--demo-latency",
            "20",
            "-s",
            "NEWSARCHIVE_PROGRESS_INTERVAL=0.2",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    proc.wait(timeout=120)
    os.close(primary)
    text = output.decode("utf-8", errors="replace")
    assert proc.returncode == 0, text[-2000:]
    assert "fetched" in text and "/s)" in text and "articles" in text and "queued" in text
    assert "newsarchive crawl demo finished" in text


def test_no_progress_without_a_terminal(demo_run) -> None:  # type: ignore[no-untyped-def]
    assert "fetched " not in demo_run.result.stderr
    assert "\r" not in demo_run.result.stderr
    assert "newsarchive crawl demo finished" in demo_run.result.stdout
