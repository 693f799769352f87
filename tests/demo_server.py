"""A demo site in its own process, for tests that crawl it with --demo-url (and kill crawls)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def demo_site_process(*args: str) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_STRICT_TESTS"}
    server = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "demo-site", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        base = server.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:"), base
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
