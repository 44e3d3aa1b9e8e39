"""Loading the site registry: ``sites/*.yaml`` → validated :class:`~parkwatch.sites.model.Site` records.

A bad file never stops the others: ``load_sites`` returns the good sites and one
``SiteConfigError`` per bad file, each naming the file, the field and the reason.
``${VAR:-default}`` in string values is expanded from the environment, so the demo
portal's port (PARKWATCH_PORTAL_PORT) can move without editing the registry.
Files are read with a strict safe loader: no tags, no anchors/aliases, no duplicate keys; a
directory or unreadable file named ``*.yaml`` is reported like any other bad file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from parkwatch import config
from parkwatch.sites.model import Site

_ENV_REF = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


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
                None, None, "anchors and aliases (&name / *name) are not allowed in site files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
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
    except RecursionError:
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


def _config_error(path: Path, err: ErrorDetails) -> SiteConfigError:
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
