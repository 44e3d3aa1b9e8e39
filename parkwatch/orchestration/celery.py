"""Celery settings of the warehouse worker, which a single one-slot worker serves (DuckDB allows
one writer). Airflow's default Celery config plus modules imported once, before the worker forks,
so each dbt task skips the import (seconds per task)::

    AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS=parkwatch.orchestration.celery.WAREHOUSE_CELERY_CONFIG

Only that worker imports this module (it imports the Celery provider).
"""

from __future__ import annotations

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

WAREHOUSE_PRELOAD = ("dbt.cli.main", "dbt.adapters.duckdb", "cosmos.operators.local", "duckdb")
WAREHOUSE_CELERY_CONFIG = {
    **DEFAULT_CELERY_CONFIG,
    "imports": tuple(DEFAULT_CELERY_CONFIG.get("imports") or ()) + WAREHOUSE_PRELOAD,
}
