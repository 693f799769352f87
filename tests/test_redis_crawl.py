"""Workers sharing one crawl of the demo site through a real redis-server: every page fetched
once, every article written once; a worker killed with SIGKILL loses nothing; Redis
unreachable at start or lost mid-run stops a worker cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from protego import Protego

from newsarchive.demosite import DemoOptions, build_manifest
from newsarchive.demosite.feeds import ROBOTS_DISALLOW
from tests.demo_server import demo_site_process
from tests.e2e import ROOT, path_of, read_jsonl, run_cli
from tests.redis_server import RedisServer, free_port, redis_server

pytestmark = pytest.mark.slow

EXIT_REDIS_UNAVAILABLE = 69


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as running:
        yield running


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def worker_args(base: str, out: Path, url: str, *settings: str) -> list[str]:
    args = ["crawl", "demo", "--demo-url", base, "--out", str(out), "--redis", url, "--quiet"]
    for setting in ("NEWSARCHIVE_REDIS_HEARTBEAT=0.3", *settings):
        args += ["-s", setting]
    return args


Workers = list[subprocess.Popen[bytes]]


@pytest.fixture
def workers() -> Iterator[Workers]:
    """The worker processes a test starts; any still running at its end are killed."""
    started: Workers = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def start(args: list[str], log: Path, started: Workers) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_STRICT_TESTS"}
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", *args],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    started.append(process)
    return process


def finish(worker: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> int:
    try:
        return worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
        raise AssertionError(f"worker did not finish:\n{log.read_text()[-3000:]}") from None


def access_paths(log: Path) -> list[str]:
    """Paths as the server saw them, spelled as `path_of` spells request URLs (the demo site
    links one article with lower-case percent escapes)."""
    return [path_of(line.split()[1]) for line in log.read_text().splitlines() if line.strip()]


def manifest_articles() -> set[str]:
    return {
        path_of(m["url"])
        for m in build_manifest(DemoOptions())
        if m["page_type"] == "article" and m.get("crawlable", True)
    }


def the_run(out: Path) -> Path:
    (run_dir,) = [p for p in (out / "demo").iterdir() if p.is_dir()]
    return run_dir


def union_of_articles(run_dir: Path) -> Counter[str]:
    lines = [line for path in run_dir.glob("articles*.jsonl") for line in read_jsonl(path)]
    return Counter(path_of(a["canonical_url"]) for a in lines)


def assert_warcs_closed_and_valid(run_dir: Path) -> None:
    assert not list(run_dir.glob("warc/*.open"))
    warcio = str(Path(sys.executable).parent / "warcio")
    for warc in run_dir.glob("warc/*.warc.gz"):
        check = subprocess.run([warcio, "check", str(warc)], capture_output=True, text=True)
        assert check.returncode == 0, (warc.name, check.stdout)


def test_two_workers_share_the_crawl_and_a_late_one_takes_work(
    server: RedisServer, tmp_path: Path, workers: Workers
) -> None:
    out, access, logs = tmp_path / "archives", tmp_path / "access.log", tmp_path / "workers.log"
    with demo_site_process("--latency", "200", "--access-log", str(access)) as base:
        args = worker_args(base, out, server.url, "NEWSARCHIVE_REDIS_IDLE_CLOSE=1.5")
        first = start(args, logs, workers)
        assert wait_for(lambda: access.exists() and len(access_paths(access)) >= 25, 60)
        late = start(args, logs, workers)
        assert finish(first, logs) == 0 and finish(late, logs) == 0, logs.read_text()[-3000:]

    fetched = Counter(access_paths(access))
    assert fetched.pop("/robots.txt") == 2, "each worker reads robots.txt"
    assert [p for p, n in fetched.items() if n > 1] == [], "a page fetched twice"
    run_dir = the_run(out)
    got = union_of_articles(run_dir)
    assert set(got) == manifest_articles()
    assert [p for p, n in got.items() if n > 1] == []
    records = {r["worker"]: r for r in map(read_json, run_dir.glob("run-*.json"))}
    late_record = next(r for w, r in records.items() if w.endswith(f"-{late.pid}"))
    assert late_record["counts"]["exchanges"] > 0, "the late worker took work"
    run = read_json(run_dir / "run.json")
    assert run["finish_reason"] == "finished" and len(run["workers"]) == 2
    assert run["counts"]["articles"] == len(got)
    assert_warcs_closed_and_valid(run_dir)
    assert server.client().get("newsarchive:demo:current") is None, "the run is over"

    # query and replay see one run.
    query = run_cli("query", "SELECT count(*) AS n FROM articles", str(out), "--format", "csv")
    assert query.returncode == 0, query.stderr
    assert query.stdout.split() == ["n", str(len(got))]
    replayed = tmp_path / "replayed.jsonl"
    replay = run_cli("replay", str(run_dir), "-o", str(replayed))
    assert replay.returncode == 0, replay.stderr
    lines = read_jsonl(replayed)
    assert {path_of(a["canonical_url"]) for a in lines if a["type"] == "article"} == set(got)


def robots_allow(path: str) -> bool:
    rules = "User-agent: *\n" + "".join(f"Disallow: {rule}\n" for rule in ROBOTS_DISALLOW)
    return bool(Protego.parse(rules).can_fetch(f"http://127.0.0.1{path}", "newsarchive"))


def read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_a_killed_worker_loses_nothing(
    server: RedisServer, tmp_path: Path, workers: Workers
) -> None:
    out, access, logs = tmp_path / "archives", tmp_path / "access.log", tmp_path / "workers.log"
    client = server.client()
    with demo_site_process("--latency", "150", "--access-log", str(access)) as base:
        args = worker_args(
            base,
            out,
            server.url,
            "NEWSARCHIVE_REDIS_LEASE=3",
            # Long enough for the restarted worker to join this run, not start the next one.
            "NEWSARCHIVE_REDIS_IDLE_CLOSE=5",
        )
        victim, other = start(args, logs, workers), start(args, logs, workers)

        def leased_to_victim() -> list[bytes]:
            owners_keys = client.keys("newsarchive:demo:run:*:owners")
            if not owners_keys:
                return []
            owners = client.hgetall(owners_keys[0])
            return [e for e, w in owners.items() if w.decode().endswith(f"-{victim.pid}")]

        try:
            assert wait_for(lambda: access.exists() and len(access_paths(access)) >= 30, 60)
            assert wait_for(lambda: bool(leased_to_victim()), 60), "no lease held by the victim"
            os.kill(victim.pid, signal.SIGSTOP)  # frozen: what Redis shows now is what it held
            leased = {path_of(json.loads(entry)["url"]) for entry in leased_to_victim()}
            fetched_before = len(access_paths(access))
        finally:
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=10)
        assert leased
        run_dir = the_run(out)
        assert list(run_dir.glob("warc/*.open")), "the killed worker left its WARC open"
        restarted = start(args, logs, workers)
        assert finish(other, logs) == 0 and finish(restarted, logs) == 0, logs.read_text()[-3000:]

    assert the_run(out) == run_dir, "the restarted worker joined the same run"
    leased = {path for path in leased if robots_allow(path)}  # the others are never fetched
    assert leased
    after_kill = set(access_paths(access)[fetched_before:])
    assert leased <= after_kill, f"not fetched again: {sorted(leased - after_kill)}"
    fetched = Counter(access_paths(access))
    fetched.pop("/robots.txt")
    assert {p for p, n in fetched.items() if n > 1} <= leased, "only the lost work is redone"
    got = union_of_articles(run_dir)
    assert set(got) == manifest_articles()
    assert [p for p, n in got.items() if n > 1] == []
    assert_warcs_closed_and_valid(run_dir)
    unrecorded = read_json(run_dir / "run.json")["unrecorded_outputs"]
    assert unrecorded and all(name.endswith(f"-{victim.pid}.jsonl") for name in unrecorded)


def test_redis_unreachable_or_refusing_stops_at_once(server: RedisServer, tmp_path: Path) -> None:
    out = tmp_path / "archives"
    nobody = f"redis://:topsecret@127.0.0.1:{free_port()}/0"
    result = run_cli(
        "crawl", "demo", "--demo-url", "http://127.0.0.1:9", "--out", str(out), "--redis", nobody
    )
    assert result.returncode == EXIT_REDIS_UNAVAILABLE, result.stderr
    assert "cannot reach Redis at redis://:***@127.0.0.1" in result.stderr
    assert "topsecret" not in result.stderr + result.stdout
    wrong = server.url.replace(server.password, "not-the-password")
    result = run_cli(
        "crawl", "demo", "--demo-url", "http://127.0.0.1:9", "--out", str(out), "--redis", wrong
    )
    assert result.returncode == EXIT_REDIS_UNAVAILABLE, result.stderr
    assert "refused the password" in result.stderr and "not-the-password" not in result.stderr
    result = run_cli("crawl", "demo", "--out", str(out), "--redis", server.url)
    assert result.returncode == 2 and "--demo-url" in result.stderr
    assert not (out / "demo").exists() or not any((out / "demo").iterdir())


def test_redis_lost_mid_run_stops_the_worker_cleanly(tmp_path: Path, workers: Workers) -> None:
    out, access, logs = tmp_path / "archives", tmp_path / "access.log", tmp_path / "worker.log"
    with (
        redis_server(tmp_path / "redis") as doomed,
        demo_site_process("--latency", "100", "--access-log", str(access)) as base,
    ):
        worker = start(worker_args(base, out, doomed.url), logs, workers)
        assert wait_for(lambda: access.exists() and len(access_paths(access)) >= 30, 60)
        doomed.kill()
        code = finish(worker, logs, timeout=60)
    assert code == 3, logs.read_text()[-3000:]
    assert "lost the connection to Redis" in logs.read_text()
    run_dir = the_run(out)
    assert_warcs_closed_and_valid(run_dir)
    (record,) = map(read_json, run_dir.glob("run-*.json"))
    assert record["finish_reason"] == "redis_lost"
    assert record["counts"]["errors"] == {"RedisConnectionLost": 1}
    for path in run_dir.glob("*.jsonl"):
        read_jsonl(path)  # whole lines only
