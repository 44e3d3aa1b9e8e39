"""Crawl health: the one summary of a site run, from its raw counters.

The spider counts (``CrawlPlan.counters``) and writes those raw counters to
``health/<site>/<run>.json`` when the run ends; a run that did not end (killed, crashed) leaves only
its manifest, which :func:`manifest_counters` recounts into the same shape. :func:`derive` turns
counters into health (seen, new, revised, unchanged, skipped by policy, failed by reason,
throughput), and :func:`summarise` gives the summary the launcher, the CLI and the DAGs show. Policy
skips (:data:`~parkwatch.crawl.reasons.SKIP_REASONS`) are counted apart from failures.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from parkwatch.crawl.reasons import SKIP_REASONS
from parkwatch.land import RawStore, read_manifests

# what the manifest alone can tell, and what only the spider's counters know
MANIFEST_KEYS = ("seen", "new", "revised", "unchanged", "skipped_robots", "skipped_offsite", "failed")
RUN_KEYS = (
    *MANIFEST_KEYS,
    "below_date_floor",
    "requests",
    "response_bytes",
    "retries",
    "pages_per_s",
    "max_pages_reached",
    "list_stops",
)


def derive(counters: dict) -> dict:
    """Health of one run from its raw counters: ``seen``, ``not_refetched`` (seen, known and not
    fetched again), ``below_date_floor``, ``counts`` (outcomes and decisions), ``failed`` (every
    reason, policy skips included), the downloader's ``requests``/``response_bytes``/``retries``
    and ``seconds``."""
    counts = Counter(counters.get("counts") or {})
    failed = counters.get("failed") or {}
    seconds = max(counters.get("seconds") or 0.0, 1e-6)
    health = {k: counters[k] for k in ("site_id", "logical_date", "finish_reason") if k in counters}
    health.update(
        {
            "seen": counters.get("seen", 0),
            "new": counts["new"],
            "revised": counts["revised"],
            "unchanged": counts["unchanged"] + counters.get("not_refetched", 0),
            "unchanged_fetched": counts["unchanged"],
            "skipped_robots": failed.get("robots", 0),
            "skipped_offsite": failed.get("offsite", 0) + failed.get("private_address", 0),
            "below_date_floor": counters.get("below_date_floor", 0),
            "failed": {k: v for k, v in sorted(failed.items()) if k not in SKIP_REASONS},
            "lists": counts["lists"],
            "list_failures": counts["list_failures"],
            "requests": counters.get("requests", 0),
            "response_bytes": counters.get("response_bytes", 0),
            "retries": counters.get("retries", 0),
            "seconds": round(seconds, 3),
            "pages_per_s": round(counts["fetched"] / seconds, 2),
            "max_pages_reached": bool(counts["budget_exhausted"]),
            "list_stops": _prefixed(counts, "list_stop_"),
            "requested": _prefixed(counts, "requested_"),
        }
    )
    health.update({k: counters[k] for k in ("run_id", "lists_done") if k in counters})
    return health


def _prefixed(counts: Counter, prefix: str) -> dict:
    return {k[len(prefix) :]: v for k, v in counts.items() if k.startswith(prefix)}


def manifest_counters(rows: list[dict]) -> dict:
    """Raw counters recounted from one run's manifest lines (what a run that did not end leaves)."""
    landed = [r for r in rows if r["outcome"] == "landed" and (r.get("kind") or "page") != "list"]
    counts = Counter(r.get("change") or "new" for r in landed)
    counts.update(
        fetched=len(landed),
        attachments=sum(1 for r in landed if r.get("kind") == "attachment"),
        lists=sum(1 for r in rows if r.get("kind") == "list" and r["outcome"] == "landed"),
    )
    return {
        "seen": len({r["url"] for r in rows if (r.get("kind") or "page") != "list"}),
        "counts": dict(counts),
        "failed": dict(Counter(r.get("reason") or "unknown" for r in rows if r["outcome"] == "failed")),
    }


def summarise(site_id: str, run_id: str, rows: list[dict], counters: dict | None = None) -> dict:
    """Crawl health of one run: from the spider's counters when the run ended, else from its manifest.

    Keys: pages_landed (pages and attachments fetched and landed, any change), pages_new,
    pages_revised, pages_unchanged (landed again with the same bytes or answered 304), seen, new,
    revised, unchanged (seen but not changed, fetched or not), skipped_robots, failed (reason →
    count, policy skips excluded), lists, requests, pages_per_s, finished.
    """
    recount = manifest_counters(rows)
    landed = Counter(recount["counts"])
    summary = {
        "site_id": site_id,
        "run_id": run_id,
        "pages_landed": landed["fetched"],
        "pages_new": landed["new"],
        "pages_revised": landed["revised"],
        "pages_unchanged": landed["unchanged"],
        "attachments": landed["attachments"],
        "lists": landed["lists"],
    }
    from_manifest = derive(recount)
    summary.update({k: from_manifest[k] for k in MANIFEST_KEYS}, finished=False)
    if counters is not None:
        health = derive(counters)
        summary.update({k: health[k] for k in RUN_KEYS})
        summary["crawl_seconds"] = health["seconds"]
        summary["finished"] = health.get("finish_reason") == "finished"
    return summary


def summarise_run(raw_root: Path, site_id: str, run_id: str) -> dict:
    """:func:`summarise` of one run, read from the raw zone (its manifest lines and health file)."""
    rows = [r for r in read_manifests(raw_root, site_id) if r["run_id"] == run_id]
    return summarise(site_id, run_id, rows, read_health(RawStore(raw_root), site_id, run_id))


# ---------------------------------------------------------------------------- health files


def write_health(store: RawStore, counters: dict) -> None:
    store.write_json(store.health_path(counters["site_id"], counters["run_id"]), counters)


def read_health(store: RawStore, site_id: str, run_id: str) -> dict | None:
    """The raw counters a run wrote when it ended; None when it did not end."""
    path = store.health_path(site_id, run_id)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


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
