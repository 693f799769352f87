"""A scripted HTTP server for the hostile-web tests: each path answers what its script says
for the n-th request to it, and every request is logged with its arrival time. Plus helpers to
write a site profile pointing at it and to crawl that profile with the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tests.e2e import ROOT, run_cli


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


Script = Callable[[int], Reply]
"""What to answer to the n-th request (0-based) for one path."""


def html_page(title: str, links: tuple[str, ...] = (), paragraphs: int = 6) -> bytes:
    """A small article-like page."""
    text = "".join(
        f"<p>{title}: paragraph {n} of a story long enough to count as a body, with some "
        f"words about the city council, the budget and the weather.</p>"
        for n in range(paragraphs)
    )
    anchors = "".join(f'<a href="{href}">link {n}</a>' for n, href in enumerate(links))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><article><h1>{title}</h1>{text}</article>{anchors}</body></html>"
    ).encode()


def page(title: str, *links: str) -> Script:
    body = html_page(title, links)
    return lambda n: Reply(200, [("Content-Type", "text/html; charset=utf-8")], body)


def redirect(target: str, status: int = 302) -> Script:
    return lambda n: Reply(status, [("Location", target)])


def status(code: int, *headers: tuple[str, str]) -> Script:
    return lambda n: Reply(code, list(headers))


def first_then(first: Script, then: Script, times: int = 1) -> Script:
    """`first` for the first `times` requests, `then` afterwards."""
    return lambda n: first(n) if n < times else then(n)


class ScriptedServer:
    """Serves `routes` on host:port (port 0: any); unknown paths get 404; robots.txt gets 404
    unless scripted."""

    def __init__(self, routes: dict[str, Script], host: str = "127.0.0.1", port: int = 0):
        self.routes = dict(routes)
        self.host = host
        self.port = port
        self.log: list[tuple[float, str, str]] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def hits(self, path: str) -> list[float]:
        """Arrival times (time.monotonic) of the requests for `path`."""
        with self._lock:
            return [t for t, _, p in self.log if p == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [p for _, _, p in self.log]

    def _answer(self, method: str, path: str) -> Reply:
        with self._lock:
            self.log.append((time.monotonic(), method, path))
            n = self._counts.get(path, 0)
            self._counts[path] = n + 1
        script = self.routes.get(path)
        return script(n) if script is not None else Reply(404)

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                reply = server._answer("GET", self.path)
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        self._httpd = ThreadingHTTPServer((self.host, self.port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self.base

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def write_profile(
    path: Path,
    starts: list[str],
    *,
    allowed_hosts: list[str],
    allow_private: bool = True,
    sitemaps: list[str] | None = None,
    name: str = "hostile",
    download_timeout: float = 5,
    article_pattern: str = r"-\d+/$",
) -> Path:
    def strings(values: list[str]) -> str:
        return "[" + ", ".join(json.dumps(v) for v in values) + "]"

    lines = [
        f'name = "{name}"',
        f"start_urls = {strings(starts)}",
        f"allowed_hosts = {strings(allowed_hosts)}",
        f"article_url_patterns = [{json.dumps(article_pattern)}]",
        f"allow_private_addresses = {'true' if allow_private else 'false'}",
    ]
    if sitemaps:
        lines.append(f"sitemaps = {strings(sitemaps)}")
    lines += [
        "[crawl]",
        "download_delay = 0",
        "autothrottle = false",
        "obey_crawl_delay = false",
        f"download_timeout = {download_timeout}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class ProfileRun:
    out: Path
    name: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def run_dir(self) -> Path:
        (run,) = [p for p in (self.out / self.name).iterdir() if p.is_dir()]
        return run

    @property
    def run_json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.run_dir / "run.json").read_text("utf-8"))
        return data

    @property
    def log(self) -> str:
        return (self.run_dir / "crawl.log").read_text("utf-8")


def crawl_profile(
    profile: Path, out: Path, *settings: str, name: str = "hostile", timeout: float = 120
) -> ProfileRun:
    """`newsarchive crawl PROFILE --out OUT -s ...` in a subprocess."""
    args = ["crawl", str(profile), "--out", str(out)]
    for setting in settings:
        args += ["-s", setting]
    result = run_cli(*args, timeout=timeout)
    return ProfileRun(out, name, result.returncode, result.stdout, result.stderr)


# Forks the crawl and reports its exit status and peak RSS (KB) as one JSON line on stdout.
_LAUNCHER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss]))
"""


def crawl_measured(profile: Path, out: Path, *settings: str) -> tuple[int, float, str]:
    """`newsarchive crawl PROFILE` in a child process: (exit status, its peak RSS in MB, its
    stderr).

    The crawl is started by a small launcher process, not by pytest: Linux carries the RSS
    high-water mark of the forking process over into the child's ru_maxrss at exec, so a crawl
    forked straight from a test session that has grown to 300 MB would report 300 MB. wait4 in
    the launcher gives that one child's usage (RUSAGE_CHILDREN would mix in every child)."""
    args = [sys.executable, "-m", "newsarchive", "crawl", str(profile), "--out", str(out)]
    for setting in settings:
        args += ["-s", setting]
    env = dict(os.environ)
    env.pop("NEWSARCHIVE_STRICT_TESTS", None)
    log = out.parent / f"{out.name}-stderr.txt"
    with log.open("w") as err:
        launched = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            timeout=300,
            check=True,
        )
    status, peak_kb = json.loads(launched.stdout.strip().splitlines()[-1])
    return int(status), peak_kb / 1024, log.read_text()
