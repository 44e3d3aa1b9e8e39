"""``make up``: Airflow standalone (SQLite, LocalExecutor) plus the demo portal, on loopback.

    python -m parkwatch.up                 # until Ctrl-C; UI on http://localhost:8080
    python -m parkwatch.up --check         # healthy within --timeout, one crawl run succeeds, stop

Airflow's metadata DB, logs and generated admin password live under ``$PARKWATCH_HOME/airflow``.
The DAGs are unpaused, so they run on their schedule (crawl daily at 06:00 Asia/Shanghai, the
transform on the raw-pages Asset). The demo portal's clock follows the logical date of the
crawl run in progress: a follower thread asks the REST API for the queued or running
``parkwatch_crawl`` run and restarts the portal (same port, so the same URLs) on that date.
Every process started here is stopped on exit (SIGINT to Airflow standalone, then its
process group).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pendulum

from parkwatch import config, orchestration

log = logging.getLogger("parkwatch.up")

HEALTH_BUDGET_S = 120


class UpError(RuntimeError):
    pass


# ---------------------------------------------------------------- the REST API (loopback only)
class Api:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.token: str | None = None
        self.password: str | None = None

    def _request(self, method: str, path: str, body: dict | None = None, auth: bool = True, timeout: float = 60):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback URL built here
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
        self.password = password
        _, body = self._request("POST", "/auth/token", {"username": username, "password": password}, auth=False)
        self.token = body["access_token"]


COMPONENTS = ("metadatabase", "scheduler", "dag_processor", "triggerer")


def healthy(h: dict | None, components: tuple[str, ...] = COMPONENTS) -> bool:
    if not h:
        return False
    return all((h.get(p) or {}).get("status") == "healthy" for p in components)


def wait_healthy(api: Api, timeout: float, proc: subprocess.Popen | None = None,
                 components: tuple[str, ...] = COMPONENTS) -> float:
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


def admin_password(airflow_home: Path, timeout: float = 30) -> str:
    path = airflow_home / "simple_auth_manager_passwords.json.generated"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))["admin"]
            except (ValueError, KeyError):
                pass
        time.sleep(0.5)
    raise UpError(f"no generated admin password in {path}")


# ---------------------------------------------------------------- the portal and its clock
class PortalClock:
    """The demo portal, restarted on the logical date of the crawl run in progress."""

    def __init__(self, port: int, today: str):
        self.port = port
        self.today = today
        self.portal = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "PortalClock":
        from parkwatch.portal import Portal

        self.portal = Portal(port=self.port, today=self.today).start()
        self.port = self.portal.port
        return self

    def set_today(self, day: str) -> None:
        from parkwatch.portal import Portal

        with self._lock:
            if day == self.today:
                return
            self.portal.stop()
            for _ in range(50):  # the port was just released; rebinding can take a moment
                try:
                    self.portal = Portal(port=self.port, today=day).start()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise UpError(f"cannot restart the portal on port {self.port}")
            log.info("portal clock moved from %s to %s (logical date of the crawl run)", self.today, day)
            self.today = day

    def follow(self, api: Api, interval: float = 1.0) -> None:
        def loop():
            while not self._stop.wait(interval):
                try:
                    runs = api.get("/api/v2/dags/parkwatch_crawl/dagRuns?state=queued&state=running"
                                   "&order_by=-run_after&limit=1")["dag_runs"]
                except Exception as exc:  # noqa: BLE001 - keep following; the API may restart
                    log.debug("clock follower: %s", exc)
                    continue
                if runs:
                    when = runs[0].get("logical_date") or runs[0].get("run_after")
                    if when:
                        self.set_today(pendulum.parse(when).in_timezone(orchestration.TIMEZONE).to_date_string())

        self._thread = threading.Thread(target=loop, name="portal-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        with self._lock:
            if self.portal:
                self.portal.stop()


# ---------------------------------------------------------------- Airflow standalone
def standalone_env(api_port: int, portal_port: int) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return orchestration.airflow_env({
        "PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""),  # standalone runs `airflow` from PATH
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",  # one API process is plenty for one user, and starts fastest
        "AIRFLOW__API__BASE_URL": f"http://localhost:{api_port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://localhost:{api_port}/execution/",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
        "PARKWATCH_PORTAL_PORT": str(portal_port),
    })


def start_standalone(env: dict, log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(log_path, "ab")  # noqa: SIM115 - handed to the child; closed when we exit
    return subprocess.Popen([str(Path(sys.executable).with_name("airflow")), "standalone"], env=env,
                            stdout=fh, stderr=subprocess.STDOUT, cwd=config.PROJECT_ROOT, start_new_session=True)


def stop_standalone(proc: subprocess.Popen, grace: float = 30) -> None:
    """SIGINT (standalone stops its components), then SIGTERM/SIGKILL to its process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break  # the whole group is gone
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
    if proc.poll() is None:
        proc.wait(timeout=5)


def ensure_pools(api: Api) -> None:
    """The ``crawl`` and ``warehouse`` pools, created or resized through the REST API."""
    for name, (slots, desc) in orchestration.POOLS.items():
        body = {"name": name, "slots": slots, "description": desc, "include_deferred": False}
        try:
            api.post("/api/v2/pools", body)
        except urllib.error.HTTPError as exc:
            if exc.code != 409:
                raise
            api.patch(f"/api/v2/pools/{name}", body)


def daily_crawl_run(api: Api, wait: float = 60) -> tuple[str, str]:
    """The crawl run the scheduler started for today's 06:00 (the DAG is unpaused at start, so the
    latest daily run is due); triggered by hand only if none appears within ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        runs = api.get("/api/v2/dags/parkwatch_crawl/dagRuns?order_by=-run_after&limit=1")["dag_runs"]
        if runs:
            return runs[0]["dag_run_id"], runs[0]["run_type"]
        time.sleep(2)
    now = pendulum.now(orchestration.TIMEZONE).to_iso8601_string()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parkwatch.up", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PARKWATCH_AIRFLOW_PORT") or 8080),
                        help="Airflow API/UI port (default 8080)")
    parser.add_argument("--portal-port", type=int, default=int(os.environ.get("PARKWATCH_PORTAL_PORT") or 8700))
    parser.add_argument("--timeout", type=float, default=HEALTH_BUDGET_S, help="seconds to become healthy")
    parser.add_argument("--check", action="store_true",
                        help="once healthy, run the daily crawl for today, wait for it, then stop")
    parser.add_argument("--run-timeout", type=float, default=900, help="seconds for the --check crawl run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("parkwatch.portal",):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    started = time.monotonic()
    today = pendulum.now(orchestration.TIMEZONE).to_date_string()
    clock = PortalClock(args.portal_port, today).start()
    env = standalone_env(args.port, clock.port)
    airflow_home = Path(env["AIRFLOW_HOME"])
    print(f"demo portal on http://127.0.0.1:{clock.port}/ (clock {today}, follows the crawl's logical date)", flush=True)
    proc = None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        orchestration.dbt_parse()  # the manifest Cosmos renders the transform DAG from
        proc = start_standalone(env, airflow_home / "standalone.log")  # migrates the metadata DB itself
        api = Api(f"http://localhost:{args.port}")
        seconds = wait_healthy(api, max(1.0, args.timeout - (time.monotonic() - started)), proc)
        password = admin_password(airflow_home)
        api.login("admin", password)
        ensure_pools(api)
        clock.follow(api)
        total = time.monotonic() - started
        print(f"Airflow healthy after {total:.1f}s ({seconds:.1f}s after start of the API)", flush=True)
        print(f"Airflow UI   http://localhost:{args.port}/  login: admin / {password}", flush=True)
        print(f"Airflow log  {airflow_home / 'standalone.log'}", flush=True)
        if args.check:
            if total > args.timeout:
                raise UpError(f"healthy only after {total:.0f}s (budget {args.timeout:.0f}s)")
            run_id, run_type = daily_crawl_run(api)
            print(f"waiting for parkwatch_crawl run {run_id} ({run_type}) …", flush=True)
            run = wait_run(api, "parkwatch_crawl", run_id, args.run_timeout)
            print(f"parkwatch_crawl run {run_id} ({run_type}, logical date {run.get('logical_date')}): "
                  f"{run['state']} ({time.monotonic() - started:.0f}s since start)", flush=True)
            return 0 if run["state"] == "success" else 1
        print("Ctrl-C stops Airflow and the portal.", flush=True)
        while not stop.is_set():
            if proc.poll() is not None:
                raise UpError(f"airflow standalone exited with {proc.returncode}; see {airflow_home / 'standalone.log'}")
            stop.wait(1)
        return 0
    except KeyboardInterrupt:
        return 0
    except (UpError, orchestration.AirflowError, urllib.error.URLError) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        print("stopping Airflow and the portal …", flush=True)
        if proc is not None:
            stop_standalone(proc)
        clock.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
