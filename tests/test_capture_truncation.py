"""Downloads cut short are archived with what arrived and `WARC-Truncated`: a body shorter than
its Content-Length, a reset mid-body, a stall past the timeout (the fault-mode demo site), and the
size limit (a small server of our own that sends no Content-Length). The archived bytes are
compared with what the server actually sent before the cut."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.demosite import DemoOptions, DemoServer
from tests.e2e import path_of, run_cli

pytestmark = pytest.mark.slow


def sent_bytes(server: DemoServer, path: str, wait: float = 10) -> bytes:
    """What the server wrote before the cut; a stalled handler records it when it gives up."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return server.sent_bytes(path)
        except KeyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def write_profile(path: Path, base: str, paths: list[str]) -> Path:
    starts = ", ".join(f'"{base}{p}"' for p in paths)
    path.write_text(
        f'name = "cuts"\nstart_urls = [{starts}]\nallowed_hosts = ["127.0.0.1"]\n'
        "article_url_patterns = ['-\\d+/$']\nallow_private_addresses = true\n"
        "[crawl]\ndownload_delay = 0\nautothrottle = false\nobey_crawl_delay = false\n"
        "download_timeout = 2\n",
        encoding="utf-8",
    )
    return path


def responses(out: Path) -> dict[str, list[tuple[str | None, bytes]]]:
    """URL path → [(WARC-Truncated, raw payload)] for every response record."""
    found: dict[str, list[tuple[str | None, bytes]]] = {}
    for warc in sorted(out.glob("cuts/*/warc/*.warc.gz")):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    found.setdefault(path_of(uri), []).append(
                        (record.rec_headers.get_header("WARC-Truncated"), record.raw_stream.read())
                    )
    return found


@pytest.fixture(scope="module")
def fault_server() -> Iterator[DemoServer]:
    server = DemoServer(DemoOptions(faults=True, stall_seconds=4))
    server.start()
    yield server
    server.stop()


def test_cut_bodies_archived_as_sent(tmp_path: Path, fault_server: DemoServer) -> None:
    cases = {
        "/truncated-body-9026/": "disconnect",
        "/connection-reset-9027/": "disconnect",
        "/slow-body-9032/": "time",
    }
    profile = write_profile(tmp_path / "cuts.toml", fault_server.base_url, list(cases))
    result = run_cli("crawl", str(profile), "--out", str(tmp_path / "out"), "-s", "RETRY_TIMES=0")
    assert result.returncode == 1, result.stderr[-3000:]  # finished, with errors
    archived = responses(tmp_path / "out")
    for path, kind in cases.items():
        (truncated, payload), *_ = archived[path]
        assert truncated == kind, path
        sent = sent_bytes(fault_server, path)
        assert sent, f"the server sent part of {path} before the cut"
        assert payload == sent, path
    # A stall before any header produced no HTTP bytes: nothing to archive, just an error.
    assert "/slow-response-9031/" not in archived


class NoLengthServer:
    """Answers every request with BODY and no Content-Length (the body ends at close)."""

    BODY = bytes(range(256)) * 400  # 102,400 bytes

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                request = conn.recv(65536)
                if b"robots.txt" in request:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    continue
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                head += b"Connection: close\r\n\r\n"
                with contextlib.suppress(OSError):
                    conn.sendall(head + self.BODY)

    def close(self) -> None:
        self.sock.close()


def test_size_limit_keeps_the_bytes_up_to_the_limit(tmp_path: Path) -> None:
    server = NoLengthServer()
    try:
        profile = write_profile(tmp_path / "cuts.toml", server.base, ["/big-file-1/"])
        result = run_cli(
            "crawl",
            str(profile),
            "--out",
            str(tmp_path / "out"),
            "-s",
            "DOWNLOAD_MAXSIZE=10000",
            "-s",
            "DOWNLOAD_WARNSIZE=0",
        )
    finally:
        server.close()
    assert result.returncode == 1, result.stderr[-3000:]
    ((truncated, payload),) = responses(tmp_path / "out")["/big-file-1/"]
    assert truncated == "length"
    assert payload == NoLengthServer.BODY[: len(payload)]
    assert 0 < len(payload) <= 10000
