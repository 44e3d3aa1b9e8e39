"""Run one site's crawl in this process: ``python -m scrapers.run --site ID --run-id R --raw-root DIR``.

parkwatch.crawl.launcher starts this as a subprocess per site, since Twisted's reactor cannot restart
inside one process. The run's health lands in ``<raw-root>/health/<site>/<run>.json`` and is
also printed as one ``PARKWATCH_HEALTH {...}`` line at the end. Exit status 3: another crawl of
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

from parkwatch.sites.registry import get_site
from scrapers.spiders.site import SiteSpider


def settings_for(site) -> Settings:
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    p, limits = site.politeness, site.limits
    settings.set("DOWNLOAD_DELAY", p.delay_s, priority="spider")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", p.concurrency, priority="spider")
    settings.set("CONCURRENT_REQUESTS", max(16, p.concurrency * (1 + len(site.allow_hosts))), priority="spider")
    settings.set("DOWNLOAD_TIMEOUT", p.timeout_s, priority="spider")
    settings.set("RETRY_TIMES", p.retries, priority="spider")
    settings.set("PARKWATCH_RETRY_BACKOFF_S", p.retry_backoff_s, priority="spider")
    settings.set("DOWNLOAD_MAXSIZE", limits.max_bytes, priority="spider")
    settings.set("DOWNLOAD_WARNSIZE", min(limits.max_bytes, 2 * 1024 * 1024), priority="spider")
    autothrottle = p.autothrottle if p.autothrottle is not None else p.delay_s > 0
    settings.set("AUTOTHROTTLE_ENABLED", autothrottle, priority="spider")
    if autothrottle:
        settings.set("AUTOTHROTTLE_START_DELAY", max(p.delay_s, 0.5), priority="spider")
        settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(p.concurrency), priority="spider")
    if p.delay_s == 0:
        settings.set("RANDOMIZE_DOWNLOAD_DELAY", False, priority="spider")
    # a backstop far above the page budget: lists + pages + attachments + robots
    settings.set("CLOSESPIDER_PAGECOUNT", 3 * limits.max_pages + limits.max_list_pages * len(site.start_requests()) + 100,
                 priority="spider")
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
    process.crawl(crawler, site_id=args.site, run_id=args.run_id, raw_root=args.raw_root,
                  logical_date=args.logical_date, sites_dir=args.sites_dir)
    process.start()
    health_path = Path(args.raw_root) / "health" / site.id / f"{args.run_id}.json"
    health = json.loads(health_path.read_text(encoding="utf-8")) if health_path.exists() else {}
    print("PARKWATCH_HEALTH " + json.dumps(health, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
