"""CMS families: each turns a :class:`~parkwatch.portal.model.SiteContent` into routes."""

from __future__ import annotations

import datetime as dt

from ..model import SiteContent
from .base import Site
from .faulty import FaultySite
from .generic import GenericSite
from .hanweb import HanwebSite
from .newsportal import NewsPortalSite
from .trs import TrsSite
from .vsb import VsbSite

FAMILIES: dict[str, type[Site]] = {
    "trs": TrsSite,
    "generic": GenericSite,
    "hanweb": HanwebSite,
    "vsb": VsbSite,
    "newsportal": NewsPortalSite,
    "faulty": FaultySite,
}


def build_site(content: SiteContent, base_url: str, today: dt.date | None) -> Site:
    try:
        cls = FAMILIES[content.cms]
    except KeyError:
        raise ValueError(f"site {content.id}: unknown cms family {content.cms!r}") from None
    return cls(content, base_url=base_url, today=today)


__all__ = ["FAMILIES", "Site", "build_site"]
