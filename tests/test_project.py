"""Project-level checks: lint, Scrapy conventions, import boundaries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, require
from tests.e2e import read_jsonl


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    require(Path(ruff).exists(), "ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_pure_libraries_do_not_import_scrapy() -> None:
    code = (
        "import sys, newsarchive.extract, newsarchive.warc.reader, newsarchive.warc.writer, "
        "newsarchive.discovery, newsarchive.demosite, newsarchive.process, newsarchive.replay\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'scrapy', 'twisted'})\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def scrapy_cmd() -> str:
    path = Path(sys.executable).parent / "scrapy"
    require(path.exists(), "the scrapy command is not installed next to this Python")
    return str(path)


def test_scrapy_list_shows_the_spider() -> None:
    result = subprocess.run([scrapy_cmd(), "list"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["news"]


@pytest.mark.slow
def test_scrapy_crawl_works_like_newsarchive_crawl(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_STRICT_TESTS"}
    result = subprocess.run(
        [
            scrapy_cmd(),
            "crawl",
            "news",
            "-a",
            "site=demo",
            "-a",
            "max_pages=40",
            "-s",
            f"NEWSARCHIVE_OUTPUT_DIR={tmp_path}",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (run_dir,) = [p for p in (tmp_path / "demo").iterdir() if p.is_dir()]
    assert list((run_dir / "warc").glob("*.warc.gz"))
    assert (run_dir / "run.json").exists()
    articles = read_jsonl(run_dir / "articles.jsonl")
    assert articles and all(a["capture"]["warc_file"] for a in articles)


def test_mypy_strict_clean() -> None:
    mypy = Path(sys.executable).parent / "mypy"
    require(mypy.exists(), "mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [str(mypy), "--strict", "--no-incremental", "newsarchive"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
