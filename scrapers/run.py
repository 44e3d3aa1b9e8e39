"""Run one site's crawl in this process: ``python -m scrapers.run --site ID --run-id R --raw-root DIR``.

parkwatch.crawl starts this as a subprocess per site, since Twisted's reactor cannot restart
inside one process. Prints the Scrapy stats as one JSON line at the end.
"""
from __future__ import annotations

import argparse
import json

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from parkwatch.sites import get_site
from scrapers.spiders.site import SiteSpider


def settings_for(site) -> Settings:
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.set("DOWNLOAD_DELAY", site.politeness.delay_s, priority="spider")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", site.politeness.concurrency, priority="spider")
    settings.set("CLOSESPIDER_PAGECOUNT", site.limits.max_pages, priority="spider")
    if site.politeness.delay_s == 0:  # the local demo portal: no throttling needed
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
    return settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--raw-root", required=True)
    parser.add_argument("--logical-date")
    parser.add_argument("--sites-dir")
    args = parser.parse_args(argv)
    from pathlib import Path

    site = get_site(args.site, Path(args.sites_dir) if args.sites_dir else None)
    process = CrawlerProcess(settings_for(site), install_root_handler=True)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, site_id=args.site, run_id=args.run_id, raw_root=args.raw_root,
                  logical_date=args.logical_date, sites_dir=args.sites_dir)
    process.start()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in crawler.stats.get_stats().items()}
    print("PARKWATCH_STATS " + json.dumps(stats, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
