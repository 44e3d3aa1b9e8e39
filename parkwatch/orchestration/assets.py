"""The Airflow Assets, defined once from the URIs in :mod:`parkwatch.config`: the crawl DAG
updates :data:`RAW_PAGES`, which schedules the transform DAG; the transform's publish updates
:data:`MARTS`. Only the DAG files import this module (it imports the Airflow SDK)."""

from __future__ import annotations

from airflow.sdk import Asset

from parkwatch.config import MARTS_ASSET_URI, RAW_PAGES_ASSET_URI

RAW_PAGES = Asset(name="parkwatch_raw_pages", uri=RAW_PAGES_ASSET_URI)
MARTS = Asset(name="parkwatch_marts", uri=MARTS_ASSET_URI)
