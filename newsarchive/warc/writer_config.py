"""`WarcWriterConfig`: where and how `WarcWriter` writes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_SAFE_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_UNSAFE_HOST_CHARS = re.compile(r"[^A-Za-z0-9.-]+")


@dataclass(frozen=True, slots=True)
class WarcWriterConfig:
    """Settings of one `WarcWriter`, read once by the caller (e.g. from Scrapy settings)."""

    directory: Path
    prefix: str = "newsarchive"
    max_size: int = 1_000_000_000
    """Rotate before a write once the current file has reached this many bytes."""
    digest_algorithm: str = "sha1"
    """hashlib name; digests are written `NAME:BASE32` (`sha1:...`), as warcio does."""
    redact_headers: tuple[str, ...] = ("authorization", "proxy-authorization")
    """Header names (any case) whose values are written as `REDACTED`, in requests and responses."""
    warcinfo: Mapping[str, str] = field(default_factory=dict)
    """Fields of each file's warcinfo record (operator, isPartOf, robots, http-header-user-agent,
    description...); `software`, `format` and `conformsTo` have defaults that these override."""
    host: str | None = None
    """Crawl host in file names; default `socket.gethostname()`."""
    pid: int | None = None
    """Process id in file names; default `os.getpid()`."""

    def __post_init__(self) -> None:
        if not _SAFE_PREFIX.fullmatch(self.prefix):
            raise ValueError(f"WARC prefix {self.prefix!r} must match {_SAFE_PREFIX.pattern}")
        if self.max_size <= 0:
            raise ValueError(f"WARC max_size must be positive, got {self.max_size}")
        try:
            hashlib.new(self.digest_algorithm)
        except ValueError as exc:
            raise ValueError(f"unknown digest algorithm {self.digest_algorithm!r}") from exc


def sanitise_host(host: str) -> str:
    """`host` reduced to `[A-Za-z0-9.-]`, as WARC file names need."""
    return _UNSAFE_HOST_CHARS.sub("-", host).strip("-.") or "localhost"
