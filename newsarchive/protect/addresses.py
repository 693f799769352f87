"""No request to a private, loopback, link-local or otherwise non-public address unless the site
profile says `allow_private_addresses = true` (the demo profile does: it crawls 127.0.0.1).

A page, a sitemap or a redirect can point the crawler at `http://169.254.169.254/` (cloud
metadata), `http://10.0.0.5/admin` or a host name that resolves to one of those. Checked before
anything is sent:

- an IP-literal host by its address class (IPv4-mapped, 6to4 and NAT64 IPv6 forms by the IPv4
  address inside them);
- a host name by every address it resolves to, through the reactor's resolver, which is
  Scrapy's caching resolver: the connection that follows uses the same cached answer, so a DNS
  rebinding between the check and the connection would have to beat the cache (DNSCACHE_*).

After the response, the address Scrapy actually connected to (`response.ip_address`) is checked
too, as a second net (skipped for requests sent through a proxy, whose address it then is).
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from newsarchive.protect.refusals import Refused

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.internet.interfaces import IAddress, IHostResolution

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_class(address: str | IPAddress) -> str | None:
    """Why an address is not a public one ("loopback", "link-local", "private", "multicast",
    "reserved", "non-global"), or None for a public address. ValueError if it is no address."""
    ip = address if not isinstance(address, str) else ipaddress.ip_address(address.strip("[]"))
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return address_class(embedded)
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved or ip.is_unspecified:
        return "reserved"
    if not ip.is_global:
        return "non-global"
    return None


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class _Addresses:
    """Collects every address one host name resolves to (an IResolutionReceiver)."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.done: Deferred[list[str]] = Deferred()

    def resolutionBegan(self, resolutionInProgress: IHostResolution) -> None:
        pass

    def addressResolved(self, address: IAddress) -> None:
        host = getattr(address, "host", None)
        if host:
            self.found.append(str(host))

    def resolutionComplete(self) -> None:
        self.done.callback(self.found)


async def resolve(host: str) -> list[str]:
    """Every address `host` resolves to, by the reactor's (Scrapy's caching) resolver; [] when
    it does not resolve (the download then fails on its own)."""
    from twisted.internet import reactor

    receiver = _Addresses()
    resolver: Any = reactor
    resolver.nameResolver.resolveHostName(receiver, host, 0)
    return await maybe_deferred_to_future(receiver.done)


class AddressPolicyMiddleware:
    """Downloader middleware refusing non-public target addresses (reason `private_address`)
    unless the profile has `allow_private_addresses = true`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressPolicyMiddleware:
        return cls(crawler)

    def _enforced(self) -> bool:
        profile = getattr(self.crawler.spider, "profile", None)
        return profile is not None and not profile.allow_private_addresses

    async def process_request(self, request: Request) -> None:
        if not self._enforced():
            return
        host = urlparse_cached(request).hostname or ""
        literal = _ip_literal(host)
        addresses = [str(literal)] if literal is not None else await resolve(host)
        for address in addresses:
            kind = address_class(address)
            if kind is not None:
                self._refuse(request, address, kind)

    def process_response(self, request: Request, response: Response) -> Response:
        if not self._enforced() or request.meta.get("proxy") or response.ip_address is None:
            return response
        kind = address_class(response.ip_address)
        if kind is not None:
            self._refuse(request, str(response.ip_address), kind)
        return response

    def _refuse(self, request: Request, address: str, kind: str) -> None:
        chain = request.meta.get("redirect_urls") or []
        logger.warning(
            "refused %s: its address %s is %s (the profile does not set allow_private_addresses)%s",
            request.url[:300],
            address,
            kind,
            f"; redirected from {chain[-1]}" if chain else "",
        )
        raise Refused("private_address", f"{kind} address {address}: {request.url[:300]}")
