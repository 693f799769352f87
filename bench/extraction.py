"""Body-extraction benchmark: `newsarchive extract` against trafilatura and readability-lxml.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python -m bench.extraction [--bench-dir ../shared/bench/aeb-dev] [--repeat 3]

Scores every extractor with the split's own score.py (F1 / precision / recall with the bootstrap
std) over all pages and separately over ids 0–7 (tuning) and 8–f (held out), and times them:

* newsarchive: wall time of one `newsarchive extract --from-jsonl LIST` process over all pages
  minus that of the same command over one page (start-up), after a warm-up run of each; the
  median of `--repeat` runs of each;
* the anchors: a loop over the same pages in this process, after a warm-up on a few pages
  (trafilatura `extract(html, url=url, favor_precision=..., include_comments=False)`); the
  reference (favor_precision) pass runs right after each pair of newsarchive runs, so that
  both are timed under the same load, and its median pass is kept;
* the bare `lxml.html.fromstring` parse, as the floor.

`--worst N` lists the N weakest pages of ids 0–7 only: the held-out half is never shown page by
page. `--keep DIR` writes every extractor's predictions there as JSONL.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.anchors import (
    Pass,
    Timed,
    median_pass,
    run_anchors,
    timed_pass,
    trafilatura_runner,
    warm_up,
)
from bench.pages import Metrics, Page, default_bench_dir, load_pages, score, split_ids

OURS = "newsarchive"
REFERENCE = "trafilatura favor_precision"
_SUBSETS = ("all", "0-7", "8-f")


def _cli_command() -> list[str]:
    script = Path(sys.executable).with_name("newsarchive")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "newsarchive"]


def _run_cli(listing: Path, out: Path) -> float:
    """Wall seconds of one `newsarchive extract --from-jsonl` process writing to `out`."""
    command = [*_cli_command(), "extract", "--from-jsonl", str(listing)]
    with out.open("wb") as stdout:
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=stdout, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started


def _write_listing(path: Path, pages: list[Page]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for page in pages:
            out.write(json.dumps({"path": str(page.path), "url": page.url}) + "\n")


def run_ours(
    pages: list[Page], repeat: int, between: Callable[[], None] = lambda: None
) -> tuple[Timed, float, float]:
    """(timed result, median wall seconds over all pages, median wall seconds of one page).

    `between` runs after each timed pair of commands: the reference is timed there, so that
    both see the same machine load (other processes come and go during a run)."""
    by_path = {str(page.path): page.id for page in pages}
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        full_list, one_list = Path(tmp) / "all.jsonl", Path(tmp) / "one.jsonl"
        out = Path(tmp) / "out.jsonl"
        _write_listing(full_list, pages)
        _write_listing(one_list, pages[:1])
        _run_cli(one_list, out)  # warm-up: interpreter, byte code, file cache
        _run_cli(full_list, out)
        full_runs, one_runs = [], []
        for _ in range(max(1, repeat)):
            full_runs.append(_run_cli(full_list, out))
            one_runs.append(_run_cli(one_list, Path(tmp) / "one-out.jsonl"))
            between()
        predictions: dict[str, str] = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            page_id = by_path.get(record.get("source", ""))
            if page_id is not None:
                predictions[page_id] = record.get("body") or ""
    full, one = statistics.median(full_runs), statistics.median(one_runs)
    total = max(0.0, full - one)
    per_page = _in_process_ms(pages)
    return Timed(OURS, predictions, total, per_page), full, one


def _in_process_ms(pages: list[Page]) -> list[float]:
    """Per-page milliseconds of load_page + extract_article in this process (for the median)."""
    from newsarchive.extract import extract_article, load_page

    def once(page: Page) -> None:
        extract_article(load_page(page.html.encode("utf-8"), page.url))

    for page in pages[:10]:
        once(page)
    timings = []
    for page in pages:
        started = time.perf_counter()
        once(page)
        timings.append(1000 * (time.perf_counter() - started))
    return timings


def _fmt(metrics: Metrics) -> str:
    return (
        f"{metrics.f1:.3f} ± {metrics.f1_std:.3f}  {metrics.precision:.3f} ± "
        f"{metrics.precision_std:.3f}  {metrics.recall:.3f} ± {metrics.recall_std:.3f}"
    )


def _print_report(
    results: list[Timed],
    scores: dict[tuple[str, str], Metrics],
    subsets: dict[str, list[str]],
    cli_times: tuple[float, float],
) -> None:
    full, one = cli_times
    pages = len(subsets["all"])
    print(
        f"aeb-dev: {pages} pages ({len(subsets['0-7'])} ids 0-7 tuning, "
        f"{len(subsets['8-f'])} ids 8-f held out)"
    )
    print(
        f"{OURS} timing: `newsarchive extract --from-jsonl` all pages {full:.2f} s - one page "
        f"{one:.2f} s = {full - one:.2f} s"
    )
    print()
    header = f"{'extractor':<28} {'ids':<4} {'F1':<13}  {'precision':<13}  {'recall':<13}"
    print(f"{header}  {'ms/page':>7}  {'median':>6}")
    for result in results:
        for subset in _SUBSETS:
            metrics = scores.get((result.name, subset))
            text = _fmt(metrics) if metrics else f"{'–':<13}  {'–':<13}  {'–':<13}"
            timing = f"{result.mean_ms:7.1f}  {result.median_ms:6.1f}" if subset == "all" else ""
            print(f"{result.name:<28} {subset:<4} {text}  {timing}")
    by_name = {r.name: r for r in results}
    ours, ref = by_name.get(OURS), by_name.get(REFERENCE)
    if ours is None or ref is None:
        return
    print()
    print(f"ratios ({OURS} / {REFERENCE}):")
    print(
        f"  time {ours.mean_ms / ref.mean_ms:.2f}x ({ours.mean_ms:.1f} vs {ref.mean_ms:.1f} "
        f"ms/page; median {ours.median_ms:.1f} vs {ref.median_ms:.1f})"
    )
    for subset in _SUBSETS:
        a, b = scores[(OURS, subset)], scores[(REFERENCE, subset)]
        print(
            f"  F1 ids {subset:<3}: {a.f1:.3f} vs {b.f1:.3f} ({a.f1 - b.f1:+.3f}, "
            f"ratio {a.f1 / b.f1:.3f})"
        )
    floor = by_name.get("lxml parse only")
    if floor is not None:
        print(
            f"  lxml parse floor: {floor.mean_ms:.1f} ms/page ({ours.mean_ms / floor.mean_ms:.1f}x)"
        )


def _print_worst(metrics: Metrics, truth_urls: dict[str, str], count: int) -> None:
    print(f"\nworst {count} pages of ids 0-7 ({OURS}; P R F1):")
    ranked = sorted(metrics.per_page.items(), key=lambda item: item[1]["f1"])[:count]
    for page_id, s in ranked:
        print(
            f"  {page_id} {truth_urls[page_id][:72]:<72} P={s['precision']:.3f} "
            f"R={s['recall']:.3f} F1={s['f1']:.3f} {s['pred_tokens']:.0f}/{s['true_tokens']:.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bench-dir", type=Path, default=default_bench_dir())
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (median)")
    parser.add_argument("--no-anchors", action="store_true", help="only newsarchive")
    parser.add_argument("--worst", type=int, default=0, help="list the N weakest ids 0-7")
    parser.add_argument("--keep", type=Path, help="write each extractor's predictions here")
    args = parser.parse_args(argv)
    pages = load_pages(args.bench_dir)
    subsets = split_ids([p.id for p in pages])
    if args.no_anchors:
        ours, full, one = run_ours(pages, args.repeat)
        results = [ours]
    else:
        reference = trafilatura_runner(favor_precision=True)
        warm_up(pages, reference)
        passes: list[Pass] = []
        ours, full, one = run_ours(
            pages, args.repeat, between=lambda: passes.append(timed_pass(pages, reference))
        )
        results = [ours, median_pass(REFERENCE, passes), *run_anchors(pages, args.repeat)]
    scores: dict[tuple[str, str], Metrics] = {}
    for result in results:
        if not result.predictions or not any(result.predictions.values()):
            continue  # the parse floor predicts nothing
        for subset in _SUBSETS:
            scores[(result.name, subset)] = score(
                args.bench_dir, result.predictions, subsets[subset]
            )
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        for result in results:
            name = result.name.replace(" ", "-")
            with (args.keep / f"{name}.jsonl").open("w", encoding="utf-8") as out:
                for page_id, text in result.predictions.items():
                    out.write(json.dumps({"id": page_id, "articleBody": text}) + "\n")
    _print_report(results, scores, subsets, (full, one))
    if args.worst:
        _print_worst(scores[(OURS, "0-7")], {p.id: p.url for p in pages}, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
