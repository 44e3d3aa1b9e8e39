"""Airflow plumbing: the environment, the metadata DB and pools, queues, the logical date.

Nothing here imports Airflow at module top: the DAG files import this module, and the CLI uses
it without a scheduler. :func:`prepare` regenerates the dbt manifest when the dbt project
changed (:func:`parkwatch.warehouse.manifest.dbt_parse`), so that parsing a DAG file never runs dbt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from parkwatch import config

TIMEZONE = "Asia/Shanghai"  # the DAGs' schedule and the logical date a crawl is for
POOLS = {"crawl": (4, "site crawls"), "warehouse": (1, "the single DuckDB writer")}
# Celery queues: site crawls scale out across workers; every warehouse task goes to one queue
# that a single one-slot worker serves (DuckDB allows one writer).
CRAWL_QUEUE = "crawl"
WAREHOUSE_QUEUE = "warehouse"
# Nothing leaves the machine: Airflow's usage data, Cosmos's and dbt's telemetry are off.
NO_PHONE_HOME = {
    "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
}


class AirflowError(RuntimeError):
    pass


def airflow_env(extra: dict | None = None) -> dict[str, str]:
    env = dict(os.environ)
    airflow_home = config.home() / "airflow"
    env.update(
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__DAGS_FOLDER=str(config.PROJECT_ROOT / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DEFAULT_TIMEZONE=TIMEZONE,
        AIRFLOW__LOGGING__BASE_LOG_FOLDER=str(airflow_home / "logs"),
        PARKWATCH_HOME=str(config.home()),
        **NO_PHONE_HOME,
    )
    env.update(extra or {})
    return env


def hostname() -> str:
    """``[core] hostname_callable``: PARKWATCH_WORKER_NAME when set (e.g. ``crawl-1``), so the UI
    tells which worker ran a task even when several run on one machine; else the FQDN."""
    import socket

    return config.worker_name() or socket.getfqdn()


def local_date(context: dict) -> str:
    """The run's logical date as YYYY-MM-DD in Asia/Shanghai (``ds`` is the UTC date, a day
    early for runs before 08:00 Shanghai time). Manual runs without a logical date use the
    time the run was created for."""
    import pendulum

    when = context.get("logical_date") or getattr(context.get("dag_run"), "run_after", None)
    if when is None:
        return pendulum.now(TIMEZONE).to_date_string()
    return pendulum.instance(when).in_timezone(TIMEZONE).to_date_string()


def _airflow(*args: str, env: dict, log: Path) -> None:
    exe = Path(sys.executable).with_name("airflow")
    with open(log, "a", encoding="utf-8") as fh:
        proc = subprocess.run([str(exe), *args], env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=config.PROJECT_ROOT)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise AirflowError(f"`airflow {' '.join(args)}` failed (exit {proc.returncode}); log {log}:\n{tail}")


def prepare(env: dict) -> Path:
    """The dbt manifest (when stale), the metadata DB migrated (idempotent) and the pools;
    returns the log file."""
    from parkwatch.warehouse.manifest import dbt_parse  # here: DAG files import this module, not the warehouse

    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log = home / "demo.log"
    dbt_parse()
    _airflow("db", "migrate", env=env, log=log)
    pools = home / "pools.json"
    pools.write_text(
        json.dumps(
            {
                name: {"slots": slots, "description": desc, "include_deferred": False}
                for name, (slots, desc) in POOLS.items()
            }
        ),
        encoding="utf-8",
    )
    _airflow("pools", "import", str(pools), env=env, log=log)
    return log


def dags_test(dag_id: str, logical_date: str, env: dict, log: Path) -> None:
    """Run one DAG run in-process through the real scheduler code path (``airflow dags test``)."""
    _airflow("dags", "test", dag_id, logical_date, env=env, log=log)
