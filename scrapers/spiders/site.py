"""The one generic spider: walks a registered site's listings and lands its pages and attachments.

Thin by design: list parsing lives in :mod:`parkwatch.crawl.listing` (CMS profiles, pure functions),
what to fetch again in :class:`parkwatch.land.state.SiteState` (derived from the manifests) and
:mod:`parkwatch.crawl.plan` (also the kind and meta of every request), failure reasons in
:mod:`parkwatch.crawl.reasons`, landing in :mod:`scrapers.pipelines`. The spider wires them to requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import scrapy
import scrapy.exceptions
import scrapy.signals
from scrapy.http import Response

from parkwatch.crawl.decode import decode_body
from parkwatch.crawl.health import load_done_lists
from parkwatch.crawl.listing import (
    attachment_links,
    challenge_reason,
    detect_cms,
    hanweb_window_url,
    is_soft_404,
    parse_hanweb_window,
    parse_list,
)
from parkwatch.crawl.plan import META_KEY, CrawlPlan, RequestMeta
from parkwatch.crawl.reasons import failure_reason
from parkwatch.land import RawStore, SiteState
from parkwatch.sites import get_site


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(
        self,
        site_id: str,
        run_id: str,
        raw_root: str,
        logical_date: str | None = None,
        sites_dir: str | None = None,
        **kwargs,
    ):
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
            yield self._request(url, RequestMeta.for_list(section, start_url=url))
        for url, row, why in self.plan.carry_over():
            yield self._request(url, RequestMeta.carried_over(row, why))

    def _request(self, url: str, meta: RequestMeta) -> scrapy.Request:
        """The request for one URL: priority and callback from its kind; a page fetched again asks
        for it conditionally."""
        kind = meta.request_kind
        headers = {}
        if meta.kind == "list":
            self.plan.list_requested(meta.start_url, url)
        else:
            self.plan.requested(url)
            headers = self.plan.conditional_headers(url) if meta.why != "new" else {}
        return scrapy.Request(
            url,
            callback=getattr(self, kind.callback),
            errback=self.on_error,
            dont_filter=True,
            headers=headers,
            priority=kind.priority,
            meta={META_KEY: meta},
        )

    # ------------------------------------------------------------------ list pages
    def parse_list(self, response: Response) -> Iterator[Any]:
        meta: RequestMeta = response.meta[META_KEY]
        if response.status != 200:
            yield self._failed(response, f"http_{response.status}")
            return
        text, declared, detected = decode_body(response, self.site.encoding)
        problem = challenge_reason(response.status, response.body)
        if problem:
            yield self._failed(response, problem, body=response.body)
            return
        profile = meta.profile or (self.site.cms if self.site.cms != "auto" else detect_cms(response.url, text))
        if meta.hanweb_proxy:
            listing = parse_hanweb_window(text, response.url, meta.hanweb_proxy, self.site.selectors)
        else:
            listing = parse_list(text, response.url, profile, self.site.selectors, start_url=meta.start_url)
        assert meta.start_url is not None  # every list request carries its start URL (RequestMeta.for_list)
        step = self.plan.read_listing(meta.start_url, meta.page_no, listing)
        yield from self._entry_requests(step, meta.section, response.url)
        yield self._landed_list(response, profile, declared, detected, listing, step.list_end)
        yield from self._more_lists(response, meta, profile, listing, step.next_url)

    def _entry_requests(self, step, section, list_url):
        for item in step.fetch:
            request = self._request(item.url, RequestMeta.for_entry(item, section, step.why[item.url], list_url))
            if item.date is None and item.kind == "page":
                self._undated.append(request)
            else:
                yield request

    def _more_lists(self, response, meta: RequestMeta, profile, listing, next_url):
        """The next page of this listing, and the sub-lists it links to."""
        if listing.proxy:  # Hanweb: the entries come from the data proxy, one window at a time
            yield self._request(
                hanweb_window_url(listing.proxy, 1), meta.next_list(response.url, profile, listing.proxy)
            )
        elif next_url:
            yield self._request(next_url, meta.next_list(response.url, profile, meta.hanweb_proxy))
        # Scrapy's DepthMiddleware keeps meta["depth"]: hops from a start URL, list pages included
        if listing.sub_lists and response.meta.get("depth", 0) < self.site.limits.max_depth:
            for sub in listing.sub_lists:
                if self.plan.new_list(sub):
                    yield self._request(sub, RequestMeta.for_list(meta.section, start_url=sub, referer=response.url))

    # ------------------------------------------------------------------ pages and attachments
    def parse_page(self, response: Response) -> Iterator[Any]:
        meta: RequestMeta = response.meta[META_KEY]
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
        if meta.kind == "page":
            text, declared, detected = decode_body(response, self.site.encoding)
            if is_soft_404(text):
                yield self._failed(response, "soft_404", body=response.body)
                return
        yield self._item(response, "landed", body=response.body, declared=declared, detected=detected)
        if text is not None:  # only pages are decoded; their attachments are fetched too
            for url, _text in attachment_links(text, response.url, self.site.selectors):
                why = self.plan.should_fetch_attachment(url)
                if why:
                    yield self._request(url, RequestMeta.for_attachment(meta.section, why, self._url(response)))

    # ------------------------------------------------------------------ outcomes
    def on_error(self, failure):
        request = failure.request
        reason = failure_reason(failure)
        level = self.logger.info if reason in ("robots", "offsite") else self.logger.warning
        level("not landed %s: %s (%s)", request.url, reason, str(failure.value)[:200])
        url = request.meta.get("redirect_urls", [request.url])[0]
        yield {
            **self._base(request.meta, url),
            "outcome": "failed",
            "reason": reason,
            "final_url": request.url if url != request.url else None,
        }

    def _url(self, response) -> str:
        return response.meta.get("redirect_urls", [response.request.url])[0]

    def _base(self, meta, url) -> dict:
        return {"url": url, **meta[META_KEY].line_fields(), "retries": meta.get("retry_times") or None}

    def _item(self, response, outcome, body=None, declared=None, detected=None, not_modified=False):
        headers = response.headers
        return {
            **self._base(response.meta, self._url(response)),
            "outcome": outcome,
            "status": response.status,
            "final_url": response.url,
            "body": body,
            "not_modified": not_modified,
            "content_type": headers.get("Content-Type", b"").decode("latin-1") or None,
            "etag": headers.get("ETag", b"").decode("latin-1") or None,
            "last_modified": headers.get("Last-Modified", b"").decode("latin-1") or None,
            "declared_encoding": declared,
            "detected_encoding": detected,
        }

    def _failed(self, response, reason, body=None):
        item = self._item(response, "failed", body=body)
        item["reason"] = reason
        self.logger.warning("not landed %s: %s", response.url, reason)
        return item

    def _landed_list(self, response: Response, profile, declared, detected, listing, list_end) -> dict:
        item = self._item(response, "landed", body=response.body, declared=declared, detected=detected)
        meta: RequestMeta = response.meta[META_KEY]
        item.update(
            cms=profile, start_url=meta.start_url, page_no=meta.page_no, list_end=list_end, items=len(listing.items)
        )
        return item

    def closed(self, reason):
        self.plan.finish(reason, RawStore(Path(self.raw_root)), self.run_id, self.crawler.stats)
