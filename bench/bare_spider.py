"""The crawl floor: a bare Scrapy spider that only follows links, nothing else.

``python -m bench.bare_spider --site ID --sites-dir DIR --out FILE`` starts from the site's
registry start URLs and follows every ``<a href>`` on the site's own host: no landing, no
manifests, no list profiles, no politeness state, no middlewares of ours. It uses the same
per-host concurrency, delay, timeout, robots.txt rule and Twisted reactor as our crawl of that
site, so the difference is what our spider and landing cost. It writes the URLs it fetched.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse
from scrapy.settings import Settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_urls: list[str], hosts: list[str], **kwargs):
        super().__init__(**kwargs)
        self.start_urls = start_urls
        self.hosts = set(hosts)
        self.fetched: list[tuple[str, int]] = []

    def parse(self, response):
        self.fetched.append((response.url, response.status))
        if not isinstance(response, HtmlResponse):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc in self.hosts:
                yield scrapy.Request(url.split("#")[0], callback=self.parse)


def settings_for(site) -> Settings:
    from scrapers.run import politeness_settings

    settings = Settings()
    settings.setdict(
        {
            "ROBOTSTXT_OBEY": True,
            **politeness_settings(site),
            "DEPTH_LIMIT": 0,
            "LOG_LEVEL": "INFO",
            "TELNETCONSOLE_ENABLED": False,
            "COOKIES_ENABLED": False,
            "HTTPERROR_ALLOW_ALL": True,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        },
        priority="project",
    )
    return settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", required=True)
    parser.add_argument("--sites-dir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    from parkwatch.sites import get_site

    site = get_site(args.site, Path(args.sites_dir))
    starts = [url for url, _section in site.start_requests()]
    hosts = {urlsplit(site.base_url).netloc} | {h for h in site.allow_hosts}
    started = time.perf_counter()
    process = CrawlerProcess(settings_for(site), install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_urls=starts, hosts=sorted(hosts))
    process.start()
    spider = crawler.spider
    if not isinstance(spider, BareSpider):  # the crawler made above builds a BareSpider when the crawl starts
        raise RuntimeError(f"the crawler ran {spider!r}, not the bare spider")
    Path(args.out).write_text(
        json.dumps({"site": site.id, "seconds": time.perf_counter() - started, "fetched": spider.fetched}),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
