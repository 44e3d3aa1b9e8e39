"""
### parkwatch_crawl

Daily at 06:00 Asia/Shanghai: one mapped task per registered site (`sites/*.yaml`), each
running that site's Scrapy crawl as a subprocess into the raw zone (files only), then a
summary that logs crawl health and updates the **raw pages** Asset, which schedules
`parkwatch_transform`. Logic lives in `parkwatch.pipeline` / `parkwatch.crawl`.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

from parkwatch.config import RAW_PAGES_ASSET_URI

RAW_PAGES = Asset(name="parkwatch_raw_pages", uri=RAW_PAGES_ASSET_URI)


@dag(
    schedule="0 6 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    tags=["parkwatch", "crawl"],
    doc_md=__doc__,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=2), "retry_exponential_backoff": True,
                  "owner": "parkwatch"},
)
def parkwatch_crawl():
    @task
    def list_sites() -> list[str]:
        from parkwatch.pipeline import site_ids

        return site_ids()

    @task(pool="crawl", max_active_tis_per_dagrun=4)
    def crawl_site(site_id: str, **context) -> dict:
        from parkwatch.pipeline import crawl

        [summary] = crawl(context.get("ds"), [site_id])
        if summary.get("error"):
            raise RuntimeError(f"crawl of {site_id} failed: {summary['error']}; log {summary['log']}")
        return summary

    @task(outlets=[RAW_PAGES], trigger_rule="all_done")
    def summarise(summaries: list[dict]) -> dict:
        import logging

        summaries = [s for s in summaries if s]
        for s in summaries:
            logging.getLogger("parkwatch").info(
                "crawl health %s: landed %s, new %s, failed %s", s["site_id"], s["pages_landed"], s["pages_new"], s["failed"])
        return {"sites": len(summaries), "pages_landed": sum(s["pages_landed"] for s in summaries)}

    summarise(crawl_site.expand(site_id=list_sites()))


parkwatch_crawl()
