"""Hand-written site content, one module per site."""

from __future__ import annotations

from ..model import SiteContent
from . import jinhe, qingchuan

SITES: tuple[SiteContent, ...] = (qingchuan.SITE, jinhe.SITE)

__all__ = ["SITES"]
