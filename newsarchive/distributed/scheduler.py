"""The Scrapy scheduler of Redis mode (`SCHEDULER`, set by `join_shared_run`).

Requests go to the shared frontier as JSON entries (codec.py) and come back leased to this
worker. A request stays leased until Scrapy is done with it: downloaded, its callback run, its
child requests pushed and its items through the pipelines, i.e. until it leaves the engine's
in-progress set. Then it is acknowledged. A redirect or retry is pushed before the request it
replaces is acknowledged, so a worker killed at any point loses nothing: its leases expire and
another worker (or its restart) takes the requests again.

A loop on the reactor (every POLL_SECONDS) acknowledges finished requests, asks the engine for
more work when the queue may have some (the engine's own poll is every 5 s), and every
`NEWSARCHIVE_REDIS_HEARTBEAT` seconds renews this worker's leases, re-queues expired ones, takes
over seeding from a worker that died doing it, and checks whether the run is over.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

import redis
from scrapy import Request, signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from newsarchive.distributed.codec import decode_entry, encode_request
from newsarchive.distributed.errors import BadQueueEntry

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsarchive.distributed.worker import SharedRun

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.1
# Fingerprints kept by the local cache in front of Redis's filter before it starts over.
SEEN_CACHE_LIMIT = 2_000_000
STATS = "newsarchive/redis/"


class RedisScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.spider: Any = None
        self.shared: SharedRun | None = None
        self.held: dict[Request, bytes] = {}
        """Requests taken from Redis and not yet done, with their entries."""
        self._loop: LoopingCall | None = None
        self._next_heartbeat = 0.0
        self._closing = False
        self._lost_counted = False
        self._warned_meta: set[str] = set()
        self._seen: set[bytes] = set()
        """Fingerprints this worker already sent to Redis's duplicate filter (a cache of it)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        return cls(crawler)

    # --- Scrapy's scheduler interface ---------------------------------------------------------

    def open(self, spider: Any) -> None:
        shared = getattr(spider, "shared_run", None)
        if shared is None:
            raise RuntimeError("RedisScheduler needs the news spider in Redis mode")
        if not hasattr(self._slot(), "inprogress"):
            raise RuntimeError(
                "this Scrapy version's engine has no in-progress set; Redis mode needs "
                "Scrapy < 2.20 (see pyproject.toml)"
            )
        self.spider = spider
        self.shared = shared
        self.crawler.signals.connect(self._spider_idle, signal=signals.spider_idle)
        self._loop = LoopingCall(self._tick)
        self._loop.start(POLL_SECONDS, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        shared = self.shared
        if shared is None or shared.lost:
            return
        try:
            # The engine has drained: every request it took was processed to the end.
            shared.frontier.ack(list(self.held.values()))
            self.held.clear()
            shared.frontier.deregister()
        except redis.RedisError as exc:
            shared.mark_lost(exc)

    def has_pending_requests(self) -> bool:
        shared = self.shared
        if shared is None or shared.lost or shared.finished:
            return False
        try:
            return shared.frontier.queued() > 0
        except redis.RedisError as exc:
            self._lose(exc)
            return False

    def enqueue_request(self, request: Request) -> bool:
        shared = self.shared
        if shared is None or shared.lost:
            return False
        fingerprint = (
            None if request.dont_filter else self.crawler.request_fingerprinter.fingerprint(request)
        )
        if fingerprint is not None and fingerprint in self._seen:
            # Pushed or filtered by this worker before: Redis's filter has it, no need to ask.
            self._count("filtered")
            return False
        try:
            entry, dropped = encode_request(request, self.spider, uuid.uuid4().hex)
        except BadQueueEntry as exc:
            logger.error("not queued: %s", exc)
            self._count("errors/RedisRefusedRequest", errors=True)
            return False
        if dropped:
            self._report_dropped_meta(request, dropped)
        try:
            pushed = shared.frontier.push(
                entry, request.priority, fingerprint.hex() if fingerprint else None
            )
        except redis.RedisError as exc:
            self._lose(exc)
            return False
        if fingerprint is not None:
            if len(self._seen) >= SEEN_CACHE_LIMIT:
                self._seen.clear()
            self._seen.add(fingerprint)
        self._count("enqueued" if pushed else "filtered")
        return pushed

    def next_request(self) -> Request | None:
        shared = self.shared
        if shared is None or shared.lost or shared.finished:
            return None
        try:
            self._ack_done()
            while (entry := shared.frontier.pop()) is not None:
                try:
                    request = decode_entry(entry, self.spider)
                except BadQueueEntry as exc:
                    # Never run: dropped from the frontier, logged, counted as an error.
                    logger.error("rejected a queue entry of run %s: %s", shared.keys.run_id, exc)
                    self._count("errors/RedisBadEntry", errors=True)
                    shared.frontier.ack([entry])
                    continue
                self.held[request] = entry
                self._count("dequeued")
                return request
        except redis.RedisError as exc:
            self._lose(exc)
        return None

    def __len__(self) -> int:
        return len(self.held)

    # --- the loop -----------------------------------------------------------------------------

    def _tick(self) -> None:
        shared = self.shared
        if shared is None or self._closing:
            return
        try:
            if shared.lost:  # noticed by the pipeline or the spider
                self._lose(None)
                return
            self._ack_done()
            now = time.monotonic()
            if now >= self._next_heartbeat:
                self._next_heartbeat = now + shared.heartbeat
                self._heartbeat(shared)
            engine = self.crawler.engine
            slot = self._slot()
            if slot is not None and engine is not None and not engine.needs_backout():
                slot.nextcall.schedule()
        except redis.RedisError as exc:
            self._lose(exc)
        except Exception:  # a loop boundary: the heartbeat must keep beating
            logger.exception("Redis scheduler loop failed; it goes on")

    def _heartbeat(self, shared: SharedRun) -> None:
        frontier = shared.frontier
        lost = frontier.renew(list(self.held.values()))
        if lost:
            logger.warning(
                "%d lease(s) of this worker expired before it finished them (stalled longer than "
                "NEWSARCHIVE_REDIS_LEASE?); another worker may fetch those pages again",
                lost,
            )
            self._count("leases_lost", lost)
        requeued, given_up = frontier.requeue_expired()
        if requeued:
            logger.info("re-queued %d request(s) whose worker stopped answering", requeued)
            self._count("requeued", requeued)
        for entry in given_up:
            logger.error(
                "gave up on a request after %d expired leases: %r",
                frontier.max_attempts,
                entry[:300],
            )
            self._count("errors/RedisLeaseGaveUp", errors=True)
        if frontier.claim_seeding(takeover=True):
            logger.warning("the worker seeding this run died; pushing the start requests again")
            for request in self.spider.seed_requests():
                self.enqueue_request(request)
            frontier.seeding_done()
        state, _queued, _leased = frontier.check_end(shared.idle_close)
        if state == "finished":
            shared.finished = True
            logger.info("the shared frontier stayed empty; run %s is over", shared.keys.run_id)
            self._close("finished")

    def _spider_idle(self) -> None:
        shared = self.shared
        if shared is not None and not shared.lost and not shared.finished:
            # Idle here, not everywhere: other workers may push work; the heartbeat decides.
            raise DontCloseSpider

    # --- helpers ------------------------------------------------------------------------------

    def _slot(self) -> Any:
        # Scrapy keeps the requests it is working on in the engine slot's `inprogress` set
        # (taken from the scheduler → downloaded → scraped → items processed); no public API
        # tells a scheduler when a request it handed out is done.
        return getattr(self.crawler.engine, "_slot", None)

    def _ack_done(self) -> None:
        if not self.held or self.shared is None:
            return
        slot = self._slot()
        inprogress = slot.inprogress if slot is not None else set()
        done = [request for request in self.held if request not in inprogress]
        if done:
            self.shared.frontier.ack([self.held.pop(request) for request in done])

    def _lose(self, exc: BaseException | None) -> None:
        if self.shared is None:
            return
        if not self._lost_counted:
            self._lost_counted = True
            self._count("errors/RedisConnectionLost", errors=True)
        if exc is not None:
            self.shared.mark_lost(exc)
        self._close("redis_lost")

    def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        if self._closing or engine is None or not engine.running:
            return
        self._closing = True
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        deferred_from_coro(engine.close_spider_async(reason=reason))

    def _report_dropped_meta(self, request: Request, dropped: list[str]) -> None:
        self._count("meta_dropped", len(dropped))
        fresh = [key for key in dropped if key not in self._warned_meta]
        if fresh:
            self._warned_meta.update(fresh)
            logger.warning(
                "meta key(s) %s of %s are not JSON and were left out of its Redis entry",
                ", ".join(fresh),
                request.url,
            )

    def _count(self, key: str, n: int = 1, *, errors: bool = False) -> None:
        stats = self.crawler.stats
        if stats:
            stats.inc_value(f"newsarchive/{key}" if errors else STATS + key, n)
