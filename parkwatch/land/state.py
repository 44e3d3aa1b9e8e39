"""The crawl state: what earlier runs of a site landed, derived from its manifests alone.

:class:`SiteState` is what makes the next crawl incremental (skip unchanged pages, retry failures a
bounded number of times); :func:`new_run_id` names a run so runs sort by date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from parkwatch.common.dates import iso_day
from parkwatch.land.manifest import read_manifests

LANDED_KINDS = ("page", "attachment")


@dataclass
class SiteState:
    """What earlier runs of a site landed, derived from its manifests alone (no other state).

    ``pages``: URL → the newest landed line of that URL (page or attachment), with the last
    known list title/date, ETag and Last-Modified carried forward;
    ``failures``: URLs that failed and never landed (retried by later runs, a bounded number of times);
    ``runs``: the run ids seen.
    """

    pages: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, dict] = field(default_factory=dict)  # never-landed URLs: last failed line + "failures"
    runs: set[str] = field(default_factory=set)

    @classmethod
    def from_manifests(cls, root: Path, site_id: str, exclude_run: str | None = None) -> SiteState:
        state = cls()
        for row in read_manifests(root, site_id):
            if row["run_id"] == exclude_run:
                continue
            state.runs.add(row["run_id"])
            state.observe(row)
        return state

    def observe(self, row: dict) -> None:
        """Fold one manifest line into the state (lines must come in run order)."""
        kind = row.get("kind") or "page"
        if kind not in LANDED_KINDS:
            return
        if row.get("outcome") == "failed":
            if row["url"] not in self.pages:
                count = self.failures.get(row["url"], {}).get("failures", 0) + 1
                self.failures[row["url"]] = {**row, "failures": count}
            return
        if row.get("outcome") != "landed" or not row.get("sha256"):
            return
        self.failures.pop(row["url"], None)
        old = self.pages.get(row["url"], {})
        merged = {**old, **{k: v for k, v in row.items() if v is not None}}
        merged["sha256"], merged["object_path"] = row["sha256"], row.get("object_path")
        merged["kind"] = kind
        merged["first_seen"] = old.get("first_seen") or row.get("logical_date") or row.get("fetched_at")
        self.pages[row["url"]] = merged

    def latest(self, url: str) -> dict | None:
        return self.pages.get(url)

    def page_date(self, url: str) -> date | None:
        """The date the listing gave a landed page (else the day it was first landed)."""
        row = self.pages.get(url) or {}
        return iso_day(row.get("list_date")) or iso_day(row.get("first_seen"))

    def last_fetch(self, url: str) -> date | None:
        """The crawl day (logical date, else fetch day) of the newest fetch of a landed page."""
        row = self.pages.get(url) or {}
        return iso_day(row.get("logical_date") or row.get("fetched_at"))


def new_run_id(logical_date: str | None = None) -> str:
    """``<logical date>T<utc time>`` so runs sort by date and a rerun never overwrites a manifest."""
    now = datetime.now(UTC)
    day = logical_date or now.date().isoformat()
    return f"{day}T{now.strftime('%H%M%S%f')}"
