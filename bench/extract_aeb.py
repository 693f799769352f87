"""Run newsarchive.extract on the article-extraction-benchmark pages; write predictions + timing.

    PYTHONPATH=. .venv/bin/python bench/extract_aeb.py [--bench-dir DIR] [--out preds.jsonl]
    python3 ../shared/bench/aeb-dev/score.py --pred preds.jsonl

Prints the median and mean milliseconds per page (load_page + extract_article).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

from newsarchive.extract import extract_article, load_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default_dir = Path(__file__).resolve().parents[2] / "shared" / "bench" / "aeb-dev"
    parser.add_argument("--bench-dir", type=Path, default=default_dir)
    parser.add_argument("--out", type=Path, default=Path("aeb-predictions.jsonl"))
    parser.add_argument("--ids", help="comma-separated page ids (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="timing repetitions per page")
    args = parser.parse_args(argv)
    truth = json.loads((args.bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = args.ids.split(",") if args.ids else sorted(truth)
    timings: list[float] = []
    with args.out.open("w", encoding="utf-8") as out:
        for page_id in ids:
            body = gzip.decompress((args.bench_dir / "html" / f"{page_id}.html.gz").read_bytes())
            url = truth[page_id]["url"]
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                fields = extract_article(
                    load_page(body, url, content_type="text/html; charset=utf-8")
                )
                best = min(best, time.perf_counter() - start)
            timings.append(best * 1000)
            out.write(json.dumps({"id": page_id, "articleBody": fields.body}) + "\n")
    print(
        f"pages={len(ids)} median_ms={statistics.median(timings):.1f} "
        f"mean_ms={statistics.mean(timings):.1f} max_ms={max(timings):.1f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
