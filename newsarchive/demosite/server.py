"""The HTTP server: stdlib `ThreadingHTTPServer` on 127.0.0.1 (port 0 by default) serving one
site build, with optional latency, an access log, and the socket-level faults."""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from newsarchive.demosite.options import FOREIGN_HOST, DemoOptions
from newsarchive.demosite.responder import HTTP_DATE, Responder, Response
from newsarchive.demosite.routes import RouteTable

logger = logging.getLogger(__name__)

IDLE_TIMEOUT_SECONDS = 15


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a concurrent crawl must not hit a full listen backlog
    demo: DemoServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "QalaNews/1.0"
    timeout = IDLE_TIMEOUT_SECONDS
    server: _HTTPServer

    def date_time_string(self, timestamp: float | None = None) -> str:
        return HTTP_DATE

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def _serve(self, method: str) -> None:
        demo = self.server.demo
        if demo.options.latency_ms:
            time.sleep(demo.options.latency_ms / 1000)
        try:
            response = demo.responder.respond(method, self.path, dict(self.headers.items()))
        except Exception:  # request boundary: log the URL, answer 500, keep serving
            logger.exception("demo site failed to render %s %s", method, self.path)
            response = Response(500, [("Content-Length", "0")], b"")
        demo.record(method, self.path, response.status)
        try:
            self._write(response)
        except (BrokenPipeError, ConnectionResetError) as error:
            logger.debug("client went away during %s %s: %s", method, self.path, error)
            self.close_connection = True

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        body = response.body
        if response.delivery == "truncate" and body:
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif response.delivery == "reset" and body:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            # SO_LINGER 0 makes close() send RST instead of FIN: a reset mid-body.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        else:
            self.wfile.write(body)


class DemoServer:
    """Serves one deterministic build of the Qala News demo site.

    The content model is generated once, in the constructor; pages render lazily and are cached.
    `access_log` lists (method, path, status) of every request, in order.
    """

    def __init__(
        self,
        options: DemoOptions | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        access_log_path: Path | None = None,
    ) -> None:
        self.options = options or DemoOptions()
        self.host = host
        self.port = port
        self.access_log_path = access_log_path
        self.table = RouteTable(self.options)
        self._responder: Responder | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._log: list[tuple[str, str, int]] = []
        self._log_lock = threading.Lock()
        self._log_file: IO[str] | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """scheme://host:port of the server (kept after stop() for log messages)."""
        if self._base_url is None:
            raise RuntimeError("DemoServer was never started: call start() first")
        return self._base_url

    @property
    def responder(self) -> Responder:
        if self._responder is None:
            raise RuntimeError("DemoServer is not running: call start() first")
        return self._responder

    @property
    def access_log(self) -> list[tuple[str, str, int]]:
        """A snapshot of (method, path, status) for every request so far."""
        with self._log_lock:
            return list(self._log)

    def clear_access_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def record(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self._log.append((method, path, status))
            if self._log_file is not None:
                self._log_file.write(f"{method} {path} {status}\n")
                self._log_file.flush()

    def start(self) -> str:
        """Bind, serve from a background thread and return the base URL."""
        if self._httpd is not None and self._base_url is not None:
            return self._base_url
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.demo = self
        port = httpd.server_address[1]
        shown_host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        base_url = f"http://{shown_host}:{port}"
        self._base_url = base_url
        self._responder = Responder(self.table, base_url, f"http://{FOREIGN_HOST}:{port}")
        if self.access_log_path is not None:
            self._log_file = self.access_log_path.open("a", encoding="utf-8")
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"demosite-{port}",
            daemon=True,
        )
        self._thread.start()
        logger.info(
            "demo site serving %s (size=%d, faults=%s)",
            self._base_url,
            self.options.size,
            self.options.faults,
        )
        return self._base_url

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._log_lock:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None
        self._httpd = None
        self._thread = None

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
