"""
### parkwatch_crawl

Daily at 06:00 Asia/Shanghai. `list_sites` reads the site registry (`sites/*.yaml`);
`crawl_site` is mapped over it, one task per site, each running that site's Scrapy crawl as
a subprocess into the raw zone (files only) for the run's **logical date** (in Asia/Shanghai).
Crawls share the `crawl` pool (4 slots) and the `crawl` Celery queue, so they spread over as
many crawl workers as there are; a failed site retries with exponential backoff and never
stops the others. `summarise` logs crawl health per site and updates the **raw pages**
Asset, which schedules `parkwatch_transform`.

Reruns and backfills are safe: the raw zone is content-addressed, so a page already landed is
recorded again but never duplicated, and every manifest line carries the logical date.
Failures are logged as `PARKWATCH ALERT` lines and posted to the webhook of the
`parkwatch_alerts` connection when it exists. Logic lives in `parkwatch.pipeline`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from parkwatch.orchestration.airflow_env import CRAWL_QUEUE, TIMEZONE, local_date
from parkwatch.orchestration.alerts import on_failure
from parkwatch.orchestration.assets import RAW_PAGES


@dag(
    schedule="0 6 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["parkwatch", "crawl"],
    doc_md=__doc__,
    default_args={
        "owner": "parkwatch",
        "retries": 3,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
        "queue": CRAWL_QUEUE,
        "on_failure_callback": on_failure,
    },
)
def parkwatch_crawl():
    @task
    def list_sites() -> list[str]:
        from parkwatch.pipeline import site_ids

        return site_ids()

    @task(pool="crawl", max_active_tis_per_dagrun=4, execution_timeout=timedelta(hours=2))
    def crawl_site(site_id: str, **context) -> dict:
        from parkwatch.pipeline import crawl

        [summary] = crawl(local_date(context), [site_id])
        if summary.get("error"):
            raise RuntimeError(f"crawl of {site_id} failed: {summary['error']}; log {summary['log']}")
        return {k: v for k, v in summary.items() if k != "log_tail"}

    @task(outlets=[RAW_PAGES], trigger_rule="all_done")
    def summarise(summaries: list[dict], **context) -> dict:
        from parkwatch.pipeline import crawl_summary

        return crawl_summary(local_date(context), summaries)

    summarise(crawl_site.expand(site_id=list_sites()))


parkwatch_crawl()
