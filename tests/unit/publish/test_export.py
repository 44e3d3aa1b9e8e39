"""`parkwatch export`: the published marts as Parquet, CSV and Excel, read back by pyarrow and pandas."""
import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from parkwatch.publish.export import export
from parkwatch.publish.marts import ExportError, NotPublished, open_published
from tests.helpers.cli import run_parkwatch


@pytest.fixture
def home(warehouse_home, published_db):
    published_db()
    return warehouse_home


def expected_rows(home: Path) -> dict[str, int]:
    with duckdb.connect(str(home / "parks.duckdb"), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
        return {n: con.execute(f"select count(*) from marts.{n}").fetchone()[0] for n in names}


def test_parquet_keeps_types_and_every_row(home):
    summary = export("parquet")
    rows = expected_rows(home)
    assert {f["mart"] for f in summary["files"]} == set(rows)
    assert summary["published_at"].startswith("2024-07-12T07:00")
    indicators = pq.read_table(home / "exports" / "indicators.parquet")
    assert indicators.num_rows == rows["indicators"]
    assert str(indicators.schema.field("quality_flags").type) == "list<element: string>"
    assert str(indicators.schema.field("period_end").type) == "date32[day]"
    df = pd.read_parquet(home / "exports" / "indicators.parquet")
    assert df.loc[df.fact_id == "f4", "quality_flags"].iloc[0].tolist() == ["parts_exceed_total"]
    assert df.loc[df.fact_id == "f1", "raw"].iloc[0] == "8.36亿元"
    for f in summary["files"]:
        assert pq.read_metadata(f["path"]).num_rows == rows[f["mart"]] == f["rows"]
    manifest = json.loads((home / "exports" / "manifest.parquet.json").read_text(encoding="utf-8"))
    assert manifest["published_at"] == summary["published_at"]


def test_csv_is_utf8_with_a_header(home):
    export("csv", mart="policies")
    assert sorted(p.name for p in (home / "exports").iterdir()) == ["manifest.csv.json", "policies.csv"]
    df = pd.read_csv(home / "exports" / "policies.csv")
    assert df.loc[0, "doc_number"] == "青府发〔2024〕9号"
    assert json.loads(df.loc[0, "targets_json"])[0]["raw"] == "2000亿元"


def test_xlsx_has_a_sheet_per_mart_with_nested_values_as_text(home):
    summary = export("xlsx")
    [path] = {f["path"] for f in summary["files"]}
    sheets = pd.read_excel(path, sheet_name=None)
    rows = expected_rows(home)
    assert {k: len(v) for k, v in sheets.items()} == rows
    assert json.loads(sheets["parks"].loc[0, "aliases"]) == ["青川高新區"]
    assert str(sheets["crawl_health"].loc[0, "finished_at"]) == "2024-07-12 06:01:00"  # UTC, without a zone
    assert sheets["projects"].loc[0, "project_name"] == "青川锐能年产15万吨正极材料项目"


def test_errors_say_what_to_do(home, tmp_path_factory, monkeypatch):
    with pytest.raises(ExportError, match="parquet, csv, xlsx"):
        export("json")
    with pytest.raises(ExportError, match="marts: indicators"):
        export("csv", mart="nope")
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path_factory.mktemp("empty")))
    with pytest.raises(NotPublished, match="parkwatch run"):
        export("csv")


def test_open_published_sees_a_new_publish_while_an_old_connection_is_open(home):
    """DuckDB caches a database per path and process: a plain connect beside an open one keeps the
    old file. open_published attaches the file as it is now."""
    db = home / "parks.duckdb"
    old = duckdb.connect(str(db), read_only=True)
    tmp = home / ".parks.duckdb.new"
    with duckdb.connect(str(tmp)) as con:
        con.execute("attach ? as cur (read_only)", [str(db)])
        con.execute("create schema marts")
        con.execute("create table marts.parks as select * from cur.marts.parks limit 1")
    os.replace(tmp, db)
    try:
        with open_published(db) as con:
            assert con.execute("select count(*) from marts.parks").fetchone()[0] == 1
        assert old.execute("select count(*) from marts.parks").fetchone()[0] == 2  # its own snapshot, whole
    finally:
        old.close()


def test_cli_export_json(home):
    proc = run_parkwatch("export", "--format", "parquet", "--mart", "parks", "--json", home=home)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["files"][0]["rows"] == 2 and Path(out["files"][0]["path"]).exists()
    bad = run_parkwatch("export", "--format", "json", home=home)
    assert bad.returncode == 1 and "use one of parquet, csv, xlsx" in bad.stderr


def test_dbt_exposures_cover_every_published_mart():
    import re

    import yaml

    from parkwatch import config
    from parkwatch.publish.marts import MARTS

    doc = yaml.safe_load((config.dbt_dir() / "models" / "exposures.yml").read_text(encoding="utf-8"))
    refs = {e["name"]: {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in e["depends_on"]} for e in doc["exposures"]}
    assert refs["bi_tools"] == refs["file_exports"] == set(MARTS)
    source = (config.PROJECT_ROOT / "parkwatch" / "serve" / "report" / "data.py").read_text(encoding="utf-8")
    read_by_report = set(re.findall(r"marts\.(\w+)", source))
    assert refs["report_page"] == read_by_report - {"publish_log"}
