"""The dbt project as Airflow tasks: a Cosmos task group rendered from dbt's manifest.

Nothing here imports Cosmos at module top: the transform DAG file imports this module, and
Cosmos is loaded only when the task group is built (no dbt process at parse time; the manifest
is written by :func:`parkwatch.warehouse.manifest.dbt_parse`).
"""

from __future__ import annotations

import logging
import sys

from parkwatch import config

log = logging.getLogger(__name__)

# What dbt reads from the environment (dbt/profiles.yml, dbt/dbt_project.yml), derived from
# PARKWATCH_HOME when a task runs, not when the DAG file is parsed.
DBT_TASK_ENV = ("PARKWATCH_BUILD_DB", "PARKWATCH_RAW_DIR", "DBT_LOG_PATH", "DBT_SEND_ANONYMOUS_USAGE_STATS")


def dbt_task_env(name: str) -> str:
    """Value of one dbt environment variable for the warehouse the *running* task works on."""
    from parkwatch.warehouse.build import dbt_env

    return dbt_env()[name]


def release_dbt_duckdb() -> None:
    """Close a DuckDB handle that in-process dbt (Cosmos's dbtRunner) left open in this process.

    Under a real executor every task is its own process and this is a no-op; under
    ``airflow dags test`` all tasks share one process, and DuckDB refuses a read-only
    connection to a file this process still holds read-write.
    """
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    if module is None:
        return
    manager = module.DuckDBConnectionManager
    env = manager._ENV
    conn = getattr(env, "conn", None)
    if conn is not None:
        conn.close()
        env.conn = None
        env.handle_count = 0
    manager.close_all_connections()


def dbt_macros() -> dict:
    """``user_defined_macros`` for the transform DAG (templates call these at run time)."""
    return {"parkwatch_dbt_env": dbt_task_env}


def dbt_task_group(group_id: str = "dbt", **operator_args):
    """The dbt project as a Cosmos task group, one task per seed/model and one per its tests,
    rendered from the manifest (``LoadMode.DBT_MANIFEST``: no dbt process at parse time).

    Returns None, with a warning, when there is no manifest yet: the DAG then falls back to a
    single ``dbt build`` task. Call it inside a DAG context.
    """
    path = config.dbt_manifest()
    if not path.is_file():
        log.warning(
            "no dbt manifest at %s: parkwatch_transform falls back to one `dbt build` task; "
            "run `python -m parkwatch.orchestration dbt-parse` (done by `make up` and `parkwatch demo`) "
            "to see each model as its own task",
            path,
        )
        return None
    from cosmos import (
        DbtTaskGroup,
        ExecutionConfig,
        ExecutionMode,
        InvocationMode,
        LoadMode,
        ProfileConfig,
        ProjectConfig,
        RenderConfig,
        TestBehavior,
    )

    from parkwatch.warehouse.build import dbt_executable

    dbt_dir = config.dbt_dir()
    env = {name: f"{{{{ parkwatch_dbt_env('{name}') }}}}" for name in DBT_TASK_ENV}
    env["DBT_TARGET_PATH"] = "target"  # Cosmos reads run results from the task's own project copy
    project = ProjectConfig(dbt_project_path=dbt_dir, manifest_path=path, install_dbt_deps=False, env_vars=env)
    # A local file, read as one: Cosmos wraps it in an ObjectStoragePath, whose first read makes
    # Airflow load every plugin for lineage (Cosmos's own imports FastAPI), seconds per parse.
    project.manifest_path = path
    return DbtTaskGroup(
        group_id=group_id,
        project_config=project,
        profile_config=ProfileConfig(
            profile_name="parkwatch", target_name="local", profiles_yml_filepath=dbt_dir / "profiles.yml"
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.DBT_RUNNER,
            dbt_executable_path=dbt_executable(),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.AFTER_EACH,
            emit_datasets=False,
            enable_mock_profile=False,
            should_detach_multiple_parents_tests=True,
        ),
        operator_args={"append_env": True, **operator_args},
    )
