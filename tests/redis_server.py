"""A throw-away redis-server for the Redis tests (and bench/scale_out.py): 127.0.0.1, a free
port, no persistence, a password, its own directory. Never a system service.

Without redis-server the tests skip with a printed reason, and fail under
NEWSARCHIVE_STRICT_TESTS=1 (CI installs it: .ci/run).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSWORD = "s3cret-test-pass"
START_TIMEOUT = 10.0


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


def require_redis_server() -> str:
    from tests.conftest import require

    binary = redis_server_binary()
    require(
        binary is not None,
        "redis-server is not installed (Debian: apt-get install redis-server)",
    )
    assert binary is not None
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    process: subprocess.Popen[bytes]
    port: int
    password: str
    directory: Path
    ca_file: Path | None = None
    """TLS servers: the CA (self-signed) certificate clients must trust."""

    @property
    def url(self) -> str:
        if self.ca_file is not None:
            return (
                f"rediss://:{self.password}@127.0.0.1:{self.port}/0"
                f"?ssl_ca_certs={self.ca_file}&ssl_cert_reqs=required"
            )
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def client(self) -> Any:
        """A redis-py client of this server (bytes replies)."""
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _start(binary: str, directory: Path, password: str, ca_file: Path | None = None) -> RedisServer:
    import redis

    directory.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        port = free_port()
        if ca_file is None:
            listen = ["--port", str(port)]
        else:
            key = directory / "server.key"
            listen = ["--port", "0", "--tls-port", str(port), "--tls-auth-clients", "no"]
            listen += ["--tls-cert-file", str(ca_file), "--tls-key-file", str(key)]
            listen += ["--tls-ca-cert-file", str(ca_file)]
        process = subprocess.Popen(
            [
                binary,
                *listen,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
                "--requirepass",
                password,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = RedisServer(process, port, password, directory, ca_file)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                server.client().ping()
                return server
            except redis.RedisError:
                time.sleep(0.05)
        server.kill()  # the port was taken in the meantime, or it did not come up: retry
    raise RuntimeError(f"redis-server did not start (see {directory})")


@contextmanager
def redis_server(directory: Path, *, password: str = PASSWORD) -> Iterator[RedisServer]:
    """A running redis-server, killed on exit (skips or fails if there is none)."""
    binary = require_redis_server()
    server = _start(binary, directory, password)
    try:
        yield server
    finally:
        server.kill()


@contextmanager
def tls_redis_server(directory: Path, *, password: str = PASSWORD) -> Iterator[RedisServer]:
    """A redis-server speaking only TLS, with a self-signed certificate for 127.0.0.1."""
    binary = require_redis_server()
    directory.mkdir(parents=True, exist_ok=True)
    server = _start(binary, directory, password, self_signed_certificate(directory))
    try:
        yield server
    finally:
        server.kill()


def self_signed_certificate(directory: Path) -> Path:
    """server.crt (also the CA clients trust) and server.key for 127.0.0.1, made with
    cryptography (a Scrapy dependency)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / "server.crt"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "server.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file
