"""HTTP semantics of the demo site, apart from sockets: placeholder substitution, a per-URL
cache of rendered bytes, content-coding negotiation, conditional GET, HEAD rules and the
fault-mode "fail once" state."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime

from newsarchive.demosite.faults import RETRY_AFTER_SECONDS, OnceState
from newsarchive.demosite.options import BASE, FOREIGN, NOW
from newsarchive.demosite.page import Delivery, Page, Route
from newsarchive.demosite.routes import RouteTable

logger = logging.getLogger(__name__)

HTTP_DATE = format_datetime(NOW.astimezone(UTC), usegmt=True)
"""Every response carries this Date: the site's fixed "now"."""
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml")
_CACHE_CONTROL = "max-age=60"


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    """Bytes to write after the headers (empty for HEAD and 304)."""
    delivery: Delivery = "normal"


@dataclass(slots=True)
class _Rendered:
    page: Page
    body: bytes
    etag: str
    encoded: dict[str, bytes] = field(default_factory=dict)


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
        self._base_url = base_url
        self._cache: dict[str, _Rendered] = {}
        self._lock = threading.Lock()
        self._once = OnceState()
        self._brotli = importlib.util.find_spec("brotli") is not None

    def rendered(self, route: Route) -> _Rendered:
        """The route's page with placeholders replaced, rendered once per cache key."""
        key = _cache_key(route)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        page = route.render()
        body = page.body.replace(BASE.encode(), self._base).replace(FOREIGN.encode(), self._foreign)
        etag = hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20]
        rendered = _Rendered(page=page, body=body, etag=etag)
        with self._lock:
            return self._cache.setdefault(key, rendered)

    def respond(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        """The response to one request; header names are matched case-insensitively."""
        headers = {name.lower(): value for name, value in headers.items()}
        route = self.table.resolve(target)
        rendered = self.rendered(route)
        page = rendered.page
        if method == "HEAD" and not page.head_allowed:
            return Response(405, [("Allow", "GET"), ("Content-Length", "0")], b"")
        if page.once_status is not None and self._once.first_time(route.url):
            return self._fail_once(page.once_status, method)
        encoding = None
        if page.delivery == "normal" and page.content_type.startswith(_COMPRESSIBLE):
            encoding = choose_encoding(headers.get("accept-encoding", ""), self._brotli)
        body = self._encoded(rendered, encoding)
        if encoding == "br" and body is rendered.body:
            encoding = None
        out: list[tuple[str, str]] = [("Content-Type", page.content_type)]
        validators = self._validators(rendered, encoding)
        if validators and self._not_modified(rendered, headers):
            return Response(304, [*validators, ("Vary", "Accept-Encoding")], b"")
        out.append(("Content-Length", str(len(body))))
        if encoding is not None:
            out.append(("Content-Encoding", encoding))
        elif page.delivery == "gzip_header_over_plain":
            out.append(("Content-Encoding", "gzip"))
        out += [("Vary", "Accept-Encoding"), ("Cache-Control", _CACHE_CONTROL), *validators]
        if page.location is not None:
            out.append(("Location", self._base_url + page.location))
        if page.delivery in ("truncate", "reset"):
            out.append(("Connection", "close"))
        return Response(page.status, out, b"" if method == "HEAD" else body, page.delivery)

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
            return rendered.encoded.setdefault(encoding, data)

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

    def _fail_once(self, status: int, method: str) -> Response:
        reason = "Too Many Requests" if status == 429 else "Service Unavailable"
        body = f"<!DOCTYPE html><html><body><h1>{status} {reason}</h1></body></html>\n".encode()
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(RETRY_AFTER_SECONDS)),
            ("Cache-Control", "no-store"),
        ]
        return Response(status, headers, b"" if method == "HEAD" else body)


def _cache_key(route: Route) -> str:
    if route.page_type == "error":
        return f"error:{route.lang}"
    if route.variant in ("tracking", "legacy_path") and route.canonical:
        return route.canonical
    return route.url
