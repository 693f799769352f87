"""kill -9 in the middle of a crawl, then the same command again: the run resumes, no article is
lost, none is emitted twice, and the WARC left `.open` is closed and valid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from newsarchive.demosite import DemoOptions, build_manifest
from tests.demo_server import demo_site_process
from tests.e2e import ROOT, path_of, read_jsonl, run_cli

pytestmark = pytest.mark.slow


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_kill_and_resume(tmp_path: Path) -> None:
    out = tmp_path / "archives"
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_STRICT_TESTS"}
    with demo_site_process("--latency", "150") as base:
        args = ["crawl", "demo", "--demo-url", base, "--out", str(out), "--quiet"]
        crawl = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        site = out / "demo"

        def articles_written() -> bool:
            return any(p.stat().st_size > 0 for p in site.glob("*/articles.jsonl")) and any(
                site.glob("*/warc/*.open")
            )

        try:
            assert wait_for(articles_written, 120), "no article line and .open WARC in time"
        finally:
            os.kill(crawl.pid, signal.SIGKILL)
            crawl.wait(timeout=10)
        (run_dir,) = [p for p in site.iterdir() if p.is_dir()]
        before = (
            read_jsonl(run_dir / "articles.jsonl")
            if (run_dir / "articles.jsonl").read_bytes().endswith(b"\n")
            else None
        )
        assert list(run_dir.glob("warc/*.open"))
        assert not (run_dir / "run.json").exists()

        result = run_cli(*args)
        assert result.returncode == 0, result.stderr[-3000:]

    (again,) = [p for p in site.iterdir() if p.is_dir()]
    assert again == run_dir, "the unfinished run is resumed, not replaced"
    assert (run_dir / "run.json").exists()
    assert not list(run_dir.glob("warc/*.open"))
    articles = read_jsonl(run_dir / "articles.jsonl")
    if before is not None:
        assert articles[: len(before)] == before, "lines written before the kill are kept"
    got = Counter(path_of(a["canonical_url"]) for a in articles)
    expected = {
        path_of(m["url"])
        for m in build_manifest(DemoOptions())
        if m["page_type"] == "article" and m.get("crawlable", True)
    }
    assert set(got) == expected
    assert all(n == 1 for n in got.values()), [u for u, n in got.items() if n > 1]
    warcio = str(Path(sys.executable).parent / "warcio")
    for warc in run_dir.glob("warc/*.warc.gz"):
        check = subprocess.run([warcio, "check", str(warc)], capture_output=True, text=True)
        assert check.returncode == 0, (warc.name, check.stdout)
