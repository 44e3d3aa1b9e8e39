"""``make up``: Airflow standalone (SQLite, LocalExecutor) plus the demo portal, on loopback.

    python -m parkwatch.orchestration.up                 # until Ctrl-C; UI on http://localhost:8080
    python -m parkwatch.orchestration.up --check         # healthy within --timeout, one crawl run succeeds, stop

Airflow's metadata DB, logs and secrets live under ``$PARKWATCH_HOME/airflow`` (mode 0700). No
default credentials: on the first start this module generates the admin password
(``simple_auth_manager_passwords.json.generated``) and the deployment keys Airflow needs
(``[core] fernet_key``, ``[api_auth] jwt_secret``, ``[api] secret_key``, in ``parkwatch_secrets.json``),
random per home, written with mode 0600 and reused on every later start; they reach Airflow only
through its environment (a value already set in the environment wins). The auth manager is Airflow's
SimpleAuthManager, named explicitly (standalone insists on it); the API/UI binds 127.0.0.1 unless
``--host`` says otherwise. The password is printed once, when it is generated; later starts name
the file it is in.
The DAGs are unpaused, so they run on their schedule (crawl daily at 06:00 Asia/Shanghai, the
transform on the raw-pages Asset). The demo portal's clock follows the logical date of the
crawl run in progress: a follower thread asks the REST API for the queued or running
``parkwatch_crawl`` run and restarts the portal (same port, so the same URLs) on that date.
Every process started here is stopped on exit (SIGINT to Airflow standalone, then its
process group).
"""
from __future__ import annotations

import argparse
import configparser
import json
import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pendulum

from parkwatch import config

from parkwatch.orchestration import airflow_env as orchestration

log = logging.getLogger("parkwatch.orchestration.up")

HEALTH_BUDGET_S = 120


class UpError(RuntimeError):
    pass


# ---------------------------------------------------------------- the REST API (loopback only)
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


# ---------------------------------------------------------------- credentials and keys (no defaults)
AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
ADMIN_USER = "admin"
PASSWORDS_FILE = "simple_auth_manager_passwords.json.generated"  # Airflow's own name, so older homes keep theirs
SECRETS_FILE = "parkwatch_secrets.json"
# the per-deployment keys: name in parkwatch_secrets.json -> the Airflow setting it feeds
SECRET_ENV = {
    "fernet_key": "AIRFLOW__CORE__FERNET_KEY",        # encrypts connections and variables in the metadata DB
    "jwt_secret": "AIRFLOW__API_AUTH__JWT_SECRET",    # signs the UI/API and task (execution API) tokens
    "api_secret_key": "AIRFLOW__API__SECRET_KEY",     # signs sessions and the log servers' tokens
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def private_dir(path: Path) -> Path:
    """``path`` created if needed and made 0700 (the metadata DB, logs and secrets are in it)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def write_private(path: Path, text: str) -> None:
    """Atomically write ``text`` to a file that is 0600 from its first byte."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # whatever the umask
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise UpError(f"{path} is not valid JSON ({exc}); fix or remove it") from None
    if not isinstance(data, dict):
        raise UpError(f"{path} should hold a JSON object")
    return data


def _cfg_fernet_key(airflow_home: Path) -> str:
    """The fernet key an existing ``airflow.cfg`` already encrypts the metadata DB with, or ''."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(airflow_home / "airflow.cfg", encoding="utf-8")
    except configparser.Error:
        return ""
    return parser.get("core", "fernet_key", fallback="").strip()


def generate_secrets() -> dict[str, str]:
    """Fresh random values for every key in :data:`SECRET_ENV`."""
    from cryptography.fernet import Fernet

    return {"fernet_key": Fernet.generate_key().decode(), "jwt_secret": secrets.token_urlsafe(48),
            "api_secret_key": secrets.token_urlsafe(32)}


def deployment_secrets(airflow_home: Path) -> dict[str, str]:
    """The home's Airflow keys: read from ``parkwatch_secrets.json`` (0600), or generated on the
    first start (an existing ``airflow.cfg`` fernet key is adopted, so the metadata DB stays
    readable) and stored; the file is made 0600 again on every call."""
    private_dir(airflow_home)
    path = airflow_home / SECRETS_FILE
    stored = {k: v for k, v in _read_json(path).items() if k in SECRET_ENV and isinstance(v, str) and v}
    if stored.keys() != SECRET_ENV.keys():
        fresh = generate_secrets()
        if "fernet_key" not in stored and (existing := _cfg_fernet_key(airflow_home)):
            fresh["fernet_key"] = existing
        stored = {**fresh, **stored}
        write_private(path, json.dumps(stored, indent=1) + "\n")
    path.chmod(0o600)
    return stored


def admin_credentials(airflow_home: Path, user: str = ADMIN_USER) -> tuple[str, str, bool]:
    """``(user, password, created)``: the SimpleAuthManager password file (0600) holds a random
    password for ``user``, generated here when missing (Airflow would create the file world-readable
    and print the password into its log)."""
    private_dir(airflow_home)
    path = airflow_home / PASSWORDS_FILE
    passwords = _read_json(path)
    created = not (isinstance(passwords.get(user), str) and passwords[user])
    if created:
        passwords[user] = secrets.token_urlsafe(18)
        write_private(path, json.dumps(passwords) + "\n")
    path.chmod(0o600)
    return user, passwords[user], created


def sync_cfg_fernet_key(airflow_home: Path, fernet_key: str) -> bool:
    """Airflow writes ``airflow.cfg`` with an empty ``fernet_key`` when the key comes from the
    environment; fill it in so plain ``airflow`` commands on this home (``parkwatch demo``) encrypt
    with the same key. A key already there is left alone. True when the file was changed."""
    cfg = airflow_home / "airflow.cfg"
    try:
        text = cfg.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    new, n = re.subn(r"(?m)^fernet_key[ \t]*=[ \t]*$", f"fernet_key = {fernet_key}", text, count=1)
    if not n:
        return False
    write_private(cfg, new)
    return True


def security_env(airflow_home: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The auth manager, its users and password file, and the deployment keys for ``airflow
    standalone``; a key set in ``environ`` (default ``os.environ``) is kept, never overwritten."""
    environ = os.environ if environ is None else environ
    env = {
        "AIRFLOW__CORE__AUTH_MANAGER": AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",  # user:role, no password
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(airflow_home / PASSWORDS_FILE),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__API__EXPOSE_CONFIG": "False",
    }
    missing = {name: var for name, var in SECRET_ENV.items() if not environ.get(var)}
    if missing:
        keys = deployment_secrets(airflow_home)
        env.update({var: keys[name] for name, var in missing.items()})
    return env


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
def standalone_env(api_port: int, portal_port: int, host: str = "127.0.0.1") -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    airflow_home = private_dir(config.home() / "airflow")
    return orchestration.airflow_env({
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
    })


def start_standalone(env: dict, log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    fh = os.fdopen(os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")  # closed when we exit
    os.chmod(log_path, 0o600)  # task and component logs can quote connection details
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
    parser = argparse.ArgumentParser(prog="python -m parkwatch.orchestration.up", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("PARKWATCH_AIRFLOW_HOST") or "127.0.0.1",
                        help="address the Airflow API/UI binds (default 127.0.0.1; 0.0.0.0 exposes it)")
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
    print(f"demo portal on http://127.0.0.1:{clock.port}/ (clock {today}, follows the crawl's logical date)", flush=True)
    proc = None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        env = standalone_env(args.port, clock.port, args.host)  # keys generated or read here
        airflow_home = Path(env["AIRFLOW_HOME"])
        user, password, new_password = admin_credentials(airflow_home)
        if args.host not in LOOPBACK:
            log.warning("the Airflow API/UI listens on %s: anyone who reaches it can try the login "
                        "(SimpleAuthManager, no TLS); prefer 127.0.0.1 and an SSH tunnel", args.host)
        orchestration.dbt_parse()  # the manifest Cosmos renders the transform DAG from
        proc = start_standalone(env, airflow_home / "standalone.log")  # migrates the metadata DB itself
        api = Api(f"http://localhost:{args.port}")
        seconds = wait_healthy(api, max(1.0, args.timeout - (time.monotonic() - started)), proc)
        api.login(user, password)
        sync_cfg_fernet_key(airflow_home, env["AIRFLOW__CORE__FERNET_KEY"])
        ensure_pools(api)
        clock.follow(api)
        total = time.monotonic() - started
        print(f"Airflow healthy after {total:.1f}s ({seconds:.1f}s after start of the API)", flush=True)
        # the one secret shown: the login, on the terminal only, when it was just generated
        login = (f"{user} / {password}  (generated now, kept in {airflow_home / PASSWORDS_FILE})" if new_password
                 else f"{user}, password in {airflow_home / PASSWORDS_FILE}")
        print(f"Airflow UI   http://localhost:{args.port}/  login: {login}", flush=True)
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
