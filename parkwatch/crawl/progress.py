"""Watching site crawls while they run: a live count per site from its growing manifest, and the
health table ``parkwatch crawl`` prints at the end.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from parkwatch.crawl.reasons import SKIP_REASONS

# called with a site id and its running counts (lists, fetched, new, revised, unchanged, failed, …)
Progress = Callable[[str, dict], None]


class ManifestTail:
    """Counts the lines of a growing manifest (complete lines only), for a live progress display."""

    def __init__(self, path: Path):
        self.path = path
        self._offset = 0
        self._partial = b""
        self.counts: Counter = Counter()

    def poll(self) -> dict:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except FileNotFoundError:
            return dict(self.counts)
        self._offset += len(data)
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        for raw in lines:
            try:
                row = json.loads(raw)
            except ValueError:
                continue
            self.counts.update(_categories(row))
        return dict(self.counts)


def _categories(row: dict) -> list[str]:
    kind = row.get("kind") or "page"
    if row.get("outcome") == "failed":
        reason = row.get("reason") or "unknown"
        return ["skipped_robots" if reason == "robots" else ("skipped" if reason in SKIP_REASONS else "failed")]
    if kind == "list":
        return ["lists"]
    return ["fetched", row.get("change") or "unchanged"] + (["attachments"] if kind == "attachment" else [])


HEALTH_COLUMNS = ("seen", "new", "revised", "unchanged", "skipped_robots", "failed", "lists", "requests", "pages_per_s")
HEALTH_LABELS = ("seen", "new", "revised", "unchanged", "robots", "failed", "lists", "requests", "pages/s")


def health_rows(summaries: list[dict]) -> list[list[str]]:
    """One row per site for the health table `parkwatch crawl` prints."""
    rows = []
    for s in summaries:
        failed = s.get("failed") or {}
        rows.append(
            [
                s["site_id"],
                *(str(s.get(k, "")) for k in HEALTH_COLUMNS[:5]),
                (f"{sum(failed.values())} (" + ", ".join(f"{k} {v}" for k, v in failed.items()) + ")")
                if failed
                else "0",
                str(s.get("lists", "")),
                str(s.get("requests", "")),
                str(s.get("pages_per_s", "")),
                "ERROR: " + s["error"] if s.get("error") else ("ok" if s.get("finished") else "unfinished"),
            ]
        )
    return rows


class LiveProgress:
    """A live table of the running crawls (rich, on a terminal) or a progress line every few seconds."""

    def __init__(self, site_ids: list[str], stream=None, interval_s: float = 10.0):
        self.site_ids = site_ids
        self.stream = stream or sys.stderr
        self.state: dict[str, dict] = {s: {} for s in site_ids}
        self.done: dict[str, dict] = {}
        self.interval_s = interval_s
        self._last = 0.0
        self._lock = threading.Lock()
        self._live = None
        if getattr(self.stream, "isatty", lambda: False)():
            from rich.console import Console
            from rich.live import Live

            self._live = Live(self._table(), console=Console(file=self.stream), refresh_per_second=4, transient=False)

    def __enter__(self):
        if self._live:
            self._live.__enter__()
        return self

    def __exit__(self, *exc):
        if self._live:
            self._live.__exit__(*exc)

    def update(self, site_id: str, counts: dict) -> None:
        with self._lock:
            self._update(site_id, counts)

    def _update(self, site_id: str, counts: dict) -> None:
        self.state[site_id] = counts
        if self._live:
            self._live.update(self._table())
        elif counts and time.monotonic() - self._last >= self.interval_s:
            self._last = time.monotonic()
            print(
                f"crawl {site_id}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
                file=self.stream,
                flush=True,
            )

    def finished(self, summary: dict) -> None:
        with self._lock:
            self._finished(summary)

    def _finished(self, summary: dict) -> None:
        self.done[summary["site_id"]] = summary
        if self._live:
            self._live.update(self._table())
        else:
            print(
                f"crawl {summary['site_id']}: done, new {summary.get('new')}, revised {summary.get('revised')}, "
                f"failed {sum((summary.get('failed') or {}).values())}"
                + (f", ERROR {summary['error']}" if summary.get("error") else ""),
                file=self.stream,
                flush=True,
            )

    def _table(self):
        from rich.table import Table

        table = Table(title="parkwatch crawl", title_justify="left")
        for col in ("site", "lists", "fetched", "new", "revised", "unchanged", "robots", "failed", "status"):
            table.add_column(col, justify="left" if col in ("site", "status") else "right")
        for site_id in self.site_ids:
            c = self.state.get(site_id) or {}
            status = "done" if site_id in self.done else ("running" if c else "waiting")
            if self.done.get(site_id, {}).get("error"):
                status = "error"
            table.add_row(
                site_id,
                *(
                    str(c.get(k, 0))
                    for k in ("lists", "fetched", "new", "revised", "unchanged", "skipped_robots", "failed")
                ),
                status,
            )
        return table
