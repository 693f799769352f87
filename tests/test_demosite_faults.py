"""The demo site's fault mode, hit with raw sockets and http.client (no Scrapy): every fault
behaves as its manifest entry says, the default site has none of them, and a 20,000-article
site starts quickly."""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import lxml.etree
import pytest

from newsarchive.demosite import DemoOptions, DemoServer, build_manifest, faults
from newsarchive.demosite.fault_articles import UNICODE_PATH
from newsarchive.demosite.fault_routes import chain_hops
from newsarchive.demosite.options import FOREIGN
from tests.demo_server import fetch, port_of

Entry = dict[str, Any]
SAFE_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
NEVER_LINKED = {faults.XXE_PROBE, faults.ENCODED_DOTS_NORMALISED, faults.DOT_SEGMENTS_LINK}
"""Fault URLs no page links: the probe (only a parser fetching entities asks for it) and the
other spellings of two articles (the canonical ones are linked)."""


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    with DemoServer(DemoOptions(faults=True, size=30)) as server:
        yield server


@pytest.fixture(scope="module")
def manifest() -> list[Entry]:
    return build_manifest(DemoOptions(faults=True, size=30))


def fault_entries(manifest: list[Entry]) -> dict[str, Entry]:
    return {e["url"]: e for e in manifest if e["fault"] is not None}


def raw_get(
    server: DemoServer, target: str, timeout: float = 10
) -> tuple[bytes, bytes, BaseException | None]:
    """(head, body so far, what ended the read: None for a clean EOF) over a raw socket."""
    sock = socket.create_connection(("127.0.0.1", port_of(server)), timeout=timeout)
    data = bytearray()
    ended: BaseException | None = None
    try:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError as error:  # ConnectionResetError, TimeoutError
        ended = error
    finally:
        sock.close()
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    return head, body, ended


def content_length(head: bytes) -> int:
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    assert match, head
    return int(match.group(1))


def full_body(server: DemoServer, target: str) -> bytes:
    responder = server.responder
    return responder.rendered(server.table.resolve(target)).body


# -- the catalogue and the default site -------------------------------------------------------


def test_manifest_lists_every_fault_with_expectations(manifest: list[Entry]) -> None:
    entries = fault_entries(manifest)
    assert {e["fault"] for e in entries.values()} == set(faults.FAULTS) - {"robots_500_once"}
    for entry in entries.values():
        fault = faults.FAULTS[entry["fault"]]
        assert (entry["expected"], entry["expect_article"]) == (
            fault.expected,
            fault.expect_article,
        )
    assert entries["/truncated-body-9026/"]["delivery"] == "truncate"
    assert entries[faults.GZIP_BOMB]["content_encoding"] == "gzip"
    assert entries[faults.OFFSITE_REDIRECT]["final_url"] == faults.OFFSITE_STORY
    assert entries[faults.METADATA_REDIRECT]["location"] == faults.METADATA_URL
    assert entries[faults.OFFSITE_STORY]["crawlable"] is False
    assert entries[faults.SELF_LOOP]["final_url"] is None
    assert entries["/feed/"]["garbage_items"] == 9
    assert len(entries["/feed/"]["items"]) == 30
    json.dumps(manifest)  # JSON lines must be writable


def test_every_fault_url_is_met_by_a_crawler(site: DemoServer, manifest: list[Entry]) -> None:
    """All fault URLs but the unlinked ones are reachable from /last-news/, the sitemap index
    and the feed; the off-scope one is linked (absolute) from /last-news/."""
    entries = fault_entries(manifest)
    unreached = {
        url
        for url, e in entries.items()
        if not e["crawlable"]
        and url != faults.OFFSITE_STORY
        and e.get("variant") != "tracking"  # ?utm_ copies: robots.txt disallows them
    }
    assert unreached == NEVER_LINKED
    listing = fetch(site, "/last-news/")[2].decode()
    special = listing[listing.index('<aside class="special-reports">') :]
    for href in (faults.DOT_SEGMENTS_LINK, UNICODE_PATH, faults.LOOP_A, faults.CHAIN_START):
        assert f'href="{href}"' in special
    assert f'href="{site.foreign_url}/offsite-story-9041/"' in special
    index = fetch(site, "/sitemap.xml")[2].decode()
    for sitemap in (faults.ENTITY_BOMB_SITEMAP, faults.EXTERNAL_ENTITY_SITEMAP):
        assert f"{site.base_url}{sitemap}</loc>" in index


def test_default_site_has_none_of_the_faults() -> None:
    fault_manifest = fault_entries(build_manifest(DemoOptions(faults=True, size=5)))
    assert all(e["fault"] is None for e in build_manifest(DemoOptions(size=5)))
    with DemoServer(DemoOptions(size=5)) as server:
        for url in fault_manifest:
            if url.startswith("/") and url not in ("/feed/", "/robots.txt", "/ru/feed/"):
                assert fetch(server, url)[0] in (404, 301), url
        assert b"<item>" in fetch(server, "/feed/")[2]
        assert b"javascript:" not in fetch(server, "/feed/")[2]
        assert b"special-reports" not in fetch(server, "/last-news/")[2]
        assert b"fault-" not in fetch(server, "/sitemap.xml")[2]
        assert fetch(server, "/robots.txt")[0] == 200
        assert server.foreign_requests == []
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.2", port_of(server)), timeout=2).close()


# -- socket-level faults ------------------------------------------------------------------------


def test_reset_really_resets_mid_body(site: DemoServer) -> None:
    head, body, ended = raw_get(site, "/connection-reset-9027/")
    assert isinstance(ended, ConnectionResetError), ended
    assert head.startswith(b"HTTP/1.1 200")
    assert 0 < len(body) < content_length(head)
    assert body == site.sent_bytes("/connection-reset-9027/")
    whole = full_body(site, "/connection-reset-9027/")
    assert body == whole[: len(whole) // 2]


def test_truncation_closes_early_under_a_longer_content_length(site: DemoServer) -> None:
    head, body, ended = raw_get(site, "/truncated-body-9026/")
    assert ended is None, "a clean close (FIN), not a reset"
    assert re.search(rb"(?im)^connection: close", head)
    whole = full_body(site, "/truncated-body-9026/")
    assert content_length(head) == len(whole) > len(body) > 0
    assert body == whole[: len(whole) // 2] == site.sent_bytes("/truncated-body-9026/")


def test_stalls_stall_and_the_server_still_stops_promptly() -> None:
    server = DemoServer(DemoOptions(faults=True, size=3))  # stall_seconds: 30
    server.start()
    socks = []
    try:
        for target in ("/slow-response-9031/", "/slow-body-9032/"):
            sock = socket.create_connection(("127.0.0.1", port_of(server)), timeout=1.5)
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            socks.append(sock)
        with pytest.raises(TimeoutError):
            socks[0].recv(1)  # nothing at all, not even a status line
        got = b""
        with pytest.raises(TimeoutError):
            while True:
                got += socks[1].recv(65536)
        head, _, body = got.partition(b"\r\n\r\n")
        assert 0 < len(body) < content_length(head)
    finally:
        started = time.monotonic()
        server.stop()
        stopped = time.monotonic() - started
    assert stopped < 3, f"stop() took {stopped:.1f} s with two stalled responses"
    for sock in socks:
        sock.settimeout(3)
        try:
            assert sock.recv(65536) == b"", "the stalled connection is closed, the rest unsent"
        except ConnectionResetError:
            pass
        finally:
            sock.close()
    assert server.sent_bytes("/slow-response-9031/") == b""
    assert len(server.sent_bytes("/slow-body-9032/")) == len(body)


def test_stall_length_is_an_option() -> None:
    with DemoServer(DemoOptions(faults=True, size=3, stall_seconds=0.3)) as server:
        started = time.monotonic()
        head, body, ended = raw_get(server, "/slow-body-9032/", timeout=5)
        assert ended is None and 0.25 < time.monotonic() - started < 4
        assert len(body) < content_length(head)


def test_once_faults_recover_per_server_instance() -> None:
    options = DemoOptions(faults=True, size=3, robots_500_once=True)
    for _ in range(2):
        with DemoServer(options) as server:
            status, headers, _ = fetch(server, "/rate-limited-9015/")
            assert (status, headers["retry-after"]) == (429, "1")
            assert fetch(server, "/rate-limited-9015/")[0] == 200
            assert fetch(server, "/flaky-9016/")[0] == 503
            assert fetch(server, "/flaky-9016/")[0] == 200
            status, headers, _ = fetch(server, "/robots.txt")
            assert status == 500 and "retry-after" not in headers
            status, _, body = fetch(server, "/robots.txt")
            assert status == 200 and b"Disallow: /print/" in body
    robots = {e["url"]: e for e in build_manifest(options)}["/robots.txt"]
    assert (robots["fault"], robots["first_status"]) == ("robots_500_once", 500)


def test_robots_never_fails_without_its_option(site: DemoServer) -> None:
    assert [fetch(site, "/robots.txt")[0] for _ in range(2)] == [200, 200]


# -- redirects and scope ------------------------------------------------------------------------


def test_five_hop_chain_ends_on_an_article(site: DemoServer) -> None:
    target, statuses = faults.CHAIN_START, []
    while True:
        status, headers, body = fetch(site, target)
        if status != 200:
            statuses.append(status)
            target = headers["location"].removeprefix(site.base_url)
            continue
        break
    assert statuses == [301, 302, 303, 307, 308] == [s for _, _, s in chain_hops()]
    assert target == "/redirect-chain-end-9034/" and b'og:type" content="article"' in body


def test_redirect_loops_and_off_scope_redirects(site: DemoServer) -> None:
    base = site.base_url
    assert fetch(site, faults.LOOP_A)[1]["location"] == base + faults.LOOP_B
    assert fetch(site, faults.LOOP_B)[1]["location"] == base + faults.LOOP_A
    assert fetch(site, faults.SELF_LOOP)[1]["location"] == base + faults.SELF_LOOP
    location = fetch(site, faults.OFFSITE_REDIRECT)[1]["location"]
    assert location == faults.OFFSITE_STORY.replace(FOREIGN, site.foreign_url)
    assert location.startswith("http://127.0.0.2:")
    assert (
        fetch(site, faults.METADATA_REDIRECT)[1]["location"]
        == "http://169.254.169.254/latest/meta-data/"
    )


def test_off_scope_host_answers_and_logs(site: DemoServer) -> None:
    if not site.foreign_listening:
        pytest.skip("cannot listen on 127.0.0.2 here (see the server's warning)")
    connection = http.client.HTTPConnection("127.0.0.2", port_of(site), timeout=5)
    connection.request("GET", "/offsite-story-9041/")
    assert connection.getresponse().status == 200
    connection.close()
    assert ("GET", "/offsite-story-9041/") in site.foreign_requests
    assert not any(path == "/offsite-story-9041/" for _, path, _ in site.access_log)


def test_sent_bytes_records_fault_responses_only(site: DemoServer) -> None:
    fetch(site, "/last-news/")
    with pytest.raises(KeyError):
        site.sent_bytes("/last-news/")
    body = fetch(site, faults.BINARY_AS_HTML)[2]
    assert site.sent_bytes(faults.BINARY_AS_HTML) == body
    head, cut, _ = raw_get(site, "/truncated-body-9026/?utm_source=x")
    assert site.sent_bytes("/truncated-body-9026/?utm_source=x") == cut
    assert len(cut) < content_length(head)
