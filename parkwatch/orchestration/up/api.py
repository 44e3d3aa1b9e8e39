"""Airflow's REST API on loopback: a small client, and the questions ``make up`` asks through it
(is it healthy, the pools, the daily crawl run and its end)."""

from __future__ import annotations

import json
import logging
import subprocess
import time
import urllib.error
import urllib.request

import pendulum

from parkwatch.orchestration.airflow_env import POOLS, TIMEZONE
from parkwatch.orchestration.up.errors import UpError

log = logging.getLogger("parkwatch.orchestration.up")

COMPONENTS = ("metadatabase", "scheduler", "dag_processor", "triggerer")


class Api:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.token: str | None = None

    def _request(self, method: str, path: str, body: dict | None = None, auth: bool = True, timeout: float = 60):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # a loopback URL built here
            raw = resp.read()
            ctype = resp.headers.get("Content-Type", "")
            return resp.status, (json.loads(raw) if "json" in ctype and raw else raw.decode(errors="replace"))

    def get(self, path: str, auth: bool = True):
        return self._request("GET", path, auth=auth)[1]

    def post(self, path: str, body: dict):
        return self._request("POST", path, body)[1]

    def patch(self, path: str, body: dict):
        return self._request("PATCH", path, body)[1]

    def health(self) -> dict | None:
        try:
            return self.get("/api/v2/monitor/health", auth=False)
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def ui_ok(self) -> bool:
        try:
            status, body = self._request("GET", "/", auth=False)
            return status == 200 and "<html" in str(body).lower()
        except (urllib.error.URLError, OSError):
            return False

    def login(self, username: str, password: str) -> None:
        _, body = self._request("POST", "/auth/token", {"username": username, "password": password}, auth=False)
        self.token = body["access_token"]


def healthy(h: dict | None, components: tuple[str, ...] = COMPONENTS) -> bool:
    if not h:
        return False
    return all((h.get(p) or {}).get("status") == "healthy" for p in components)


def wait_healthy(
    api: Api, timeout: float, proc: subprocess.Popen | None = None, components: tuple[str, ...] = COMPONENTS
) -> float:
    """Seconds until the API reports the components healthy and the UI answers."""
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise UpError(f"airflow exited with {proc.returncode} before it was healthy")
        last = api.health()
        if healthy(last, components) and api.ui_ok():
            return time.monotonic() - started
        time.sleep(1)
    raise UpError(f"Airflow not healthy after {timeout:.0f}s; last health answer: {last}")


def ensure_pools(api: Api) -> None:
    """The ``crawl`` and ``warehouse`` pools, created or resized through the REST API."""
    for name, (slots, desc) in POOLS.items():
        body = {"name": name, "slots": slots, "description": desc, "include_deferred": False}
        for attempt in range(4):  # SQLite may be locked by the scheduler on a busy machine: a 5xx, retried
            try:
                try:
                    api.post("/api/v2/pools", body)
                except urllib.error.HTTPError as exc:
                    if exc.code != 409:
                        raise
                    api.patch(f"/api/v2/pools/{name}", body)
                break
            except urllib.error.HTTPError as exc:
                if exc.code < 500 or attempt == 3:
                    raise
                log.warning("pool %s: HTTP %s, retrying", name, exc.code)
                time.sleep(2 * (attempt + 1))


def daily_crawl_run(api: Api, wait: float = 60) -> tuple[str, str]:
    """The crawl run the scheduler started for today's 06:00 (the DAG is unpaused at start, so the
    latest daily run is due); triggered by hand only if none appears within ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        runs = api.get("/api/v2/dags/parkwatch_crawl/dagRuns?order_by=-run_after&limit=1")["dag_runs"]
        if runs:
            return runs[0]["dag_run_id"], runs[0]["run_type"]
        time.sleep(2)
    now = pendulum.now(TIMEZONE).to_iso8601_string()
    run = api.post("/api/v2/dags/parkwatch_crawl/dagRuns", {"logical_date": now})
    return run["dag_run_id"], run["run_type"]


def wait_run(api: Api, dag_id: str, run_id: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")
        if run["state"] in ("success", "failed"):
            return run
        time.sleep(2)
    raise UpError(f"{dag_id} run {run_id} did not finish within {timeout:.0f}s")
