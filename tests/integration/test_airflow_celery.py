"""Scale-out, tested for real: Airflow with the CeleryExecutor on this machine's PostgreSQL
(127.0.0.1:5432) and Redis (127.0.0.1:6379).

Scheduler, dag-processor, api-server and three Celery workers run as real processes: two on
the ``crawl`` queue (``crawl-1``, ``crawl-2``) and one single-slot worker on the ``warehouse``
queue. The test triggers ``parkwatch_crawl`` through the REST API against the demo portal,
waits for it and for the ``parkwatch_transform`` run its Asset event starts, checks where each
task ran, and reads the published marts. It uses its own database (dropped afterwards) and its
own Redis database number (flushed before and after). Everything stays on loopback.
Skips with a clear message where PostgreSQL or Redis is absent.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pendulum
import pytest

from parkwatch.orchestration import airflow_env as orchestration
from parkwatch.portal import Portal
from parkwatch.sites import load_sites
from parkwatch.orchestration.up import Api, ensure_pools, wait_healthy, wait_run

pytestmark = [pytest.mark.airflow, pytest.mark.celery, pytest.mark.timeout(2400)]

ROOT = Path(__file__).resolve().parents[2]
PG = {"host": "127.0.0.1", "port": 5432, "user": os.environ.get("PARKWATCH_TEST_PGUSER", "postgres"), "dbname": "test"}
REDIS_DB = int(os.environ.get("PARKWATCH_TEST_REDIS_DB", "13"))
RUN_TIMEOUT_S = 1500
# the warehouse worker imports dbt once before it forks (as docker-compose.yml configures it)
WAREHOUSE_WORKER_ENV = {"AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "parkwatch.orchestration.celery.WAREHOUSE_CELERY_CONFIG"}


def reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def redis_flush(db: int) -> None:
    """FLUSHDB on our own Redis database number only (RESP over a plain socket)."""
    with socket.create_connection(("127.0.0.1", 6379), timeout=5) as s:
        s.sendall(f"*2\r\n$6\r\nSELECT\r\n${len(str(db))}\r\n{db}\r\n*1\r\n$7\r\nFLUSHDB\r\n".encode())
        reply = b""
        while reply.count(b"\r\n") < 2:
            chunk = s.recv(1024)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"+OK"), reply


@pytest.fixture(scope="module")
def services():
    if not reachable(5432):
        pytest.skip("Celery scale-out test: no PostgreSQL on 127.0.0.1:5432 (CI has one)")
    if not reachable(6379):
        pytest.skip("Celery scale-out test: no Redis on 127.0.0.1:6379 (CI has one)")
    import psycopg2

    try:
        admin = psycopg2.connect(**PG, connect_timeout=5)
    except psycopg2.Error as exc:
        pytest.skip(f"Celery scale-out test: PostgreSQL on 127.0.0.1:5432 refused {PG['user']}@{PG['dbname']}: {exc}")
    admin.autocommit = True
    db = f"parkwatch_airflow_test_{os.getpid()}"
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{db}"')
    redis_flush(REDIS_DB)
    try:
        yield {"db": db, "sql": f"postgresql+psycopg2://{PG['user']}@127.0.0.1:5432/{db}",
               "broker": f"redis://127.0.0.1:6379/{REDIS_DB}"}
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()
        redis_flush(REDIS_DB)


class Processes:
    """Airflow components as real processes, each in its own process group, stopped by id."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict) -> None:
        fh = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen([str(Path(sys.executable).with_name("airflow")), *args], env=env,
                                            cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self) -> None:
        for name, p in self.procs.items():
            if p.poll() is not None:
                raise AssertionError(f"{name} exited with {p.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, n: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-n:] if path.exists() else ""

    def stop(self) -> None:
        for p in self.procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        for p in self.procs.values():
            try:
                p.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for p in self.procs.values():  # the group: task processes forked by the workers
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if p.poll() is None:
                p.wait(timeout=10)


def latest_daily_tick() -> pendulum.DateTime:
    """The logical date the scheduler would give the latest daily run (06:00 Asia/Shanghai)."""
    now = pendulum.now(orchestration.TIMEZONE)
    tick = now.replace(hour=6, minute=0, second=0, microsecond=0)
    return tick if now >= tick else tick.subtract(days=1)


@pytest.fixture(scope="module")
def celery_run(services, tmp_path_factory, free_port):
    tmp = tmp_path_factory.mktemp("celery")
    home, logs = tmp / "home", tmp / "logs"
    logs.mkdir()
    api_port, portal_port = free_port(), free_port()
    password = secrets.token_urlsafe(12)
    passwords = tmp / "passwords.json"
    passwords.write_text(json.dumps({"admin": password}), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    mp.setenv("PARKWATCH_PORTAL_PORT", str(portal_port))
    env = orchestration.airflow_env({
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": services["sql"],
        "AIRFLOW__CELERY__BROKER_URL": services["broker"],
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + services["sql"].replace("+psycopg2", ""),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "parkwatch.orchestration.airflow_env.hostname",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    })
    started = time.monotonic()
    orchestration.prepare(env)  # dbt manifest, `airflow db migrate` on PostgreSQL, pools
    procs = Processes(logs)
    tick = latest_daily_tick()
    portal = Portal(port=portal_port, today=tick.to_date_string()).start()
    try:
        procs.start("api-server", ["api-server"], env)
        procs.start("scheduler", ["scheduler"], env)
        procs.start("dag-processor", ["dag-processor"], env)
        for name, queue in (("crawl-1", "crawl"), ("crawl-2", "crawl"), ("warehouse-1", "warehouse")):
            procs.start(name, ["celery", "worker", "--queues", queue, "--concurrency", "1", "--skip-serve-logs",
                               "--celery-hostname", f"{name}@%h", "--without-gossip", "--without-mingle"],
                        {**env, "PARKWATCH_WORKER_NAME": name, **(WAREHOUSE_WORKER_ENV if queue == "warehouse" else {})})
        api = Api(f"http://127.0.0.1:{api_port}")
        wait_healthy(api, 300, components=("metadatabase", "scheduler", "dag_processor"))
        api.login("admin", password)
        ensure_pools(api)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # both DAGs parsed by the dag-processor
            dags = {d["dag_id"] for d in api.get("/api/v2/dags?dag_id_pattern=parkwatch")["dags"]}
            if {"parkwatch_crawl", "parkwatch_transform"} <= dags:
                break
            procs.check_alive()
            time.sleep(2)
        else:
            raise AssertionError(f"DAGs not parsed in time:\n{procs.tail('dag-processor')}")
        ready = time.monotonic()
        # trigger first (for the latest daily tick, so unpausing adds no second scheduled run), then unpause
        run = api.post("/api/v2/dags/parkwatch_crawl/dagRuns",
                       {"logical_date": tick.in_timezone("UTC").to_iso8601_string(), "conf": {}})
        for dag_id in ("parkwatch_transform", "parkwatch_crawl"):
            api.patch(f"/api/v2/dags/{dag_id}", {"is_paused": False})
        crawl = wait_run(api, "parkwatch_crawl", run["dag_run_id"], RUN_TIMEOUT_S)
        crawl_done = time.monotonic()
        transform = None
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while time.monotonic() < deadline:
            runs = api.get("/api/v2/dags/parkwatch_transform/dagRuns?order_by=-run_after")["dag_runs"]
            if runs and runs[0]["state"] in ("success", "failed"):
                transform = runs[0]
                break
            procs.check_alive()
            time.sleep(5)
        done = time.monotonic()
        tis = {}
        for dag_id, r in (("parkwatch_crawl", crawl), ("parkwatch_transform", transform)):
            if r:
                tis[dag_id] = api.get(f"/api/v2/dags/{dag_id}/dagRuns/{r['dag_run_id']}/taskInstances?limit=500")[
                    "task_instances"]
        crawl_runs = api.get("/api/v2/dags/parkwatch_crawl/dagRuns")["dag_runs"]
        yield {"crawl": crawl, "transform": transform, "tis": tis, "home": home, "procs": procs,
               "crawl_runs": crawl_runs,
               "timings": {"setup_s": round(ready - started, 1), "crawl_s": round(crawl_done - ready, 1),
                           "transform_s": round(done - crawl_done, 1), "total_s": round(done - started, 1)}}
    finally:
        procs.stop()
        portal.stop()
        mp.undo()


def test_crawl_triggered_through_the_api_succeeds_on_the_crawl_workers(celery_run):
    crawl, tis = celery_run["crawl"], celery_run["tis"]["parkwatch_crawl"]
    assert crawl["state"] == "success", [(t["task_id"], t["map_index"], t["state"]) for t in tis]
    assert crawl["run_type"] == "manual"
    assert len(celery_run["crawl_runs"]) == 1, "unpausing added a second crawl run"
    sites = [t for t in tis if t["task_id"] == "crawl_site"]
    assert len(sites) == len(load_sites()[0]) and all(t["state"] == "success" for t in sites)
    assert {t["queue"] for t in tis} == {"crawl"}
    hosts = {t["hostname"] for t in sites}
    assert hosts <= {"crawl-1", "crawl-2"}, hosts
    assert len(hosts) == 2, f"the site crawls did not spread over both crawl workers: {hosts}"


def test_transform_runs_model_by_model_on_the_single_warehouse_worker(celery_run):
    transform = celery_run["transform"]
    assert transform is not None, "the raw-pages Asset event did not start parkwatch_transform"
    tis = celery_run["tis"]["parkwatch_transform"]
    assert transform["state"] == "success", [(t["task_id"], t["state"]) for t in tis if t["state"] != "success"]
    assert transform["run_type"] == "asset_triggered"
    ids = {t["task_id"] for t in tis}
    assert {"dbt.indicators.run", "dbt.indicators.test", "validate", "publish"} <= ids
    assert {t["queue"] for t in tis} == {"warehouse"} and {t["pool"] for t in tis} == {"warehouse"}
    assert {t["hostname"] for t in tis} == {"warehouse-1"}
    spans = sorted((t["start_date"], t["end_date"]) for t in tis)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "two warehouse tasks overlapped"


def test_published_marts(celery_run):
    db = celery_run["home"] / "parks.duckdb"
    assert db.exists()
    with duckdb.connect(str(db), read_only=True) as con:
        for mart in ("indicators", "projects", "policies", "parks", "crawl_health"):
            assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0, mart
        urls = con.execute("select count(*), count(*) filter (where url like 'http://127.0.1.%') "
                           "from marts.indicators").fetchone()
        assert urls[0] == urls[1], "indicators from outside the loopback portal"
        sites = {r[0] for r in con.execute("select distinct site_id from marts.crawl_health").fetchall()}
        assert sites == {s.id for s in load_sites()[0]}
    print(f"celery timings: {celery_run['timings']}")
