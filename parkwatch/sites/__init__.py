"""The site registry: ``sites/*.yaml`` → validated `Site` records.

Takes the YAML files under ``PARKWATCH_SITES_DIR`` (strict safe YAML, ``${VAR:-default}`` expanded)
and gives `Site` models, or a `SiteConfigError` naming file, field and reason for each bad file.
``model.py`` says what a site is; ``loader.py`` reads and checks the files.
"""

from parkwatch.sites.loader import (
    SiteConfigError,
    SiteConfigLoadError,
    expand_env,
    get_site,
    load_site_file,
    load_sites,
)
from parkwatch.sites.model import Limits, Politeness, Revisit, Section, Selectors, Site

__all__ = [
    "Limits",
    "Politeness",
    "Revisit",
    "Section",
    "Selectors",
    "Site",
    "SiteConfigError",
    "SiteConfigLoadError",
    "expand_env",
    "get_site",
    "load_site_file",
    "load_sites",
]
