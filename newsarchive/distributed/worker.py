"""A worker's membership of a shared run: the first worker to start creates the run id in
Redis, the others join it; the run directory DIR/SITE/<run-id>/ is shared, each worker writing
its own files (`articles-<host>-<pid>.jsonl`, WARCs with host and pid in their names)."""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import redis

from newsarchive.distributed import scripts
from newsarchive.distributed.articles import SharedArticleDeduplicator
from newsarchive.distributed.connection import connect, redact
from newsarchive.distributed.frontier import Frontier
from newsarchive.distributed.keys import DEFAULT_PREFIX, RunKeys, current_run_key
from newsarchive.distributed.mode import redis_url
from newsarchive.output import RunDirectory, new_run_id
from newsarchive.recovery import close_dead_workers_files
from newsarchive.state import SiteState
from newsarchive.warc.writer_config import sanitise_host

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

SCHEDULER = "newsarchive.distributed.scheduler.RedisScheduler"


def worker_id() -> str:
    """`<host>-<pid>`, as in this worker's WARC file names."""
    return f"{sanitise_host(socket.gethostname())}-{os.getpid()}"


@dataclass(slots=True, kw_only=True)
class SharedRun:
    """What the spider, the scheduler and the pipeline share in Redis mode."""

    client: redis.Redis
    keys: RunKeys
    worker: str
    url: str
    """The Redis URL, password hidden."""
    run: RunDirectory
    created: bool
    frontier: Frontier
    idle_close: float
    heartbeat: float
    lost: bool = False
    """Redis stopped answering: this worker stops (the scheduler closes the spider)."""
    finished: bool = False
    """The whole run is over: the frontier stayed empty for `idle_close` seconds."""

    def mark_lost(self, exc: BaseException) -> None:
        if not self.lost:
            self.lost = True
            logger.error(
                "lost the connection to Redis at %s (%s): this worker stops; its WARC files are "
                "closed, and the requests it held go back to the queue when their leases expire",
                self.url,
                exc,
            )

    def claim_seeding(self) -> bool:
        """Whether this worker pushes the start requests (once per run, by one worker)."""
        if self.lost:
            return False
        try:
            return self.frontier.claim_seeding()
        except redis.RedisError as exc:
            self.mark_lost(exc)
            return False

    def seeding_done(self) -> None:
        if self.lost:
            return
        try:
            self.frontier.seeding_done()
        except redis.RedisError as exc:
            self.mark_lost(exc)

    def is_last_worker(self) -> bool:
        """No other worker has a live heartbeat (False when Redis cannot tell)."""
        if self.lost:
            return False
        try:
            return not [w for w in self.frontier.live_workers() if w != self.worker]
        except redis.RedisError as exc:
            self.mark_lost(exc)
            return False

    def deduplicator(self) -> SharedArticleDeduplicator:
        return SharedArticleDeduplicator(self)


def join_shared_run(
    settings: BaseSettings, out: Path, site: str, url: str | None = None
) -> SharedRun:
    """Connect, join the site's run in progress (or start one), and make this worker's side of
    the run directory ready; raises RedisUnavailable when Redis cannot be reached."""
    url = url or redis_url(settings)
    if not url:
        raise ValueError("Redis mode needs NEWSARCHIVE_REDIS_URL")
    worker = worker_id()
    client = connect(url, timeout=settings.getfloat("NEWSARCHIVE_REDIS_TIMEOUT"), name=worker)
    prefix = settings.get("NEWSARCHIVE_REDIS_PREFIX") or DEFAULT_PREFIX
    proposed = settings.get("NEWSARCHIVE_RUN_ID") or _free_run_id(out / site)
    join = client.register_script(scripts.JOIN)
    run_id_raw, created = join(keys=[current_run_key(prefix, site)], args=[proposed])
    run_id = run_id_raw.decode() if isinstance(run_id_raw, bytes) else str(run_id_raw)
    run = RunDirectory.join(out, site, run_id, worker=worker)
    create_site_state(out / site / "state.sqlite")
    close_dead_workers_files(out / site, keep=run.path)
    keys = RunKeys(prefix, site, run_id)
    frontier = Frontier(
        client,
        keys,
        worker,
        lease_seconds=settings.getfloat("NEWSARCHIVE_REDIS_LEASE"),
        max_attempts=settings.getint("NEWSARCHIVE_REDIS_MAX_ATTEMPTS"),
    )
    frontier.register()
    logger.info(
        "worker %s %s run %s of %s through Redis at %s",
        worker,
        "started" if created else "joined",
        run_id,
        site,
        redact(url),
    )
    settings.set("SCHEDULER", SCHEDULER, priority="spider")
    return SharedRun(
        client=client,
        keys=keys,
        worker=worker,
        url=redact(url),
        run=run,
        created=bool(created),
        frontier=frontier,
        idle_close=settings.getfloat("NEWSARCHIVE_REDIS_IDLE_CLOSE"),
        heartbeat=settings.getfloat("NEWSARCHIVE_REDIS_HEARTBEAT"),
    )


def create_site_state(path: Path) -> None:
    """Create the site's state.sqlite, one worker of this host at a time: SQLite refuses a
    second process that switches a new database to WAL at the same moment ("database is
    locked"); once the file is in WAL mode, opening it concurrently is fine."""
    with (path.parent / ".state.sqlite.lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        SiteState(path).close()


def _free_run_id(site_dir: Path) -> str:
    """A new run id whose directory does not exist here yet (two runs in one second)."""
    base = new_run_id()
    run_id, suffix = base, 1
    while (site_dir / run_id).exists():
        suffix += 1
        run_id = f"{base}-{suffix}"
    return run_id
