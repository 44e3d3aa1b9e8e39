"""The site registry: ``sites/*.yaml`` → validated `Site` records.

Takes the YAML files under ``PARKWATCH_SITES_DIR`` (strict safe YAML, ``${VAR:-default}`` expanded)
and gives `Site` models, or a `SiteConfigError` naming file, field and reason for each bad file.
"""

from parkwatch.sites.registry import (
    Limits,
    Politeness,
    Revisit,
    Section,
    Selectors,
    Site,
    SiteConfigError,
    SiteConfigLoadError,
    get_site,
    load_site_file,
    load_sites,
)

__all__ = ["Limits", "Politeness", "Revisit", "Section", "Selectors", "Site", "SiteConfigError",
           "SiteConfigLoadError", "get_site", "load_site_file", "load_sites"]
