"""Redis queue entries: requests as JSON, and nothing from Redis ever runs code (no server)."""

from __future__ import annotations

import base64
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import FormRequest

from newsarchive.capture.exchange import CAPTURE_META
from newsarchive.distributed.codec import decode_entry, encode_request, sanitise_meta
from newsarchive.distributed.connection import check_url, redact
from newsarchive.distributed.errors import BadQueueEntry
from newsarchive.errors import NewsarchiveError
from newsarchive.records import Capture


class StubSpider:
    queue_callbacks = frozenset({"parse_page", "on_error"})

    def parse_page(self, response: Any) -> None: ...

    def on_error(self, failure: Any) -> None: ...

    def close(self, reason: str) -> None:
        raise AssertionError("a queue entry made the scheduler call spider.close")


SPIDER = StubSpider()


def request(**overrides: Any) -> Request:
    fields: dict[str, Any] = {
        "url": "http://127.0.0.1:8000/news/story-5710/?a=1",
        "callback": SPIDER.parse_page,
        "errback": SPIDER.on_error,
        "headers": {"If-None-Match": '"abc"', "X-Latin": "caf\xe9"},
        "meta": {"newsarchive_series": "http://127.0.0.1:8000/", "newsarchive_depth": 2},
        "priority": 5,
    }
    fields.update(overrides)
    return Request(**fields)


def entry(**fields: Any) -> bytes:
    good, _ = encode_request(request(), SPIDER, "id-1")
    document = json.loads(good)
    document.update(fields)
    return json.dumps(document).encode()


def test_round_trip_keeps_every_field() -> None:
    original = request(method="POST", body=b"\x00\xffbinary", dont_filter=True)
    original.cb_kwargs["page"] = 3
    data, dropped = encode_request(original, SPIDER, "id-1")
    assert dropped == []
    assert b"pickle" not in data and data.startswith(b"{")
    document = json.loads(data)
    assert base64.b64decode(document["body"]) == b"\x00\xffbinary"
    assert document["callback"] == "parse_page" and document["errback"] == "on_error"
    back = decode_entry(data, SPIDER)
    assert type(back) is Request
    assert back.url == original.url and back.method == "POST" and back.body == original.body
    assert (
        back.headers.getlist("X-Latin") == original.headers.getlist("X-Latin") == ["café".encode()]
    )
    assert back.headers.get("If-None-Match") == b'"abc"'
    assert back.meta == original.meta
    assert back.priority == 5 and back.dont_filter is True
    assert back.cb_kwargs == {"page": 3}
    assert back.callback == SPIDER.parse_page and back.errback == SPIDER.on_error


def test_non_json_meta_is_left_out_and_named() -> None:
    meta = {
        "ok": [1, "two", {"three": 3.0}],
        "an_object": object(),
        "a_set": {1, 2},
        "nan": float("nan"),
        CAPTURE_META: Capture(warc_file="x.warc.gz", offset=0, length=1, record_id="<urn:x>"),
        "download_latency": 0.2,
        "proxy": "http://127.0.0.1:3128",  # set again on the worker that takes it
    }
    data, dropped = encode_request(request(meta=meta), SPIDER, "id-1")
    assert sorted(dropped) == ["a_set", "an_object", "nan"]
    assert decode_entry(data, SPIDER).meta == {"ok": [1, "two", {"three": 3.0}]}
    assert sanitise_meta({"t": (1, 2)}) == ({"t": (1, 2)}, [])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: request(cb_kwargs={"when": object()}), "cb_kwargs are not JSON"),
        (lambda: request(callback=lambda r: None), "not one of the spider's queue callbacks"),
        (lambda: request(callback=SPIDER.close), "not one of the spider's queue callbacks"),
        (lambda: FormRequest("http://a/", callback=SPIDER.parse_page), "FormRequest"),
    ],
)
def test_requests_that_cannot_be_json_are_refused(make: Any, message: str) -> None:
    with pytest.raises(BadQueueEntry, match=message):
        encode_request(make(), SPIDER, "id-1")


class _TouchesMarker:
    """Unpickling this creates the marker file: proof that the bytes were unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (Path.touch, (self.marker,))


def test_pickle_entry_is_rejected_and_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_TouchesMarker(marker), protocol=pickle.HIGHEST_PROTOCOL)
    with pytest.raises(BadQueueEntry, match="not a JSON request entry"):
        decode_entry(payload, SPIDER)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: entry(callback="close"), "callback 'close' is not one of"),
        (lambda: entry(callback="__init__"), "callback '__init__' is not one of"),
        (lambda: entry(errback="start"), "errback 'start' is not one of"),
        (lambda: entry(_class="subprocess.Popen"), "unknown fields"),
        (lambda: entry(url="file:///etc/passwd"), "only http"),
        (lambda: entry(method="DELETE"), "method 'DELETE'"),
        (lambda: entry(priority=True), "priority"),
        (lambda: entry(dont_filter="yes"), "dont_filter"),
        (lambda: entry(headers={"X": ["\u0444"]}), "malformed"),
        (lambda: entry(body="%%%"), "malformed"),
        (lambda: entry(meta=[1]), "meta"),
        (lambda: entry(meta={"proxy": "http://attacker:8080"}), "not accepted from Redis"),
        (lambda: entry(meta={"dont_obey_robotstxt": True}), "not accepted from Redis"),
        (lambda: entry(v=2), "version"),
        (lambda: b"[1, 2]", "not a JSON object"),
        (lambda: b"\xff\xfe", "not a JSON request entry"),
        (lambda: b" " * 1_000_001, "larger than any request entry"),
    ],
)
def test_hostile_entries_are_rejected(data: Any, message: str) -> None:
    with pytest.raises(BadQueueEntry, match=message):
        decode_entry(data(), SPIDER)


def test_redis_urls_hide_their_password() -> None:
    assert redact("redis://:hunter2@10.0.0.5:6380/2") == "redis://:***@10.0.0.5:6380/2"
    assert redact("rediss://user:pw@host/0") == "rediss://user:***@host/0"
    assert redact("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    check_url("rediss://host:6380/0")
    with pytest.raises(NewsarchiveError, match="not a Redis URL") as info:
        check_url("http://:hunter2@host:6379/0")
    assert "hunter2" not in str(info.value)
