"""Run one site's crawl in this process: ``python -m scrapers.run --site ID --run-id R --raw-root DIR``.

parkwatch.crawl.launcher starts this as a subprocess per site, since Twisted's reactor cannot restart
inside one process. The run's raw counters land in ``<raw-root>/health/<site>/<run>.json``; its
health is printed as one ``PARKWATCH_HEALTH {...}`` line at the end. Exit status 3: another crawl of
the same site holds its lock.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from parkwatch.crawl.health import derive, read_health
from parkwatch.land import RawStore
from parkwatch.sites import get_site
from scrapers.spiders.site import SiteSpider


def politeness_settings(site) -> dict:
    """The Scrapy settings a site's registry politeness decides: per-host concurrency, delay,
    AutoThrottle, timeout, retries. The bench's bare spider uses the same, so the two compare."""
    p = site.politeness
    autothrottle = p.autothrottle if p.autothrottle is not None else p.delay_s > 0
    settings: dict[str, object] = {
        "DOWNLOAD_DELAY": p.delay_s,
        "CONCURRENT_REQUESTS_PER_DOMAIN": p.concurrency,
        "CONCURRENT_REQUESTS": max(16, p.concurrency * (1 + len(site.allow_hosts))),
        "DOWNLOAD_TIMEOUT": p.timeout_s,
        "RETRY_TIMES": p.retries,
        "AUTOTHROTTLE_ENABLED": autothrottle,
    }
    if autothrottle:
        settings.update(
            AUTOTHROTTLE_START_DELAY=max(p.delay_s, 0.5), AUTOTHROTTLE_TARGET_CONCURRENCY=float(p.concurrency)
        )
    if p.delay_s == 0:
        settings["RANDOMIZE_DOWNLOAD_DELAY"] = False
    return settings


def settings_for(site) -> Settings:
    """scrapers.settings, with the site's politeness and limits on top."""
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.setdict(politeness_settings(site), priority="spider")
    limits = site.limits
    settings.set("PARKWATCH_RETRY_BACKOFF_S", site.politeness.retry_backoff_s, priority="spider")
    settings.set("DOWNLOAD_MAXSIZE", limits.max_bytes, priority="spider")
    settings.set("DOWNLOAD_WARNSIZE", min(limits.max_bytes, 2 * 1024 * 1024), priority="spider")
    # a backstop far above the page budget: lists + pages + attachments + robots
    settings.set(
        "CLOSESPIDER_PAGECOUNT",
        3 * limits.max_pages + limits.max_list_pages * len(site.start_requests()) + 100,
        priority="spider",
    )
    return settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--raw-root", required=True)
    parser.add_argument("--logical-date")
    parser.add_argument("--sites-dir")
    args = parser.parse_args(argv)

    site = get_site(args.site, Path(args.sites_dir) if args.sites_dir else None)
    lock_path = Path(args.raw_root) / "locks" / f"{site.id}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(lock_path, "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"another crawl of {site.id} is running (lock {lock_path})", file=sys.stderr)
        return 3
    process = CrawlerProcess(settings_for(site), install_root_handler=True)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(
        crawler,
        site_id=args.site,
        run_id=args.run_id,
        raw_root=args.raw_root,
        logical_date=args.logical_date,
        sites_dir=args.sites_dir,
    )
    process.start()
    counters = read_health(RawStore(Path(args.raw_root)), site.id, args.run_id)
    health = derive(counters) if counters is not None else {}
    print("PARKWATCH_HEALTH " + json.dumps(health, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
