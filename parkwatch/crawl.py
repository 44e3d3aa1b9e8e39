"""Start site crawls as subprocesses and summarise what they landed.

Each site's crawl is its own ``python -m scrapers.run`` process (Twisted's reactor cannot
be restarted in one process), writing only files under the raw zone. One site failing
never stops the others: its summary carries the error and the log path.
"""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from parkwatch import config
from parkwatch.landing import new_run_id, read_manifests

log = logging.getLogger(__name__)


def crawl_site(site_id: str, logical_date: str | None = None, timeout_s: int = 3600) -> dict:
    """Crawl one site now; return its summary (pages landed, new, failed by reason, log path)."""
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
    with open(log_path, "w", encoding="utf-8") as fh:
        try:
            proc = subprocess.run(cmd, cwd=config.PROJECT_ROOT, stdout=fh, stderr=subprocess.STDOUT, timeout=timeout_s)
            error = None if proc.returncode == 0 else f"scrapy exited with {proc.returncode}"
        except subprocess.TimeoutExpired:
            error = f"crawl exceeded {timeout_s}s and was stopped"
    summary = summarise_run(raw, site_id, run_id)
    summary.update(seconds=round(time.monotonic() - started, 2), log=str(log_path), error=error)
    if error:
        summary["log_tail"] = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    return summary


def summarise_run(raw_root: Path, site_id: str, run_id: str) -> dict:
    """Counts for one run from the manifests: landed, new content, failures by reason."""
    rows = read_manifests(raw_root, site_id)
    this = [r for r in rows if r["run_id"] == run_id]
    earlier = {r["sha256"] for r in rows if r["run_id"] < run_id and r.get("sha256")}
    landed = [r for r in this if r["outcome"] == "landed"]
    return {
        "site_id": site_id,
        "run_id": run_id,
        "pages_landed": len(landed),
        "pages_new": sum(1 for r in landed if r["sha256"] not in earlier),
        "failed": dict(Counter(r.get("reason") or "unknown" for r in this if r["outcome"] == "failed")),
    }


def crawl_sites(site_ids: list[str], logical_date: str | None = None) -> list[dict]:
    summaries = []
    for site_id in site_ids:
        summary = crawl_site(site_id, logical_date)
        log.info("crawl %s: %s", site_id, json.dumps({k: v for k, v in summary.items() if k != "log_tail"}, ensure_ascii=False))
        summaries.append(summary)
    return summaries
