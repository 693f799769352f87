"""The HTTP server: stdlib `ThreadingHTTPServer` on 127.0.0.1 (port 0 by default) serving one
site build, with optional latency, an access log, and the socket-level faults: truncation,
reset, stalls. In fault mode a second listener on 127.0.0.2 (same port) stands for an
off-scope host and logs whatever reaches it."""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections import Counter, OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from newsarchive.demosite.foreign import ForeignHost
from newsarchive.demosite.options import FOREIGN_HOST, DemoOptions
from newsarchive.demosite.responder import HTTP_DATE, Responder, Response
from newsarchive.demosite.routes import RouteTable

logger = logging.getLogger(__name__)

IDLE_TIMEOUT_SECONDS = 15
SENT_WAIT_SECONDS = 5.0
SENT_KEPT = 512
"""Request targets whose last fault response body is kept for `sent_bytes`."""
DRAIN_SECONDS = 2.0
_BIND_ATTEMPTS = 5


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a concurrent crawl must not hit a full listen backlog
    demo: DemoServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "QalaNews/1.0"
    timeout = IDLE_TIMEOUT_SECONDS
    # Headers and body go out in two writes: with Nagle on, a keep-alive client's delayed ACK
    # holds the body back 40 ms per response (20 pages/s per connection).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def date_time_string(self, timestamp: float | None = None) -> str:
        return HTTP_DATE

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError) as error:
            # A client that resets an idle keep-alive connection: not the server's error.
            logger.debug("client %s went away: %s", self.client_address, error)

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
        sent = bytearray()
        if response.fault is not None:
            demo.begin_send(self.path)
        try:
            self._write(response, sent)
        except (BrokenPipeError, ConnectionResetError) as error:
            logger.debug("client went away during %s %s: %s", method, self.path, error)
            self.close_connection = True
        finally:
            if response.fault is not None:
                demo.record_sent(self.path, bytes(sent))

    def _write(self, response: Response, sent: bytearray) -> None:
        """Write `response` as its delivery says; `sent` collects the body bytes written."""
        delivery = response.delivery
        if delivery != "normal":
            self.close_connection = True
        if delivery == "stall_headers":
            self.server.demo.stall()
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        body = response.body if delivery == "normal" else response.body[: len(response.body) // 2]
        self.wfile.write(body)
        sent += body
        if delivery == "reset":
            _reset(self.connection)
        elif delivery == "stall_body":
            self.server.demo.stall()


def _reset(connection: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER 0), once the peer has received what was
    written: a reset drops unsent data, and `sent_bytes` must stay what the client got."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while _unsent(connection) and time.monotonic() < deadline:
        time.sleep(0.005)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def _unsent(connection: socket.socket) -> int:
    """Bytes still in the socket's send queue (Linux SIOCOUTQ; 0 where unsupported)."""
    try:
        import fcntl
        import termios

        raw = fcntl.ioctl(connection.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (ImportError, OSError, AttributeError):
        return 0
    return int(struct.unpack("i", raw)[0])


class DemoServer:
    """Serves one deterministic build of the Qala News demo site.

    The content model is generated in the constructor (bulk bodies later, on demand); pages
    render lazily and recently used ones are cached. `access_log` lists (method, path, status)
    of every request, in order; `sent_bytes(target)` gives the body bytes written for the last
    fault response to a request target; `foreign_requests` lists what reached the off-scope
    host (fault mode). "Fail once" state belongs to one start() of one instance.
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
        self._foreign: ForeignHost | None = None
        self._log: list[tuple[str, str, int]] = []
        # A condition, so that sent_bytes() can wait for a response still being written.
        self._log_lock = threading.Condition()
        self._sending: Counter[str] = Counter()
        self._log_file: IO[str] | None = None
        self._sent: OrderedDict[str, bytes] = OrderedDict()
        self._base_url: str | None = None
        self._stopping = threading.Event()

    @property
    def base_url(self) -> str:
        """scheme://host:port of the server (kept after stop() for log messages)."""
        if self._base_url is None:
            raise RuntimeError("DemoServer was never started: call start() first")
        return self._base_url

    @property
    def foreign_url(self) -> str:
        """scheme://127.0.0.2:port, the off-scope host fault pages link and redirect to."""
        return f"http://{FOREIGN_HOST}:{self.base_url.rsplit(':', 1)[1]}"

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

    @property
    def foreign_listening(self) -> bool:
        """Whether the off-scope listener on 127.0.0.2 was started (fault mode on 127.0.0.1)."""
        return self._foreign is not None

    @property
    def foreign_requests(self) -> list[tuple[str, str]]:
        """(method, target) of every request that reached 127.0.0.2 (empty if not listening:
        the off-scope listener runs in fault mode when the main host is 127.0.0.1)."""
        return self._foreign.requests if self._foreign is not None else []

    def clear_access_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def record(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self._log.append((method, path, status))
            if self._log_file is not None:
                self._log_file.write(f"{method} {path} {status}\n")
                self._log_file.flush()

    def begin_send(self, target: str) -> None:
        """A fault response to `target` is being written (sent_bytes waits for its end)."""
        with self._log_lock:
            self._sending[target] += 1

    def record_sent(self, target: str, body: bytes) -> None:
        with self._log_lock:
            self._sent[target] = body
            self._sent.move_to_end(target)
            while len(self._sent) > SENT_KEPT:
                self._sent.popitem(last=False)
            self._sending[target] -= 1
            if self._sending[target] <= 0:
                del self._sending[target]
            self._log_lock.notify_all()

    def sent_bytes(self, target: str) -> bytes:
        """The body bytes written to the socket after the headers for the last response to
        request target `target` (path plus query, exactly as requested) on a fault route: the
        half before the cut for truncation, reset and mid-body stalls, everything otherwise
        (b"" when nothing was sent). KeyError if no fault response went to that target.
        A client can finish reading before the handler has noted what it wrote: a response
        still being written to `target` is waited for (up to SENT_WAIT_SECONDS)."""
        with self._log_lock:
            self._log_lock.wait_for(lambda: not self._sending[target], SENT_WAIT_SECONDS)
            return self._sent[target]

    def stall(self) -> None:
        """Hang the calling handler for `options.stall_seconds`, or until stop()."""
        self._stopping.wait(self.options.stall_seconds)

    def _shown_host(self) -> str:
        return "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host

    def _bind(self) -> tuple[_HTTPServer, ForeignHost | None]:
        """The main listener and, in fault mode on 127.0.0.1, the off-scope one on 127.0.0.2
        at the same port (an ephemeral port is retried if 127.0.0.2 has it taken)."""
        wants_foreign = self.options.faults and self.host == "127.0.0.1"
        for attempt in range(_BIND_ATTEMPTS):
            httpd = _HTTPServer((self.host, self.port), _Handler)
            if not wants_foreign:
                return httpd, None
            port = httpd.server_address[1]
            try:
                return httpd, ForeignHost(FOREIGN_HOST, port)
            except OSError as error:
                if self.port != 0 or attempt == _BIND_ATTEMPTS - 1:
                    logger.warning("no off-scope host on %s:%d: %s", FOREIGN_HOST, port, error)
                    return httpd, None
                httpd.server_close()
        raise AssertionError("unreachable")

    def start(self) -> str:
        """Bind, serve from a background thread and return the base URL."""
        if self._httpd is not None and self._base_url is not None:
            return self._base_url
        httpd, self._foreign = self._bind()
        httpd.demo = self
        port = httpd.server_address[1]
        base_url = f"http://{self._shown_host()}:{port}"
        self._base_url = base_url
        self._stopping = threading.Event()
        self._responder = Responder(self.table, base_url, self.foreign_url)
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
        """Stop serving; stalled responses are released at once (their connections close)."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._foreign is not None:
            self._foreign.stop()
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
