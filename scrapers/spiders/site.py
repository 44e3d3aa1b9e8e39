"""The one generic spider: walks a registered site's list pages and lands its article pages."""
from __future__ import annotations

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from parkwatch.listing import (classify_link, hanweb_proxy, hanweb_window_url, normalise_url,
                               parse_hanweb_records, same_origin, trs_page_urls)
from parkwatch.sites import get_site


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, site_id: str, run_id: str, raw_root: str, logical_date: str | None = None,
                 sites_dir: str | None = None, **kwargs):
        super().__init__(**kwargs)
        from pathlib import Path

        self.site = get_site(site_id, Path(sites_dir) if sites_dir else None)
        self.run_id = run_id
        self.raw_root = raw_root
        self.logical_date = logical_date
        self._seen: set[str] = set()

    async def start(self):
        for url, section in self.site.start_requests():
            yield self._request(url, self.parse_list, section, depth=0)

    def _request(self, url, callback, section, depth, referer=None):
        self._seen.add(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True,
                              meta={"section": section, "list_depth": depth, "referer": referer})

    def parse_list(self, response):
        section, depth = response.meta["section"], response.meta["list_depth"]
        if response.status != 200:
            yield self._failure(response.url, section, f"http_{response.status}", response.meta.get("referer"), response.status)
            return
        proxy = hanweb_proxy(response.url, response.text)
        if proxy:  # Hanweb: the list comes from the XML data proxy, not from this page
            request = self._request(hanweb_window_url(proxy, 1), self.parse_hanweb, section, depth, response.url)
            request.meta["hanweb"] = proxy
            yield request
        follow = [(u, "list") for u in trs_page_urls(response.url, response.text)]
        for a in response.css("a[href]"):
            url = normalise_url(response.url, a.attrib.get("href", ""))
            if url and same_origin(url, self.site.base_url):
                kind = classify_link(url, a.css("::text").get(default=""))
                if kind in ("article", "list"):
                    follow.append((url, kind))
        for url, kind in follow:
            if url in self._seen:
                continue
            if kind == "article":
                yield self._request(url, self.parse_article, section, depth, response.url)
            elif depth < self.site.limits.max_depth:
                yield self._request(url, self.parse_list, section, depth + 1, response.url)

    def parse_hanweb(self, response):
        meta = response.meta
        if response.status != 200:
            yield self._failure(response.url, meta["section"], f"http_{response.status}", meta.get("referer"), response.status)
            return
        total, hrefs = parse_hanweb_records(response.text)
        for href in hrefs:
            url = normalise_url(response.url, href)
            if url and url not in self._seen and same_origin(url, self.site.base_url):
                yield self._request(url, self.parse_article, meta["section"], meta["list_depth"], meta.get("referer"))
        proxy = meta["hanweb"]
        if "startrecord=1&" in response.url and total:
            max_records = self.site.limits.max_pages
            for start in range(1 + proxy["batch"], min(total, max_records) + 1, proxy["batch"]):
                request = self._request(hanweb_window_url(proxy, start), self.parse_hanweb, meta["section"],
                                        meta["list_depth"], meta.get("referer"))
                request.meta["hanweb"] = proxy
                yield request

    def parse_article(self, response):
        meta = response.meta
        if response.status != 200:
            yield self._failure(response.request.url, meta["section"], f"http_{response.status}", meta.get("referer"), response.status)
            return
        yield {
            "url": response.request.url, "final_url": response.url, "section": meta["section"],
            "outcome": "landed", "status": response.status, "body": response.body,
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1") or None,
            "referer": meta.get("referer"),
        }

    def on_error(self, failure):
        request = failure.request
        if failure.check(HttpError):
            reason = f"http_{failure.value.response.status}"
        elif failure.check(DNSLookupError):
            reason = "dns"
        elif failure.check(TimeoutError, TCPTimedOutError):
            reason = "timeout"
        else:
            reason = type(failure.value).__name__
        self.logger.warning("failed %s: %s", request.url, reason)
        yield self._failure(request.url, request.meta.get("section"), reason, request.meta.get("referer"))

    def _failure(self, url, section, reason, referer=None, status=None):
        return {"url": url, "section": section, "outcome": "failed", "reason": reason,
                "status": status, "referer": referer}
