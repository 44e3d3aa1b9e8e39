"""Start site crawls as subprocesses and return their health summaries.

Each site's crawl is its own ``python -m scrapers.run`` process (Twisted's reactor cannot
be restarted in one process), writing only files under the raw zone. One site failing
never stops the others: its summary carries the error and the log path. While a crawl runs,
its manifest is tailed for a live progress count (``progress`` callback, see
:mod:`parkwatch.crawl.progress`); the summary is :func:`parkwatch.crawl.health.summarise_run`.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from parkwatch import config
from parkwatch.crawl.health import summarise_run
from parkwatch.crawl.progress import ManifestTail, Progress
from parkwatch.land import RawStore, new_run_id

log = logging.getLogger(__name__)


def crawl_site(
    site_id: str,
    logical_date: str | None = None,
    timeout_s: int = 3600,
    progress: Progress | None = None,
    poll_s: float = 0.5,
) -> dict:
    """Crawl one site now; return its health summary (seen, new, revised, unchanged, skipped by
    robots, failed by reason, throughput) plus the log path and an error if the crawl failed."""
    raw = config.raw_dir()
    raw.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id(logical_date)
    log_path = config.home() / "logs" / "crawl" / site_id / f"{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = _crawl_command(site_id, run_id, raw, logical_date)
    started = time.monotonic()
    log.info("crawl %s: run %s, log %s", site_id, run_id, log_path)
    tail = ManifestTail(RawStore(raw).manifest_path(site_id, run_id))
    error = None
    with open(log_path, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            cmd, cwd=config.PROJECT_ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
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
        error = (
            "another crawl of this site is running" if proc.returncode == 3 else f"scrapy exited with {proc.returncode}"
        )
    if progress:
        progress(site_id, tail.poll())
    summary = summarise_run(raw, site_id, run_id)
    summary.update(seconds=round(time.monotonic() - started, 2), log=str(log_path), error=error)
    if error:
        summary["log_tail"] = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    return summary


def _crawl_command(site_id: str, run_id: str, raw: Path, logical_date: str | None) -> list[str]:
    """The ``scrapers.run`` command line for one site's crawl."""
    cmd = [
        sys.executable,
        "-m",
        "scrapers.run",
        "--site",
        site_id,
        "--run-id",
        run_id,
        "--raw-root",
        str(raw),
        "--sites-dir",
        str(config.sites_dir()),
    ]
    if logical_date:
        cmd += ["--logical-date", logical_date]
    return cmd


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


def crawl_sites(
    site_ids: list[str],
    logical_date: str | None = None,
    progress: Progress | None = None,
    on_done: Callable[[dict], None] | None = None,
    parallel: int | None = None,
) -> list[dict]:
    """Crawl several sites, each in its own subprocess, ``parallel`` at a time (default
    PARKWATCH_CRAWL_PARALLEL, else the CPU count up to 4: different sites are different hosts, so politeness is per
    site either way). Summaries come back in the order of ``site_ids``."""
    from concurrent.futures import ThreadPoolExecutor

    parallel = max(1, parallel or config.crawl_parallel())

    def one(site_id: str) -> dict:
        summary = crawl_site(site_id, logical_date, progress=progress)
        log.info(
            "crawl %s: %s",
            site_id,
            json.dumps({k: v for k, v in summary.items() if k != "log_tail"}, ensure_ascii=False),
        )
        if on_done:
            on_done(summary)
        return summary

    if parallel == 1 or len(site_ids) <= 1:
        return [one(s) for s in site_ids]
    with ThreadPoolExecutor(max_workers=min(parallel, len(site_ids)), thread_name_prefix="crawl") as pool:
        return list(pool.map(one, site_ids))
