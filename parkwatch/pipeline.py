"""The steps as plain functions: the CLI and the Airflow DAGs call these, nothing else."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from parkwatch import config
from parkwatch.common.locking import warehouse_lock
from parkwatch.common.runs import record_run
from parkwatch.crawl.launcher import crawl_sites
from parkwatch.crawl.progress import Progress
from parkwatch.publish.publish import publish
from parkwatch.quality.validate import validate
from parkwatch.sites import load_sites
from parkwatch.warehouse.build import build

log = logging.getLogger(__name__)


def site_ids() -> list[str]:
    """Ids of every valid site; invalid site files are logged and skipped."""
    sites, errors = load_sites()
    for err in errors:
        log.error("site registry: %s (site skipped)", err)
    return [s.id for s in sites]


def crawl(
    logical_date: str | None = None,
    sites: list[str] | None = None,
    progress: Progress | None = None,
    on_done: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Crawl ``sites`` (default: every valid site) and record one run per site. ``progress(site_id, counts)``
    is called while a site crawls and ``on_done(summary)`` when it has finished (the CLI's live table)."""
    summaries = crawl_sites(site_ids() if sites is None else sites, logical_date, progress=progress, on_done=on_done)
    for s in summaries:
        record_run("crawl", s)
    return summaries


def build_step(full_refresh: bool = False) -> dict:
    with warehouse_lock():
        summary = build(full_refresh)
    record_run("build", summary)
    return summary


def require_build_db() -> None:
    """Validate and publish read ``build.duckdb``; without it (no build yet, or PARKWATCH_HOME
    mistyped) fail naming the path, before the lock could create an empty warehouse there."""
    if not config.build_db().exists():
        raise FileNotFoundError(
            f"{config.build_db()} does not exist (PARKWATCH_HOME={config.home()}): run `parkwatch build` first"
        )


def validate_step(today: str | None = None) -> dict:
    require_build_db()
    with warehouse_lock():
        summary = validate(today)
    record_run("validate", {k: v for k, v in summary.items() if k != "suites"})
    return summary


def publish_step() -> dict:
    """Publish, then regenerate the report page from what was just published.

    A report that fails does not undo the publish: the error is logged and recorded in the run
    (``parkwatch status`` shows it) and ``parkwatch report`` regenerates the page.
    """
    require_build_db()
    with warehouse_lock():
        summary = publish()
    try:
        from parkwatch.serve.report import generate_report

        summary["report"] = generate_report()["report"]
    except Exception as exc:  # the marts are published; the page can be rebuilt later
        log.exception("report page not regenerated after publish")
        summary["report_error"] = f"{type(exc).__name__}: {exc}"
    record_run("publish", summary)
    return summary


def transform(today: str | None = None) -> dict:
    """dbt build → validate → publish (only when validation passed), holding the warehouse lock
    throughout so a concurrent transform cannot slip its build between ours and our publish."""
    with warehouse_lock():
        result = {"build": build_step(), "validation": validate_step(today)}
        if result["validation"]["success"]:
            result["publish"] = publish_step()
    return result


def run_all(logical_date: str | None = None) -> dict:
    started = time.monotonic()
    crawl_summaries = crawl(logical_date)
    result = {"crawl": crawl_summaries, **transform()}
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def crawl_summary(logical_date: str, summaries: list[dict]) -> dict:
    """One line of crawl health per site that returned a summary (a failed site task leaves an
    empty entry), and the day's totals: what the crawl DAG's last task reports."""
    done = [s for s in summaries if s]
    for s in done:
        log.info(
            "crawl health %s: landed %s, new %s, failed %s",
            s["site_id"],
            s["pages_landed"],
            s["pages_new"],
            s["failed"],
        )
    return {"logical_date": logical_date, "sites": len(done), "pages_landed": sum(s["pages_landed"] for s in done)}
