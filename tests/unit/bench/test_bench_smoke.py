"""The bench harness runs end to end on a trivially small size, so `make bench` cannot rot.

Speeds are not checked here (issue #10: targets are recorded, not asserted); only that every
stage's plumbing works and the results files carry the promised keys.
"""
import json
import sys

from bench import harness
from bench.run import run


def test_figures_summarise_and_record_targets():
    fig = harness.Figure("extract_pages_per_s", "pages/s", [90.0, 120.0, 110.0], "3 pages").as_dict()
    assert (fig["median"], fig["min"], fig["max"], fig["n"]) == (110.0, 90.0, 120.0, 3)
    assert fig["target"] == "≥ 100" and fig["target_met"] is True
    assert harness.Figure("dbt_peak_rss_mb", "MB", [4096.0], "x").as_dict()["target_met"] is False


def test_child_peak_memory_comes_from_the_os(tmp_path):
    run = harness.run_child([sys.executable, "-c", "x = bytearray(64 * 1024 * 1024); print('ok')"])
    assert run.returncode == 0 and "ok" in run.output
    assert run.peak_rss_mb >= 64


def test_bench_runs_on_a_tiny_size(tmp_path):
    sizes = {"extract_sites": 1, "extract_pages": 4, "crawl_sites": 1, "crawl_pages": 4}
    results = run("quick", only=["extract", "crawl"], repeats=1, out_dir=tmp_path, work=tmp_path / "work",
                  sizes=sizes)
    assert not [s for s in results.stages.values() if s.get("error")], results.stages
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert set(harness.REQUIRED_KEYS) <= set(data)
    assert data["extract_pages_per_s"] > 0 and data["lxml_parse_pages_per_s"] > 0
    assert data["crawl_pages_per_s"] > 0 and data["crawl_vs_bare_ratio"] > 0
    assert data["supporting"]["crawl_coverage"]["median"] == 1.0  # both spiders reached every page
    md = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| `crawl_vs_bare_ratio` |" in md and "≥ 0.8" in md


def test_landing_replication_and_dbt_timings_helpers(tmp_path):
    import duckdb

    from bench import corpus, stages
    from parkwatch.land import read_manifests

    pages = corpus.render(corpus.sites(1, 3))
    assert corpus.land(pages, tmp_path / "raw", "T060000") == 3
    rows = read_manifests(tmp_path / "raw")
    assert {r["url"] for r in rows} == {p.url for p in pages}
    assert all((tmp_path / "raw" / r["object_path"]).read_bytes() for r in rows)

    db = tmp_path / "build.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.indicators as select 'f' || i as fact_id, 'd' as doc_id, i as value "
                    "from range(7) t(i)")
    assert stages.replicate_indicators(db, 20) == (7, 3, 20)
    with duckdb.connect(str(db)) as con:
        assert con.execute("select count(distinct fact_id) from marts.indicators").fetchone()[0] == 20

    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "model.parkwatch.int_parsed_pages", "execution_time": 2.5}]}), encoding="utf-8")
    assert stages.node_timings(tmp_path / "run_results.json") == {"int_parsed_pages": 2.5}
