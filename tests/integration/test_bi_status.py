"""`parkwatch status`: last runs, freshness per site, rows per mart, last validation and its Data Docs,
review-queue size, the report; problems name the command that fixes them. On a small published
warehouse and run logs written here."""
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from parkwatch.serve.report import generate_report
from parkwatch.sites import load_sites
from parkwatch.serve.status import status
from tests.helpers.cli import run_parkwatch

NOW = datetime(2024, 7, 12, 9, 0, tzinfo=timezone.utc)


def at(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).isoformat(timespec="seconds")


def write_runs(home: Path, kind: str, rows: list[dict]) -> None:
    runs = home / "runs"
    runs.mkdir(exist_ok=True)
    with open(runs / f"{kind}.jsonl", "a", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


@pytest.fixture
def home(tmp_path, published_db):
    published_db()
    ids = [s.id for s in load_sites()[0]]
    assert len(ids) >= 4, ids
    fresh, stale, broken = ids[0], ids[1], ids[2]
    write_runs(tmp_path, "crawl", [
        {"at": at(80), "site_id": stale, "pages_landed": 9, "pages_new": 9, "failed": {}, "error": None},
        {"at": at(30), "site_id": broken, "pages_landed": 7, "pages_new": 2, "failed": {}, "error": None},
        {"at": at(2), "site_id": fresh, "pages_landed": 21, "pages_new": 3, "failed": {"http_404": 1}, "error": None},
        {"at": at(1), "site_id": broken, "pages_landed": 0, "pages_new": 0, "failed": {"timeout": 5},
         "error": "spider exited 1", "log": "/logs/crawl/broken.log"},
    ])
    write_runs(tmp_path, "build", [{"at": at(1.5), "seconds": 30.2, "dbt_result": "PASS=85 WARN=0 ERROR=0"}])
    write_runs(tmp_path, "validate", [{"at": at(1.4), "success": True, "warnings": 1}])
    write_runs(tmp_path, "publish", [{"at": at(1.3), "rows": {"indicators": 5, "parks": 2}}])
    (tmp_path / "runs" / "validation.json").write_text(json.dumps({
        "success": True, "warnings": 1, "validated_at": "2024-07-12T06:59:00+00:00",
        "data_docs": "file:///tmp/dd/index.html",
        "suites": [{"suite": "indicator_consistency_warnings", "severity": "warn", "rows": 43, "expectations": 3,
                    "success": False, "failed": [{"check": "其中 parts do not exceed their total", "unexpected_count": 3}]}],
    }), encoding="utf-8")
    return tmp_path, {"fresh": fresh, "stale": stale, "broken": broken, "never": ids[3]}


def test_status_reports_every_part(home):
    path, site = home
    s = status(now=NOW)
    assert s["published_at"].startswith("2024-07-12T07:00") and s["rows"]["indicators"] == 5
    assert s["rows"]["review_queue"] == 1 and s["review_queue"] == {"total": 1, "by_flag": {"parts_exceed_total": 1}}
    assert s["last_runs"]["build"]["hours_ago"] == 1.5 and s["last_runs"]["validate"]["success"] is True
    assert s["last_runs"]["crawl"]["site_id"] == site["broken"] and s["last_runs"]["crawl"]["ok"] is False
    v = s["last_validation"]
    assert v["data_docs"] == "file:///tmp/dd/index.html" and v["warnings"] == 1 and v["published"] is True
    assert v["failed_checks"] == [{"suite": "indicator_consistency_warnings", "severity": "warn",
                                   "check": "其中 parts do not exceed their total", "unexpected": 3}]
    sites = {x["site_id"]: x for x in s["sites"]}
    assert sites[site["fresh"]]["state"] == "ok" and sites[site["fresh"]]["pages_failed"] == 1
    assert sites[site["stale"]]["state"] == "stale" and sites[site["stale"]]["hours_since_success"] == 80
    assert sites[site["broken"]]["state"] == "failed"
    assert sites[site["broken"]]["last_success_at"] == at(30)  # the failure does not erase the last good crawl
    assert sites[site["never"]]["state"] == "never crawled"
    if "qingchuan-hitech" in sites:  # the small warehouse's documents come from this site
        assert sites["qingchuan-hitech"]["newest_document"] == "2024-07-12"
    problems = "\n".join(s["problems"])
    assert f"parkwatch crawl --site {site['broken']}" in problems and "/logs/crawl/broken.log" in problems
    assert f"site {site['stale']}: no good crawl for 80 h" in problems
    assert "no report page yet: run `parkwatch report`" in problems
    assert s["report"]["exists"] is False


def test_report_state_follows_the_publish(home):
    generate_report()
    s = status(now=NOW)
    assert s["report"]["exists"] and s["report"]["current"]
    assert not any("report" in p for p in s["problems"])


def test_failed_validation_names_the_checks_and_the_next_step(home):
    path, _ = home
    stamp = json.loads((path / "runs" / "validation.json").read_text(encoding="utf-8"))
    stamp.update(success=False, validated_at="2024-07-12T08:30:00+00:00", suites=[
        {"suite": "indicators_errors", "severity": "error", "failed": [{"check": "units fit their measure",
                                                                        "unexpected_count": 2}]}])
    (path / "runs" / "validation.json").write_text(json.dumps(stamp), encoding="utf-8")
    s = status(now=NOW)
    assert s["last_validation"]["published"] is False
    [problem] = [p for p in s["problems"] if "validation failed" in p]
    assert "indicators_errors: units fit their measure" in problem and "file:///tmp/dd/index.html" in problem


def test_nothing_yet_says_what_to_run(warehouse_home):
    s = status(now=NOW)
    assert s["published_db"] is None and s["rows"] == {} and s["last_validation"] is None
    assert any("parkwatch run" in p for p in s["problems"])
    assert any("no site has been crawled yet" in p for p in s["problems"])
    assert list(warehouse_home.iterdir()) == []  # status only reads


def test_cli_status_json_and_table(home):
    path, site = home
    env = {"PARKWATCH_HOME": str(path), "COLUMNS": "160"}
    proc = run_parkwatch("status", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert set(s) >= {"last_runs", "sites", "rows", "last_validation", "review_queue", "report", "problems"}
    table = run_parkwatch("status", env=env)
    assert table.returncode == 0, table.stderr
    for text in ("last runs", "sites", "published marts", "indicators", "Data Docs", "file:///tmp/dd/index.html",
                 "review queue 1 rows", site["stale"], "stale", "failed", "needs attention"):
        assert text in table.stdout, text


def test_a_damaged_published_file_is_reported_not_raised(warehouse_home):
    (warehouse_home / "parks.duckdb").write_bytes(b"not a duckdb file" * 100)
    s = status(now=NOW)
    assert s["published_error"] and s["rows"] == {}
    assert any("cannot be read" in p and "parkwatch publish" in p for p in s["problems"])
