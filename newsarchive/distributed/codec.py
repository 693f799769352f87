"""Requests as JSON queue entries, never pickle: a writable Redis must not run code in workers.

An entry holds the request's fields: url, method, headers (latin-1 text), body (base64), meta
restricted to JSON values, callback and errback by spider method name, priority, dont_filter,
cb_kwargs. Decoding trusts nothing: an entry that is not such a JSON object, names a method the
spider does not list in `queue_callbacks`, or asks for another scheme than http(s) (`file://`
would read local files into the archive) is rejected with BadQueueEntry. Only
`scrapy.Request` is rebuilt; no class or module named by an entry is ever imported.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from typing import Any

from scrapy import Request

from newsarchive.capture.exchange import CAPTURE_META, WARC_DATE_META
from newsarchive.capture.handler import STATUS_META
from newsarchive.distributed.errors import BadQueueEntry

ENTRY_VERSION = 1
MAX_ENTRY_BYTES = 1_000_000
MAX_URL_LENGTH = 8192
MAX_PRIORITY = 1_000_000
MAX_DEPTH = 20
METHODS = frozenset({"GET", "HEAD", "POST"})
FIELDS = frozenset(
    {
        "v",
        "id",
        "url",
        "method",
        "headers",
        "body",
        "meta",
        "callback",
        "errback",
        "priority",
        "dont_filter",
        "cb_kwargs",
    }
)
# What the capture handler and Scrapy note about one download. A redirect or a retry copies
# the meta of the request it replaces; these describe that earlier download and must not travel.
EXCHANGE_META = frozenset({CAPTURE_META, WARC_DATE_META, STATUS_META, "download_latency"})
# Keys that change where a request goes or what the worker accepts (a proxy, robots.txt off,
# size limits). A worker never writes them (a middleware sets them on its own side); an entry
# carrying one was written by someone else and is refused.
REFUSED_META = frozenset(
    {
        "proxy",
        "_auth_proxy",
        "bindaddress",
        "dont_obey_robotstxt",
        "download_maxsize",
        "download_warnsize",
        "download_fail_on_dataloss",
        "cookiejar",
    }
)


def json_safe(value: Any, depth: int = 0) -> bool:
    """Whether `value` survives a JSON round trip (tuples come back as lists)."""
    if depth > MAX_DEPTH:
        return False
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list | tuple):
        return all(json_safe(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and json_safe(v, depth + 1) for k, v in value.items())
    return False


def sanitise_meta(meta: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The JSON-safe part of `meta`, and the names of the keys left out because their values
    are not JSON (per-download keys are left out silently)."""
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in meta.items():
        if key in EXCHANGE_META or key in REFUSED_META:
            continue
        if isinstance(key, str) and json_safe(value):
            kept[key] = value
        else:
            dropped.append(str(key))
    return kept, dropped


def queue_callbacks(spider: Any) -> frozenset[str]:
    """The spider methods a queue entry may name (`queue_callbacks` on the spider class)."""
    names: frozenset[str] = frozenset(getattr(spider, "queue_callbacks", ()))
    return names


def _method_name(method: Any, spider: Any, allowed: frozenset[str], role: str, url: str) -> str:
    name = getattr(method, "__name__", None)
    if getattr(method, "__self__", None) is not spider or name not in allowed:
        raise BadQueueEntry(
            f"the {role} {method!r} is not one of the spider's queue callbacks "
            f"({', '.join(sorted(allowed))}); such a request cannot go through Redis",
            url=url,
        )
    return str(name)


def encode_request(request: Request, spider: Any, entry_id: str) -> tuple[bytes, list[str]]:
    """The JSON entry of `request`, and the meta keys left out (not JSON)."""
    url = request.url
    if type(request) is not Request:
        raise BadQueueEntry(f"{type(request).__name__} cannot go through Redis", url=url)
    allowed = queue_callbacks(spider)
    callback = _method_name(request.callback, spider, allowed, "callback", url)
    errback = (
        _method_name(request.errback, spider, allowed, "errback", url) if request.errback else None
    )
    if not json_safe(request.cb_kwargs):
        raise BadQueueEntry("cb_kwargs are not JSON: the request cannot go through Redis", url=url)
    meta, dropped = sanitise_meta(request.meta)
    document = {
        "v": ENTRY_VERSION,
        "id": entry_id,
        "url": url,
        "method": request.method,
        "headers": {
            name.decode("latin-1"): [value.decode("latin-1") for value in values]
            for name, values in request.headers.items()
        },
        "body": base64.b64encode(request.body).decode("ascii"),
        "meta": meta,
        "callback": callback,
        "errback": errback,
        "priority": max(-MAX_PRIORITY, min(MAX_PRIORITY, request.priority)),
        "dont_filter": request.dont_filter,
        "cb_kwargs": dict(request.cb_kwargs),
    }
    data = json.dumps(document, allow_nan=False, separators=(",", ":")).encode("ascii")
    if len(data) > MAX_ENTRY_BYTES:
        raise BadQueueEntry(f"request entry of {len(data)} bytes is too large", url=url)
    return data, dropped


def decode_entry(data: bytes, spider: Any) -> Request:
    """The request of a queue entry, or BadQueueEntry naming what is wrong with it."""
    if len(data) > MAX_ENTRY_BYTES:
        raise BadQueueEntry(f"entry of {len(data)} bytes is larger than any request entry")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadQueueEntry(
            f"not a JSON request entry (pickle or garbage?): {data[:60]!r}"
        ) from None
    if not isinstance(document, dict):
        raise BadQueueEntry(f"not a JSON object: {data[:60]!r}")
    unknown = set(document) - FIELDS
    if unknown:
        raise BadQueueEntry(f"unknown fields {sorted(unknown)} in entry {data[:60]!r}")
    if document.get("v") != ENTRY_VERSION:
        raise BadQueueEntry(f"entry version {document.get('v')!r} is not {ENTRY_VERSION}")
    url = _field(document, "url", str)
    if not url.startswith(("http://", "https://")) or len(url) > MAX_URL_LENGTH:
        raise BadQueueEntry("only http(s) URLs of reasonable length are crawled", url=url[:200])
    method = _field(document, "method", str)
    if method not in METHODS:
        raise BadQueueEntry(f"method {method!r} is not one of {sorted(METHODS)}", url=url)
    allowed = queue_callbacks(spider)
    callback = _field(document, "callback", str)
    errback = document.get("errback")
    for role, name in (("callback", callback), ("errback", errback)):
        if name is not None and name not in allowed:
            raise BadQueueEntry(f"{role} {name!r} is not one of the spider's queue callbacks")
    try:
        body = base64.b64decode(_field(document, "body", str), validate=True)
        return Request(
            url,
            callback=getattr(spider, callback),
            errback=getattr(spider, errback) if isinstance(errback, str) else None,
            method=method,
            headers=_headers(document.get("headers")),
            body=body,
            meta=_meta(document.get("meta")),
            priority=_priority(document.get("priority")),
            dont_filter=_field(document, "dont_filter", bool),
            cb_kwargs=_field(document, "cb_kwargs", dict),
        )
    except (binascii.Error, ValueError, TypeError) as exc:
        raise BadQueueEntry(f"malformed request entry: {exc}", url=url) from None


def _field(document: dict[str, Any], name: str, kind: type) -> Any:
    value = document.get(name)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise BadQueueEntry(f"field {name!r} must be {kind.__name__}, not {type(value).__name__}")
    return value


def _headers(value: Any) -> dict[bytes, list[bytes]]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
        for k, v in value.items()
    ):
        raise BadQueueEntry("field 'headers' must map names to lists of strings")
    # Header bytes went in as latin-1 text; anything else was not written by a worker.
    return {
        name.encode("latin-1"): [item.encode("latin-1") for item in values]
        for name, values in value.items()
    }


def _meta(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadQueueEntry("field 'meta' must be an object")
    refused = sorted(REFUSED_META.intersection(value))
    if refused:
        raise BadQueueEntry(f"meta {refused} is not accepted from Redis")
    return {k: v for k, v in value.items() if k not in EXCHANGE_META}


def _priority(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_PRIORITY:
        raise BadQueueEntry(f"priority {value!r} is not an integer within ±{MAX_PRIORITY}")
    return value
