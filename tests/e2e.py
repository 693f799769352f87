"""Helpers for end-to-end tests: run the real CLI in a subprocess (Twisted's reactor cannot be
restarted, so each crawl gets its own process) and read what it wrote."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("NEWSARCHIVE_STRICT_TESTS", None)
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def path_of(url: str) -> str:
    """Path and query, percent-escapes upper-cased (links may use either case)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), path)


@dataclass
class CrawlRun:
    out: Path
    result: subprocess.CompletedProcess[str]

    @property
    def run_dir(self) -> Path:
        runs = sorted(p for p in (self.out / "demo").iterdir() if p.is_dir())
        assert len(runs) == 1, runs
        return runs[0]

    @property
    def articles(self) -> list[dict[str, Any]]:
        return read_jsonl(self.run_dir / "articles.jsonl")

    @property
    def listings(self) -> list[dict[str, Any]]:
        return read_jsonl(self.run_dir / "listings.jsonl")

    @property
    def run_json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.run_dir / "run.json").read_text(encoding="utf-8"))
        return data

    @property
    def warc_files(self) -> list[Path]:
        return sorted((self.run_dir / "warc").iterdir())


def crawl_demo(out: Path, *extra: str, expect: int = 0) -> CrawlRun:
    result = run_cli("crawl", "demo", "--out", str(out), *extra)
    assert result.returncode == expect, (
        f"crawl exit {result.returncode}, expected {expect}:\n{result.stdout}\n"
        f"{result.stderr[-5000:]}"
    )
    return CrawlRun(out=out, result=result)
