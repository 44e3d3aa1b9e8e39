"""Incremental builds equal a full rebuild from the raw zone, and a revision replaces its facts.

Day D (2024-06-18) then day D+1 (2024-06-25) on the demo portal's clock: the bulletin 第6期 is
revised in place on 2024-06-20 (财政收入 6.92亿元 → 6.95亿元).
"""
import shutil

import duckdb
import pytest

from parkwatch.build import build
from parkwatch.pipeline import crawl
from parkwatch.portal import Portal
from parkwatch.publish import MARTS

REVISED = "t20240614_482907"


def parsed_count(home) -> int:
    log = (home / "logs" / "dbt_build.log").read_text(encoding="utf-8")
    [line] = [ln for ln in log.splitlines() if ln.startswith("int_parsed_pages: parsed")]
    return int(line.split()[2])


def marts(home) -> dict[str, list]:
    with duckdb.connect(str(home / "build.duckdb"), read_only=True) as con:
        out = {}
        for mart in MARTS:
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
                "order by ordinal_position", [mart]).fetchall()]
            out[mart] = con.execute(f"select * from marts.{mart} order by all").fetchall(), cols
        return out


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    home = tmp_path_factory.mktemp("incremental")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    with Portal(port=0, today="2024-06-18") as portal:
        port = portal.port
        mp.setenv("PARKWATCH_PORTAL_PORT", str(port))
        crawl("2024-06-18")
    build()
    first = parsed_count(home)
    with Portal(port=port, today="2024-06-25"):
        crawl("2024-06-25")
    build()
    second = parsed_count(home)
    build()
    third = parsed_count(home)
    incremental = marts(home)
    mp.undo()
    return home, (first, second, third), incremental


def test_daily_build_parses_only_what_is_new(two_days):
    _, (first, second, third), _ = two_days
    assert first > 0
    assert 0 < second < first
    assert third == 0  # no new pages: nothing parsed


def test_incremental_equals_full_refresh(two_days, tmp_path, monkeypatch):
    home, _, incremental = two_days
    shutil.copytree(home / "raw", tmp_path / "raw")
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path))
    build(full_refresh=True)
    full = marts(tmp_path)
    assert set(full) == set(incremental)
    for mart in MARTS:
        assert full[mart] == incremental[mart], f"marts.{mart} differs between incremental and full refresh"


def test_revision_replaces_facts_and_keeps_the_old_version(two_days):
    home, _, _ = two_days
    with duckdb.connect(str(home / "build.duckdb"), read_only=True) as con:
        current = con.execute(f"select raw from marts.indicators where url like '%{REVISED}%' "
                              "and indicator_text = '财政收入' and measure = 'amount'").fetchall()
        versions = con.execute(f"select is_current, raw from marts.indicator_versions where url like '%{REVISED}%' "
                               "and indicator_text = '财政收入' and measure = 'amount' order by is_current").fetchall()
    assert current == [("6.95亿元",)]
    assert versions == [(False, "6.92亿元"), (True, "6.95亿元")]
