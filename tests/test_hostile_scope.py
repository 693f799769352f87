"""Scope: nothing is fetched outside the profile's hosts, through redirects and retries too;
no request goes to a private, loopback or link-local address unless the profile allows it;
redirect chains end at REDIRECT_MAX_TIMES; file names built from URLs are safe."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request

from newsarchive.demosite import DemoOptions
from newsarchive.demosite.manifest import build_manifest
from newsarchive.discovery import safe_filename
from newsarchive.protect.addresses import AddressPolicyMiddleware, address_class
from newsarchive.protect.refusals import Refused
from newsarchive.protect.scope import url_refusal
from tests.hostile_server import (
    Reply,
    ScriptedServer,
    crawl_profile,
    first_then,
    page,
    redirect,
    status,
    write_profile,
)

STORY = "/story-301/"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("100.64.0.1", "non-global"),
        ("0.0.0.0", "private"),
        ("224.0.0.1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:a9fe:a9fe::", "link-local"),  # 6to4 around 169.254.169.254
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ("[::1]", "loopback"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_classes(address: str, kind: str | None) -> None:
    assert address_class(address) == kind


def _middleware(allow: bool) -> AddressPolicyMiddleware:
    profile = SimpleNamespace(allow_private_addresses=allow)
    crawler: Any = SimpleNamespace(spider=SimpleNamespace(profile=profile))
    return AddressPolicyMiddleware(crawler)


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
        "http://10.0.0.5/admin",
        "http://[fe80::1]:8080/",
    ],
)
def test_redirect_to_a_private_ip_literal_is_refused(target: str) -> None:
    """AddressPolicyMiddleware.process_request on a redirect target (an IP literal: no DNS)."""
    request = Request(target, meta={"redirect_urls": ["https://news.example/story-1/"]})
    with pytest.raises(Refused) as caught:
        asyncio.run(_middleware(allow=False).process_request(request))
    assert caught.value.reason == "private_address"
    asyncio.run(_middleware(allow=True).process_request(request))  # allowed by the profile


def test_url_refusals() -> None:
    assert url_refusal("http://a.example/" + "x" * 3000, 2048) == "url_too_long"
    assert url_refusal("http://a.example/" + "x" * 3000, 0) is None
    assert url_refusal("ftp://a.example/file", 2048) == "not_http"
    assert url_refusal("HTTPS://a.example/", 2048) is None


@pytest.mark.slow
def test_retried_redirect_off_site_is_refused(tmp_path: Path) -> None:
    """ScopeMiddleware: a page that answers 503 once, then redirects to another host. The
    retry carries dont_filter, which Scrapy's OffsiteMiddleware lets through; without
    ScopeMiddleware the off-site host gets the request."""
    with ScriptedServer({"/stolen-302/": page("Stolen")}, host="127.0.0.2") as foreign:
        routes = {STORY: first_then(status(503), redirect(foreign.base + "/stolen-302/"))}
        with ScriptedServer(routes) as server:
            profile = write_profile(
                tmp_path / "p.toml", [server.base + STORY], allowed_hosts=["127.0.0.1"]
            )
            run = crawl_profile(profile, tmp_path / "out")
    assert len(server.hits(STORY)) == 2
    assert foreign.paths() == []
    assert run.run_json["counts"]["requests_refused"] == {"off_scope": 1}
    listed = run.run_json["unextracted_articles"]["listed"]
    assert listed == [{"url": server.base + STORY, "reason": "refused: off_scope"}]


@pytest.mark.slow
def test_redirect_to_another_port_is_refused(tmp_path: Path) -> None:
    """ScopeMiddleware: allowed_hosts entries with a port. Scrapy's allowed_domains has no
    ports, so only ScopeMiddleware stops a redirect to the same host on another port."""
    with ScriptedServer({"/admin-303/": page("Admin")}) as other:
        routes = {STORY: redirect(other.base + "/admin-303/")}
        with ScriptedServer(routes) as server:
            host = f"127.0.0.1:{server.port}"
            profile = write_profile(
                tmp_path / "p.toml", [server.base + STORY], allowed_hosts=[host]
            )
            run = crawl_profile(profile, tmp_path / "out")
    assert server.paths() == ["/robots.txt", STORY]
    assert other.paths() == []
    assert run.run_json["counts"]["requests_refused"] == {"off_scope": 1}


@pytest.mark.slow
def test_private_addresses_refused_unless_allowed(tmp_path: Path) -> None:
    """AddressPolicyMiddleware with `allow_private_addresses = false`: an IP-literal URL and a
    host name resolving to loopback (`localhost`) are refused before anything is sent. Without
    the middleware the server gets the requests."""
    routes = {STORY: page("Internal story"), "/story-302/": page("Other internal story")}
    with ScriptedServer(routes) as server:
        starts = [server.base + STORY, f"http://localhost:{server.port}/story-302/"]
        profile = write_profile(
            tmp_path / "p.toml",
            starts,
            allowed_hosts=["127.0.0.1", "localhost"],
            allow_private=False,
        )
        run = crawl_profile(profile, tmp_path / "out")
        assert server.paths() == []
        assert run.run_json["counts"]["requests_refused"] == {"private_address": 2}
        assert "loopback" in run.stderr and "allow_private_addresses" in run.stderr
        # The same profile with the permission fetches both.
        write_profile(tmp_path / "p.toml", starts, allowed_hosts=["127.0.0.1", "localhost"])
        allowed = crawl_profile(tmp_path / "p.toml", tmp_path / "out2")
    assert allowed.run_json["counts"]["articles"] == 2


def _endless(n: int) -> Reply:
    return Reply(302, [("Location", f"/hop-{n + 1}/")])


@pytest.mark.slow
def test_endless_redirect_chain_stops_at_redirect_max_times(tmp_path: Path) -> None:
    """REDIRECT_MAX_TIMES (10): /hop-0/ → /hop-1/ → ... never repeats a URL, so the duplicate
    filter cannot stop it; Scrapy's RedirectMiddleware gives up after 10 hops."""
    routes = {f"/hop-{n}/": (lambda k: lambda _: _endless(k))(n) for n in range(60)}
    with ScriptedServer(routes) as server:
        profile = write_profile(
            tmp_path / "p.toml", [server.base + "/hop-0/"], allowed_hosts=["127.0.0.1"]
        )
        run = crawl_profile(profile, tmp_path / "out")
    hops = [p for p in server.paths() if p.startswith("/hop-")]
    assert len(hops) == 11  # the request and 10 redirects
    assert run.run_json["counts"]["requests_refused"] == {"redirect_limit": 1}


def test_file_names_from_fault_urls_are_safe() -> None:
    """discovery.safe_filename on every fault-mode URL (dot segments, %2E%2E, %00, 3000
    characters, Unicode): no separator, no NUL, no `..`, length-capped, distinct, stable."""
    urls = [
        "http://127.0.0.1:8000" + entry["url"]
        for entry in build_manifest(DemoOptions(faults=True))
        if entry["url"].startswith("/") and entry.get("fault")
    ]
    urls += ["http://127.0.0.1:8000/nul-byte\x00-9046/", "../../etc/passwd", "CON.txt", ".."]
    names = [safe_filename(url) for url in urls]
    for url, name in zip(urls, names, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9._-]{1,120}", name), (url, name)
        assert ".." not in name and not name.startswith((".", "-")), name
        assert name.split(".")[0].lower() not in {"con", "nul", "prn", "aux"}, name
        assert safe_filename(url) == name
    assert len(set(names)) == len(set(urls))
