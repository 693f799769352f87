"""Names of the Redis keys. Everything but the pointer to the current run is keyed per run, so
the next scheduled run starts with an empty duplicate filter and an empty frontier."""

from __future__ import annotations

DEFAULT_PREFIX = "newsarchive"


def current_run_key(prefix: str, site: str) -> str:
    """The id of the site's run in progress; absent between runs."""
    return f"{prefix}:{site}:current"


class RunKeys:
    """The keys of one run: `<prefix>:<site>:run:<run-id>:<name>`."""

    def __init__(self, prefix: str, site: str, run_id: str) -> None:
        self.prefix = prefix
        self.site = site
        self.run_id = run_id
        self.current = current_run_key(prefix, site)
        base = f"{prefix}:{site}:run:{run_id}"
        self.queue = f"{base}:queue"
        """Sorted set of request entries, score -priority (then arrival order)."""
        self.seq = f"{base}:seq"
        self.leases = f"{base}:leases"
        """Sorted set of the entries taken by a worker, score = lease deadline (ms, Redis time)."""
        self.owners = f"{base}:owners"
        """Hash entry → worker holding its lease."""
        self.lease_scores = f"{base}:lease-scores"
        """Hash entry → its queue score, to put it back where it was when its lease expires."""
        self.attempts = f"{base}:attempts"
        """Hash entry → how many of its leases expired."""
        self.dupefilter = f"{base}:dupefilter"
        self.workers = f"{base}:workers"
        """Sorted set worker → heartbeat deadline (ms)."""
        self.seeded = f"{base}:seeded"
        """The worker seeding the start URLs, then "done"."""
        self.idle_since = f"{base}:idle-since"
        self.state = f"{base}:state"
        self.written = f"{base}:articles-written"
        """Hash canonical key → the worker that writes that article's line."""
        self.waiting = f"{base}:articles-waiting"
        """Hash canonical key → a non-canonical capture, written at the end if the canonical page
        never turns up."""

    def run_keys(self) -> list[str]:
        """Every key of the run (not `current`, which belongs to the site)."""
        return [
            self.queue,
            self.seq,
            self.leases,
            self.owners,
            self.lease_scores,
            self.attempts,
            self.dupefilter,
            self.workers,
            self.seeded,
            self.idle_since,
            self.state,
            self.written,
            self.waiting,
        ]
