"""Downloader middlewares: the site guard (own hosts, no private addresses) and retries with backoff.
The reasons a failed download is recorded under live in :mod:`parkwatch.crawl.reasons`."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import dnscache

from parkwatch.crawl.reasons import Refusal

log = logging.getLogger(__name__)


class Blocked(Refusal, IgnoreRequest):
    """A request the site guard refused; ``reason`` goes to the manifest. An ``IgnoreRequest``,
    the exception Scrapy expects from a middleware that drops a request."""


def address_allowed(address: str, allow_networks: list[str]) -> bool:
    """Public (globally routable) addresses always; private, loopback, link-local, reserved and
    multicast ones only inside a network the site allowlists."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_global and not ip.is_multicast:
        return True
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allow_networks)


def resolve(host: str) -> list[str]:
    """Addresses of ``host`` (a literal IP resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})  # a str for AF_INET/AF_INET6; str() narrows the type


class SiteGuardMiddleware:
    """Refuses requests to hosts that are not the site's own (also after redirects) and to hosts
    that resolve to private, loopback or link-local addresses unless the site allowlists them.
    A host is resolved once per crawl and the checked address pinned for the connection."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        site = getattr(self.crawler.spider, "site", None)
        if site is None:
            return None
        if not site.owns(request.url):
            raise Blocked("offsite", request.url)
        host = urlsplit(request.url).hostname or ""
        if host not in self._verdicts:
            self._verdicts[host] = self._check(host, site.allow_networks)
        verdict = self._verdicts[host]
        if verdict:
            raise Blocked(verdict, host)
        return None

    @staticmethod
    def _check(host: str, allow_networks: list[str]) -> str | None:
        try:
            addresses = resolve(host)
        except OSError:
            return None  # let the download fail with its own DNS error
        bad = [a for a in addresses if not address_allowed(a, allow_networks)]
        if bad:
            return "private_address"
        # pin the checked address in Scrapy's DNS cache, which its resolver reads before asking DNS:
        # the connection goes to the address just checked, so a DNS answer that changes between the
        # check and the connect (DNS rebinding to 127.0.0.1 or 169.254.169.254) cannot slip through
        ipv4 = [a for a in addresses if ":" not in a]
        if ipv4 and ipv4[0] != host:
            dnscache[host] = ipv4[0]
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry (5xx, 408, 429, timeouts, dropped connections) with exponential backoff:
    the n-th retry waits ``RETRY_BACKOFF_S * 2**(n-1)`` (±20 %), or the server's Retry-After."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("PARKWATCH_RETRY_BACKOFF_S", 2.0)
        self.max_wait = settings.getfloat("PARKWATCH_RETRY_MAX_WAIT_S", 300.0)

    def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if result is not response and response.status in (429, 503):
            after = response.headers.get("Retry-After", b"").decode("latin-1").strip()
            if after.isdigit():
                result.meta["retry_delay"] = min(float(after), self.max_wait)
        return result

    def _retry(self, request, reason):
        new = super()._retry(request, reason)
        if new is not None and self.backoff > 0:
            n = new.meta.get("retry_times", 1)
            wait = self.backoff * 2 ** (n - 1) * random.uniform(0.8, 1.2)
            new.meta["retry_delay"] = min(wait, self.max_wait)
        return new


class RetryDelayMiddleware:
    """Waits ``meta['retry_delay']`` seconds before a retried request goes out."""

    async def process_request(self, request, spider=None):
        delay = request.meta.pop("retry_delay", 0)
        if delay:
            await asyncio.sleep(delay)
        return None
