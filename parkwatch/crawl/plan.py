"""What to fetch in this run: the crawl's decisions. No Scrapy here.

:class:`CrawlPlan` answers the spider's questions from the site's registry entry and the
:class:`~parkwatch.land.state.SiteState` derived from earlier manifests:

* a listed URL is fetched when it is new, when the listing now shows a newer date than when it
  was landed, or when it is due for a revisit (recent pages, ``revisit:`` in the registry);
  a known URL is fetched again with a conditional GET (If-None-Match / If-Modified-Since);
* listing pagination stops at the end of the list, below the date floor, at the first page that
  lists nothing new once the listing was walked to its end by a finished run (the backfill is
  complete), at ``max_list_pages``, at a page repeating the previous one, or when one URL shape
  repeats ``max_list_pages`` times (calendar-style traps);
* URLs that failed in earlier runs are tried again, up to ``MAX_FAILURES`` times, unless the
  reason says it cannot help (robots, off-site, private address, too large, gone);
* every request has a :class:`RequestKind` (its priority and the callback that reads it) and a
  :class:`RequestMeta` (what its manifest line records);
* the plan counts what it decided and what landed; at the end of a run it writes those raw
  counters (:mod:`parkwatch.crawl.health` derives the health from them), and only a run that
  finished records which listings it walked to their end.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

from parkwatch.common.dates import iso_day
from parkwatch.crawl.health import derive, write_health
from parkwatch.crawl.listing import ListItem, ListPage, url_pattern
from parkwatch.crawl.reasons import NO_RETRY
from parkwatch.land import RawStore, SiteState

if TYPE_CHECKING:
    from parkwatch.sites import Site

MAX_FAILURES = 3


class RequestKind(Enum):
    """What a request fetches: its scheduling priority and the spider callback that reads the answer.
    List pages go first (they decide what else to fetch); retries and revisits of known URLs wait
    until the new pages are in."""

    LIST = ("list", 100, "parse_list")
    PAGE = ("page", 0, "parse_page")
    ATTACHMENT = ("attachment", 0, "parse_page")
    REVISIT = ("revisit", -10, "parse_page")

    def __init__(self, label: str, priority: int, callback: str):
        self.label = label
        self.priority = priority
        self.callback = callback


# the key of Scrapy's ``Request.meta`` that carries a RequestMeta
META_KEY = "parkwatch"


@dataclass(frozen=True)
class RequestMeta:
    """What a request carries to its response and its manifest line. ``kind`` is the manifest kind
    (list, page, attachment); pages and attachments say ``why`` they are fetched (new, listed_newer,
    revisit, retry) and what the list entry showed; list pages say which listing they belong to.

    Sub-list depth is not here: the spider reads Scrapy's own ``meta["depth"]`` (hops from a start
    URL, set by its DepthMiddleware), which is what bounds ``max_depth``."""

    kind: str
    section: str | None
    referer: str | None = None
    why: str | None = None
    list_title: str | None = None
    list_date: str | None = None
    cited_by: str | None = None
    start_url: str | None = None
    page_no: int = 0
    profile: str | None = None
    hanweb_proxy: dict | None = None

    @classmethod
    def for_list(cls, section: str | None, start_url: str, referer: str | None = None) -> RequestMeta:
        """The first page of a listing (a start URL or a sub-list)."""
        return cls("list", section, referer=referer, start_url=start_url)

    def next_list(self, referer: str, profile: str | None, hanweb_proxy: dict | None) -> RequestMeta:
        """The next page of the same listing."""
        return replace(self, referer=referer, page_no=self.page_no + 1, profile=profile, hanweb_proxy=hanweb_proxy)

    @classmethod
    def for_entry(cls, item: ListItem, section: str | None, why: str, referer: str) -> RequestMeta:
        """A page or attachment a list page links to."""
        return cls(
            item.kind,
            section,
            referer=referer,
            why=why,
            list_title=item.title or None,
            list_date=item.date.isoformat() if item.date else None,
        )

    @classmethod
    def for_attachment(cls, section: str | None, why: str, page_url: str) -> RequestMeta:
        """An attachment a landed page cites."""
        return cls("attachment", section, referer=page_url, why=why, cited_by=page_url)

    @classmethod
    def carried_over(cls, row: dict, why: str) -> RequestMeta:
        """A URL from the crawl state (a retry or a revisit), with what its last manifest line recorded."""
        return cls(
            row.get("kind") or "page",
            row.get("section"),
            referer=row.get("referer"),
            why=why,
            list_title=row.get("list_title"),
            list_date=row.get("list_date"),
            cited_by=row.get("cited_by"),
        )

    @property
    def request_kind(self) -> RequestKind:
        if self.kind == "list":
            return RequestKind.LIST
        if self.why in ("revisit", "retry"):
            return RequestKind.REVISIT
        return RequestKind.ATTACHMENT if self.kind == "attachment" else RequestKind.PAGE

    def line_fields(self) -> dict:
        """The manifest line fields this request decides."""
        return {
            "kind": self.kind,
            "section": self.section,
            "referer": self.referer,
            "list_title": self.list_title,
            "list_date": self.list_date,
            "cited_by": self.cited_by,
            "why": self.why,
        }


@dataclass
class ListStep:
    """What one list page decides: the entries to fetch and why, the next list page to read (None:
    stop), whether the listing ended, and why paging stopped early (``stop``)."""

    fetch: list[ListItem]
    why: dict[str, str]
    next_url: str | None
    list_end: bool
    stop: str | None = None


@dataclass
class CrawlPlan:
    """One site run's fetch decisions and their counters (see the module docstring)."""

    site: Site
    state: SiteState
    today: date
    done_lists: dict[str, str | None] = field(default_factory=dict)  # start URL → date floor it was walked to
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.seen: set[str] = set()
        self._requested: set[str] = set()
        self.below_floor: set[str] = set()
        self.reached_end: set[str] = set()
        self.list_patterns: Counter = Counter()
        self.lists_requested = 0
        self.counts: Counter = Counter()
        self.failed: Counter = Counter()
        self._last_items: dict[str, tuple] = {}
        self._sub_lists: set[str] = set()
        self.listed: dict[str, tuple[str, str]] = {}  # URL → (title, date) its dated list entry shows
        self.budget = self.site.limits.max_pages

    # ------------------------------------------------------------------ decisions
    def list_requested(self, start_url: str | None, url: str) -> None:
        """Count a list page request (a URL shape repeating per listing marks a trap)."""
        self.lists_requested += 1
        self.list_patterns[(start_url, url_pattern(url))] += 1

    def requested(self, url: str) -> None:
        self._requested.add(url)
        self.seen.add(url)

    def _take_budget(self) -> bool:
        if self.budget <= 0:
            self.counts["budget_exhausted"] = 1
            return False
        self.budget -= 1
        return True

    def due(self, url: str) -> bool:
        """A landed page dated within ``recent_days`` whose last fetch is ``every_days`` old."""
        rv = self.site.revisit
        if rv.recent_days <= 0 or rv.max_per_run <= 0:
            return False
        when, last = self.state.page_date(url), self.state.last_fetch(url)
        if when is None or last is None:
            return False
        return 0 <= (self.today - when).days <= rv.recent_days and (self.today - last).days >= rv.every_days

    def backfilled(self, start_url: str) -> bool:
        """A finished run walked this listing to its end (or to a floor no lower than today's)."""
        if start_url not in self.done_lists:
            return False
        walked_to, floor = iso_day(self.done_lists[start_url]), self.site.limits.date_floor
        return walked_to is None or (floor is not None and walked_to <= floor)

    def new_list(self, url: str) -> bool:
        """True the first time a sub-list URL comes up in this run."""
        if url in self._sub_lists:
            return False
        self._sub_lists.add(url)
        return True

    def carry_over(self) -> list[tuple[str, dict, str]]:
        """Requests that come from the state, not from a listing: earlier failures to try again, and
        landed pages due for a revisit (newest first, at most ``revisit.max_per_run``)."""
        out = []
        for url, row in self.state.failures.items():
            if row.get("reason") in NO_RETRY or row.get("failures", 0) >= MAX_FAILURES or not self.site.owns(url):
                continue
            if self._take_budget():
                out.append((url, row, "retry"))
        due = [
            (self.state.page_date(u), u, row)
            for u, row in self.state.pages.items()
            if row.get("kind", "page") == "page" and self.site.owns(u) and self.due(u)
        ]
        due.sort(key=lambda t: (t[0], t[1]), reverse=True)
        for _, url, row in due[: self.site.revisit.max_per_run]:
            if self._take_budget():
                out.append((url, row, "revisit"))
        for url, _, why in out:
            self.requested(url)
            self.counts[f"requested_{why}"] += 1
        return out

    def conditional_headers(self, url: str) -> dict[str, str]:
        prev = self.state.latest(url) or {}
        headers = {}
        if prev.get("etag"):
            headers["If-None-Match"] = prev["etag"]
        if prev.get("last_modified"):
            headers["If-Modified-Since"] = prev["last_modified"]
        return headers

    def should_fetch_attachment(self, url: str) -> str | None:
        """Why to fetch an attachment a page cites ('new'), or None not to fetch it."""
        if not self.site.owns(url):
            self.counts["offsite_links"] += 1
            return None
        if url in self._requested:
            return None
        self.seen.add(url)
        if self.state.latest(url) is not None or not self._take_budget():
            return None
        self.counts["requested_new"] += 1
        return "new"

    def read_listing(self, start_url: str, page_no: int, listing: ListPage) -> ListStep:
        """Which entries of one list page to fetch, and whether to read the next list page."""
        if listing.proxy:  # a Hanweb column page: the entries come from the data proxy
            return ListStep([], {}, None, False)
        fetch, why, unknown = self._entries_to_fetch(listing)
        floor, dated = self.site.limits.date_floor, listing.dated
        end = listing.next_url is None or bool(floor and dated and all(i.date < floor for i in dated if i.date))
        if end:
            self.reached_end.add(start_url)
        stop = (
            None
            if end or listing.next_url is None
            else self._stop_reason(start_url, page_no, listing, listing.next_url, unknown)
        )
        self._last_items[start_url] = tuple(sorted(i.url for i in listing.items))
        if stop:
            self.counts[f"list_stop_{stop}"] += 1
        return ListStep(fetch, why, None if (end or stop) else listing.next_url, end, stop)

    def _entries_to_fetch(self, listing: ListPage) -> tuple[list[ListItem], dict[str, str], int]:
        """The entries to fetch and why, and how many entries the crawl state does not know."""
        floor = self.site.limits.date_floor
        fetch, why, unknown = [], {}, 0
        for item in listing.items:
            if not self.site.owns(item.url):
                self.counts["offsite_links"] += 1
                continue
            self.seen.add(item.url)
            if item.date and item.url not in self.listed:  # the dated entry, even if an undated teaser came first
                self.listed[item.url] = (item.title, item.date.isoformat())
            if floor and item.date and item.date < floor:
                self.below_floor.add(item.url)
                continue
            if item.url in self._requested:
                continue
            reason = self._why_fetch(item)
            if reason == "new":
                unknown += 1
            elif reason is None:
                continue
            if not self._take_budget():
                break
            self.requested(item.url)
            self.counts[f"requested_{reason}"] += 1
            fetch.append(item)
            why[item.url] = reason
        return fetch, why, unknown

    def _why_fetch(self, item: ListItem) -> str | None:
        prev = self.state.latest(item.url)
        if prev is None:
            return "new"
        listed_before = iso_day(prev.get("list_date"))
        if item.date and listed_before and item.date > listed_before:
            return "listed_newer"
        return "revisit" if self.due(item.url) else None

    def _stop_reason(self, start_url: str, page_no: int, listing: ListPage, next_url: str, unknown: int) -> str | None:
        """Why not to read the next page of a listing that has one (None: read it)."""
        signature = tuple(sorted(i.url for i in listing.items))
        if self.backfilled(start_url) and listing.items and unknown == 0:
            return "known"
        if self.budget <= 0:
            return "max_pages"
        if page_no + 1 >= self.site.limits.max_list_pages:
            return "max_list_pages"
        if self.list_patterns[(start_url, url_pattern(next_url))] >= self.site.limits.max_list_pages:
            return "trap_pattern"
        if signature and self._last_items.get(start_url) == signature:
            return "repeated_list"
        if not listing.items:
            return "empty_list"
        return None

    # ------------------------------------------------------------------ outcomes
    def record(self, row: dict) -> None:
        """Count one manifest line (called by the landing pipeline)."""
        if row.get("kind") == "list":
            self.counts["lists" if row["outcome"] == "landed" else "list_failures"] += 1
        if row["outcome"] == "failed":
            self.failed[row.get("reason") or "unknown"] += 1
        elif row.get("kind") != "list":
            self.counts[row.get("change") or "unchanged"] += 1
            self.counts["fetched"] += 1

    def counters(self, reason: str, stats: dict | None = None) -> dict:
        """The run's raw counters (what :func:`parkwatch.crawl.health.derive` reads)."""
        stats = stats or {}
        return {
            "site_id": self.site.id,
            "logical_date": self.today.isoformat(),
            "finish_reason": reason,
            "seen": len(self.seen),
            "not_refetched": len(self.seen - self._requested - self.below_floor),
            "below_date_floor": len(self.below_floor),
            "counts": dict(self.counts),
            "failed": dict(self.failed),
            "requests": stats.get("downloader/request_count", 0),
            "response_bytes": stats.get("downloader/response_bytes", 0),
            "retries": stats.get("retry/count", 0),
            "seconds": time.monotonic() - self.started,
        }

    def health(self, reason: str, stats: dict | None = None) -> dict:
        """The run's health so far (:func:`parkwatch.crawl.health.derive` of its counters)."""
        return derive(self.counters(reason, stats))

    def finish(self, reason: str, store: RawStore, run_id: str, crawler_stats=None) -> dict:
        """Write the run's counters to its health file; return its health."""
        counters = self.counters(reason, crawler_stats.get_stats() if crawler_stats is not None else {})
        counters["run_id"] = run_id
        floor = self.site.limits.date_floor
        # only a run that finished knows its listings were walked to the end (a killed one writes nothing)
        counters["lists_done"] = (
            {u: floor.isoformat() if floor else None for u in sorted(self.reached_end)} if reason == "finished" else {}
        )
        write_health(store, counters)
        return derive(counters)
