"""The Redis client of a worker, from `redis://[:password@]host:port/db` or `rediss://` (TLS).

TLS options ride on the URL as redis-py reads them (`?ssl_ca_certs=/path/ca.pem`,
`ssl_cert_reqs=required`, `ssl_certfile`, `ssl_keyfile`). Calls are synchronous and made from
the reactor thread, so every one is bounded by a timeout, and retried at most twice.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from newsarchive.distributed.errors import RedisUnavailable
from newsarchive.errors import NewsarchiveError

SCHEMES = ("redis", "rediss", "unix")
# Lua scripts read the server's clock (TIME) before writing: effect replication, Redis >= 5.
MIN_SERVER_VERSION = (5, 0)


def redact(url: str) -> str:
    """`url` without its password, for logs, messages and run.json."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def check_url(url: str) -> None:
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise NewsarchiveError(
            f"not a Redis URL: {redact(url)!r} (expected redis://[:password@]host:port/db, "
            "rediss:// for TLS, or unix:///path)"
        )


def connect(url: str, *, timeout: float, name: str = "newsarchive") -> redis.Redis:
    """A client that answered PING; RedisUnavailable (with the URL, password hidden) if not."""
    check_url(url)
    options: dict[str, Any] = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(ExponentialBackoff(cap=1.0, base=0.1), 2),
        "client_name": name,
    }
    try:
        client = redis.Redis.from_url(url, **options)
    except (ValueError, TypeError) as exc:
        raise NewsarchiveError(f"bad Redis URL {redact(url)!r}: {exc}") from exc
    try:
        client.ping()
        version = str(client.info("server").get("redis_version", "0"))
    except redis.AuthenticationError as exc:
        client.close()
        raise RedisUnavailable(
            f"Redis at {redact(url)} refused the password: {exc}; "
            "check the URL (redis://:PASSWORD@host:port/db)"
        ) from exc
    except redis.RedisError as exc:
        client.close()
        raise RedisUnavailable(
            f"cannot reach Redis at {redact(url)}: {exc}; is it running, and is this host "
            "allowed to connect?"
        ) from exc
    if _version_tuple(version) < MIN_SERVER_VERSION:
        client.close()
        raise RedisUnavailable(f"Redis at {redact(url)} is version {version}; newsarchive needs 5+")
    return client


def _version_tuple(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
