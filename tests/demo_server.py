"""The demo site for tests: in its own process (for crawls with --demo-url, and crawls that get
killed), and one GET to an in-process server."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from newsarchive.demosite.server import DemoServer


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


def port_of(server: DemoServer) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def fetch(
    server: DemoServer, target: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    """One GET to an in-process demo server, no redirect following; header names lower-cased."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=timeout)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()
