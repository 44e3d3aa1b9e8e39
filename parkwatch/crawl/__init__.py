"""Stage 1, crawl: what to fetch, fetching, crawl health.

Takes the site registry and the raw zone's crawl state; gives landed pages and attachments plus one
manifest per site run (through `parkwatch.land`), and a health summary per site. The Scrapy project
(``scrapers/`` at the repository root) is the thin fetching shell: every decision it takes (the
plan, list profiles, reasons, health, decoding) lives here. Each site crawl is its own subprocess
(`launcher`), because Twisted's reactor cannot restart in one process.
"""

from parkwatch.crawl.launcher import crawl_site, crawl_sites, summarise_run
from parkwatch.crawl.reasons import NO_RETRY, SKIP_REASONS

__all__ = ["NO_RETRY", "SKIP_REASONS", "crawl_site", "crawl_sites", "summarise_run"]
