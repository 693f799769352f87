"""What archiving and extraction cost a crawl: bare Scrapy vs the full newsarchive crawl.

Run by hand (a few minutes):  .venv/bin/python bench/crawl_speed.py [--size 2000]

The demo site runs in its own process (`newsarchive demo-site --size N --latency MS`). For each
latency (200 ms: a polite crawl of a real site; 0 ms: CPU-bound) the script crawls it twice, back
to back, with the same spider and settings (CONCURRENT_REQUESTS_PER_DOMAIN=8, AutoThrottle off,
no delay):
  bare  — no WARC capture, no item pipelines (the spider still classifies pages and follows links)
  full  — the newsarchive crawl: WARC records, extraction, JSON lines, state
and prints pages/s of each and the ratio bare/full (targets: <= 1.05 at 200 ms, <= 1.5 at 0 ms).
Then it replays the full run's WARCs and prints replay pages/s against the crawl's (target >= 3x),
and the peak RSS of every process (target < 300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.demo_process import NEWSARCHIVE, crawl_command, serve, stop  # noqa: E402

COMMON = [
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "LOG_LEVEL=ERROR",
]
BARE = [
    "-s",
    "NEWSARCHIVE_CAPTURE_ENABLED=False",
    "-s",
    "ITEM_PIPELINES={}",
    "-s",
    "DOWNLOAD_HANDLERS={}",
]


@dataclass
class Measure:
    pages: int
    seconds: float
    peak_rss_mb: float

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def run_measured(args: list[str]) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) of this one child, and its stderr."""
    started = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - started
    err = proc.stderr.read()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"command failed: {' '.join(args)}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, err


def crawl(base: str, out: Path, extra: list[str]) -> Measure:
    cmd = crawl_command(base, out, *COMMON, *extra)
    elapsed, rss, _ = run_measured(cmd)
    (run_json,) = out.glob("demo/*/run.json")
    record = json.loads(run_json.read_text(encoding="utf-8"))
    # The crawl's own clock: from spider open to close, without interpreter start-up.
    return Measure(record["counts"]["responses"], record["duration_s"] or elapsed, rss)


def replay(out: Path) -> Measure:
    (run_dir,) = [p for p in out.glob("demo/*") if p.is_dir()]
    pages = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))["counts"]["exchanges"]
    cmd = [NEWSARCHIVE, "replay", str(run_dir), "-o", os.devnull]
    elapsed, rss, _ = run_measured(cmd)
    return Measure(pages, elapsed, rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--latencies", default="200,0", help="comma-separated, in ms")
    args = parser.parse_args()
    print(f"demo site: {args.size} en articles; CONCURRENT_REQUESTS_PER_DOMAIN=8, no delay")
    for latency in (int(x) for x in args.latencies.split(",")):
        server, base = serve("--size", str(args.size), "--latency", str(latency))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                bare = crawl(base, Path(tmp) / "bare", BARE)
                full = crawl(base, Path(tmp) / "full", [])
                again = replay(Path(tmp) / "full")
        finally:
            stop(server)
        target = 1.05 if latency >= 100 else 1.5
        ratio = bare.rate / full.rate if full.rate else float("inf")
        print(f"\nlatency {latency} ms")
        print(
            f"  bare Scrapy   : {bare.pages:6d} pages in {bare.seconds:6.1f} s = "
            f"{bare.rate:7.1f} pages/s, peak RSS {bare.peak_rss_mb:5.0f} MB"
        )
        print(
            f"  newsarchive   : {full.pages:6d} pages in {full.seconds:6.1f} s = "
            f"{full.rate:7.1f} pages/s, peak RSS {full.peak_rss_mb:5.0f} MB"
        )
        print(f"  ratio bare/full: {ratio:.3f}  (target <= {target})")
        print(
            f"  replay        : {again.pages:6d} pages in {again.seconds:6.1f} s = "
            f"{again.rate:7.1f} pages/s, peak RSS {again.peak_rss_mb:5.0f} MB; "
            f"{again.rate / full.rate if full.rate else 0:.1f}x the crawl (target >= 3)"
        )


if __name__ == "__main__":
    main()
