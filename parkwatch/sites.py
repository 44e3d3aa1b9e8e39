"""Site registry: load and validate ``sites/*.yaml``.

A bad file never stops the others: ``load_sites`` returns the good sites and one
``SiteConfigError`` per bad file, each naming the file, the field and the reason.
``${VAR:-default}`` in string values is expanded from the environment, so the demo
portal's port (PARKWATCH_PORTAL_PORT) can move without editing the registry.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from parkwatch import config

SectionKind = Literal["bulletin", "policy", "news", "notice"]
_ENV_REF = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: SectionKind
    start_urls: list[str] = Field(min_length=1)


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_pages: int = Field(default=500, gt=0)
    max_depth: int = Field(default=3, ge=0)


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    concurrency: int = Field(default=2, gt=0, le=32)
    delay_s: float = Field(default=1.0, ge=0)


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    parks: list[str] = Field(min_length=1)
    base_url: str
    cms: Literal["auto", "trs", "hanweb", "vsb", "generic"] = "auto"
    encoding: str | None = None
    sections: list[Section] = Field(min_length=1)
    limits: Limits = Limits()
    politeness: Politeness = Politeness()

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/]+/", v):
            raise ValueError("must be an absolute http(s) URL ending in '/' after the host")
        return v

    def start_requests(self) -> list[tuple[str, str]]:
        """(absolute URL, section kind) for every start URL."""
        return [(urljoin(self.base_url, u), s.kind) for s in self.sections for u in s.start_urls]


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


def load_site_file(path: Path) -> Site:
    """Parse one site file; raises SiteConfigLoadError naming file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SiteConfigLoadError([SiteConfigError(str(path), "(file)", f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise SiteConfigLoadError([SiteConfigError(str(path), "(file)", "top level must be a mapping")])
    try:
        return Site.model_validate(expand_env(data))
    except ValidationError as exc:
        errors = [
            SiteConfigError(str(path), ".".join(str(p) for p in e["loc"]) or "(file)", e["msg"])
            for e in exc.errors()
        ]
        raise SiteConfigLoadError(errors) from exc


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
