"""``make up``: Airflow standalone (SQLite, LocalExecutor) plus the demo portal, on loopback.

    python -m parkwatch.orchestration.up                 # until Ctrl-C; UI on http://localhost:8080
    python -m parkwatch.orchestration.up --check         # healthy within --timeout, one crawl run succeeds, stop

:func:`start` brings everything up, then :func:`check` runs the daily crawl once or
:func:`serve_forever` waits for Ctrl-C; :func:`shutdown` stops whatever was started.
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import threading
import time
import urllib.error
from dataclasses import dataclass
from pathlib import Path

import pendulum

from parkwatch import config
from parkwatch.orchestration.airflow_env import TIMEZONE, AirflowError
from parkwatch.orchestration.up.api import Api, daily_crawl_run, ensure_pools, wait_healthy, wait_run
from parkwatch.orchestration.up.clock import PortalClock
from parkwatch.orchestration.up.errors import UpError
from parkwatch.orchestration.up.secrets import PASSWORDS_FILE, admin_credentials, sync_cfg_fernet_key
from parkwatch.orchestration.up.standalone import LOOPBACK, standalone_env, start_standalone, stop_standalone
from parkwatch.warehouse.build import BuildError
from parkwatch.warehouse.manifest import dbt_parse

log = logging.getLogger("parkwatch.orchestration.up")

HEALTH_BUDGET_S = 120


@dataclass
class Session:
    """What one ``make up`` started, so :func:`shutdown` stops it however far :func:`start` got."""

    clock: PortalClock
    started: float  # time.monotonic() at launch
    proc: subprocess.Popen | None = None


@dataclass
class Running:
    """Airflow standalone once healthy, logged in."""

    proc: subprocess.Popen
    api: Api
    home: Path  # AIRFLOW_HOME
    healthy_after: float  # seconds since launch


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m parkwatch.orchestration.up", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--host",
        default=config.airflow_host(),
        help="address the Airflow API/UI binds (default 127.0.0.1; 0.0.0.0 exposes it)",
    )
    parser.add_argument("--port", type=int, default=config.airflow_port(), help="Airflow API/UI port (default 8080)")
    parser.add_argument("--portal-port", type=int, default=config.portal_port())
    parser.add_argument("--timeout", type=float, default=HEALTH_BUDGET_S, help="seconds to become healthy")
    parser.add_argument(
        "--check", action="store_true", help="once healthy, run the daily crawl for today, wait for it, then stop"
    )
    parser.add_argument("--run-timeout", type=float, default=900, help="seconds for the --check crawl run")
    return parser.parse_args(argv)


def start(args: argparse.Namespace, session: Session) -> Running:
    """Keys and login, the dbt manifest, ``airflow standalone`` until healthy, pools, the clock follower."""
    env = standalone_env(args.port, session.clock.port, args.host)  # keys generated or read here
    home = Path(env["AIRFLOW_HOME"])
    user, password, new_password = admin_credentials(home)
    if args.host not in LOOPBACK:
        log.warning(
            "the Airflow API/UI listens on %s: anyone who reaches it can try the login "
            "(SimpleAuthManager, no TLS); prefer 127.0.0.1 and an SSH tunnel",
            args.host,
        )
    dbt_parse()  # the manifest Cosmos renders the transform DAG from
    proc = session.proc = start_standalone(env, home / "standalone.log")  # migrates the metadata DB itself
    api = Api(f"http://localhost:{args.port}")
    seconds = wait_healthy(api, max(1.0, args.timeout - (time.monotonic() - session.started)), proc)
    api.login(user, password)
    sync_cfg_fernet_key(home, env["AIRFLOW__CORE__FERNET_KEY"])
    ensure_pools(api)
    session.clock.follow(api)
    running = Running(proc=proc, api=api, home=home, healthy_after=time.monotonic() - session.started)
    print(f"Airflow healthy after {running.healthy_after:.1f}s ({seconds:.1f}s after start of the API)", flush=True)
    # the one secret shown: the login, on the terminal only, when it was just generated
    login = (
        f"{user} / {password}  (generated now, kept in {home / PASSWORDS_FILE})"
        if new_password
        else f"{user}, password in {home / PASSWORDS_FILE}"
    )
    print(f"Airflow UI   http://localhost:{args.port}/  login: {login}", flush=True)
    print(f"Airflow log  {home / 'standalone.log'}", flush=True)
    return running


def check(args: argparse.Namespace, session: Session, running: Running) -> int:
    """``--check``: healthy within the budget, then the daily crawl run succeeds; 0 when it did."""
    if running.healthy_after > args.timeout:
        raise UpError(f"healthy only after {running.healthy_after:.0f}s (budget {args.timeout:.0f}s)")
    run_id, run_type = daily_crawl_run(running.api)
    print(f"waiting for parkwatch_crawl run {run_id} ({run_type}) …", flush=True)
    run = wait_run(running.api, "parkwatch_crawl", run_id, args.run_timeout)
    print(
        f"parkwatch_crawl run {run_id} ({run_type}, logical date {run.get('logical_date')}): "
        f"{run['state']} ({time.monotonic() - session.started:.0f}s since start)",
        flush=True,
    )
    return 0 if run["state"] == "success" else 1


def serve_forever(running: Running, stop: threading.Event) -> int:
    """Until Ctrl-C or SIGTERM; an error when Airflow standalone exits on its own."""
    print("Ctrl-C stops Airflow and the portal.", flush=True)
    while not stop.is_set():
        if running.proc.poll() is not None:
            raise UpError(
                f"airflow standalone exited with {running.proc.returncode}; see {running.home / 'standalone.log'}"
            )
        stop.wait(1)
    return 0


def shutdown(session: Session) -> None:
    print("stopping Airflow and the portal …", flush=True)
    if session.proc is not None:
        stop_standalone(session.proc)
    session.clock.stop()
    print("stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("parkwatch.portal").setLevel(logging.WARNING)
    started = time.monotonic()
    today = pendulum.now(TIMEZONE).to_date_string()
    session = Session(clock=PortalClock(args.portal_port, today).start(), started=started)
    print(
        f"demo portal on http://127.0.0.1:{session.clock.port}/ (clock {today}, follows the crawl's logical date)",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        running = start(args, session)
        return check(args, session, running) if args.check else serve_forever(running, stop)
    except KeyboardInterrupt:
        return 0
    except (UpError, AirflowError, BuildError, urllib.error.URLError) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        shutdown(session)


if __name__ == "__main__":
    sys.exit(main())
