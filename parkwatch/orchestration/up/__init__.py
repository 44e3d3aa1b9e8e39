"""``make up``: Airflow standalone (SQLite, LocalExecutor) plus the demo portal, on loopback.

``python -m parkwatch.orchestration.up [--check]`` (``__main__``). Airflow's metadata DB, logs and
secrets live under ``$PARKWATCH_HOME/airflow`` (mode 0700). No default credentials: on the first
start the admin password and the deployment keys Airflow needs are generated at random per home,
written with mode 0600 and reused on every later start (``secrets``); they reach Airflow only
through its environment (a value already set in the environment wins). The auth manager is
Airflow's SimpleAuthManager, named explicitly (standalone insists on it); the API/UI binds
127.0.0.1 unless ``--host`` says otherwise (``standalone``). The password is printed once, when it
is generated; later starts name the file it is in.

The DAGs are unpaused, so they run on their schedule (crawl daily at 06:00 Asia/Shanghai, the
transform on the raw-pages Asset). The demo portal's clock follows the logical date of the crawl
run in progress (``clock``, asking the REST API through ``api``). Every process started here is
stopped on exit (SIGINT to Airflow standalone, then its process group).
"""

from parkwatch.orchestration.up.api import Api, daily_crawl_run, ensure_pools, healthy, wait_healthy, wait_run
from parkwatch.orchestration.up.clock import PortalClock
from parkwatch.orchestration.up.errors import UpError
from parkwatch.orchestration.up.secrets import (
    ADMIN_USER,
    AUTH_MANAGER,
    PASSWORDS_FILE,
    SECRET_ENV,
    SECRETS_FILE,
    admin_credentials,
    deployment_secrets,
    security_env,
    sync_cfg_fernet_key,
)
from parkwatch.orchestration.up.standalone import LOOPBACK, standalone_env, start_standalone, stop_standalone

__all__ = [
    "ADMIN_USER",
    "AUTH_MANAGER",
    "LOOPBACK",
    "PASSWORDS_FILE",
    "SECRETS_FILE",
    "SECRET_ENV",
    "Api",
    "PortalClock",
    "UpError",
    "admin_credentials",
    "daily_crawl_run",
    "deployment_secrets",
    "ensure_pools",
    "healthy",
    "security_env",
    "standalone_env",
    "start_standalone",
    "stop_standalone",
    "sync_cfg_fernet_key",
    "wait_healthy",
    "wait_run",
]
