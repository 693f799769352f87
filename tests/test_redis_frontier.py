"""The shared frontier on a real redis-server: leases, re-queues, seeding once, the end of a run,
one article line per canonical URL, and hostile queue entries rejected, never run."""

from __future__ import annotations

import dataclasses
import json
import logging
import pickle
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.settings import Settings
from scrapy.utils.request import RequestFingerprinter

from newsarchive.distributed.codec import encode_request
from newsarchive.distributed.frontier import Frontier
from newsarchive.distributed.keys import RunKeys
from newsarchive.distributed.scheduler import RedisScheduler
from newsarchive.distributed.worker import SharedRun, join_shared_run
from newsarchive.records import Article, ArticleFields
from tests.redis_server import RedisServer, redis_server

RUN = "20260101T000000Z"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as running:
        yield running


@pytest.fixture
def client(server: RedisServer) -> Iterator[Any]:
    connection = server.client()
    connection.flushdb()
    yield connection
    connection.close()


def frontier(client: Any, worker: str, *, lease: float = 30.0, attempts: int = 5) -> Frontier:
    keys = RunKeys("t", "demo", RUN)
    return Frontier(client, keys, worker, lease_seconds=lease, max_attempts=attempts)


def test_pop_leases_the_entry_to_its_worker(client: Any) -> None:
    a, b = frontier(client, "a"), frontier(client, "b")
    assert a.push(b"low", 1, "fp-low") and a.push(b"high", 5, "fp-high")
    assert a.pop() == b"high"
    assert a.queued() == 1 and a.leased() == {b"high": "a"}
    assert b.ack([b"high"]) == 0, "a worker cannot drop another worker's lease"
    assert a.ack([b"high"]) == 1 and a.leased() == {}
    assert b.pop() == b"low" and b.pop() is None


def test_duplicates_are_filtered_per_run_and_order_is_fifo_within_a_priority(client: Any) -> None:
    a = frontier(client, "a")
    assert a.push(b"first", 0, "same")
    assert not a.push(b"again", 0, "same")
    assert a.push(b"retry-1", 0, None) and a.push(b"retry-2", 0, None)  # dont_filter
    assert [a.pop(), a.pop(), a.pop(), a.pop()] == [b"first", b"retry-1", b"retry-2", None]
    next_run = Frontier(
        client, RunKeys("t", "demo", "20260102T000000Z"), "a", lease_seconds=30, max_attempts=5
    )
    assert next_run.push(b"first", 0, "same"), "the next run does not inherit the filter"


def test_expired_lease_goes_back_to_the_queue(client: Any) -> None:
    a, b = frontier(client, "a", lease=0.2), frontier(client, "b")
    a.push(b"page", 0, "fp")
    assert a.pop() == b"page"
    assert b.requeue_expired() == (0, [])
    time.sleep(0.3)
    assert b.requeue_expired() == (1, [])
    assert b.pop() == b"page" and b.leased() == {b"page": "b"}
    assert a.renew([b"page"]) == 1, "the stalled worker learns it lost the lease"
    assert a.ack([b"page"]) == 0 and b.leased() == {b"page": "b"}


def test_heartbeat_keeps_a_lease(client: Any) -> None:
    a, b = frontier(client, "a", lease=0.3), frontier(client, "b")
    a.push(b"slow", 0, "fp")
    a.pop()
    for _ in range(4):
        time.sleep(0.15)
        assert a.renew([b"slow"]) == 0
        assert b.requeue_expired() == (0, [])
    assert a.leased() == {b"slow": "a"}


def test_a_request_that_keeps_killing_workers_is_given_up(client: Any) -> None:
    a = frontier(client, "a", lease=0.05, attempts=1)
    a.push(b"poison", 0, "fp")
    a.pop()
    time.sleep(0.1)
    assert a.requeue_expired() == (1, [])
    a.pop()
    time.sleep(0.1)
    assert a.requeue_expired() == (0, [b"poison"])
    assert a.queued() == 0 and a.leased() == {}


def test_start_urls_are_seeded_once_and_taken_over_from_a_dead_seeder(client: Any) -> None:
    a, b, c = frontier(client, "a"), frontier(client, "b"), frontier(client, "c")
    a.register()
    b.register()
    assert not b.claim_seeding(takeover=True), "nobody started: takeover waits for start()"
    assert a.claim_seeding()
    assert not b.claim_seeding()
    assert not b.claim_seeding(takeover=True), "the seeder is alive"
    a.deregister()
    assert b.claim_seeding(takeover=True)
    b.seeding_done()
    assert not c.claim_seeding() and not a.claim_seeding()


def test_the_run_ends_when_the_frontier_stays_empty(client: Any) -> None:
    a, b = frontier(client, "a"), frontier(client, "b")
    keys = a.keys
    client.set(keys.current, RUN)
    assert a.claim_seeding()
    a.push(b"page", 0, "fp")
    assert a.check_end(0.2) == ("running", 1, 0)
    a.pop()
    assert b.check_end(0.2) == ("running", 0, 1), "a leased request keeps the run going"
    a.ack([b"page"])
    assert b.check_end(0.0)[0] == "running", "seeding is not over"
    a.seeding_done()
    assert b.check_end(0.2)[0] == "idle"
    assert a.check_end(0.2)[0] == "idle"
    time.sleep(0.25)
    assert b.check_end(0.2)[0] == "finished"
    assert a.finished() and a.check_end(0.2)[0] == "finished"
    assert client.get(keys.current) is None, "the next run gets a new id"
    assert 0 < client.ttl(keys.dupefilter) <= 24 * 3600


def settings() -> Settings:
    result = Settings()
    result.setmodule("newsarchive.settings")
    return result


def test_first_worker_creates_the_run_and_the_others_join(
    server: RedisServer, client: Any, tmp_path: Path
) -> None:
    first = join_shared_run(settings(), tmp_path, "demo", server.url)
    second = join_shared_run(settings(), tmp_path, "demo", server.url)
    assert first.created and not second.created
    assert first.run.path == second.run.path and first.run.path.is_dir()
    assert first.run.articles_path.name == f"articles-{first.worker}.jsonl"
    first.frontier.claim_seeding()
    first.frontier.seeding_done()
    first.frontier.check_end(0)
    assert first.frontier.check_end(0)[0] == "finished"
    third = join_shared_run(settings(), tmp_path, "demo", server.url)
    assert third.created and third.keys.run_id != first.keys.run_id


def article(url: str, canonical: str) -> Article:
    return Article(
        url=url,
        site="demo",
        fetched_at="2026-01-01T00:00:00Z",
        status=200,
        extractor_version="t",
        fields=ArticleFields(title="t", body="b", canonical_url=canonical),
    )


def two_workers(server: RedisServer, tmp_path: Path) -> tuple[SharedRun, SharedRun]:
    a = join_shared_run(settings(), tmp_path, "demo", server.url)
    other = Frontier(a.client, a.keys, "other-1", lease_seconds=30, max_attempts=5)
    other.register()
    return a, dataclasses.replace(a, worker="other-1", frontier=other)


def test_one_article_line_per_canonical_url_across_workers(
    server: RedisServer, client: Any, tmp_path: Path
) -> None:
    a, b = two_workers(server, tmp_path)
    dedup_a, dedup_b = a.deduplicator(), b.deduplicator()
    canon = "http://s/story-1/"
    assert dedup_a.offer(article("http://s/amp/story-1/", canon)) is None  # parked
    assert dedup_b.offer(article(canon, canon)) is not None  # the canonical capture wins
    assert dedup_a.offer(article(canon, canon)) is None  # re-fetched after a worker died
    lonely = "http://s/story-2/"
    assert dedup_a.offer(article("http://s/amp/story-2/", lonely)) is None
    assert dedup_b.offer(article("http://s/story-2/?utm=x", lonely)) is None
    assert dedup_b.flush() == [], "others are still crawling: parked captures wait"
    a.finished = b.finished = True
    flushed = dedup_b.flush() + dedup_a.flush()
    assert [x.url for x in flushed] == ["http://s/amp/story-2/"]
    assert dedup_a.duplicates + dedup_b.duplicates == 3


class StubSpider:
    queue_callbacks = frozenset({"parse_page"})

    def parse_page(self, response: Any) -> None: ...

    def close(self, reason: str) -> None:
        raise AssertionError("a queue entry reached spider.close")


class _TouchesMarker:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (Path.touch, (self.marker,))


def test_hostile_queue_entries_are_rejected_and_logged(
    server: RedisServer, client: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = join_shared_run(settings(), tmp_path, "demo", server.url)
    crawler = SimpleNamespace(engine=None, stats=None, request_fingerprinter=RequestFingerprinter())
    scheduler = RedisScheduler(crawler)  # type: ignore[arg-type]
    scheduler.shared, scheduler.spider = shared, StubSpider()
    marker = tmp_path / "pwned"
    good, _ = encode_request(
        Request("http://s/ok/", callback=scheduler.spider.parse_page), scheduler.spider, "1"
    )
    hostile = [
        pickle.dumps(_TouchesMarker(marker)),
        json.dumps({**json.loads(good), "callback": "close"}).encode(),
        json.dumps({**json.loads(good), "url": "file:///etc/passwd"}).encode(),
    ]
    for score, data in enumerate(hostile):
        client.zadd(shared.keys.queue, {data: score})
    client.zadd(shared.keys.queue, {good: 100})
    with caplog.at_level(logging.ERROR, logger="newsarchive.distributed.scheduler"):
        request = scheduler.next_request()
    assert request is not None and request.url == "http://s/ok/"
    assert not marker.exists()
    rejected = [r for r in caplog.records if "rejected a queue entry" in r.getMessage()]
    assert len(rejected) == 3, caplog.text
    assert "pickle" in rejected[0].getMessage() and "'close'" in rejected[1].getMessage()
    assert shared.frontier.queued() == 0
    assert list(shared.frontier.leased().values()) == [shared.worker]


def test_requests_are_sanitised_or_refused_on_the_way_in(
    server: RedisServer, client: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = join_shared_run(settings(), tmp_path, "demo", server.url)
    crawler = SimpleNamespace(engine=None, stats=None, request_fingerprinter=RequestFingerprinter())
    scheduler = RedisScheduler(crawler)  # type: ignore[arg-type]
    scheduler.shared, scheduler.spider = shared, StubSpider()
    parse = scheduler.spider.parse_page
    with caplog.at_level(logging.WARNING, logger="newsarchive.distributed.scheduler"):
        assert scheduler.enqueue_request(
            Request("http://s/a/", callback=parse, meta={"obj": object(), "n": 1})
        )
        assert not scheduler.enqueue_request(Request("http://s/b/", callback=lambda r: None))
        assert not scheduler.enqueue_request(Request("http://s/a/", callback=parse)), "duplicate"
    assert "meta key(s) obj of http://s/a/ are not JSON" in caplog.text
    assert "not queued" in caplog.text
    taken = scheduler.next_request()
    assert taken is not None and taken.meta == {"n": 1}


def test_tls_and_password(tmp_path: Path) -> None:
    from newsarchive.distributed.connection import connect
    from newsarchive.distributed.errors import RedisUnavailable
    from tests.redis_server import tls_redis_server

    with tls_redis_server(tmp_path / "tls") as tls:
        assert tls.url.startswith("rediss://")
        client = connect(tls.url, timeout=5)
        a = Frontier(client, RunKeys("t", "demo", RUN), "a", lease_seconds=30, max_attempts=5)
        assert a.push(b"over-tls", 0, "fp") and a.pop() == b"over-tls"
        client.close()
        with pytest.raises(RedisUnavailable, match="refused the password") as info:
            connect(tls.url.replace(tls.password, "wrong-pass"), timeout=5)
        assert "wrong-pass" not in str(info.value)
        with pytest.raises(RedisUnavailable, match="cannot reach Redis"):
            connect(tls.url.split("?")[0].replace("rediss", "redis"), timeout=0.5)


def test_a_claim_of_a_worker_that_died_before_writing_is_taken_over(
    server: RedisServer, client: Any, tmp_path: Path
) -> None:
    a, _ = two_workers(server, tmp_path)
    dead = dataclasses.replace(
        a,
        worker="gone-9",
        frontier=Frontier(a.client, a.keys, "gone-9", lease_seconds=30, max_attempts=5),
    )
    lost, kept, elsewhere = "http://s/lost-1/", "http://s/kept-2/", "http://s/busy-3/"
    for url in (lost, kept):
        assert dead.deduplicator().offer(article(url, url)) is not None  # claimed, then killed
    (a.run.path / "articles-gone-9.jsonl").write_text(
        json.dumps({"url": kept, "canonical_url": kept}) + '\n{"url": "http://s/half'
    )
    dedup = a.deduplicator()
    assert dedup.offer(article(lost, lost)) is not None, "its line was never written"
    assert dedup.offer(article(kept, kept)) is None, "its line is in the dead worker's file"
    busy = Frontier(a.client, a.keys, "busy-1", lease_seconds=30, max_attempts=5)
    busy.register()  # alive, and about to write its line: its claim is never taken over
    (a.run.path / "articles-busy-1.jsonl").write_text("")
    writer = dataclasses.replace(a, worker="busy-1", frontier=busy)
    assert writer.deduplicator().offer(article(elsewhere, elsewhere)) is not None
    assert dedup.offer(article(elsewhere, elsewhere)) is None
    gone = "http://s/far-4/"
    assert dataclasses.replace(dead, worker="far-7").deduplicator().offer(article(gone, gone))
    assert dedup.offer(article(gone, gone)) is None, "no file here: counted as written"
