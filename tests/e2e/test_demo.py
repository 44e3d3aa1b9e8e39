"""End to end, as `make demo` does it: portal → Airflow crawl DAG → transform DAG → parks.duckdb.

Runs the real CLI in a subprocess with a temporary PARKWATCH_HOME: a real Scrapy crawl over
HTTP on loopback, a real dbt build, a real GX checkpoint, a real Airflow `dags test`.
"""
import hashlib
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from parkwatch.sites import load_sites
from tests.helpers.cli import PARKWATCH

pytestmark = [pytest.mark.e2e, pytest.mark.airflow]
SITE_IDS = [s.id for s in load_sites()[0]]
CONTENT_MARTS = {
    "indicators": "fact_id",
    "projects": "project_id",
    "policies": "doc_id",
    "parks": "park_id",
    "documents": "doc_id",
}


def parkwatch(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PARKWATCH_HOME": str(home)}
    env.pop("PARKWATCH_PORTAL_PORT", None)
    proc = subprocess.run([PARKWATCH, *args], env=env, capture_output=True, text=True, timeout=1200)
    if check and proc.returncode != 0:
        pytest.fail(f"parkwatch {' '.join(args)} exited {proc.returncode}\nSTDOUT:\n{proc.stdout[-4000:]}\nSTDERR:\n{proc.stderr[-6000:]}")
    return proc


def snapshot(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {m: con.execute(f"select * from marts.{m} order by {key}").fetchall() for m, key in CONTENT_MARTS.items()}


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory, free_port):
    home = tmp_path_factory.mktemp("home")
    port = str(free_port())
    proc = parkwatch(home, "demo", "--port", port)
    return home, proc.stdout, port


def test_demo_prints_summary_and_publishes_portal_rows(demo_home):
    home, out, _ = demo_home
    for label in ("pages crawled", "documents", "indicators", "projects", "policies", "validation", "published", "seconds"):
        assert label in out, f"summary lacks {label!r}:\n{out}"
    assert "validation         passed" in out
    db = home / "parks.duckdb"
    assert db.exists()
    with duckdb.connect(str(db), read_only=True) as con:
        for mart in ("indicators", "projects", "policies"):
            n, portal_rows = con.execute(
                f"select count(*), count(*) filter (where url like 'http://127.0.1.%') from marts.{mart}").fetchone()
            assert n > 0 and portal_rows == n, f"marts.{mart}: {n} rows, {portal_rows} from the portal"
        parks = {r[0] for r in con.execute("select distinct park_id from marts.indicators").fetchall()}
        assert {"qingchuan-hitech", "jinhe-etdz"} <= parks
        health = con.execute("select site_id, pages_landed, pages_failed from marts.crawl_health").fetchall()
        assert {h[0] for h in health} == set(SITE_IDS)
        assert all(h[1] > 0 and h[2] == 0 for h in health)


def test_second_run_gives_identical_marts(demo_home):
    home, _, port = demo_home
    before = snapshot(home / "parks.duckdb")
    parkwatch(home, "demo", "--no-airflow", "--port", port)  # the direct path must agree with the Airflow path
    after = snapshot(home / "parks.duckdb")
    for mart in CONTENT_MARTS:
        assert after[mart] == before[mart], f"marts.{mart} changed on a rerun"
    with duckdb.connect(str(home / "parks.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.crawl_health").fetchone()[0] == 2 * len(SITE_IDS)  # 2 runs


def test_bad_row_fails_validation_and_publish_leaves_file_untouched(demo_home):
    home, _, _ = demo_home
    published = home / "parks.duckdb"
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    with duckdb.connect(str(home / "build.duckdb")) as con:
        con.execute("""insert into marts.indicators
                       select * replace ('furlong' as unit, md5('injected') as fact_id)
                       from marts.indicators where measure = 'amount' limit 1""")
    proc = parkwatch(home, "validate", check=False)
    assert proc.returncode == 1, proc.stdout
    assert "furlong" in proc.stdout
    proc = parkwatch(home, "publish", check=False)
    assert proc.returncode == 1
    assert "validation failed" in proc.stderr
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest
