"""Incremental builds equal a full rebuild from the raw zone, and a revision replaces its facts.

Day D (2024-06-18) then day D+1 (2024-06-25) on the demo portal's clock: the bulletin 第6期 is
revised in place on 2024-06-20 (财政收入 6.92亿元 → 6.95亿元).
"""
import shutil

import duckdb
import pytest

from parkwatch.warehouse.build import build
from parkwatch.pipeline import crawl
from parkwatch.portal import Portal
from parkwatch.publish.marts import MARTS

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


def test_incremental_equals_full_refresh(two_days, tmp_path, warehouse_home):
    home, _, incremental = two_days
    shutil.copytree(home / "raw", tmp_path / "raw")
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


def test_content_under_a_second_url_parses_the_same_incrementally_and_in_full(two_days, tmp_path, monkeypatch):
    """A page republished under another URL (here in another directory, so its relative attachment
    links resolve elsewhere) is parsed once, at the URL where it was first seen: the incremental
    build and a full refresh agree, whatever order the URLs sort in."""
    from parkwatch.land import ManifestLine, ManifestWriter, RawStore, read_manifests

    home, _, _ = two_days
    shutil.copytree(home / "raw", tmp_path / "inc" / "raw")
    shutil.copy(home / "build.duckdb", tmp_path / "inc" / "build.duckdb")
    with duckdb.connect(str(home / "build.duckdb"), read_only=True) as con:
        url, site_id, sha = con.execute(
            "select d.url, d.site_id, d.doc_id from marts.documents d join intermediate.int_parsed_pages p "
            "using (doc_id) where p.attachments_json like '%http%' order by d.url limit 1").fetchone()
    store = RawStore(tmp_path / "inc" / "raw")
    row = next(r for r in read_manifests(store.root, site_id) if r.get("sha256") == sha and r["outcome"] == "landed")
    scheme_host = url.split("/", 3)[:3]
    mirror = "/".join(scheme_host) + "/a/mirror/" + url.rsplit("/", 1)[1]  # sorts before the original
    writer = ManifestWriter(store, site_id, "2024-06-26T000000000000")
    writer.write(ManifestLine(run_id="2024-06-26T000000000000", site_id=site_id, url=mirror, section="news",
                              outcome="landed", status=200, sha256=sha, size=row["size"],
                              object_path=row["object_path"], content_type=row.get("content_type"),
                              logical_date="2024-06-26", park_ids=row.get("park_ids") or []))
    writer.close()
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path / "inc"))
    build()
    assert parsed_count(tmp_path / "inc") == 0  # the content was parsed already
    incremental = marts(tmp_path / "inc")
    shutil.copytree(tmp_path / "inc" / "raw", tmp_path / "full" / "raw")
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path / "full"))
    build(full_refresh=True)
    full = marts(tmp_path / "full")
    for mart in MARTS:
        assert full[mart] == incremental[mart], f"marts.{mart} differs between incremental and full refresh"
    parsed = []
    for wh in ("inc", "full"):
        with duckdb.connect(str(tmp_path / wh / "build.duckdb"), read_only=True) as con:
            parsed.append(con.execute("select doc_id, attachments_json, indicators_json from "
                                      "intermediate.int_parsed_pages order by doc_id").fetchall())
    assert parsed[0] == parsed[1]
