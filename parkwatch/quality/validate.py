"""Validate the built marts with a Great Expectations checkpoint before anything is published.

The committed file context in ``expectations/gx`` is copied into the warehouse
(``<home>/gx``) for each run, so results and Data Docs land beside the data and the
repository stays clean. The pandas data source is fed from DuckDB queries: GX's SQL
data source over duckdb-engine failed every metric in a probe (DESIGN.md, known traps).
"""
from __future__ import annotations

import json
import logging
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from parkwatch import config

log = logging.getLogger(__name__)

# (suite name, query on build.duckdb with ? bound to the validation date, severity)
CHECKS = [
    ("indicators_errors",
     "select *, date_diff('day', published_date, ?::date) as days_since_published from marts.indicators", "error"),
    ("indicator_totals_warnings", "select * from intermediate.int_indicator_total_checks", "warn"),
]


def stamp_path() -> Path:
    return config.runs_dir() / "validation.json"


def build_fingerprint(db: Path) -> dict:
    st = db.stat()
    return {"path": str(db), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _context(gx_root: Path):
    import great_expectations as gx

    src = config.expectations_dir() / "gx"
    gx_root.mkdir(parents=True, exist_ok=True)
    if src.exists():
        shutil.copytree(src, gx_root / "gx", dirs_exist_ok=True)
    return gx.get_context(mode="file", project_root_dir=str(gx_root))


def _suite_expectations(name: str) -> list:
    from parkwatch.quality import suites

    return {
        "indicators_errors": suites.indicator_error_expectations,
        "indicator_totals_warnings": suites.total_check_warning_expectations,
    }[name]()


def validate(today: str | None = None) -> dict:
    """Run every check; write the stamp publish relies on; return a summary.

    ``success`` is False when any error-level expectation failed. Warn-level failures are
    counted and listed but do not block.
    """
    import great_expectations as gx

    from parkwatch.quality.suites import ensure_suite

    db = config.build_db()
    if not db.exists():
        raise FileNotFoundError(f"{db} does not exist: run `parkwatch build` first")
    today = today or date.today().isoformat()
    context = _context(config.home() / "gx")
    datasource = context.data_sources.add_or_update_pandas("parkwatch_build")
    results = []
    with duckdb.connect(str(db), read_only=True) as con:
        frames = {name: con.execute(sql, [today] if "?" in sql else []).df() for name, sql, _ in CHECKS}
    for name, _, severity in CHECKS:
        try:
            asset = datasource.get_asset(name)
        except LookupError:
            asset = datasource.add_dataframe_asset(name)
        try:
            batch_def = asset.get_batch_definition("whole")
        except KeyError:
            batch_def = asset.add_batch_definition_whole_dataframe("whole")
        suite = ensure_suite(context, name, _suite_expectations(name))
        vdef = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch_def, suite=suite))
        result = vdef.run(batch_parameters={"dataframe": frames[name]}, result_format="SUMMARY")
        failed = [
            {"expectation": r.expectation_config.type,
             "kwargs": {k: v for k, v in r.expectation_config.kwargs.items() if k != "batch_id"},
             "unexpected_count": r.result.get("unexpected_count"),
             "examples": [str(x) for x in (r.result.get("partial_unexpected_list") or [])[:5]]}
            for r in result.results if not r.success
        ]
        results.append({"suite": name, "severity": severity, "rows": len(frames[name]),
                        "success": result.success, "failed": failed})
    context.build_data_docs()
    docs = [s["site_url"] for s in context.get_docs_sites_urls()]
    summary = {
        "success": all(r["success"] for r in results if r["severity"] == "error"),
        "warnings": sum(len(r["failed"]) for r in results if r["severity"] == "warn"),
        "suites": results,
        "data_docs": docs[0] if docs else None,
        "validated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build": build_fingerprint(db),
    }
    stamp_path().parent.mkdir(parents=True, exist_ok=True)
    stamp_path().write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    log.info("validation %s (%d warnings); data docs %s", "passed" if summary["success"] else "FAILED",
             summary["warnings"], summary["data_docs"])
    return summary
