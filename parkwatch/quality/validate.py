"""Validate the built marts with Great Expectations before anything is published.

The committed file context in ``expectations/gx`` is copied into the warehouse
(``<home>/gx``) for each run, so results and Data Docs land beside the data and the
repository stays clean. The pandas data source is fed from DuckDB queries: GX's SQL
data source over duckdb-engine failed every metric in a probe ("list index out of range",
Great Expectations 1.24 with duckdb-engine), while pandas frames fed from DuckDB work.
Failures name the expectation and the offending rows (by key).
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from parkwatch import config

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    suite: str
    severity: str  # "error" blocks publishing, "warn" is reported
    query: str  # on build.duckdb; $today is bound to the validation date
    key: str  # column naming the offending rows
    expectations: Callable  # suites.* builder, takes previous_rows
    mart: str | None = None  # published mart whose row count guards against a collapse


def _checks() -> list[Check]:
    from parkwatch.quality import suites

    return [
        Check(
            "indicators_errors",
            "error",
            "select *, date_diff('day', published_date, $today::date) as days_since_published from marts.indicators",
            "fact_id",
            suites.indicator_error_expectations,
            "indicators",
        ),
        Check(
            "policies_errors",
            "error",
            "select *, date_diff('day', published_date, $today::date) as days_since_published from marts.policies",
            "doc_id",
            suites.policy_error_expectations,
            "policies",
        ),
        Check(
            "indicator_consistency_warnings",
            "warn",
            "select * from intermediate.int_indicator_checks",
            "check_id",
            suites.consistency_warning_expectations,
        ),
    ]


def stamp_path() -> Path:
    return config.runs_dir() / "validation.json"


def build_fingerprint(db: Path) -> dict:
    st = db.stat()
    return {"path": str(db), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def prepare_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns the error suite checks that GX cannot compute itself."""
    from parkwatch.quality.rederive import matches_raw
    from parkwatch.quality.suites import SHARE_OVER_100_CONTEXT

    signed = frame["measure"].isin(["growth_pct", "pp_change"])
    values = frame["value"].where(~signed, frame["value"].abs())  # the sign comes from 增长/下降, not the raw
    frame["value_matches_raw"] = [
        matches_raw(v, r) for v, r in zip(values, frame["raw"], strict=True)
    ]  # both columns of one frame
    context = frame["indicator_text"].fillna("") + " " + frame["parent_indicator_text"].fillna("")
    over_ok = context.str.contains(SHARE_OVER_100_CONTEXT, regex=True)
    frame["share_within_whole"] = frame["value"].where((frame["measure"] == "share_pct") & ~over_ok)
    return frame


def previous_rows(mart: str | None) -> int | None:
    db = config.publish_db()
    if not mart or not db.exists():
        return None
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(f"select count(*) from marts.{mart}").fetchone()
    return row[0] if row else None  # count(*) always returns one row; the guard is for the type checker


def _context(gx_root: Path):
    import great_expectations as gx

    src = config.expectations_dir() / "gx"
    gx_root.mkdir(parents=True, exist_ok=True)
    if src.exists():
        shutil.copytree(src, gx_root / "gx", dirs_exist_ok=True)
    return gx.get_context(mode="file", project_root_dir=str(gx_root))


def _describe(result, key: str) -> dict:
    cfg = result.expectation_config
    kwargs = {k: v for k, v in cfg.kwargs.items() if k != "batch_id"}
    rows = result.result.get("partial_unexpected_index_list") or []
    return {
        "expectation": cfg.type,
        "check": (cfg.meta or {}).get("check"),
        "kwargs": kwargs,
        "unexpected_count": result.result.get("unexpected_count"),
        "observed_value": result.result.get("observed_value"),
        "examples": [str(x) for x in (result.result.get("partial_unexpected_list") or [])[:5]],
        "rows": [r.get(key) if isinstance(r, dict) else r for r in rows[:10]],
        "exception": (result.exception_info or {}).get("exception_message")
        if result.exception_info.get("raised_exception")
        else None,
    }


def _run_check(context, datasource, check, frame: pd.DataFrame) -> dict:
    """Validate one check's frame against its suite (registering the asset and suite on first use)."""
    import great_expectations as gx

    from parkwatch.quality.suites import ensure_suite

    try:
        asset = datasource.get_asset(check.suite)
    except LookupError:
        asset = datasource.add_dataframe_asset(check.suite)
    try:
        batch_def = asset.get_batch_definition("whole")
    except KeyError:
        batch_def = asset.add_batch_definition_whole_dataframe("whole")
    suite = ensure_suite(context, check.suite, check.expectations(previous_rows(check.mart)))
    vdef = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=check.suite, data=batch_def, suite=suite)
    )
    result = vdef.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "SUMMARY", "unexpected_index_column_names": [check.key]},
    )
    return {
        "suite": check.suite,
        "severity": check.severity,
        "rows": len(frame),
        "expectations": len(result.results),
        "success": result.success,
        "failed": [_describe(r, check.key) for r in result.results if not r.success],
    }


def validate(today: str | None = None) -> dict:
    """Run every check; write the stamp publish relies on; return a summary.

    ``success`` is False when any error-level expectation failed. Warn-level failures are
    counted and listed but do not block.
    """
    db = config.build_db()
    if not db.exists():
        raise FileNotFoundError(f"{db} does not exist: run `parkwatch build` first")
    today = date.fromisoformat(today or date.today().isoformat()).isoformat()
    context = _context(config.home() / "gx")
    datasource = context.data_sources.add_or_update_pandas("parkwatch_build")
    checks = _checks()
    with duckdb.connect(str(db), read_only=True) as con:
        frames = {c.suite: con.execute(c.query, {"today": today} if "$today" in c.query else {}).df() for c in checks}
    frames["indicators_errors"] = prepare_indicators(frames["indicators_errors"])
    results = [_run_check(context, datasource, check, frames[check.suite]) for check in checks]
    context.build_data_docs()
    docs = [s["site_url"] for s in context.get_docs_sites_urls()]
    summary = {
        "success": all(r["success"] for r in results if r["severity"] == "error"),
        "warnings": sum(len(r["failed"]) for r in results if r["severity"] == "warn"),
        "suites": results,
        "data_docs": docs[0] if docs else None,
        "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build": build_fingerprint(db),
    }
    stamp_path().parent.mkdir(parents=True, exist_ok=True)
    stamp_path().write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    log.info(
        "validation %s (%d warnings); data docs %s",
        "passed" if summary["success"] else "FAILED",
        summary["warnings"],
        summary["data_docs"],
    )
    for line in failure_lines(summary):
        log.warning("%s", line)
    return summary


def failure_lines(summary: dict, severity: str = "error") -> list[str]:
    """One readable line per failed expectation: suite, check, expectation, offending rows."""
    lines = []
    for s in summary["suites"]:
        if s["severity"] != severity:
            continue
        for f in s["failed"]:
            what = f["check"] or f["expectation"]
            detail = (
                f"rows {f['rows']}"
                if f["rows"]
                else (f"observed {f['observed_value']}" if f["observed_value"] is not None else "")
            )
            if f["examples"]:
                detail += f"; values {f['examples']}"
            if f.get("exception"):
                detail += f"; error {f['exception']}"
            lines.append(f"{s['suite']}: {what} ({f['expectation']}, {f['unexpected_count'] or 0} unexpected) {detail}")
    return lines
