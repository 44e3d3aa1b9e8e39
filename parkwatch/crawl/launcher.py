"""Start site crawls as subprocesses, watch their progress, and summarise their health.

Each site's crawl is its own ``python -m scrapers.run`` process (Twisted's reactor cannot
be restarted in one process), writing only files under the raw zone. One site failing
never stops the others: its summary carries the error and the log path. While a crawl runs,
its manifest is tailed for a live progress count (``progress`` callback).
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from parkwatch import config
from parkwatch.crawl.reasons import SKIP_REASONS
from parkwatch.land import RawStore, new_run_id, read_manifests

log = logging.getLogger(__name__)

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


def crawl_site(site_id: str, logical_date: str | None = None, timeout_s: int = 3600,
               progress: Progress | None = None, poll_s: float = 0.5) -> dict:
    """Crawl one site now; return its health summary (seen, new, revised, unchanged, skipped by
    robots, failed by reason, throughput) plus the log path and an error if the crawl failed."""
    raw = config.raw_dir()
    raw.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id(logical_date)
    log_path = config.home() / "logs" / "crawl" / site_id / f"{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "scrapers.run", "--site", site_id, "--run-id", run_id,
           "--raw-root", str(raw), "--sites-dir", str(config.sites_dir())]
    if logical_date:
        cmd += ["--logical-date", logical_date]
    started = time.monotonic()
    log.info("crawl %s: run %s, log %s", site_id, run_id, log_path)
    tail = ManifestTail(RawStore(raw).manifest_path(site_id, run_id))
    error = None
    with open(log_path, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, cwd=config.PROJECT_ROOT, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            while True:
                try:
                    proc.wait(timeout=poll_s)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if progress:
                    progress(site_id, tail.poll())
                if time.monotonic() - started > timeout_s:
                    error = f"crawl exceeded {timeout_s}s and was stopped"
                    _stop(proc)
                    break
        except BaseException:  # Ctrl-C: stop the crawl, then re-raise
            _stop(proc)
            raise
    if error is None and proc.returncode != 0:
        error = ("another crawl of this site is running" if proc.returncode == 3
                 else f"scrapy exited with {proc.returncode}")
    if progress:
        progress(site_id, tail.poll())
    summary = summarise_run(raw, site_id, run_id)
    summary.update(seconds=round(time.monotonic() - started, 2), log=str(log_path), error=error)
    if error:
        summary["log_tail"] = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    return summary


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM (Scrapy closes gracefully), then SIGKILL if it does not end within 20 s."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def summarise_run(raw_root: Path, site_id: str, run_id: str) -> dict:
    """Crawl health of one run: from its health file when the run finished, else from its manifest.

    Keys: pages_landed (pages and attachments fetched and landed, any change), pages_new,
    pages_revised, pages_unchanged (landed again with the same bytes or answered 304), seen, new,
    revised, unchanged (seen but not changed, fetched or not), skipped_robots, failed (reason →
    count, policy skips excluded), lists, requests, pages_per_s, finished.
    """
    rows = [r for r in read_manifests(raw_root, site_id) if r["run_id"] == run_id]
    landed = [r for r in rows if r["outcome"] == "landed" and (r.get("kind") or "page") != "list"]
    change = Counter(r.get("change") or "new" for r in landed)
    failed = Counter(r.get("reason") or "unknown" for r in rows if r["outcome"] == "failed")
    summary = {
        "site_id": site_id,
        "run_id": run_id,
        "pages_landed": len(landed),
        "pages_new": change["new"],
        "pages_revised": change["revised"],
        "pages_unchanged": change["unchanged"],
        "attachments": sum(1 for r in landed if r.get("kind") == "attachment"),
        "lists": sum(1 for r in rows if r.get("kind") == "list" and r["outcome"] == "landed"),
        "seen": len({r["url"] for r in rows if (r.get("kind") or "page") != "list"}),
        "new": change["new"],
        "revised": change["revised"],
        "unchanged": change["unchanged"],
        "skipped_robots": failed.pop("robots", 0),
        "skipped_offsite": failed.pop("offsite", 0) + failed.pop("private_address", 0),
        "failed": dict(sorted(failed.items())),
        "finished": False,
    }
    health_path = RawStore(raw_root).health_path(site_id, run_id)
    if health_path.exists():
        health = json.loads(health_path.read_text(encoding="utf-8"))
        for key in ("seen", "new", "revised", "unchanged", "skipped_robots", "skipped_offsite", "failed",
                    "below_date_floor", "requests", "response_bytes", "retries", "pages_per_s",
                    "max_pages_reached", "list_stops"):
            if key in health:
                summary[key] = health[key]
        summary["crawl_seconds"] = health.get("seconds")
        summary["finished"] = health.get("finish_reason") == "finished"
    return summary


def crawl_sites(site_ids: list[str], logical_date: str | None = None, progress: Progress | None = None,
                on_done: Callable[[dict], None] | None = None, parallel: int | None = None) -> list[dict]:
    """Crawl several sites, each in its own subprocess, ``parallel`` at a time (default
    PARKWATCH_CRAWL_PARALLEL, else the CPU count up to 4: different sites are different hosts, so politeness is per
    site either way). Summaries come back in the order of ``site_ids``."""
    from concurrent.futures import ThreadPoolExecutor

    parallel = max(1, parallel or config.crawl_parallel())

    def one(site_id: str) -> dict:
        summary = crawl_site(site_id, logical_date, progress=progress)
        log.info("crawl %s: %s", site_id,
                 json.dumps({k: v for k, v in summary.items() if k != "log_tail"}, ensure_ascii=False))
        if on_done:
            on_done(summary)
        return summary

    if parallel == 1 or len(site_ids) <= 1:
        return [one(s) for s in site_ids]
    with ThreadPoolExecutor(max_workers=min(parallel, len(site_ids)), thread_name_prefix="crawl") as pool:
        return list(pool.map(one, site_ids))


# ---------------------------------------------------------------------------- display

HEALTH_COLUMNS = ("seen", "new", "revised", "unchanged", "skipped_robots", "failed", "lists", "requests", "pages_per_s")
HEALTH_LABELS = ("seen", "new", "revised", "unchanged", "robots", "failed", "lists", "requests", "pages/s")


def health_rows(summaries: list[dict]) -> list[list[str]]:
    """One row per site for the health table `parkwatch crawl` prints."""
    rows = []
    for s in summaries:
        failed = s.get("failed") or {}
        rows.append([s["site_id"], *(str(s.get(k, "")) for k in HEALTH_COLUMNS[:5]),
                     (f"{sum(failed.values())} (" + ", ".join(f"{k} {v}" for k, v in failed.items()) + ")")
                     if failed else "0",
                     str(s.get("lists", "")), str(s.get("requests", "")), str(s.get("pages_per_s", "")),
                     "ERROR: " + s["error"] if s.get("error") else ("ok" if s.get("finished") else "unfinished")])
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
            print(f"crawl {site_id}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=self.stream,
                  flush=True)

    def finished(self, summary: dict) -> None:
        with self._lock:
            self._finished(summary)

    def _finished(self, summary: dict) -> None:
        self.done[summary["site_id"]] = summary
        if self._live:
            self._live.update(self._table())
        else:
            print(f"crawl {summary['site_id']}: done, new {summary.get('new')}, revised {summary.get('revised')}, "
                  f"failed {sum((summary.get('failed') or {}).values())}"
                  + (f", ERROR {summary['error']}" if summary.get("error") else ""), file=self.stream, flush=True)

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
            table.add_row(site_id, *(str(c.get(k, 0)) for k in ("lists", "fetched", "new", "revised", "unchanged",
                                                                 "skipped_robots", "failed")), status)
        return table
