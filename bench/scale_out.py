"""Scale-out on Redis: 1 worker vs 2 workers, and the cost of the Redis scheduler on one worker.

Run by hand (about five minutes; needs redis-server):  .venv/bin/python bench/scale_out.py

The demo site runs in its own process (`newsarchive demo-site --latency 200 --size 2000`), a
throw-away redis-server beside it (tests/redis_server.py). Every crawl starts from an empty
output directory (and an empty Redis) with CONCURRENT_REQUESTS_PER_DOMAIN=8 per worker:
  local   — one worker, Scrapy's own scheduler (no Redis)
  redis-1 — one worker through Redis
  redis-2 — two workers through Redis, started together
Pages/s is measured on the archive itself: responses archived, over the span between the first
and the last response's WARC-Date (all workers' files), so interpreter start-up and the wait
that ends a Redis run (NEWSARCHIVE_REDIS_IDLE_CLOSE) do not count; "peak" is the most responses
within one second (8 per worker at 200 ms allow 40, a check on politeness). Targets: redis-2/redis-1
>= 1.8, and redis-1 within 5 % of local.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.demo_process import crawl_command, serve, stop  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402

SETTINGS = {
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "NEWSARCHIVE_REDIS_IDLE_CLOSE": "2",
    "LOG_LEVEL": "ERROR",
}


@dataclass
class Measure:
    pages: int
    seconds: float
    peak: int
    """Most responses within one second (8 per worker at 200 ms latency allow 40)."""

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def archived(out: Path) -> Measure:
    """Responses in every WARC of the run, and the span of their WARC-Dates."""
    dates: list[datetime] = []
    for path in out.glob("demo/*/warc/*.warc.gz"):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    stamp = record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00")
                    dates.append(datetime.fromisoformat(stamp))
    if len(dates) < 2:
        sys.exit(f"nothing archived in {out}")
    first = min(dates)
    per_second = Counter(int((d - first).total_seconds()) for d in dates)
    return Measure(len(dates), (max(dates) - first).total_seconds(), max(per_second.values()))


def crawl(base: str, out: Path, workers: int, redis_url: str | None) -> Measure:
    cmd = crawl_command(base, out)
    for name, value in SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    if redis_url:
        cmd += ["--redis", redis_url]
    procs = [subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode not in (0, 1):
            sys.exit(f"worker failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return archived(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--latency", type=int, default=200, help="demo site latency, ms")
    args = parser.parse_args()
    print(
        f"demo site: --size {args.size} --latency {args.latency}; "
        "CONCURRENT_REQUESTS_PER_DOMAIN=8 per worker"
    )
    work = Path(tempfile.mkdtemp(prefix="newsarchive-scale-out-"))
    server, base = serve("--size", str(args.size), "--latency", str(args.latency))
    results: dict[str, Measure] = {}
    try:
        with redis_server(work / "redis") as redis:
            client = redis.client()
            for name, workers, url in (
                ("local", 1, None),
                ("redis-1", 1, redis.url),
                ("redis-2", 2, redis.url),
            ):
                client.flushdb()
                measure = crawl(base, work / name, workers, url)
                results[name] = measure
                print(
                    f"  {name:8} {workers} worker(s): {measure.pages:5d} pages "
                    f"in {measure.seconds:6.1f} s = {measure.rate:6.1f} pages/s "
                    f"(peak {measure.peak}/s)",
                    flush=True,
                )
    finally:
        stop(server)
        shutil.rmtree(work, ignore_errors=True)
    ratio = results["redis-2"].rate / results["redis-1"].rate
    overhead = 1 - results["redis-1"].rate / results["local"].rate
    print(f"2 workers / 1 worker: {ratio:.2f}x (target >= 1.8x)")
    print(f"Redis scheduler vs local on one worker: {overhead * 100:+.1f} % slower (target <= 5 %)")


if __name__ == "__main__":
    main()
