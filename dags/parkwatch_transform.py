"""
### parkwatch_transform

Runs when the crawl updates the **raw pages** Asset. The dbt project is rendered model by
model with Cosmos from dbt's manifest (`dbt/target/manifest.json`, written by `dbt parse` in
`make up`, `parkwatch demo` or `python -m parkwatch.orchestration dbt-parse`; parsing this
file never runs dbt): each seed and model is a `run` task followed by a `test` task with its
dbt tests. Then the Great Expectations gate (`validate`; an error-level failure fails the
task and nothing is published) and an atomic publish into `parks.duckdb` (the **marts** Asset).

One run at a time, every task in the one-slot `warehouse` pool and the `warehouse` Celery
queue, because DuckDB allows a single writer. Without a manifest the dbt part falls back to a
single `dbt_build` task (a warning is logged). Failures are logged as alerts and posted to
the webhook of the `parkwatch_alerts` connection when it exists.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from parkwatch.orchestration.airflow_env import TIMEZONE, WAREHOUSE_QUEUE
from parkwatch.orchestration.alerts import on_failure
from parkwatch.orchestration.assets import MARTS, RAW_PAGES
from parkwatch.orchestration.cosmos import dbt_macros, dbt_task_group


@dag(
    schedule=[RAW_PAGES],
    start_date=pendulum.datetime(2024, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["parkwatch", "warehouse", "dbt"],
    doc_md=__doc__,
    user_defined_macros=dbt_macros(),
    default_args={
        "owner": "parkwatch",
        "retries": 1,
        "retry_delay": timedelta(minutes=1),
        "pool": "warehouse",
        "queue": WAREHOUSE_QUEUE,
        "on_failure_callback": on_failure,
    },
)
def parkwatch_transform():
    @task
    def dbt_build() -> dict:
        from parkwatch.pipeline import build_step

        return build_step()

    @task
    def validate() -> dict:
        from parkwatch.orchestration.cosmos import release_dbt_duckdb
        from parkwatch.pipeline import validate_step

        release_dbt_duckdb()  # in-process dbt (airflow dags test) may still hold build.duckdb
        summary = validate_step()
        if not summary["success"]:
            from airflow.sdk.exceptions import AirflowFailException  # no retry: the data will not change

            raise AirflowFailException(f"validation failed, nothing published; Data Docs {summary['data_docs']}")
        return {k: summary[k] for k in ("success", "warnings", "data_docs")}

    @task(outlets=[MARTS])
    def publish() -> dict:
        from parkwatch.orchestration.cosmos import release_dbt_duckdb
        from parkwatch.pipeline import publish_step

        release_dbt_duckdb()
        return publish_step()

    dbt = dbt_task_group("dbt") or dbt_build()
    dbt >> validate() >> publish()


parkwatch_transform()
