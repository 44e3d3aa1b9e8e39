"""Stage 1, crawl: what to fetch, fetching, crawl health.

Takes the site registry and the raw zone's crawl state; gives landed pages and attachments plus one
manifest per site run (through `parkwatch.land`), and a health summary per site. The Scrapy project
(``scrapers/`` at the repository root) is the thin fetching shell; every decision it takes lives here:

- `plan`: what to fetch and when to stop paging (`CrawlPlan`), the kind and meta of each request
  (`RequestKind`, `RequestMeta`);
- `listing`: CMS list profiles, pure functions (entries, next page, attachments, challenges);
- `reasons`: the one list of skip and failure reasons, and `failure_reason()` for a failed download;
- `health`: the one health summary, derived from the spider's raw counters or the manifest;
- `decode`: a response as text (through `parkwatch.extract.decode`, the one decoder);
- `launcher`: each site crawl is its own subprocess, because Twisted's reactor cannot restart in
  one process; `progress` watches them run.
"""

from parkwatch.crawl.health import derive, load_done_lists, summarise, summarise_run
from parkwatch.crawl.launcher import crawl_site, crawl_sites
from parkwatch.crawl.plan import CrawlPlan, ListStep, RequestKind, RequestMeta
from parkwatch.crawl.progress import HEALTH_LABELS, LiveProgress, Progress, health_rows
from parkwatch.crawl.reasons import NO_RETRY, SKIP_REASONS, failure_reason

__all__ = [
    "HEALTH_LABELS",
    "NO_RETRY",
    "SKIP_REASONS",
    "CrawlPlan",
    "ListStep",
    "LiveProgress",
    "Progress",
    "RequestKind",
    "RequestMeta",
    "crawl_site",
    "crawl_sites",
    "derive",
    "failure_reason",
    "health_rows",
    "load_done_lists",
    "summarise",
    "summarise_run",
]
