"""Scale-out on Redis: one crawl shared by any number of workers on any number of machines.

- `connection`: the redis-py client from a `redis://` / `rediss://` URL, with clear errors;
- `keys`: the names of a run's Redis keys (everything is keyed per run);
- `codec`: requests as JSON entries (never pickle) and the checks on what comes back;
- `frontier`: the shared queue, the in-flight registry with leases, the end-of-run check;
- `scheduler`: the Scrapy scheduler over the frontier (heartbeat, acks, seeding take-over);
- `worker`: joining a run (the first worker creates its id, the others join it);
- `articles`: one article line per canonical URL across workers;
- `runmerge`: the per-worker `run-<host>-<pid>.json` merged into the run's `run.json`.

Nothing here imports redis at module level except the modules that talk to Redis, and the
CLI imports them only when `--redis` is given.
"""
