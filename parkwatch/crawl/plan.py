"""What to fetch in this run, and the run's crawl health. No Scrapy here except reading a response.

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
* at the end of a run its health (seen, new, revised, unchanged, skipped by robots, failed by
  reason, throughput) is written to ``health/<site>/<run>.json``; only a run that finished records
  which listings it walked to their end.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from parkwatch.common.dates import iso_day
from parkwatch.crawl.reasons import NO_RETRY, SKIP_REASONS
from parkwatch.land import RawStore, SiteState
from parkwatch.crawl.listing import ListItem, ListPage, url_pattern

MAX_FAILURES = 3


@dataclass
class ListStep:
    fetch: list[ListItem]
    why: dict[str, str]
    next_url: str | None
    list_end: bool
    stop: str | None = None


@dataclass
class CrawlPlan:
    site: object
    state: SiteState
    today: date
    done_lists: dict[str, str | None] = field(default_factory=dict)  # start URL → date floor it was walked to
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self):
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
        due = [(self.state.page_date(u), u, row) for u, row in self.state.pages.items()
               if row.get("kind", "page") == "page" and self.site.owns(u) and self.due(u)]
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

    def attachment(self, url: str) -> str | None:
        """'new' when an attachment a page cites should be fetched, else None."""
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
            prev = self.state.latest(item.url)
            if prev is None:
                unknown += 1
                reason = "new"
            elif item.date and iso_day(prev.get("list_date")) and item.date > iso_day(prev.get("list_date")):
                reason = "listed_newer"
            elif self.due(item.url):
                reason = "revisit"
            else:
                continue
            if not self._take_budget():
                break
            self.requested(item.url)
            self.counts[f"requested_{reason}"] += 1
            fetch.append(item)
            why[item.url] = reason
        dated = listing.dated
        below = bool(floor and dated and all(i.date < floor for i in dated))
        end = listing.next_url is None or below
        stop = None
        signature = tuple(sorted(i.url for i in listing.items))
        if end:
            self.reached_end.add(start_url)
        elif self.backfilled(start_url) and listing.items and unknown == 0:
            stop = "known"
        elif self.budget <= 0:
            stop = "max_pages"
        elif page_no + 1 >= self.site.limits.max_list_pages:
            stop = "max_list_pages"
        elif self.list_patterns[(start_url, url_pattern(listing.next_url))] >= self.site.limits.max_list_pages:
            stop = "trap_pattern"
        elif signature and self._last_items.get(start_url) == signature:
            stop = "repeated_list"
        elif not listing.items:
            stop = "empty_list"
        self._last_items[start_url] = signature
        if stop:
            self.counts[f"list_stop_{stop}"] += 1
        return ListStep(fetch, why, None if (end or stop) else listing.next_url, end, stop)

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

    def health(self, reason: str, stats: dict | None = None) -> dict:
        stats = stats or {}
        seconds = max(time.monotonic() - self.started, 1e-6)
        not_refetched = self.seen - self._requested - self.below_floor
        failed = {k: v for k, v in sorted(self.failed.items()) if k not in SKIP_REASONS}
        fetched = self.counts["fetched"]
        return {
            "site_id": self.site.id,
            "logical_date": self.today.isoformat(),
            "finish_reason": reason,
            "seen": len(self.seen),
            "new": self.counts["new"],
            "revised": self.counts["revised"],
            "unchanged": self.counts["unchanged"] + len(not_refetched),
            "unchanged_fetched": self.counts["unchanged"],
            "skipped_robots": self.failed.get("robots", 0),
            "skipped_offsite": self.failed.get("offsite", 0) + self.failed.get("private_address", 0),
            "below_date_floor": len(self.below_floor),
            "failed": failed,
            "lists": self.counts["lists"],
            "list_failures": self.counts["list_failures"],
            "requests": stats.get("downloader/request_count", 0),
            "response_bytes": stats.get("downloader/response_bytes", 0),
            "retries": stats.get("retry/count", 0),
            "seconds": round(seconds, 3),
            "pages_per_s": round(fetched / seconds, 2),
            "max_pages_reached": bool(self.counts["budget_exhausted"]),
            "list_stops": {k[len("list_stop_"):]: v for k, v in self.counts.items() if k.startswith("list_stop_")},
            "requested": {k[len("requested_"):]: v for k, v in self.counts.items() if k.startswith("requested_")},
        }

    def finish(self, reason: str, store: RawStore, run_id: str, crawler_stats=None) -> dict:
        stats = crawler_stats.get_stats() if crawler_stats is not None else {}
        health = self.health(reason, stats)
        health["run_id"] = run_id
        floor = self.site.limits.date_floor
        # only a run that finished knows its listings were walked to the end (a killed one writes nothing)
        health["lists_done"] = ({u: floor.isoformat() if floor else None for u in sorted(self.reached_end)}
                                if reason == "finished" else {})
        store.write_json(store.health_path(self.site.id, run_id), health)
        return health


def load_done_lists(store: RawStore, site_id: str) -> dict[str, str | None]:
    """Start URL → the date floor a finished run walked its listing down to (None: to its end)."""
    done: dict[str, str | None] = {}
    folder = store.root / "health" / site_id
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            health = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for url, floor in (health.get("lists_done") or {}).items():
            if url not in done or floor is None or (done[url] is not None and floor < done[url]):
                done[url] = floor
    return done


def decode_body(response, hint: str | None = None) -> tuple[str, str | None, str | None]:
    """(text, declared encoding, detected encoding) of a response: the charset its HTTP header
    names, else its <meta>; and the codec its bytes really decode with (header, then the site's
    encoding hint, then <meta>, then detection)."""
    from parkwatch.extract.decode import charset_from_content_type, decode_html, sniff_meta_charset

    body = response.body
    header = charset_from_content_type(response.headers.get("Content-Type", b"").decode("latin-1"))
    declared = header or sniff_meta_charset(body)
    text, detected = decode_html(body, header or hint)
    return text, (declared.lower() if declared else None), detected
