"""Idempotency (#11): a 7-day backfill publishes the same marts as seven daily runs, and rerunning
a logical date leaves the marts unchanged.

Home A runs daily: for each day D, the portal's clock at D, crawl every site for D, then build →
validate → publish. Home B is a backfill after an outage, as the Airflow crawl DAG runs it: the
seven crawls in order (the portal's clock following each logical date), then one build →
validate → publish. Every table in schema ``marts`` of the two published ``parks.duckdb`` files is
compared row for row; only the columns in RUN_DEPENDENT are left out, and the fetch times in
AS_LOGICAL_DATE are compared as the logical date of the crawl that fetched them. Then home A reruns
day 7 in full (crawl, build, validate, publish) and every mart is compared with itself before the
rerun. (tests/e2e/test_demo.py::test_second_run_gives_identical_marts reruns the demo's one day
and compares five content marts; this covers every mart, after a week with a revision.)

Real components: Scrapy subprocesses over HTTP to one demo portal on loopback, dbt build, the
Great Expectations gate, the atomic publish; all five sites of sites/*.yaml (the portal's extra
faulty site, not in sites/, is not served). About 5 minutes on a 2-core box: 15 crawls of 5 sites
(~9 s each), 9 transforms (~14 s each).
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import duckdb
import pytest

from parkwatch.pipeline import crawl, site_ids, transform
from parkwatch.portal import Portal
from parkwatch.portal.cms import build_site
from parkwatch.portal.content import SITES

# like the other crawl → publish integration tests: no marker, a timeout for a loaded 2-core box
pytestmark = [pytest.mark.timeout(1500)]

# The portal's releases are sparse (qingchuan-hitech 06-14 and 06-21, yuanqu-news/tongjiang-hitech
# 06-28): no seven days hold the 06-20 revision and more than one new release. 06-15..06-21: day 1
# lands the history, day 6 (06-20) revises qingchuan-hitech 工作简报 2024年第6期 in place, day 7
# (06-21) publishes a new article, so the rerun of (b) reruns a day that brought a release.
DAYS = [(dt.date(2024, 6, 15) + dt.timedelta(days=i)).isoformat() for i in range(7)]
REVISION_DAY = "2024-06-20"
REVISED = "t20240614_482907"

# Columns whose values depend on when a run happened, not on what it saw: left out of the comparison.
# Everything else is compared.
RUN_DEPENDENT = {
    # run_id is "<logical date>T<UTC wall time>"; started_at/finished_at are wall-clock fetch times.
    # The logical date and every count stay compared.
    "crawl_health": {"run_id", "started_at", "finished_at"},
    # one row per publish: when it was published and the validation stamp (its wall time, the build
    # file's size and mtime, the Data Docs path under the home); its row count stays compared
    "publish_log": {"published_at", "validation_json"},
}
# Wall-clock fetch times (manifest fetched_at) of a page version: A fetched each page at another
# moment than B. Not dropped but compared as the logical date of the crawl run that fetched them
# (the crawl_health run whose started_at..finished_at holds the time), which must agree.
AS_LOGICAL_DATE = {
    "documents": {"first_seen_at"},
    "document_versions": {"first_seen_at", "last_seen_at"},
    "indicator_versions": {"first_seen_at", "last_seen_at"},
}


def released(day: str) -> dict[str, set[str]]:
    """Detail paths each portal site has published by ``day``."""
    return {c.id: set(build_site(c, base_url="http://x/", today=dt.date.fromisoformat(day)).detail_paths().values())
            for c in SITES}


# every run of one home on one day has that day as logical date, so any run holding the time will do
LOGICAL_DATE_OF = ("select max(h.logical_date) from marts.crawl_health as h "
                   "where t.{col} between h.started_at and h.finished_at")


def freeze(value):
    """Lists (quality_flags, aliases …) as tuples and structs as sorted items, so rows are hashable."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    return value


def snapshot(home) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table in schema marts of the published file: compared columns and sorted rows."""
    with duckdb.connect(str(home / "parks.duckdb"), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        out = {}
        for table in tables:
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [table]).fetchall()]
            keep = [c for c in cols if c not in RUN_DEPENDENT.get(table, set())]
            exprs = [f"({LOGICAL_DATE_OF.format(col=c)}) as {c}" if c in AS_LOGICAL_DATE.get(table, set()) else f'"{c}"'
                     for c in keep]
            select = ", ".join(exprs) if keep else "count(*) as n"
            rows = [freeze(r) for r in con.execute(f"select {select} from marts.{table} as t order by all").fetchall()]
            out[table] = (keep, rows)
        return out


def differences(a: dict, b: dict, names=("A", "B")) -> list[str]:
    """Human-readable differences between two snapshots (empty: equal)."""
    problems = []
    for table in sorted(set(a) ^ set(b)):
        problems.append(f"marts.{table} exists only in {names[0] if table in a else names[1]}")
    for table in sorted(set(a) & set(b)):
        (cols_a, rows_a), (cols_b, rows_b) = a[table], b[table]
        if cols_a != cols_b:
            problems.append(f"marts.{table}: columns differ: {cols_a} vs {cols_b}")
            continue
        if rows_a != rows_b:
            ca, cb = Counter(rows_a), Counter(rows_b)
            only_a, only_b = list((ca - cb).elements()), list((cb - ca).elements())
            problems.append(
                f"marts.{table}: {len(rows_a)} vs {len(rows_b)} rows; {len(only_a)} only in {names[0]}, "
                f"{len(only_b)} only in {names[1]} (columns {cols_a})\n"
                + "".join(f"    {names[0]}: {r}\n" for r in only_a[:5])
                + "".join(f"    {names[1]}: {r}\n" for r in only_b[:5]))
    return problems


def crawl_day(day: str) -> list[dict]:
    summaries = crawl(day)
    for s in summaries:
        assert not s.get("error") and s["finished"] and not s["failed"], f"{day} {s['site_id']}: {s}"
    return summaries


def transform_and_publish() -> dict:
    result = transform()
    assert result["validation"]["success"], result["validation"]
    assert "publish" in result, result
    return result


@pytest.fixture(scope="module")
def homes(tmp_path_factory, free_port):
    home_a, home_b = tmp_path_factory.mktemp("daily"), tmp_path_factory.mktemp("backfill")
    port = free_port()
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_PORTAL_PORT", str(port))
    timings: dict[str, float] = Counter()
    landed: dict[str, Counter] = {"A": Counter(), "B": Counter()}

    def timed(key, fn, *args):
        t0 = time.monotonic()
        out = fn(*args)
        timings[key] += time.monotonic() - t0
        return out

    try:
        for day in DAYS:
            with Portal(port=port, today=day, faults=False):  # the portal's clock at the logical date
                for name, home in (("A", home_a), ("B", home_b)):
                    mp.setenv("PARKWATCH_HOME", str(home))
                    for s in timed(f"crawl {name}", crawl_day, day):
                        landed[name].update({f"{day} new": s["pages_new"], f"{day} revised": s["pages_revised"]})
            mp.setenv("PARKWATCH_HOME", str(home_a))
            timed("transform A (daily)", transform_and_publish)
        daily = snapshot(home_a)

        mp.setenv("PARKWATCH_HOME", str(home_b))
        timed("transform B (backfill)", transform_and_publish)
        backfill = snapshot(home_b)

        # (b) home A reruns day 7 in full
        mp.setenv("PARKWATCH_HOME", str(home_a))
        with Portal(port=port, today=DAYS[-1], faults=False):
            rerun_crawl = timed("rerun crawl A", crawl_day, DAYS[-1])
        timed("rerun transform A", transform_and_publish)
        rerun = snapshot(home_a)
    finally:
        mp.undo()
    print("\nbackfill equivalence timings (s):", {k: round(v, 1) for k, v in timings.items()})
    print("pages landed per day:", dict(landed["A"]))
    return {"A": home_a, "B": home_b, "daily": daily, "backfill": backfill, "rerun": rerun,
            "rerun_crawl": rerun_crawl, "landed": landed}


def test_the_days_bring_releases_and_the_revision():
    before = released((dt.date.fromisoformat(DAYS[0]) - dt.timedelta(days=1)).isoformat())
    last = released(DAYS[-1])
    assert sum(len(last[s] - before[s]) for s in last) > 0, "no new release within the seven days"
    assert DAYS[0] < REVISION_DAY <= DAYS[-1]
    assert last["qingchuan-hitech"] - released(DAYS[-2])["qingchuan-hitech"], "day 7 brings no release"
    assert len(site_ids()) == 5


def test_both_homes_landed_the_same_pages_per_day(homes):
    landed = homes["landed"]
    assert landed["A"] == landed["B"]
    assert landed["A"][f"{DAYS[0]} new"] > 0
    assert landed["A"][f"{REVISION_DAY} revised"] == 1
    assert landed["A"][f"{DAYS[-1]} new"] >= 1


def test_backfill_gives_the_same_marts_as_daily_runs(homes):
    daily, backfill = homes["daily"], homes["backfill"]
    assert {"indicators", "projects", "policies", "parks", "crawl_health", "publish_log"} <= set(daily)
    for table in ("indicators", "projects", "policies", "documents", "document_versions", "indicator_versions"):
        assert daily[table][1], f"marts.{table} is empty"
    problems = differences(daily, backfill, ("daily", "backfill"))
    assert not problems, "\n".join(problems)
    print("\nrows per mart:", {t: len(rows) for t, (_, rows) in sorted(daily.items())})


def test_the_revision_days_two_versions_exist_in_both(homes):
    for name in ("A", "B"):
        with duckdb.connect(str(homes[name] / "parks.duckdb"), read_only=True) as con:
            docs = con.execute(f"select is_current from marts.document_versions where url like '%{REVISED}%' "
                               "order by is_current").fetchall()
            facts = con.execute(f"select is_current, raw from marts.indicator_versions where url like '%{REVISED}%' "
                                "and indicator_text = '财政收入' and measure = 'amount' order by is_current").fetchall()
            current = con.execute(f"select raw from marts.indicators where url like '%{REVISED}%' "
                                  "and indicator_text = '财政收入' and measure = 'amount'").fetchall()
        assert docs == [(False,), (True,)], name
        assert facts == [(False, "6.92亿元"), (True, "6.95亿元")], name
        assert current == [("6.95亿元",)], name
    for snap in ("daily", "backfill"):
        cols, rows = homes[snap]["document_versions"]
        versions = sorted((str(r["first_seen_at"]), r["is_current"]) for r in (dict(zip(cols, row)) for row in rows)
                          if REVISED in r["url"])
        assert versions == [(DAYS[0], False), (REVISION_DAY, True)], snap  # first seen on day 1, revised on 06-20


def test_fetch_times_map_to_a_crawl_day(homes):
    """The fetch times compared as logical dates all fall inside a crawl run (else the mapping hides them)."""
    for snap in ("daily", "backfill", "rerun"):
        for table, columns in AS_LOGICAL_DATE.items():
            cols, rows = homes[snap][table]
            for col in columns:
                days = {str(row[cols.index(col)]) for row in rows}
                assert days and days <= set(DAYS), f"{snap} marts.{table}.{col}: {sorted(days)}"


def test_rerunning_the_last_day_leaves_the_marts_unchanged(homes):
    """The rerun lands nothing new; every mart but crawl_health is unchanged, and crawl_health keeps
    its rows and gains one row per site for the rerun, with nothing new, revised or failed."""
    for s in homes["rerun_crawl"]:
        assert s["pages_new"] == 0 and s["pages_revised"] == 0, s
    before, after = homes["daily"], homes["rerun"]
    problems = differences({t: v for t, v in before.items() if t != "crawl_health"},
                           {t: v for t, v in after.items() if t != "crawl_health"}, ("before rerun", "after rerun"))
    assert not problems, "\n".join(problems)
    cols, rows_before = before["crawl_health"]
    cols_after, rows_after = after["crawl_health"]
    assert cols == cols_after
    added = Counter(rows_after) - Counter(rows_before)
    assert not Counter(rows_before) - Counter(rows_after), "crawl_health lost or changed rows on a rerun"
    added_rows = [dict(zip(cols, r)) for r in added.elements()]
    assert sorted(r["site_id"] for r in added_rows) == sorted(site_ids())
    for r in added_rows:
        assert str(r["logical_date"]) == DAYS[-1], r
        assert r["pages_new_content"] == 0 and r["pages_revised"] == 0 and r["pages_failed"] == 0, r
