"""The off-scope host of fault mode: 127.0.0.2 on the demo server's port. Fault pages link and
redirect there; a crawler that respects its scope never connects. Whatever does connect gets a
plausible article (so a scope bug shows up as data, not only as an error) and is logged."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger(__name__)

PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    b"<title>Partner story</title></head><body><main><article><h1>Partner story</h1>"
    b"<p>This page lives on 127.0.0.2, outside the demo site's scope. A crawler that fetched "
    b"it followed an off-scope link or redirect.</p></article></main></body></html>\n"
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    host: ForeignHost


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PartnerSite/1.0"
    timeout = 15
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("off-scope host: %s - " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def _answer(self, method: str) -> None:
        self.server.host.record(method, self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        if method == "GET":
            self.wfile.write(PAGE)


class ForeignHost:
    """A listener on (host, port); `requests` lists (method, target) of what reached it."""

    def __init__(self, host: str, port: int) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.host = self
        self._lock = threading.Lock()
        self._requests: list[tuple[str, str]] = []
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"demosite-foreign-{port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def requests(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._requests)

    def record(self, method: str, target: str) -> None:
        logger.warning("off-scope host received %s %s", method, target)
        with self._lock:
            self._requests.append((method, target))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
