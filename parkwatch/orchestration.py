"""Run the Airflow DAGs locally for the demo: ``airflow dags test`` on SQLite under the warehouse."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from parkwatch import config

POOLS = {"crawl": (4, "site crawls"), "warehouse": (1, "the single DuckDB writer")}


class AirflowError(RuntimeError):
    pass


def airflow_env(extra: dict | None = None) -> dict[str, str]:
    env = dict(os.environ)
    airflow_home = config.home() / "airflow"
    env.update(
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__DAGS_FOLDER=str(config.PROJECT_ROOT / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DEFAULT_TIMEZONE="Asia/Shanghai",
        AIRFLOW__LOGGING__BASE_LOG_FOLDER=str(airflow_home / "logs"),
        PARKWATCH_HOME=str(config.home()),
    )
    env.update(extra or {})
    return env


def _airflow(*args: str, env: dict, log: Path) -> None:
    exe = Path(sys.executable).with_name("airflow")
    with open(log, "a", encoding="utf-8") as fh:
        proc = subprocess.run([str(exe), *args], env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=config.PROJECT_ROOT)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise AirflowError(f"`airflow {' '.join(args)}` failed (exit {proc.returncode}); log {log}:\n{tail}")


def prepare(env: dict) -> Path:
    """Migrate the metadata DB (idempotent) and create the pools; returns the log file."""
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log = home / "demo.log"
    _airflow("db", "migrate", env=env, log=log)
    for name, (slots, desc) in POOLS.items():
        _airflow("pools", "set", name, str(slots), desc, env=env, log=log)
    return log


def dags_test(dag_id: str, logical_date: str, env: dict, log: Path) -> None:
    """Run one DAG run in-process through the real scheduler code path (``airflow dags test``)."""
    _airflow("dags", "test", dag_id, logical_date, env=env, log=log)
