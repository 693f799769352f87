"""Scrapy settings module for newsarchive (`scrapy.cfg` points here).

Every NEWSARCHIVE_* key the code reads is defined below with its default. A site profile may
override the politeness settings (see newsarchive/sites/), the CLI overrides the run settings.
"""

from newsarchive import __version__

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["newsarchive.spiders"]
NEWSPIDER_MODULE = "newsarchive.spiders"

# --- newsarchive: run and output -------------------------------------------------------------
# Where run directories go: DIR/SITE/<run-id>/.
NEWSARCHIVE_OUTPUT_DIR = "archives"
# Run id (UTC YYYYmmddTHHMMSSZ); empty = derive from the start time.
NEWSARCHIVE_RUN_ID = ""
# Stop scheduling new requests after this many responses (0 = no limit).
NEWSARCHIVE_MAX_PAGES = 0
# Skip articles published before this date and stop paging older listings (ISO date, "" = off).
NEWSARCHIVE_SINCE = ""
# Set by `newsarchive crawl`, which holds DIR/SITE/.lock itself; otherwise the spider takes it.
NEWSARCHIVE_LOCK_HELD = False
# Pick up the newest unfinished run of the site (no run.json: it crashed or was killed).
NEWSARCHIVE_RESUME = True
# Incremental runs re-check articles published (or last seen) within this many hours, with
# conditional requests; older known articles are not fetched again. `--full` fetches everything.
NEWSARCHIVE_RECHECK_HOURS = 48.0
# Operator recorded in warcinfo (a person or an institution; free text).
NEWSARCHIVE_OPERATOR = ""
# Collection name recorded as warcinfo isPartOf; empty = the site name.
NEWSARCHIVE_COLLECTION = ""
# Level of the per-run log file DIR/SITE/<run-id>/crawl.log (the console has LOG_LEVEL).
NEWSARCHIVE_LOG_FILE_LEVEL = "INFO"
# Contact URL shown in the User-Agent so site owners can reach the operator.
NEWSARCHIVE_CONTACT_URL = "https://github.com/newsarchive/newsarchive"

# --- newsarchive: WARC ----------------------------------------------------------------------
# Rotate WARC files when they reach this many bytes (WARC 1.1 Annex C suggests ~1 GB).
NEWSARCHIVE_WARC_MAX_SIZE = 1_000_000_000
# Digest algorithm for WARC-Block-Digest / WARC-Payload-Digest (sha1 base32 is the interop default).
NEWSARCHIVE_WARC_DIGEST = "sha1"
# When a response's payload was archived before (same URL, same digest; index in
# DIR/SITE/state.sqlite): "always" writes a revisit record, "blackout" writes nothing within
# NEWSARCHIVE_REVISIT_BLACKOUT seconds of the last record of that page, "off" stores it in full.
NEWSARCHIVE_REVISIT_POLICY = "always"
NEWSARCHIVE_REVISIT_BLACKOUT = 0.0
# Bodies smaller than this (bytes as stored) are always stored in full, never as revisits.
NEWSARCHIVE_REVISIT_MIN_SIZE = 0
# Request headers whose values are replaced by "REDACTED" in request records.
NEWSARCHIVE_WARC_REDACT_HEADERS = ["Authorization", "Proxy-Authorization"]

# --- newsarchive: politeness ----------------------------------------------------------------
# Honour robots.txt Crawl-delay as a minimum per-host delay (profiles for local sites turn it off).
NEWSARCHIVE_OBEY_CRAWL_DELAY = True
# Upper bound on a Crawl-delay we accept, in seconds (a hostile robots.txt must not stall a run).
NEWSARCHIVE_CRAWL_DELAY_MAX = 30.0
# Follow at most this many pages of one paginated listing.
NEWSARCHIVE_MAX_LISTING_PAGES = 50

# --- Scrapy ---------------------------------------------------------------------------------
USER_AGENT = f"newsarchive/{__version__} (+{NEWSARCHIVE_CONTACT_URL})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "newsarchive"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
# No remote control of a running crawl: telnet console and HTTP remote control stay off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False
# Let error statuses reach the spider, so 404s and 410s are counted and logged there.
HTTPERROR_ALLOW_ALL = True
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# No zstd: warcio and most replay tools cannot decode it (Scrapy 2.18+ advertises it by default).
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en,ru;q=0.8,kk;q=0.6",
    "Accept-Encoding": "gzip, deflate, br",
}

# Our handler stamps WARC-Date when the request goes out.
DOWNLOAD_HANDLERS = {
    "http": "newsarchive.capture.CaptureDownloadHandler",
    "https": "newsarchive.capture.CaptureDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "newsarchive.politeness.CrawlDelayMiddleware": 560,
    # The hostile web (newsarchive/protect/): before robots.txt (100) so that nothing off
    # limits even costs a robots.txt request; Retry-After just before RetryMiddleware (550) on
    # the way back, the robots.txt fallback just after it.
    "newsarchive.protect.scope.ScopeMiddleware": 55,
    "newsarchive.protect.addresses.AddressPolicyMiddleware": 60,
    "newsarchive.protect.robots.RobotsUnreachableMiddleware": 540,
    "newsarchive.protect.retry_after.RetryAfterMiddleware": 555,
}
EXTENSIONS = {
    "newsarchive.capture.CaptureExtension": 100,
    "newsarchive.runlog.RunLogExtension": 110,
    "newsarchive.accounting.AccountingExtension": 120,
    "newsarchive.protect.redirect_loops.RedirectLoopExtension": 130,
    "newsarchive.protect.disk.DiskFullExtension": 140,
}
ITEM_PIPELINES = {
    "newsarchive.pipelines.ExtractPipeline": 100,
    "newsarchive.pipelines.ValidatePipeline": 200,
    "newsarchive.pipelines.OutputPipeline": 300,
}

# --- newsarchive: console -------------------------------------------------------------------
# Live progress line on stderr (the CLI turns it on when stderr is a terminal).
NEWSARCHIVE_PROGRESS = False
# Seconds between progress updates.
NEWSARCHIVE_PROGRESS_INTERVAL = 2.0
# Archive every exchange to WARC (turning it off leaves JSON lines without a source of truth).
NEWSARCHIVE_CAPTURE_ENABLED = True

# --- newsarchive: scale-out on Redis (README "Scale-out with Redis") --------------------------
# Seconds between a worker's heartbeats: lease renewal, re-queue of expired leases, end check.
NEWSARCHIVE_REDIS_HEARTBEAT = 1.0
# Seconds the shared frontier (queue + leased) must stay empty before every worker stops.
NEWSARCHIVE_REDIS_IDLE_CLOSE = 10.0
# Seconds a worker's lease on a request lasts unless renewed; then the request is re-queued.
NEWSARCHIVE_REDIS_LEASE = 60.0
# Expired leases after which a request is given up (it keeps killing the workers that take it).
NEWSARCHIVE_REDIS_MAX_ATTEMPTS = 5
# Prefix of every Redis key, so that several deployments can share one Redis database.
NEWSARCHIVE_REDIS_PREFIX = "newsarchive"
# Timeout in seconds of each Redis call, connecting included (calls block the reactor).
NEWSARCHIVE_REDIS_TIMEOUT = 5.0
# redis://[:password@]host:port/db or rediss:// (TLS); empty: env NEWSARCHIVE_REDIS_URL, else off.
NEWSARCHIVE_REDIS_URL = ""

# --- newsarchive: the hostile web (README "Hostile web") --------------------------------------
# Longest Retry-After (429/503) honoured, in seconds; a longer one gives the URL up for the run.
NEWSARCHIVE_RETRY_AFTER_MAX = 60.0
# Longest URL requested, in characters (links and redirect targets alike); 0 = no limit.
NEWSARCHIVE_URL_MAX_LENGTH = 2048
# Sitemap bodies over this many bytes (and every gzip one) are streamed entry by entry.
NEWSARCHIVE_SITEMAP_STREAM_BYTES = 1_000_000
# Articles listed by URL under run.json "unextracted_articles" (all are counted by reason).
NEWSARCHIVE_UNEXTRACTED_LIST_MAX = 1000
# Stop the crawl (exit status 3) when the run directory's file system has less free space.
NEWSARCHIVE_MIN_FREE_BYTES = 64 * 1024 * 1024
