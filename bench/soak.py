"""Soak: a long crawl of the fault-mode demo site, watching memory over the whole run.

Run by hand (several minutes):  .venv/bin/python bench/soak.py [--size 20000] [--keep DIR]

The site runs in its own process (`newsarchive demo-site --faults --size N`), the crawl in
another (`newsarchive crawl demo --demo-url URL --full --quiet`). The crawl's RSS is sampled from
/proc every --interval seconds. Printed at the end: pages/s, peak RSS (sampled and the kernel's
ru_maxrss), RSS over the run in tenths (flat means no leak: target < 300 MB and no growth in
the second half), errors by kind, refusals by reason, WARC bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.demo_process import crawl_command, serve, stop  # noqa: E402

RSS_TARGET_MB = 300


def rss_mb(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def sample(
    pid: int, interval: float, samples: list[tuple[float, float]], done: threading.Event
) -> None:
    started = time.monotonic()
    while not done.wait(interval):
        value = rss_mb(pid)
        if value is not None:
            samples.append((time.monotonic() - started, value))


def tenths(samples: list[tuple[float, float]]) -> list[float]:
    """Mean RSS of each tenth of the run."""
    if not samples:
        return []
    end = samples[-1][0] or 1.0
    buckets: list[list[float]] = [[] for _ in range(10)]
    for at, value in samples:
        buckets[min(int(at / end * 10), 9)].append(value)
    return [sum(b) / len(b) if b else float("nan") for b in buckets]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000, help="en articles (default 20000)")
    parser.add_argument("--interval", type=float, default=1.0, help="RSS sampling, seconds")
    parser.add_argument("--keep", type=Path, help="write the run here (default: a temp dir)")
    args = parser.parse_args()

    out = args.keep or Path(tempfile.mkdtemp(prefix="newsarchive-soak-"))
    server, base = serve("--faults", "--size", str(args.size))
    print(f"soak: fault-mode demo site, {args.size} en articles, at {base}; run in {out}")
    log = out / "crawl-stderr.txt"
    out.mkdir(parents=True, exist_ok=True)
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    started = time.monotonic()
    try:
        with log.open("w") as err:
            crawl = subprocess.Popen(
                crawl_command(base, out),
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
            watcher = threading.Thread(
                target=sample, args=(crawl.pid, args.interval, samples, done), daemon=True
            )
            watcher.start()
            _, wait_status, usage = os.wait4(crawl.pid, 0)
            crawl.returncode = os.waitstatus_to_exitcode(wait_status)
            done.set()
            watcher.join()
    finally:
        stop(server)
    elapsed = time.monotonic() - started
    runs = sorted(out.glob("demo/*/run.json"))
    if not runs:
        print(f"no run.json (exit status {crawl.returncode}); see {log}")
        return 1
    record = json.loads(runs[-1].read_text(encoding="utf-8"))
    counts = record["counts"]
    duration = record["duration_s"] or elapsed
    peak_at, peak_sampled = max(samples, key=lambda sample: sample[1], default=(0.0, 0.0))
    sampled_for = samples[-1][0] if samples else 0.0
    peak = usage.ru_maxrss / 1024
    profile = tenths(samples)
    half = len(profile) // 2
    growth = max(profile[half:]) - profile[half] if profile else 0.0
    print(
        f"exit status {crawl.returncode}, finish reason {record['finish_reason']}, {duration:.0f} s"
    )
    print(
        f"pages         : {counts['pages']} HTML pages, {counts['exchanges']} exchanges, "
        f"{counts['articles']} articles, {counts['listings']} listings"
    )
    print(
        f"pages/s       : {counts['pages'] / duration:.1f} "
        f"({counts['exchanges'] / duration:.1f} exchanges/s)"
    )
    print(
        f"peak RSS      : {peak:.0f} MB (ru_maxrss), {peak_sampled:.0f} MB sampled "
        f"{peak_at:.0f} s into {sampled_for:.0f} s; "
        f"target < {RSS_TARGET_MB} MB: {'ok' if peak < RSS_TARGET_MB else 'OVER'}"
    )
    print("RSS by tenth  : " + " ".join(f"{v:.0f}" for v in profile) + " MB")
    print(f"second half   : {growth:+.0f} MB growth ({'flat' if growth < 20 else 'GROWING'})")
    print(f"errors        : {counts['error_total']} {json.dumps(counts['errors'])}")
    print(f"refused       : {json.dumps(counts.get('requests_refused', {}))}")
    print(f"truncated     : {json.dumps(counts.get('truncated', {}))}")
    print(
        f"unextracted   : {json.dumps(record.get('unextracted_articles', {}).get('by_reason', {}))}"
    )
    print(f"WARC          : {counts['warc_files']} file(s), {counts['warc_bytes'] / 1e6:.1f} MB")
    if args.keep is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0 if peak < RSS_TARGET_MB and growth < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
