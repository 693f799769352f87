"""Scale-out on Redis: one crawl shared by any number of workers on any number of machines.

- `mode`: whether a crawl runs in Redis mode (a URL in the settings or the environment);
- `connection`: the redis-py client from a `redis://` / `rediss://` URL, with clear errors;
- `keys`: the names of a run's Redis keys (everything is keyed per run);
- `codec`: requests as JSON entries (never pickle) and the checks on what comes back;
- `scripts`, `frontier`: the shared queue, the in-flight registry with leases, the end-of-run
  check, each step one Lua script;
- `scheduler`: the Scrapy scheduler over the frontier (heartbeat, acks, seeding take-over);
- `worker`: joining a run (the first worker creates its id, the others join it);
- `articles`: one article line per canonical URL across workers;
- `runmerge`: the per-worker `run-<host>-<pid>.json` merged into the run's `run.json`.

Only the modules that talk to Redis import redis-py, and the spider and the CLI import them only
in Redis mode.
"""
