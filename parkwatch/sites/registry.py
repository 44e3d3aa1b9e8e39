"""Site registry: load and validate ``sites/*.yaml``.

A bad file never stops the others: ``load_sites`` returns the good sites and one
``SiteConfigError`` per bad file, each naming the file, the field and the reason.

A site needs only ``id``, ``name``, ``parks``, ``base_url`` and its sections' start URLs;
everything else has a default: ``cms: auto`` (the profile is detected from the start page),
``selectors`` (CSS, only for lists no profile reads), ``encoding`` (hint for pages that declare
none or a wrong one), ``limits`` (pages per run, sub-list depth, list pages per start URL, the
date floor of the first backfill, bytes per response), ``politeness`` (per-host concurrency,
delay, AutoThrottle, timeout, retries with backoff), ``revisit`` (which landed pages are fetched
again with a conditional GET), ``allow_hosts`` (further hosts that are the site's own) and
``allow_networks`` (private or loopback networks the site may live on; none by default, so only
public addresses are crawled — the demo portal's loopback is allowed this way).
``${VAR:-default}`` in string values is expanded from the environment, so the demo
portal's port (PARKWATCH_PORTAL_PORT) can move without editing the registry.
Files are read with a strict safe loader: no tags, no anchors/aliases, no duplicate keys; a
directory or unreadable file named ``*.yaml`` is reported like any other bad file.
"""
from __future__ import annotations

import codecs
import ipaddress
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parkwatch import config

SectionKind = Literal["bulletin", "policy", "news", "notice"]
CmsName = Literal["auto", "trs", "hanweb", "vsb", "generic"]
_ENV_REF = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: SectionKind
    start_urls: list[str] = Field(min_length=1)


class Selectors(BaseModel):
    """CSS selectors for list pages whose layout the CMS profiles do not read (optional)."""

    model_config = ConfigDict(extra="forbid")
    list_item: str | None = None     # one element per list entry, e.g. "ul.newslist > li"
    link: str = "a[href]"            # inside an entry: the link to the page
    date: str | None = None          # inside an entry: the element holding its date
    next_page: str | None = None     # the link to the next list page, e.g. "a.next"
    attachment: str | None = None    # on a page: the links to its attachments

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
    max_pages: int = Field(default=500, gt=0)        # pages + attachments fetched per run
    max_depth: int = Field(default=3, ge=0)          # hops into sub-column lists (pagination does not count)
    max_list_pages: int = Field(default=200, gt=0)   # list pages walked per start URL per run
    date_floor: date | None = None                   # the first crawl backfills down to this date
    max_bytes: int = Field(default=8 * 1024 * 1024, gt=0, le=256 * 1024 * 1024)  # per response (also unpacked)


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    concurrency: int = Field(default=2, gt=0, le=32)  # per host
    delay_s: float = Field(default=1.0, ge=0)
    autothrottle: bool | None = None                  # default: on unless delay_s is 0 (local portal)
    timeout_s: float = Field(default=30.0, gt=0, le=600)
    retries: int = Field(default=2, ge=0, le=10)      # on 5xx, timeouts, dropped connections
    retry_backoff_s: float = Field(default=2.0, ge=0, le=600)  # first retry waits this, then doubles


class Revisit(BaseModel):
    """When an already landed page is fetched again (conditional GET) though its listing did not change."""

    model_config = ConfigDict(extra="forbid")
    recent_days: int = Field(default=14, ge=0)   # pages dated within this many days of today ...
    every_days: int = Field(default=1, ge=1)     # ... are revisited once their last fetch is this old
    max_per_run: int = Field(default=200, ge=0)


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    parks: list[str] = Field(min_length=1)
    base_url: str
    cms: CmsName = "auto"
    encoding: str | None = None                  # hint when pages declare none or a wrong one
    selectors: Selectors | None = None
    sections: list[Section] = Field(min_length=1)
    limits: Limits = Limits()
    politeness: Politeness = Politeness()
    revisit: Revisit = Revisit()
    allow_hosts: list[str] = []                  # further hosts that count as this site's own
    allow_networks: list[str] = []               # private/loopback networks this site may live on (CIDR)

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
    def _start_urls_on_own_hosts(self) -> "Site":
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


@dataclass(frozen=True)
class SiteConfigError:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


def expand_env(value):
    """Expand ``${VAR}`` and ``${VAR:-default}`` in every string of a parsed YAML tree."""
    if isinstance(value, str):
        return _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), value)
    if isinstance(value, list):
        return [expand_env(v) for v in value]
    if isinstance(value, dict):
        return {k: expand_env(v) for k, v in value.items()}
    return value


class _StrictSafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses what a site file never needs and an attacker could use: anchors and
    aliases (a "billion laughs" alias bomb expands exponentially) and duplicate keys (the last
    ``base_url`` would silently win)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&name / *name) are not allowed in site files", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _safe_load(text: str):
    loader = _StrictSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_site_file(path: Path) -> Site:
    """Parse one site file; raises SiteConfigLoadError naming file and field."""
    def fail(reason: str) -> SiteConfigLoadError:
        return SiteConfigLoadError([SiteConfigError(str(path), "(file)", reason)])

    try:
        data = _safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise fail(f"not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise fail("not valid YAML: nested too deeply") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from exc
    if not isinstance(data, dict):
        raise SiteConfigLoadError([SiteConfigError(str(path), "(file)", "top level must be a mapping")])
    try:
        return Site.model_validate(expand_env(data))
    except ValidationError as exc:
        errors = [_config_error(path, e) for e in exc.errors()]
        raise SiteConfigLoadError(errors) from exc


_MODEL_ERROR = re.compile(r"^(?:Value error, )?([A-Za-z_][\w.]*): (.*)$", re.S)


def _config_error(path: Path, err: dict) -> SiteConfigError:
    field = ".".join(str(p) for p in err["loc"])
    reason = err["msg"]
    if not field:  # a whole-model check names its field at the start of its message
        m = _MODEL_ERROR.match(reason)
        field, reason = (m.group(1), m.group(2)) if m else ("(file)", reason)
    return SiteConfigError(str(path), field, reason.removeprefix("Value error, "))


class SiteConfigLoadError(Exception):
    def __init__(self, errors: list[SiteConfigError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def load_sites(directory: Path | None = None) -> tuple[list[Site], list[SiteConfigError]]:
    """All valid sites in ``directory`` (sorted by id) and the errors of the invalid files."""
    directory = directory or config.sites_dir()
    sites: list[Site] = []
    errors: list[SiteConfigError] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.y*ml")):
        try:
            site = load_site_file(path)
        except SiteConfigLoadError as exc:
            errors.extend(exc.errors)
            continue
        if site.id in seen:
            errors.append(SiteConfigError(str(path), "id", f"duplicate id {site.id!r} (also in {seen[site.id].name})"))
            continue
        seen[site.id] = path
        sites.append(site)
    return sorted(sites, key=lambda s: s.id), errors


def get_site(site_id: str, directory: Path | None = None) -> Site:
    sites, errors = load_sites(directory)
    for site in sites:
        if site.id == site_id:
            return site
    bad = [str(e) for e in errors]
    hint = f" (invalid site files: {'; '.join(bad)})" if bad else ""
    known = ", ".join(s.id for s in sites) or "none"
    raise KeyError(f"no valid site {site_id!r} in {directory or config.sites_dir()}; known: {known}{hint}")
