"""Backfill: the crawl DAG run for three past logical dates, the demo portal's clock following
each run's logical date, lands each day's releases once; rerunning a day lands nothing new.

Real Airflow (``airflow dags test`` on SQLite), real Scrapy subprocesses, the portal on loopback.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from urllib.parse import urlparse

import pytest

from parkwatch.orchestration import airflow_env as orchestration
from parkwatch.land import read_manifests
from parkwatch.portal import Portal
from parkwatch.portal.cms import build_site
from parkwatch.portal.content import SITES
from parkwatch.sites import load_sites

pytestmark = [pytest.mark.airflow, pytest.mark.timeout(1200)]

# 06-20 brings a bulletin revised in place (qingchuan-hitech 工作简报 2024年第6期), 06-21 new articles
DATES = ["2024-06-19", "2024-06-20", "2024-06-21"]


def released(site_id: str, day: str | None) -> set[str]:
    """Paths of the detail pages a portal site has published by ``day`` (None: before any day)."""
    if day is None:
        return set()
    content = next(c for c in SITES if c.id == site_id)
    paths = build_site(content, base_url="http://x/", today=dt.date.fromisoformat(day)).detail_paths().values()
    return {p.lstrip("/") for p in paths}


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory, free_port):
    home = tmp_path_factory.mktemp("backfill-home")
    port = free_port()
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    mp.setenv("PARKWATCH_PORTAL_PORT", str(port))
    env = orchestration.airflow_env()
    log = orchestration.prepare(env)
    for day in DATES + [DATES[1]]:  # the three days, then day two once more
        with Portal(port=port, today=day):
            orchestration.dags_test("parkwatch_crawl", day, env, log)
    yield home
    mp.undo()


def runs_by_site(home):
    site_ids = [s.id for s in load_sites()[0]]
    out = {}
    for site_id in site_ids:
        rows = read_manifests(home / "raw", site_id)
        runs = defaultdict(list)
        for r in rows:
            runs[r["run_id"]].append(r)
        # in the order they ran (a run id starts with its logical date, so the rerun sorts early)
        out[site_id] = sorted(runs.values(), key=lambda run: (min(r["fetched_at"] for r in run), run[0]["run_id"]))
    return out


def test_one_run_per_site_per_logical_date(backfilled):
    for site_id, runs in runs_by_site(backfilled).items():
        assert [run[0]["logical_date"] for run in runs] == DATES + [DATES[1]], site_id
        assert all(len({r["logical_date"] for r in run}) == 1 for run in runs)
        assert all(run[0]["run_id"].startswith(run[0]["logical_date"]) for run in runs)


def test_each_days_releases_land_once_on_their_day(backfilled):
    portal_sites = {c.id for c in SITES}
    checked = 0
    for site_id, runs in runs_by_site(backfilled).items():
        new_by_url = Counter(r["url"] for run in runs for r in run
                             if r["outcome"] == "landed" and r.get("change") == "new")
        assert new_by_url and max(new_by_url.values()) == 1, f"{site_id}: a page landed as new twice"
        if site_id not in portal_sites:
            continue
        previous = None
        for day, run in zip(DATES, runs):
            new_paths = {urlparse(r["url"]).path.lstrip("/") for r in run
                         if r["outcome"] == "landed" and r.get("kind") == "page" and r.get("change") == "new"}
            expected = released(site_id, day) - released(site_id, previous)
            assert expected <= new_paths, f"{site_id} {day}: releases not landed: {sorted(expected - new_paths)[:5]}"
            stale = new_paths & released(site_id, previous)
            assert not stale, f"{site_id} {day}: earlier releases landed again as new: {sorted(stale)[:5]}"
            checked += len(expected)
            previous = day
    assert checked > 0
    last = DATES[-1]
    assert sum(len(released(c.id, last) - released(c.id, DATES[-2])) for c in SITES) > 0, "no release on the last day"


def test_the_revision_in_place_is_landed_once_on_its_day(backfilled):
    runs = runs_by_site(backfilled)["qingchuan-hitech"]
    revised = [(run[0]["logical_date"], r["url"]) for run in runs for r in run if r.get("change") == "revised"]
    assert [day for day, _ in revised] == ["2024-06-20"], revised
    assert revised[0][1].endswith("t20240614_482907.html")


def test_rerunning_a_day_lands_nothing_new(backfilled):
    for site_id, runs in runs_by_site(backfilled).items():
        rerun = runs[-1]
        changed = [r["url"] for r in rerun if r["outcome"] == "landed" and r.get("change") in ("new", "revised")]
        assert changed == [], f"{site_id}: the rerun of {DATES[1]} landed {changed[:5]}"
        assert not [r for r in rerun if r["outcome"] == "failed"], site_id


def test_raw_objects_are_stored_once(backfilled):
    objects = list((backfilled / "raw" / "objects").rglob("*"))
    names = [p.name for p in objects if p.is_file()]
    assert names and len(names) == len(set(names))
    landed = {r["sha256"] for runs in runs_by_site(backfilled).values() for run in runs for r in run
              if r["outcome"] == "landed"}
    assert landed <= set(names)
