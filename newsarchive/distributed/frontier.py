"""The shared frontier of one run: the queue, the in-flight registry with leases, the duplicate
filter, the seeding flag and the end-of-run check. Plain redis-py, no Scrapy.

A worker takes an entry with `pop`, which moves it atomically from the queue into the lease set
with a deadline and records the worker as its owner. The worker's heartbeat (`renew`) pushes the
deadlines of the entries it still holds forward; `ack` drops an entry once its request is done
(its child requests already pushed, its lines written). Any worker re-queues entries whose
lease expired (`requeue_expired`): their worker died or stalled. An entry whose leases expire
more than `max_attempts` times is given up (a request that kills every worker that takes it).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import redis

from newsarchive.distributed import scripts
from newsarchive.distributed.keys import RunKeys

# Entries re-queued per heartbeat at most (the rest on the next ones).
REQUEUE_BATCH = 500
# How long the keys of a finished run stay (workers still closing read them), in seconds.
FINISHED_RUN_TTL = 24 * 3600
# Priorities beyond this share the first or last place in the queue (scores stay exact doubles).
SCORE_PRIORITY_LIMIT = 9_999
SCORE_STEP = 1_000_000_000


class Frontier:
    def __init__(
        self,
        client: redis.Redis,
        keys: RunKeys,
        worker: str,
        *,
        lease_seconds: float,
        max_attempts: int,
    ) -> None:
        self.client = client
        self.keys = keys
        self.worker = worker
        self.lease_ms = max(1, round(lease_seconds * 1000))
        self.max_attempts = max_attempts
        register = client.register_script
        self._push = register(scripts.PUSH)
        self._pop = register(scripts.POP)
        self._ack = register(scripts.ACK)
        self._renew = register(scripts.RENEW)
        self._requeue = register(scripts.REQUEUE_EXPIRED)
        self._claim_seeding = register(scripts.CLAIM_SEEDING)
        self._seeding_done = register(scripts.SEEDING_DONE)
        self._check_end = register(scripts.CHECK_END)

    # --- queue and leases ------------------------------------------------------------------

    def push(self, entry: bytes, priority: int, fingerprint: str | None) -> bool:
        """Queue `entry`; False if `fingerprint` was seen before in this run (a duplicate)."""
        bounded = max(-SCORE_PRIORITY_LIMIT, min(SCORE_PRIORITY_LIMIT, priority))
        k = self.keys
        added = self._push(
            keys=[k.dupefilter, k.queue, k.seq],
            args=[fingerprint or "", entry, -bounded * SCORE_STEP],
        )
        return bool(added)

    def pop(self) -> bytes | None:
        """The first entry of the queue, now leased to this worker; None if the queue is empty."""
        k = self.keys
        entry = self._pop(
            keys=[k.queue, k.leases, k.owners, k.lease_scores], args=[self.worker, self.lease_ms]
        )
        return bytes(entry) if entry else None

    def ack(self, entries: Collection[bytes]) -> int:
        """Done with these entries (or they were rejected): drop their leases."""
        if not entries:
            return 0
        k = self.keys
        done = self._ack(
            keys=[k.leases, k.owners, k.lease_scores, k.attempts], args=[self.worker, *entries]
        )
        return int(done)

    def renew(self, entries: Collection[bytes]) -> int:
        """Heartbeat: this worker is alive and still holds `entries`; returns how many of them
        it lost (they expired and went back to the queue)."""
        k = self.keys
        lost = self._renew(
            keys=[k.leases, k.owners, k.workers], args=[self.worker, self.lease_ms, *entries]
        )
        return int(lost)

    def requeue_expired(self) -> tuple[int, list[bytes]]:
        """Put entries whose lease expired back in the queue; returns how many, and the entries
        given up after too many expired leases."""
        k = self.keys
        requeued, dropped = self._requeue(
            keys=[k.leases, k.owners, k.lease_scores, k.attempts, k.queue],
            args=[self.max_attempts, REQUEUE_BATCH],
        )
        return int(requeued), [bytes(e) for e in dropped]

    def queued(self) -> int:
        return int(self.client.zcard(self.keys.queue))

    def leased(self) -> dict[bytes, str]:
        """Entry → worker, for every entry leased now."""
        owners: dict[Any, Any] = self.client.hgetall(self.keys.owners)
        return {bytes(e): w.decode("utf-8", "replace") for e, w in owners.items()}

    # --- workers, seeding, end of the run -----------------------------------------------------

    def register(self) -> None:
        self._renew(
            keys=[self.keys.leases, self.keys.owners, self.keys.workers],
            args=[self.worker, self.lease_ms],
        )

    def deregister(self) -> None:
        self.client.zrem(self.keys.workers, self.worker)

    def live_workers(self) -> list[str]:
        """Workers whose heartbeat deadline has not passed (this one included)."""
        now_s, now_us = self.client.time()
        now_ms = now_s * 1000 + now_us // 1000
        names: list[Any] = list(self.client.zrangebyscore(self.keys.workers, now_ms, "+inf"))
        return [n.decode("utf-8", "replace") if isinstance(n, bytes) else str(n) for n in names]

    def claim_seeding(self, *, takeover: bool = False) -> bool:
        """True if this worker is to push the start requests: nobody has (or, with `takeover`,
        the worker that started to died before it finished)."""
        claimed = self._claim_seeding(
            keys=[self.keys.seeded, self.keys.workers],
            args=[self.worker, "takeover" if takeover else "start"],
        )
        return bool(claimed)

    def seeding_done(self) -> None:
        self._seeding_done(keys=[self.keys.seeded], args=[self.worker])

    def check_end(self, idle_seconds: float) -> tuple[str, int, int]:
        """('running' | 'idle' | 'finished', queued, leased). 'finished' once the frontier has
        been empty (and seeded) for `idle_seconds` as seen by any worker; the run's pointer is
        then cleared, so the next run gets a new id."""
        k = self.keys
        state, queued, leased = self._check_end(
            keys=[k.state, k.queue, k.leases, k.seeded, k.idle_since, k.current, *k.run_keys()],
            args=[max(0, round(idle_seconds * 1000)), k.run_id, FINISHED_RUN_TTL],
        )
        text = state.decode() if isinstance(state, bytes) else str(state)
        return text, int(queued), int(leased)

    def finished(self) -> bool:
        return self.client.get(self.keys.state) == b"finished"
