"""Where things live. One environment variable per setting; defaults suit a fresh clone."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def home() -> Path:
    """The warehouse directory (raw zone, build and published DuckDB files). PARKWATCH_HOME moves it."""
    return Path(os.environ.get("PARKWATCH_HOME") or PROJECT_ROOT / "warehouse").resolve()


def raw_dir() -> Path:
    return home() / "raw"


def build_db() -> Path:
    """dbt's working database: only dbt writes it."""
    return home() / "build.duckdb"


def publish_db() -> Path:
    """The published marts, replaced atomically; BI tools open it read-only."""
    return home() / "parks.duckdb"


def sites_dir() -> Path:
    return Path(os.environ.get("PARKWATCH_SITES_DIR") or PROJECT_ROOT / "sites")


def dbt_dir() -> Path:
    return PROJECT_ROOT / "dbt"


def expectations_dir() -> Path:
    return PROJECT_ROOT / "expectations"


def runs_dir() -> Path:
    """Run summaries (JSON) of crawl/build/validate/publish, newest last."""
    return home() / "runs"


# Airflow Asset URIs, defined once: the crawl DAG updates RAW_PAGES, the transform DAG MARTS.
RAW_PAGES_ASSET_URI = "file:///parkwatch/warehouse/raw"
MARTS_ASSET_URI = "file:///parkwatch/warehouse/parks.duckdb"
