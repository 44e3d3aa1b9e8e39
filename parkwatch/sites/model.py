"""What a site is: the validated model of one ``sites/*.yaml`` file.

A site needs only ``id``, ``name``, ``parks``, ``base_url`` and its sections' start URLs;
everything else has a default: ``cms: auto`` (the profile is detected from the start page),
``selectors`` (CSS, only for lists no profile reads), ``encoding`` (hint for pages that declare
none or a wrong one), ``limits`` (pages per run, sub-list depth, list pages per start URL, the
date floor of the first backfill, bytes per response), ``politeness`` (per-host concurrency,
delay, AutoThrottle, timeout, retries with backoff), ``revisit`` (which landed pages are fetched
again with a conditional GET), ``allow_hosts`` (further hosts that are the site's own) and
``allow_networks`` (private or loopback networks the site may live on; none by default, so only
public addresses are crawled — the demo portal's loopback is allowed this way).
Unknown fields are refused (``extra="forbid"``), so a typo never silently becomes a default.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from datetime import date
from typing import Literal
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SectionKind = Literal["bulletin", "policy", "news", "notice"]
CmsName = Literal["auto", "trs", "hanweb", "vsb", "generic"]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: SectionKind
    start_urls: list[str] = Field(min_length=1)


class Selectors(BaseModel):
    """CSS selectors for list pages whose layout the CMS profiles do not read (optional)."""

    model_config = ConfigDict(extra="forbid")
    list_item: str | None = None  # one element per list entry, e.g. "ul.newslist > li"
    link: str = "a[href]"  # inside an entry: the link to the page
    date: str | None = None  # inside an entry: the element holding its date
    next_page: str | None = None  # the link to the next list page, e.g. "a.next"
    attachment: str | None = None  # on a page: the links to its attachments

    @field_validator("list_item", "link", "date", "next_page", "attachment")
    @classmethod
    def _css(cls, v: str | None) -> str | None:
        if v is None:
            return v
        from cssselect import GenericTranslator, SelectorError

        try:
            GenericTranslator().css_to_xpath(v)
        except SelectorError as exc:
            raise ValueError(f"not a valid CSS selector: {exc}") from None
        return v


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_pages: int = Field(default=500, gt=0)  # pages + attachments fetched per run
    max_depth: int = Field(default=3, ge=0)  # hops into sub-column lists (pagination does not count)
    max_list_pages: int = Field(default=200, gt=0)  # list pages walked per start URL per run
    date_floor: date | None = None  # the first crawl backfills down to this date
    max_bytes: int = Field(default=8 * 1024 * 1024, gt=0, le=256 * 1024 * 1024)  # per response (also unpacked)


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    concurrency: int = Field(default=2, gt=0, le=32)  # per host
    delay_s: float = Field(default=1.0, ge=0)
    autothrottle: bool | None = None  # default: on unless delay_s is 0 (local portal)
    timeout_s: float = Field(default=30.0, gt=0, le=600)
    retries: int = Field(default=2, ge=0, le=10)  # on 5xx, timeouts, dropped connections
    retry_backoff_s: float = Field(default=2.0, ge=0, le=600)  # first retry waits this, then doubles


class Revisit(BaseModel):
    """When an already landed page is fetched again (conditional GET) though its listing did not change."""

    model_config = ConfigDict(extra="forbid")
    recent_days: int = Field(default=14, ge=0)  # pages dated within this many days of today ...
    every_days: int = Field(default=1, ge=1)  # ... are revisited once their last fetch is this old
    max_per_run: int = Field(default=200, ge=0)


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    parks: list[str] = Field(min_length=1)
    base_url: str
    cms: CmsName = "auto"
    encoding: str | None = None  # hint when pages declare none or a wrong one
    selectors: Selectors | None = None
    sections: list[Section] = Field(min_length=1)
    limits: Limits = Limits()
    politeness: Politeness = Politeness()
    revisit: Revisit = Revisit()
    allow_hosts: list[str] = []  # further hosts that count as this site's own
    allow_networks: list[str] = []  # private/loopback networks this site may live on (CIDR)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/]+/", v):
            raise ValueError("must be an absolute http(s) URL ending in '/' after the host")
        return v

    @field_validator("encoding")
    @classmethod
    def _codec(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            codecs.lookup(v)
        except LookupError:
            raise ValueError(f"unknown encoding {v!r}") from None
        return v

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        for net in v:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise ValueError(f"not a network in CIDR form: {net!r}") from None
        return v

    @field_validator("allow_hosts")
    @classmethod
    def _hosts(cls, v: list[str]) -> list[str]:
        for host in v:
            if not re.match(r"^(\*\.)?[A-Za-z0-9.-]+(:\d+)?$", host):
                raise ValueError(f"not a host name: {host!r} (use e.g. 'files.example.gov.cn' or '*.example.gov.cn')")
        return [h.lower() for h in v]

    @model_validator(mode="after")
    def _start_urls_on_own_hosts(self) -> Site:
        for i, section in enumerate(self.sections):
            for j, url in enumerate(section.start_urls):
                absolute = urljoin(self.base_url, url)
                if urlsplit(absolute).scheme not in ("http", "https"):
                    raise ValueError(f"sections.{i}.start_urls.{j}: {url!r} is not an http(s) URL")
                if not self.owns(absolute):
                    raise ValueError(f"sections.{i}.start_urls.{j}: {url!r} is not on the site's hosts")
        return self

    def start_requests(self) -> list[tuple[str, str]]:
        """(absolute URL, section kind) for every start URL."""
        return [(urljoin(self.base_url, u), s.kind) for s in self.sections for u in s.start_urls]

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of the site's own hosts (base URL's host:port, or allow_hosts)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        netloc = _host_port(parts)
        if netloc == _host_port(urlsplit(self.base_url)):  # http → https of the same host stays the site's
            return True
        host = (parts.hostname or "").lower()
        for allowed in self.allow_hosts:
            name = allowed.split(":")[0] if not allowed.startswith("[") else allowed
            if ":" in allowed and netloc == allowed:
                return True
            if name.startswith("*.") and (host == name[2:] or host.endswith(name[1:])):
                return True
            if ":" not in allowed and host == name:
                return True
        return False


def _host_port(parts) -> str:
    """host[:port] with the scheme's default port dropped."""
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return parts.netloc.lower()
    return host if port in (None, 80, 443) else f"{host}:{port}"
