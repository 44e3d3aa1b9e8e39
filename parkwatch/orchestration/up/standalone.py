"""Process control of ``airflow standalone`` (SQLite, LocalExecutor) for ``make up``: its
environment (loopback unless asked, generated keys, DAGs unpaused), start and stop.

Airflow's metadata DB, logs and secrets live under ``$PARKWATCH_HOME/airflow`` (mode 0700).
Stopping sends SIGINT to standalone (it stops its components), then SIGTERM/SIGKILL to its
process group, so nothing it started outlives ``make up``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from parkwatch import config
from parkwatch.orchestration.airflow_env import airflow_env
from parkwatch.orchestration.up.secrets import private_dir, security_env

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def standalone_env(api_port: int, portal_port: int, host: str = "127.0.0.1") -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    airflow_home = private_dir(config.home() / "airflow")
    return airflow_env(
        {
            "PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""),  # standalone runs `airflow` from PATH
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            **security_env(airflow_home),
            "AIRFLOW__API__HOST": host,
            "AIRFLOW__API__PORT": str(api_port),
            "AIRFLOW__API__WORKERS": "1",  # one API process is plenty for one user, and starts fastest
            "AIRFLOW__API__BASE_URL": f"http://localhost:{api_port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://localhost:{api_port}/execution/",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "PARKWATCH_PORTAL_PORT": str(portal_port),
        }
    )


def start_standalone(env: dict, log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    fh = os.fdopen(os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")  # closed when we exit
    os.chmod(log_path, 0o600)  # task and component logs can quote connection details
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("airflow")), "standalone"],
        env=env,
        stdout=fh,
        stderr=subprocess.STDOUT,
        cwd=config.PROJECT_ROOT,
        start_new_session=True,
    )


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_standalone(proc: subprocess.Popen, grace: float = 30) -> None:
    """SIGINT (standalone stops its components), then SIGTERM/SIGKILL to its process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if not _group_alive(proc.pid):
            break  # the whole group is gone
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _group_alive(proc.pid):
            time.sleep(0.2)
    if proc.poll() is None:
        proc.wait(timeout=5)
