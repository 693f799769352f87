"""A multi-worker run directory without Redis: per-worker names, run.json merged from the
workers' records, a dead worker's leftovers closed and a live worker's left alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from newsarchive.distributed.articles import article_from_json
from newsarchive.distributed.runmerge import merge_records, merge_run_records
from newsarchive.output import RunDirectory
from newsarchive.records import (
    Article,
    ArticleFields,
    Caption,
    Capture,
    Related,
    to_json_dict,
)
from newsarchive.recovery import (
    close_dead_workers_files,
    close_open_warcs,
    file_owner,
    this_host,
)
from tests.warc_factory import make_capture, write_captures


def test_worker_files_are_named_by_host_and_pid(tmp_path: Path) -> None:
    run = RunDirectory.join(tmp_path, "demo", "20260101T000000Z", worker="box-1-42")
    again = RunDirectory.join(tmp_path, "demo", "20260101T000000Z", worker="box-2-7")
    assert run.path == again.path and run.warc_dir.is_dir()
    assert run.articles_path.name == "articles-box-1-42.jsonl"
    assert run.listings_path.name == "listings-box-1-42.jsonl"
    assert run.record_path.name == "run-box-1-42.json"
    assert run.log_path.name == "crawl-box-1-42.log"
    assert run.run_json_path.name == "run.json"
    local = RunDirectory.create(tmp_path, "other")
    assert local.articles_path.name == "articles.jsonl" and local.record_path.name == "run.json"


def record(worker: str, started: str, finished: str, reason: str, **counts: Any) -> dict[str, Any]:
    return {
        "site": "demo",
        "run_id": "20260101T000000Z",
        "base_url": "http://127.0.0.1:1",
        "started_at": started,
        "finished_at": finished,
        "finish_reason": reason,
        "counts": counts,
        "warc_files": [f"demo-x-{worker}.warc.gz"],
        "outputs": {"articles": f"articles-{worker}.jsonl"},
        "versions": {"newsarchive": "t"},
        "settings": {},
        "command": [],
        "worker": worker,
    }


def test_worker_records_merge_into_one_run() -> None:
    merged = merge_records(
        [
            record(
                "b-2",
                "2026-01-01T00:00:05+00:00",
                "2026-01-01T00:00:20+00:00",
                "finished",
                articles=3,
                errors={"x": 1},
            ),
            record(
                "a-1",
                "2026-01-01T00:00:00+00:00",
                "2026-01-01T00:00:19+00:00",
                "finished",
                articles=4,
                errors={"x": 2, "y": 1},
            ),
        ]
    )
    assert merged["counts"] == {"articles": 7, "errors": {"x": 3, "y": 1}}
    assert merged["started_at"] == "2026-01-01T00:00:00+00:00"
    assert merged["finished_at"] == "2026-01-01T00:00:20+00:00"
    assert merged["duration_s"] == 20.0
    assert merged["finish_reason"] == "finished"
    assert merged["warc_files"] == ["demo-x-a-1.warc.gz", "demo-x-b-2.warc.gz"]
    assert [w["worker"] for w in merged["workers"]] == ["a-1", "b-2"]
    start, end = "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00"
    stopped = merge_records(
        [record("a-1", start, end, "redis_lost"), record("b-2", start, end, "finished")]
    )
    assert stopped["finish_reason"] == "redis_lost"


def test_run_json_is_rewritten_from_every_record_present(tmp_path: Path) -> None:
    first = record("a-1", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:09+00:00", "finished")
    (tmp_path / "run-a-1.json").write_text(json.dumps(first))
    (tmp_path / "articles-a-1.jsonl").write_text("")
    (tmp_path / "articles-dead-9.jsonl").write_text("")  # a worker killed before its record
    assert merge_run_records(tmp_path) is not None
    assert len(json.loads((tmp_path / "run.json").read_text())["workers"]) == 1
    second = record("b-2", "2026-01-01T00:00:01+00:00", "2026-01-01T00:00:10+00:00", "finished")
    (tmp_path / "run-b-2.json").write_text(json.dumps(second))
    merge_run_records(tmp_path)
    merged = json.loads((tmp_path / "run.json").read_text())
    assert [w["worker"] for w in merged["workers"]] == ["a-1", "b-2"]
    assert merged["unrecorded_outputs"] == ["articles-dead-9.jsonl"]


def test_parked_articles_come_back_whole() -> None:
    article = Article(
        url="http://a/amp/x-1/",
        site="demo",
        fetched_at="2026-01-01T00:00:00Z",
        status=200,
        extractor_version="1",
        fields=ArticleFields(
            title="T",
            body="B",
            captions=(Caption(text="c", credit="k", image_url="http://a/i.jpg"),),
            related=(Related(title="r", url="http://a/r/", position=1, block="b", kind="other"),),
            authors=("A",),
            tags=("t",),
            canonical_url="http://a/x-1/",
        ),
        capture=Capture(warc_file="w.warc.gz", offset=1, length=2, record_id="<urn:r>"),
        content_digest="sha1:x",
    )
    assert article_from_json(json.loads(json.dumps(to_json_dict(article)))) == article


def open_warc(directory: Path, pid: int, host: str) -> Path:
    (path,), _ = write_captures(directory, [make_capture()], host=host, pid=pid)
    left_open = path.with_name(path.name + ".open")
    path.rename(left_open)
    return left_open


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_only_dead_workers_of_this_host_are_repaired(tmp_path: Path) -> None:
    run_dir = tmp_path / "demo" / "20260101T000000Z"
    warc_dir = run_dir / "warc"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)  # newsarchive"])
    # A process that got a dead worker's pid later is not that worker.
    reused = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        gone = dead_pid()
        dead_file = open_warc(warc_dir, gone, this_host())
        live_file = open_warc(warc_dir, live.pid, this_host())
        reused_file = open_warc(warc_dir, reused.pid, this_host())
        other_host = open_warc(warc_dir, gone, "another-machine")
        half_line = run_dir / f"articles-{this_host()}-{gone}.jsonl"
        half_line.write_text('{"url": "a"}\n{"url": ')
        live_lines = run_dir / f"articles-{this_host()}-{live.pid}.jsonl"
        live_lines.write_text('{"url": ')
        assert file_owner(dead_file) == (this_host(), gone)
        assert file_owner(half_line) == (this_host(), gone)

        closed = close_dead_workers_files(tmp_path / "demo")

        assert sorted(closed) == sorted(
            path.with_name(path.name.removesuffix(".open")) for path in (dead_file, reused_file)
        )
        assert all(path.exists() for path in closed) and not dead_file.exists()
        assert live_file.exists() and other_host.exists()
        assert half_line.read_text() == '{"url": "a"}\n'
        assert live_lines.read_text() == '{"url": '
        # The local resume path skips the live worker's file too.
        assert live_file not in close_open_warcs(warc_dir) and live_file.exists()
    finally:
        for process in (live, reused):
            process.kill()
            process.wait()
