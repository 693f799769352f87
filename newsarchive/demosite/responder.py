"""HTTP semantics of the demo site, apart from sockets: placeholder substitution, a bounded
per-URL cache of rendered bytes, content-coding negotiation, conditional GET, HEAD rules and
the fault-mode "fail once" state."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus

from newsarchive.demosite.faults import RETRY_AFTER_SECONDS, OnceState
from newsarchive.demosite.options import BASE, FOREIGN, FOREIGN_NETLOC, NOW
from newsarchive.demosite.page import Delivery, Page, Route
from newsarchive.demosite.routes import RouteTable

logger = logging.getLogger(__name__)

HTTP_DATE = format_datetime(NOW.astimezone(UTC), usegmt=True)
"""Every response carries this Date: the site's fixed "now"."""
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml")
_CACHE_CONTROL = "max-age=60"
CACHE_BYTES = 32 << 20
"""Rendered pages kept (bodies plus their gzip/br forms): a 20,000-page crawl of a server
running inside the crawler's process must not grow the crawler's memory."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    """Bytes to write after the headers (empty for HEAD and 304)."""
    delivery: Delivery = "normal"
    fault: str | None = None
    """The route's fault (fault mode): the server records what it sent for these."""


@dataclass(slots=True)
class _Rendered:
    page: Page
    body: bytes
    etag: str
    key: str = ""
    encoded: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(data) for data in self.encoded.values())


def _brotli_compress(data: bytes) -> bytes | None:
    try:
        import brotli  # type: ignore[import-untyped]  # optional: `br` only when installed
    except ImportError:
        return None
    result: bytes = brotli.compress(data)
    return result


def choose_encoding(accept_encoding: str, brotli_ok: bool = True) -> str | None:
    """gzip when accepted, else br when accepted (and available), else identity."""
    accepted = set()
    for token in accept_encoding.lower().split(","):
        name, _, params = token.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if name and quality > 0:
            accepted.add(name.strip())
    if "gzip" in accepted or "x-gzip" in accepted:
        return "gzip"
    if "br" in accepted and brotli_ok:
        return "br"
    return None


def _etag_base(tag: str) -> str:
    tag = tag.strip()
    tag = tag.removeprefix("W/").strip('"')
    for suffix in ("-gzip", "-br"):
        tag = tag.removesuffix(suffix)
    return tag


class Responder:
    def __init__(self, table: RouteTable, base_url: str, foreign_url: str) -> None:
        self.table = table
        self._base = base_url.encode("ascii")
        self._foreign = foreign_url.encode("ascii")
        # host:port of the off-site URL (kept as a placeholder when that is one: the manifest).
        netloc = foreign_url.split("://", 1)[1] if "://" in foreign_url else FOREIGN_NETLOC
        self._foreign_netloc = netloc.encode("ascii")
        self._base_url = base_url
        self._foreign_url = foreign_url
        self._cache: OrderedDict[str, _Rendered] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()
        self._once = OnceState()
        self._brotli = importlib.util.find_spec("brotli") is not None

    @property
    def cached_pages(self) -> int:
        with self._lock:
            return len(self._cache)

    @property
    def cached_bytes(self) -> int:
        with self._lock:
            return self._cache_bytes

    def rendered(self, route: Route) -> _Rendered:
        """The route's page with placeholders replaced; recently used ones are cached."""
        key = _cache_key(route)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        page = route.render()
        body = page.body.replace(BASE.encode(), self._base).replace(FOREIGN.encode(), self._foreign)
        body = body.replace(FOREIGN_NETLOC.encode(), self._foreign_netloc)
        etag = hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20]
        rendered = _Rendered(page=page, body=body, etag=etag, key=key)
        with self._lock:
            existing = self._cache.get(key)
            if existing is not None:
                return existing
            self._cache[key] = rendered
            self._cache_bytes += rendered.size
            self._evict()
        return rendered

    def _evict(self) -> None:
        """Drop least recently used pages beyond CACHE_BYTES (the lock is held)."""
        while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cache_bytes -= dropped.size

    def respond(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        """The response to one request; header names are matched case-insensitively."""
        headers = {name.lower(): value for name, value in headers.items()}
        route = self.table.resolve(target)
        rendered = self.rendered(route)
        page = rendered.page
        if method == "HEAD" and not page.head_allowed:
            return Response(405, [("Allow", "GET"), ("Content-Length", "0")], b"")
        if page.once_status is not None and self._once.first_time(route.url):
            return self._fail_once(page.once_status, method, route.fault)
        encoding = None
        negotiable = page.delivery == "normal" and page.content_encoding is None
        if negotiable and rendered.body and page.content_type.startswith(_COMPRESSIBLE):
            encoding = choose_encoding(headers.get("accept-encoding", ""), self._brotli)
        body = self._encoded(rendered, encoding)
        if encoding == "br" and body is rendered.body:
            encoding = None
        out: list[tuple[str, str]] = [("Content-Type", page.content_type)]
        validators = self._validators(rendered, encoding)
        if validators and self._not_modified(rendered, headers):
            return Response(304, [*validators, ("Vary", "Accept-Encoding")], b"")
        out.append(("Content-Length", str(len(body))))
        content_encoding = encoding or page.content_encoding
        if content_encoding is not None:
            out.append(("Content-Encoding", content_encoding))
        out += [("Vary", "Accept-Encoding"), ("Cache-Control", _CACHE_CONTROL), *validators]
        if page.location is not None:
            out.append(("Location", self.absolute(page.location)))
        if page.delivery != "normal":
            out.append(("Connection", "close"))
        body = b"" if method == "HEAD" else body
        return Response(page.status, out, body, page.delivery, route.fault)

    def absolute(self, location: str) -> str:
        """A Page.location as sent: root-relative ones on this server, {FOREIGN} substituted,
        other absolute URLs unchanged."""
        if location.startswith("/"):
            return self._base_url + location
        return location.replace(FOREIGN, self._foreign_url)

    def _encoded(self, rendered: _Rendered, encoding: str | None) -> bytes:
        if encoding is None:
            return rendered.body
        with self._lock:
            cached = rendered.encoded.get(encoding)
        if cached is not None:
            return cached
        if encoding == "gzip":
            data: bytes | None = gzip.compress(rendered.body, compresslevel=6, mtime=0)
        else:
            data = _brotli_compress(rendered.body)
        if data is None:
            return rendered.body
        with self._lock:
            if encoding not in rendered.encoded:
                rendered.encoded[encoding] = data
                if self._cache.get(rendered.key) is rendered:
                    self._cache_bytes += len(data)
                    self._evict()
            return rendered.encoded[encoding]

    @staticmethod
    def _validators(rendered: _Rendered, encoding: str | None) -> list[tuple[str, str]]:
        modified = rendered.page.last_modified
        if modified is None or rendered.page.status != 200:
            return []
        suffix = f"-{encoding}" if encoding else ""
        return [
            ("Last-Modified", format_datetime(modified.astimezone(UTC), usegmt=True)),
            ("ETag", f'"{rendered.etag}{suffix}"'),
        ]

    @staticmethod
    def _not_modified(rendered: _Rendered, headers: Mapping[str, str]) -> bool:
        if_none_match = headers.get("if-none-match")
        if if_none_match:
            tags = {_etag_base(tag) for tag in if_none_match.split(",")}
            return rendered.etag in tags or "*" in tags
        since = headers.get("if-modified-since")
        modified = rendered.page.last_modified
        if since and modified is not None:
            try:
                threshold = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if threshold.tzinfo is None:
                threshold = threshold.replace(tzinfo=UTC)
            return modified <= threshold
        return False

    def _fail_once(self, status: int, method: str, fault: str | None) -> Response:
        reason = HTTPStatus(status).phrase
        body = f"<!DOCTYPE html><html><body><h1>{status} {reason}</h1></body></html>\n".encode()
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ]
        if status in (429, 503):
            headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
        headers.append(("Cache-Control", "no-store"))
        return Response(status, headers, b"" if method == "HEAD" else body, fault=fault)


def _cache_key(route: Route) -> str:
    if route.page_type == "error":
        return f"error:{route.lang}"
    if route.variant in ("tracking", "legacy_path") and route.canonical:
        return route.canonical
    return route.url
