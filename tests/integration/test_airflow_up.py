"""``make up`` (``python -m parkwatch.orchestration.up``): Airflow standalone on SQLite with the LocalExecutor and
the demo portal reach a healthy API and UI within two minutes, the daily crawl run succeeds
there, and everything is stopped afterwards. Ports are free loopback ports, not 8080.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytestmark = [pytest.mark.airflow, pytest.mark.timeout(1500)]
ROOT = Path(__file__).resolve().parents[2]
BUDGET_S = float(os.environ.get("PARKWATCH_UP_BUDGET_S") or 120)  # the acceptance criterion


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def overloaded() -> bool:
    """More runnable processes than cores (a shared box busy with other work)."""
    return os.getloadavg()[0] / (os.cpu_count() or 1) > 1.5


def test_up_is_healthy_within_two_minutes_and_runs_the_daily_crawl(tmp_path, free_port):
    busy = overloaded()
    port = free_port()
    env = {**os.environ, "PARKWATCH_HOME": str(tmp_path / "home"),  # log servers off their usual ports too
           "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
           "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port())}
    env.pop("PARKWATCH_PORTAL_PORT", None)
    proc = subprocess.run([sys.executable, "-m", "parkwatch.orchestration.up", "--check", "--port", str(port), "--portal-port", "0",
                           "--timeout", str(600 if busy else BUDGET_S), "--run-timeout", "900"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=1400)
    out = proc.stdout
    log = tmp_path / "home" / "airflow" / "standalone.log"
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    assert proc.returncode == 0, f"{out}\n{proc.stderr[-3000:]}\n--- standalone.log ---\n{tail}"
    healthy = float(re.search(r"Airflow healthy after ([\d.]+)s", out).group(1))
    if busy and healthy > BUDGET_S:  # the budget is for a machine doing nothing else; say so, loudly
        warnings.warn(f"make up: healthy after {healthy:.0f}s > {BUDGET_S:.0f}s on an overloaded machine "
                      f"(load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    else:
        assert healthy <= BUDGET_S, f"healthy only after {healthy:.0f}s"
    assert re.search(rf"Airflow UI +http://localhost:{port}/ +login: admin / \S+", out), out
    assert re.search(r"parkwatch_crawl run \S+ \(scheduled, .*\): success", out), out
    assert "stopped" in out
    assert not listening(port), "the API server still listens after the check"
    print(f"make up: healthy after {healthy:.1f}s")


class FakeApi:
    """Answers the follower's one question: which crawl run is queued or running."""

    def __init__(self):
        self.runs: list[dict] = []

    def get(self, path: str):
        assert path.startswith("/api/v2/dags/parkwatch_crawl/dagRuns?state=queued&state=running")
        return {"dag_runs": self.runs}


def test_portal_clock_follows_the_crawl_run_in_progress():
    import time
    import urllib.error
    import urllib.request

    from parkwatch.orchestration.up import PortalClock

    clock = PortalClock(0, "2024-06-20").start()
    api = FakeApi()
    try:
        port = clock.port
        clock.follow(api, interval=0.1)
        url = clock.portal.site_urls["qingchuan-hitech"] + "xwdt/202406/t20240621_483771.html"  # published 06-21

        def status() -> int:
            try:
                return urllib.request.urlopen(url, timeout=5).status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert status() == 404
        api.runs = [{"logical_date": "2024-06-20T22:00:00Z", "run_after": "2024-06-20T22:00:00Z"}]  # 06:00 on 06-21
        deadline = time.monotonic() + 10
        while clock.today != "2024-06-21" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert clock.today == "2024-06-21" and clock.port == port, "same port, so the same URLs"
        assert status() == 200
    finally:
        clock.stop()
