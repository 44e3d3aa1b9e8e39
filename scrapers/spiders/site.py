"""The one generic spider: walks a registered site's listings and lands its pages and attachments.

Thin by design: list parsing lives in :mod:`parkwatch.crawl.listing` (CMS profiles, pure functions),
what to fetch again in :class:`parkwatch.land.state.SiteState` (derived from the manifests) and
:mod:`parkwatch.crawl.plan`, landing in :mod:`scrapers.pipelines`. The spider wires them to requests.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import scrapy
import scrapy.exceptions
import scrapy.signals

from parkwatch.land import RawStore, SiteState
from parkwatch.crawl.listing import (attachment_links, challenge_reason, detect_cms, is_soft_404, parse_hanweb_window,
                               parse_list, url_pattern)
from parkwatch.sites.registry import get_site
from scrapers.middlewares import failure_reason
from parkwatch.crawl.plan import CrawlPlan, decode_body, load_done_lists

LIST_PRIORITY = 100
PAGE_PRIORITY = 0
REVISIT_PRIORITY = -10


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, site_id: str, run_id: str, raw_root: str, logical_date: str | None = None,
                 sites_dir: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.site = get_site(site_id, Path(sites_dir) if sites_dir else None)
        self.run_id = run_id
        self.raw_root = raw_root
        self.today = date.fromisoformat(logical_date) if logical_date else date.today()
        self.logical_date = self.today.isoformat()
        store = RawStore(Path(raw_root))
        self.state = SiteState.from_manifests(Path(raw_root), self.site.id, exclude_run=run_id)
        self.plan = CrawlPlan(self.site, self.state, self.today, load_done_lists(store, self.site.id))
        self._undated: list[scrapy.Request] = []

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._fetch_undated, signal=scrapy.signals.spider_idle)
        return spider

    def _fetch_undated(self):
        """Pages met only in undated entries (headline blocks, teasers) are fetched once every
        listing has been read, so a dated entry for the same URL on a later list page still gives
        its manifest line the list date and title (otherwise the order of responses decides)."""
        if self._undated:
            for request in self._undated:
                self.crawler.engine.crawl(request)
            self._undated = []
            raise scrapy.exceptions.DontCloseSpider

    # ------------------------------------------------------------------ requests
    async def start(self):
        for url, section in self.site.start_requests():
            yield self._list_request(url, section, start_url=url, page_no=0, depth=0)
        for url, row, why in self.plan.carry_over():
            yield self._page_request(url, row.get("section"), row.get("kind") or "page", why,
                                     list_title=row.get("list_title"), list_date=row.get("list_date"),
                                     referer=row.get("referer"), cited_by=row.get("cited_by"))

    def _list_request(self, url, section, start_url, page_no, depth, profile=None, proxy=None, referer=None):
        self.plan.lists_requested += 1
        self.plan.list_patterns[(start_url, url_pattern(url))] += 1
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_error, dont_filter=True,
                              priority=LIST_PRIORITY,
                              meta={"kind": "list", "section": section, "start_url": start_url, "page_no": page_no,
                                    "depth": depth, "profile": profile, "hanweb_proxy": proxy, "referer": referer})

    def _page_request(self, url, section, kind, why, list_title=None, list_date=None, referer=None, cited_by=None):
        self.plan.requested(url)
        headers = self.plan.conditional_headers(url) if why != "new" else {}
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error, dont_filter=True,
                              headers=headers, priority=REVISIT_PRIORITY if why in ("revisit", "retry") else PAGE_PRIORITY,
                              meta={"kind": kind, "section": section, "why": why, "list_title": list_title,
                                    "list_date": list_date, "referer": referer, "cited_by": cited_by})

    # ------------------------------------------------------------------ list pages
    def parse_list(self, response):
        meta = response.meta
        if response.status != 200:
            yield self._failed(response, f"http_{response.status}")
            return
        text, declared, detected = decode_body(response, self.site.encoding)
        problem = challenge_reason(response.status, response.body)
        if problem:
            yield self._failed(response, problem, body=response.body)
            return
        profile = meta["profile"] or (self.site.cms if self.site.cms != "auto" else detect_cms(response.url, text))
        if meta["hanweb_proxy"]:
            listing = parse_hanweb_window(text, response.url, meta["hanweb_proxy"], self.site.selectors)
        else:
            listing = parse_list(text, response.url, profile, self.site.selectors, start_url=meta["start_url"])
        step = self.plan.read_listing(meta["start_url"], meta["page_no"], listing)
        for item in step.fetch:
            request = self._page_request(item.url, meta["section"], item.kind, step.why[item.url],
                                         list_title=item.title or None,
                                         list_date=item.date.isoformat() if item.date else None, referer=response.url)
            if item.date is None and item.kind == "page":
                self._undated.append(request)
            else:
                yield request
        yield self._landed_list(response, profile, declared, detected, listing, step.list_end)
        if listing.proxy:  # Hanweb: the entries come from the data proxy, one window at a time
            from parkwatch.crawl.listing import hanweb_window_url

            yield self._list_request(hanweb_window_url(listing.proxy, 1), meta["section"], meta["start_url"],
                                     meta["page_no"] + 1, meta["depth"], profile, listing.proxy, response.url)
        elif step.next_url:
            yield self._list_request(step.next_url, meta["section"], meta["start_url"], meta["page_no"] + 1,
                                     meta["depth"], profile, meta["hanweb_proxy"], response.url)
        if listing.sub_lists and meta["depth"] < self.site.limits.max_depth:
            for sub in listing.sub_lists:
                if self.plan.new_list(sub):
                    yield self._list_request(sub, meta["section"], sub, 0, meta["depth"] + 1, None, None, response.url)

    # ------------------------------------------------------------------ pages and attachments
    def parse_page(self, response):
        meta = response.meta
        if response.status == 304 and self.state.latest(self._url(response)):
            yield self._item(response, "landed", not_modified=True)
            return
        problem = challenge_reason(response.status, response.body)
        if problem:
            yield self._failed(response, problem, body=response.body)
            return
        if response.status != 200:
            yield self._failed(response, f"http_{response.status}")
            return
        declared = detected = text = None
        if meta["kind"] == "page":
            text, declared, detected = decode_body(response, self.site.encoding)
            if is_soft_404(text):
                yield self._failed(response, "soft_404", body=response.body)
                return
        yield self._item(response, "landed", body=response.body, declared=declared, detected=detected)
        if meta["kind"] == "page":
            for url, _text in attachment_links(text, response.url, self.site.selectors):
                why = self.plan.attachment(url)
                if why:
                    yield self._page_request(url, meta["section"], "attachment", why, referer=self._url(response),
                                             cited_by=self._url(response))

    # ------------------------------------------------------------------ outcomes
    def on_error(self, failure):
        request = failure.request
        reason = failure_reason(failure)
        level = self.logger.info if reason in ("robots", "offsite") else self.logger.warning
        level("not landed %s: %s (%s)", request.url, reason, str(failure.value)[:200])
        url = request.meta.get("redirect_urls", [request.url])[0]
        yield {**self._base(request.meta, url), "outcome": "failed", "reason": reason,
               "final_url": request.url if url != request.url else None}

    def _url(self, response) -> str:
        return response.meta.get("redirect_urls", [response.request.url])[0]

    def _base(self, meta, url) -> dict:
        return {"url": url, "kind": meta.get("kind", "page"), "section": meta.get("section"),
                "referer": meta.get("referer"), "list_title": meta.get("list_title"),
                "list_date": meta.get("list_date"), "cited_by": meta.get("cited_by"),
                "retries": meta.get("retry_times") or None, "why": meta.get("why")}

    def _item(self, response, outcome, body=None, declared=None, detected=None, not_modified=False):
        headers = response.headers
        return {**self._base(response.meta, self._url(response)), "outcome": outcome, "status": response.status,
                "final_url": response.url, "body": body, "not_modified": not_modified,
                "content_type": headers.get("Content-Type", b"").decode("latin-1") or None,
                "etag": headers.get("ETag", b"").decode("latin-1") or None,
                "last_modified": headers.get("Last-Modified", b"").decode("latin-1") or None,
                "declared_encoding": declared, "detected_encoding": detected}

    def _failed(self, response, reason, body=None):
        item = self._item(response, "failed", body=body)
        item["reason"] = reason
        self.logger.warning("not landed %s: %s", response.url, reason)
        return item

    def _landed_list(self, response, profile, declared, detected, listing, list_end):
        item = self._item(response, "landed", body=response.body, declared=declared, detected=detected)
        item.update(cms=profile, start_url=response.meta["start_url"], page_no=response.meta["page_no"],
                    list_end=list_end, items=len(listing.items))
        return item

    def closed(self, reason):
        self.plan.finish(reason, RawStore(Path(self.raw_root)), self.run_id, self.crawler.stats)
