"""The benchmark split's pages and its scorer (`score.py` of the split, run as a subprocess).

Ids whose first hex digit is 0–7 are the tuning half; 8–f are held out and only ever scored in
aggregate (never listed page by page).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TUNE_DIGITS = frozenset("01234567")


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    path: Path
    """The gzipped page as stored in the split."""
    html: str


@dataclass(frozen=True, slots=True)
class Metrics:
    f1: float
    f1_std: float
    precision: float
    precision_std: float
    recall: float
    recall_std: float
    per_page: dict[str, dict[str, float]]


def default_bench_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "bench" / "aeb-dev"


def load_pages(bench_dir: Path) -> list[Page]:
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = bench_dir / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        pages.append(Page(page_id, truth[page_id]["url"], path, html))
    return pages


def split_ids(ids: list[str]) -> dict[str, list[str]]:
    """{"all", "0-7", "8-f"} → ids."""
    tune = [i for i in ids if i[:1].lower() in TUNE_DIGITS]
    held = [i for i in ids if i[:1].lower() not in TUNE_DIGITS]
    return {"all": list(ids), "0-7": tune, "8-f": held}


def score(bench_dir: Path, predictions: dict[str, str], ids: list[str]) -> Metrics:
    """Run the split's own score.py on `predictions` restricted to `ids`."""
    with tempfile.TemporaryDirectory(prefix="aeb-score-") as tmp:
        pred_path = Path(tmp) / "predictions.jsonl"
        json_path = Path(tmp) / "metrics.json"
        with pred_path.open("w", encoding="utf-8") as out:
            for page_id in ids:
                record = {"id": page_id, "articleBody": predictions.get(page_id, "")}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        subprocess.run(
            [
                sys.executable,
                str(bench_dir / "score.py"),
                "--bench-dir",
                str(bench_dir),
                "--pred",
                str(pred_path),
                "--id-list",
                ",".join(ids),
                "--json",
                str(json_path),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        data = json.loads(json_path.read_text(encoding="utf-8"))
    m = data["metrics"]
    return Metrics(
        f1=m["f1"],
        f1_std=m["f1_std"],
        precision=m["precision"],
        precision_std=m["precision_std"],
        recall=m["recall"],
        recall_std=m["recall_std"],
        per_page=data["per_page"],
    )
