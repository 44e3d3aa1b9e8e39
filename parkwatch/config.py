"""Where things live and how to move them: every ``PARKWATCH_*`` environment variable is read here.

One small function per variable, read at call time (so a test or an Airflow task that sets the
variable later still sees it); defaults suit a fresh clone. :data:`VARIABLES` is the one list of them
(the README's Configuration table is tested equal to it). Tests read their own ``PARKWATCH_FUZZ_*``,
``PARKWATCH_TEST_*`` and ``PARKWATCH_UP_BUDGET_S`` variables themselves: they are not product settings.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# name -> (default as users read it, meaning). The README's "## Configuration" table lists exactly these.
VARIABLES: dict[str, tuple[str, str]] = {
    "PARKWATCH_HOME": ("`./warehouse`", "raw zone, build and published DuckDB files, run log, logs"),
    "PARKWATCH_SITES_DIR": ("`./sites`", "site registry"),
    "PARKWATCH_PORTAL_PORT": ("`8700`", "port of the demo portal the demo sites point at"),
    "PARKWATCH_CRAWL_PARALLEL": (
        "CPU count, at most 4",
        "sites crawled at once by `parkwatch crawl` / `parkwatch run`",
    ),
    "PARKWATCH_BUILD_DB": (
        "`<PARKWATCH_HOME>/build.duckdb`",
        "dbt's working database; parkwatch sets it for every dbt run (read by `dbt/profiles.yml`)",
    ),
    "PARKWATCH_RAW_DIR": ("`<PARKWATCH_HOME>/raw`", "the raw zone as dbt sees it; parkwatch sets it for every dbt run"),
    "PARKWATCH_DBT_MANIFEST": ("`dbt/target/manifest.json`", "the dbt manifest Cosmos renders the transform DAG from"),
    "PARKWATCH_WORKER_NAME": ("the host name", "the name an Airflow worker shows in the UI (e.g. `crawl-1`)"),
    "PARKWATCH_AIRFLOW_HOST": ("`127.0.0.1`", "address `make up` binds the Airflow API/UI to (`0.0.0.0` exposes it)"),
    "PARKWATCH_AIRFLOW_PORT": ("`8080`", "Airflow API/UI port of `make up`"),
    "PARKWATCH_ALERTS_CONN": (
        "empty (no webhook)",
        "docker compose only: the failure webhook, passed on as `AIRFLOW_CONN_PARKWATCH_ALERTS`",
    ),
}


def _env(name: str) -> str | None:
    """The variable's value, or None when unset or empty (an empty value means the default)."""
    if name not in VARIABLES:  # a new variable goes into VARIABLES (and so the README) first
        raise KeyError(f"{name} is not in config.VARIABLES")
    return os.environ.get(name) or None


def home() -> Path:
    """The warehouse directory (raw zone, build and published DuckDB files). PARKWATCH_HOME moves it."""
    return Path(_env("PARKWATCH_HOME") or PROJECT_ROOT / "warehouse").resolve()


def raw_dir() -> Path:
    return home() / "raw"


def build_db() -> Path:
    """dbt's working database: only dbt writes it."""
    return home() / "build.duckdb"


def dbt_paths_env() -> dict[str, str]:
    """PARKWATCH_BUILD_DB and PARKWATCH_RAW_DIR for a dbt subprocess: dbt reads them with ``env_var()``;
    parkwatch derives them from PARKWATCH_HOME and never reads them back."""
    return {"PARKWATCH_BUILD_DB": str(build_db()), "PARKWATCH_RAW_DIR": str(raw_dir())}


def publish_db() -> Path:
    """The published marts, replaced atomically; BI tools open it read-only."""
    return home() / "parks.duckdb"


def sites_dir() -> Path:
    """The site registry (one YAML file per site). PARKWATCH_SITES_DIR moves it."""
    return Path(_env("PARKWATCH_SITES_DIR") or PROJECT_ROOT / "sites")


def portal_port() -> int:
    """PARKWATCH_PORTAL_PORT: the demo portal's port; the demo sites' ``base_url`` expands it
    (``${PARKWATCH_PORTAL_PORT:-8700}``), so it also reaches the crawl subprocesses through the environment."""
    return int(_env("PARKWATCH_PORTAL_PORT") or 8700)


def crawl_parallel() -> int:
    """PARKWATCH_CRAWL_PARALLEL: sites crawled at once, else the CPU count up to 4 (politeness is per site)."""
    return int(_env("PARKWATCH_CRAWL_PARALLEL") or min(4, os.cpu_count() or 1))


def dbt_dir() -> Path:
    return PROJECT_ROOT / "dbt"


def dbt_manifest() -> Path:
    """Where ``dbt parse`` leaves the manifest Cosmos reads: ``dbt/target/manifest.json``
    (PARKWATCH_DBT_MANIFEST moves it)."""
    return Path(_env("PARKWATCH_DBT_MANIFEST") or dbt_dir() / "target" / "manifest.json")


def worker_name() -> str | None:
    """PARKWATCH_WORKER_NAME: the name an Airflow worker reports (None: the host name)."""
    return _env("PARKWATCH_WORKER_NAME")


def airflow_host() -> str:
    """PARKWATCH_AIRFLOW_HOST: the address ``make up`` binds the Airflow API/UI to."""
    return _env("PARKWATCH_AIRFLOW_HOST") or "127.0.0.1"


def airflow_port() -> int:
    """PARKWATCH_AIRFLOW_PORT: the Airflow API/UI port of ``make up``."""
    return int(_env("PARKWATCH_AIRFLOW_PORT") or 8080)


def expectations_dir() -> Path:
    return PROJECT_ROOT / "expectations"


def runs_dir() -> Path:
    """Run summaries (JSON) of crawl/build/validate/publish, newest last."""
    return home() / "runs"


# Airflow Asset URIs, defined once: the crawl DAG updates RAW_PAGES, the transform DAG MARTS.
RAW_PAGES_ASSET_URI = "file:///parkwatch/warehouse/raw"
MARTS_ASSET_URI = "file:///parkwatch/warehouse/parks.duckdb"
