"""Hand-written site content, one module per site."""

from __future__ import annotations

from ..model import SiteContent
from . import jinhe, qingchuan, qingchuan_gov, tongjiang, yuanqu

SITES: tuple[SiteContent, ...] = (qingchuan.SITE, jinhe.SITE, qingchuan_gov.SITE, tongjiang.SITE, yuanqu.SITE)

__all__ = ["SITES"]
