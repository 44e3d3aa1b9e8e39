"""
### parkwatch_transform

Runs when the crawl updates the **raw pages** Asset: `dbt build` into `build.duckdb`, the
Great Expectations gate, then an atomic publish into `parks.duckdb` (the **marts** Asset).
One run at a time and a one-slot `warehouse` pool, because DuckDB allows a single writer.
A failed error-level expectation fails the `validate` task, so nothing is published.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

from parkwatch.config import MARTS_ASSET_URI, RAW_PAGES_ASSET_URI

RAW_PAGES = Asset(name="parkwatch_raw_pages", uri=RAW_PAGES_ASSET_URI)
MARTS = Asset(name="parkwatch_marts", uri=MARTS_ASSET_URI)


@dag(
    schedule=[RAW_PAGES],
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    tags=["parkwatch", "warehouse"],
    doc_md=__doc__,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=1), "owner": "parkwatch", "pool": "warehouse"},
)
def parkwatch_transform():
    @task
    def dbt_build() -> dict:
        from parkwatch.pipeline import build_step

        return build_step()

    @task
    def validate() -> dict:
        from parkwatch.pipeline import validate_step

        summary = validate_step()
        if not summary["success"]:
            from airflow.sdk.exceptions import AirflowFailException  # no retry: the data will not change

            raise AirflowFailException(f"validation failed, nothing published; Data Docs {summary['data_docs']}")
        return {k: summary[k] for k in ("success", "warnings", "data_docs")}

    @task(outlets=[MARTS])
    def publish() -> dict:
        from parkwatch.pipeline import publish_step

        return publish_step()

    dbt_build() >> validate() >> publish()


parkwatch_transform()
