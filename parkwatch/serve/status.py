"""What state the platform is in, read-only: run logs under ``<home>/runs``, the published file,
the last validation and the report.

``status()`` returns a JSON-able dict (``parkwatch status --json``); ``problems`` lists what looks
wrong, each with the command that fixes it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from parkwatch import config
from parkwatch.common.runs import last_runs
from parkwatch.publish.marts import MARTS

STALE_AFTER_HOURS = 36  # sites are crawled daily: a day and a half without a good crawl is stale
STEPS = ("crawl", "build", "validate", "publish")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return row[0] if row else 0  # count(*) always returns one row; the guard is for the type checker


def published_counts(db: Path | None = None) -> dict[str, int]:
    """Rows per mart in the published file ({} before the first publish)."""
    from parkwatch.publish.marts import NotPublished, open_published, published_marts

    try:
        with open_published(db) as con:
            return {t: _count(con, f"marts.{t}") for t in published_marts(con) if t in MARTS}
    except (NotPublished, duckdb.Error):
        return {}


def _parse_time(value) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _age_hours(value, now: datetime) -> float | None:
    t = _parse_time(value)
    return None if t is None else round((now - t).total_seconds() / 3600, 1)


def _crawl_failed(run: dict) -> float:
    failed = run.get("failed")
    if isinstance(failed, dict):
        return sum(v for v in failed.values() if isinstance(v, (int, float)))
    return int(failed or 0)


def _crawl_ok(run: dict) -> bool:
    return not run.get("error") and run.get("finished", True) is not False


def _published_view(db: Path) -> dict:
    """Snapshot time, newest document per site and the review-queue size, from one connection."""
    from parkwatch.publish.marts import NotPublished, open_published, published_marts, snapshot_info

    try:
        con = open_published(db)
    except NotPublished:
        return {}
    except duckdb.Error as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    with con:
        marts = published_marts(con)
        out = {"snapshot": snapshot_info(con), "newest_document": {}, "review_queue": None}
        if "documents" in marts:
            out["newest_document"] = {
                site: str(d)
                for site, d in con.execute(
                    "select site_id, max(published_date) from marts.documents group by site_id"
                ).fetchall()
            }
        if "review_queue" in marts:
            out["review_queue"] = {
                "total": _count(con, "marts.review_queue"),
                "by_flag": dict(
                    con.execute(
                        "select flag, count(*) from marts.review_queue group by flag order by 2 desc, 1"
                    ).fetchall()
                ),
            }
        return out


def _site_ids() -> tuple[list[str], list[str]]:
    try:
        from parkwatch.sites import load_sites

        sites, errors = load_sites()
        return [s.id for s in sites], [str(e) for e in errors]
    except Exception as exc:
        return [], [f"site registry could not be read: {exc}"]


def site_freshness(
    crawls: list[dict], newest_document: dict[str, str], site_ids: list[str], now: datetime
) -> list[dict]:
    """Per site: its last crawl, its last good crawl, and how old that is."""
    last: dict[str, dict] = {}
    last_ok: dict[str, dict] = {}
    for crawl in crawls:
        sid = crawl.get("site_id")
        if not sid:
            continue
        last[sid] = crawl
        if _crawl_ok(crawl):
            last_ok[sid] = crawl
    rows = []
    for sid in sorted(set(site_ids) | set(last)):
        run, ok = last.get(sid), last_ok.get(sid)
        age = _age_hours(ok.get("at"), now) if ok else None
        if run is None:
            state = "never crawled"
        elif not _crawl_ok(run):
            state = "failed"
        elif age is not None and age > STALE_AFTER_HOURS:
            state = "stale"
        else:
            state = "ok"
        rows.append(
            {
                "site_id": sid,
                "registered": sid in site_ids,
                "state": state,
                "last_crawl_at": run.get("at") if run else None,
                "last_success_at": ok.get("at") if ok else None,
                "hours_since_success": age,
                "pages_landed": (run or {}).get("pages_landed"),
                "pages_new": (run or {}).get("pages_new"),
                "pages_failed": _crawl_failed(run) if run else None,
                "error": (run or {}).get("error"),
                "log": (run or {}).get("log"),
                "newest_document": newest_document.get(sid),
            }
        )
    return rows


def _report_state(published_at: str | None) -> dict:
    path = config.home() / "report" / "index.html"
    if not path.exists():
        return {"path": str(path), "exists": False, "generated_at": None, "current": False}
    generated = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    published = _parse_time(published_at)
    return {
        "path": str(path),
        "url": path.resolve().as_uri(),
        "exists": True,
        "generated_at": generated.isoformat(timespec="seconds"),
        "current": published is None or generated >= published,
    }


def _read_validation() -> dict | None:
    """The last validation summary, or None when there is none (or it cannot be parsed)."""
    validation_file = config.runs_dir() / "validation.json"
    try:
        return json.loads(validation_file.read_text(encoding="utf-8")) if validation_file.exists() else None
    except ValueError:
        return None


def _last_run_per_step(crawls: list[dict]) -> dict[str, dict | None]:
    runs: dict[str, dict | None] = {}
    for step in STEPS:
        found = crawls[-1:] if step == "crawl" else last_runs(step)
        runs[step] = found[0] if found else None
    return runs


def _failed_checks(v: dict) -> list[dict]:
    failed_checks = []
    for suite in v.get("suites") or []:
        for f in suite.get("failed") or []:
            failed_checks.append(
                {
                    "suite": suite.get("suite"),
                    "severity": suite.get("severity"),
                    "check": f.get("check") or f.get("expectation"),
                    "unexpected": f.get("unexpected_count"),
                }
            )
    return failed_checks


def _validation_summary(v: dict | None, published: dict, published_at: str | None) -> dict | None:
    """The last validation, and whether it is the one the published snapshot passed."""
    if not v:
        return None
    return {
        "success": v.get("success"),
        "warnings": v.get("warnings"),
        "data_docs": v.get("data_docs"),
        "validated_at": v.get("validated_at"),
        "failed_checks": _failed_checks(v),
        "published": bool(
            published_at
            and (published.get("snapshot") or {}).get("validation")
            and published["snapshot"]["validation"].get("validated_at") == v.get("validated_at")
        ),
    }


def status(now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    db = config.publish_db()
    v = _read_validation()
    published = _published_view(db)
    crawls = last_runs("crawl", 0)
    site_ids, registry_errors = _site_ids()
    sites = site_freshness(crawls, published.get("newest_document", {}), site_ids, now)
    runs = _last_run_per_step(crawls)
    published_at = (published.get("snapshot") or {}).get("published_at")
    result = {
        "home": str(config.home()),
        "home_exists": config.home().is_dir(),
        "checked_at": now.isoformat(timespec="seconds"),
        "published_db": str(db) if db.exists() else None,
        "published_at": published_at,
        "rows": published_counts(db),
        "last_runs": {step: _run_brief(step, r, now) for step, r in runs.items()},
        "sites": sites,
        "last_crawls": crawls[-20:],
        "last_publish": runs["publish"],
        "last_validation": _validation_summary(v, published, published_at),
        "review_queue": published.get("review_queue"),
        "report": _report_state(published_at),
        "registry_errors": registry_errors,
        "published_error": published.get("error"),
    }
    result["problems"] = problems(result)
    return result


def _run_brief(step: str, run: dict | None, now: datetime) -> dict | None:
    if run is None:
        return None
    brief = {"at": run.get("at"), "hours_ago": _age_hours(run.get("at"), now)}
    if step == "crawl":
        brief.update(site_id=run.get("site_id"), ok=_crawl_ok(run), pages_landed=run.get("pages_landed"))
    elif step == "build":
        brief.update(seconds=run.get("seconds"), dbt_result=run.get("dbt_result"))
    elif step == "validate":
        brief.update(success=run.get("success"), warnings=run.get("warnings"))
    elif step == "publish":
        brief.update(
            rows=sum((run.get("rows") or {}).values()), report=run.get("report"), report_error=run.get("report_error")
        )
    return brief


def _site_problems(sites: list[dict], already: int) -> list[str]:
    """One line per failed, stale or never-crawled site; ``already`` problems count towards the cap of 50."""
    out: list[str] = []
    for site in sites:
        if site["state"] == "failed":
            out.append(
                f"site {site['site_id']}: last crawl failed ({site['error'] or 'did not finish'}); "
                f"see {site['log']} and rerun `parkwatch crawl --site {site['site_id']}`"
            )
        elif site["state"] == "stale":
            out.append(
                f"site {site['site_id']}: no good crawl for {site['hours_since_success']:.0f} h; "
                f"run `parkwatch crawl --site {site['site_id']}` (is the scheduler running?)"
            )
        elif (
            site["state"] == "never crawled"
            and site["registered"]
            and already + len(out) < 50
            and not all(x["state"] == "never crawled" for x in sites)
        ):
            out.append(f"site {site['site_id']}: never crawled; run `parkwatch crawl --site {site['site_id']}`")
    return out


def problems(s: dict) -> list[str]:
    """What looks wrong, each with what to do next."""
    out = []
    if not s.get("home_exists", True):
        out.append(
            f"the warehouse directory {s['home']} does not exist: check PARKWATCH_HOME, "
            "or start one with `parkwatch run` (or `parkwatch demo` for the demo portal)"
        )
        return out
    if s.get("published_error"):
        out.append(
            f"{s['published_db']} cannot be read ({s['published_error']}): "
            f"publish again with `parkwatch validate && parkwatch publish`"
        )
    if not s["published_db"]:
        out.append(
            f"nothing published in {s['home']} yet: run `parkwatch run` (or `parkwatch demo` for the demo portal)"
        )
    for err in s["registry_errors"]:
        out.append(f"{err}: fix the site file (sites/) and check with `parkwatch status`")
    if s["sites"] and all(x["state"] == "never crawled" for x in s["sites"]):
        out.append("no site has been crawled yet: run `parkwatch crawl` (or `parkwatch run` for every step)")
    out.extend(_site_problems(s["sites"], len(out)))
    v = s["last_validation"]
    if v and not v["success"]:
        checks = "; ".join(f"{c['suite']}: {c['check']}" for c in v["failed_checks"] if c["severity"] == "error")
        out.append(
            f"the last validation failed ({checks or 'see Data Docs'}), so the build was not published; "
            f"Data Docs: {v['data_docs']}; fix the cause, then `parkwatch build && parkwatch validate && parkwatch publish`"
        )
    runs = s["last_runs"]
    if (
        runs.get("build")
        and runs.get("publish")
        and (runs["build"]["at"] or "") > (runs["publish"]["at"] or "")
        and not (v and not v["success"])
    ):
        out.append("the last build is newer than the published marts: run `parkwatch validate && parkwatch publish`")
    if s["published_db"] and not s["report"]["exists"]:
        out.append("no report page yet: run `parkwatch report`")
    elif s["published_db"] and not s["report"]["current"]:
        out.append("the report page is older than the published marts: run `parkwatch report`")
    if runs.get("publish") and runs["publish"].get("report_error"):
        out.append(
            f"the report could not be regenerated after the last publish ({runs['publish']['report_error']}): "
            f"run `parkwatch report` to see the error"
        )
    return out
