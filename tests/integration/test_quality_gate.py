"""The publishing gate, for real: a portal crawl, a dbt build and the GX checkpoint.

Each error-level fault is injected into a copy of the built marts; validation must fail
naming the expectation and the offending rows, and parks.duckdb must stay byte for byte.
A doctored figure in a landed page must come out flagged in the review queue (warn level).
"""
import hashlib
import shutil
from datetime import date, timedelta

import duckdb
import pytest

from parkwatch import config
from parkwatch.land import ManifestLine, ManifestWriter, RawStore
from parkwatch.pipeline import build_step, crawl, publish_step, validate_step
from parkwatch.portal import Portal
from parkwatch.publish.publish import PublishRefused, publish

DOCTORED_PAGE = """<html><head><meta charset="utf-8"><title>青川高新区民生保障情况</title></head><body>
<div class="TRS_Editor"><h1>青川高新区民生保障情况</h1><p>发布时间:2024-08-02</p>
<p>截至7月末,高新区累计发放民生补贴资金60.57万元。其中低保补助25.56万元,临时救助13.78万元,高龄津贴24.12万元。</p>
</div></body></html>""".encode("utf-8")


def land_doctored_page(home):
    store = RawStore(home / "raw")
    writer = ManifestWriter(store, "qingchuan-hitech", "2024-08-02T000000000000")
    sha, rel = store.put(DOCTORED_PAGE)
    writer.write(ManifestLine(run_id="2024-08-02T000000000000", site_id="qingchuan-hitech",
                              url="http://127.0.1.1:8700/xwdt/202408/t20240802_999001.html", section="news",
                              outcome="landed", status=200, sha256=sha, size=len(DOCTORED_PAGE), object_path=rel,
                              content_type="text/html; charset=utf-8", park_ids=["qingchuan-hitech"]))
    writer.close()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    home = tmp_path_factory.mktemp("gate")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    with Portal(port=0) as portal:
        mp.setenv("PARKWATCH_PORTAL_PORT", str(portal.port))
        summaries = crawl()
    assert all(not s["error"] for s in summaries)
    land_doctored_page(home)
    build_step()
    result = validate_step()
    assert result["success"], result
    publish_step()
    mp.undo()
    return home


@pytest.fixture
def faulty(baseline, warehouse_home):
    """A copy of the baseline warehouse (built and published) to break."""
    for name in ("build.duckdb", "parks.duckdb"):
        shutil.copy2(baseline / name, warehouse_home / name)
    return warehouse_home


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inject(home, sql: str) -> list:
    with duckdb.connect(str(home / "build.duckdb")) as con:
        return con.execute(sql).fetchall()


def assert_blocked(home, check_text: str, row_key: str | None):
    before = sha(home / "parks.duckdb")
    summary = validate_step()
    assert not summary["success"]
    with pytest.raises(PublishRefused) as exc:
        publish()
    message = str(exc.value)
    assert check_text in message, message
    if row_key:
        assert row_key in message, message
    assert sha(home / "parks.duckdb") == before


def one_fact(where: str) -> str:
    return f"(select fact_id from marts.indicators where {where} order by fact_id limit 1)"


PLAN_CONTEXT = "'完成|计划|预算|进度|目标|同期|上年|去年'"
SHARE_OF_WHOLE = ("measure = 'share_pct' and not regexp_matches("
                  "coalesce(indicator_text, '') || coalesce(parent_indicator_text, ''), " + PLAN_CONTEXT + ")")


@pytest.mark.parametrize("name,sql,check_text", [
    ("bad unit",
     "update marts.indicators set unit = 'furlong' where fact_id = " + one_fact("measure = 'amount'") + " returning fact_id",
     "unit accepted for amount"),
    ("value does not match raw",
     "update marts.indicators set value = value * 10 where fact_id = " + one_fact("raw like '%亿元'") + " returning fact_id",
     "value agrees with its raw text"),
    ("future date",
     "update marts.indicators set published_date = current_date + 30 where fact_id = " + one_fact("true")
     + " returning fact_id",
     "no publication date in the future"),
    ("share over 100",
     "update marts.indicators set value = 130, raw = '130%' where fact_id = " + one_fact(SHARE_OF_WHOLE)
     + " returning fact_id",
     "share of a whole at most 100%"),
])
def test_error_fault_blocks_publishing(faulty, name, sql, check_text):
    [(fact_id,)] = inject(faulty, sql)
    assert_blocked(faulty, check_text, fact_id)


def test_duplicate_fact_blocks_publishing(faulty):
    [(fact_id,)] = inject(faulty, "insert into marts.indicators select * from marts.indicators "
                                  "order by fact_id limit 1 returning fact_id")
    assert_blocked(faulty, "expect_column_values_to_be_unique", fact_id)


def test_volume_collapse_blocks_publishing(faulty):
    inject(faulty, "delete from marts.indicators where fact_id in "
                   "(select fact_id from marts.indicators order by fact_id limit (select count(*) * 0.6 from marts.indicators))")
    assert_blocked(faulty, "row volume not collapsing", None)


def test_policy_written_after_published_blocks_publishing(faulty):
    [(doc_id,)] = inject(faulty, "update marts.policies set written_date = published_date + 5 where doc_id = "
                                 "(select doc_id from marts.policies where published_date is not null "
                                 "order by doc_id limit 1) returning doc_id")
    assert_blocked(faulty, "成文日期 not after 发布日期", doc_id)


def test_doctored_total_is_published_and_flagged(baseline):
    with duckdb.connect(str(baseline / "parks.duckdb"), read_only=True) as con:
        rows = con.execute("select flag, reason, url from marts.review_queue where url like '%999001%'").fetchall()
        flags = con.execute("select quality_flags from marts.indicators where url like '%999001%' "
                            "and raw = '60.57万元'").fetchall()
    assert [r[0] for r in rows] == ["parts_exceed_total"], rows
    assert "60.57万元" in rows[0][1]
    assert flags == [(["parts_exceed_total"],)]


def test_data_docs_show_every_suite(baseline):
    docs = baseline / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"
    index = (docs / "index.html").read_text(encoding="utf-8")
    for suite in ("indicators_errors", "policies_errors", "indicator_consistency_warnings"):
        assert suite in index
