"""Every landed page version parsed once by parkwatch (document + facts as JSON).

Incremental on content hash: a build parses only versions it has not parsed yet, or that an
older extractor version parsed. ``dbt build --full-refresh`` re-parses everything from raw.
Grain: doc_id (= content sha256 of the page bytes). Bytes are read through RawStore.read, which
refuses an object path outside the raw zone (the build's preflight already refuses '..' and
absolute paths in a manifest; this also covers symlinks).
"""
import logging
from pathlib import Path

import pandas as pd

from parkwatch.extract import EXTRACTOR_VERSION
from parkwatch.landing import RawStore
from parkwatch.warehouse_rows import PARSED_COLUMNS, parse_page

log = logging.getLogger("parkwatch.dbt")


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="doc_id")
    store = RawStore(Path(dbt.config.get("raw_root")))
    versions = dbt.ref("int_page_versions").df()
    pages = versions.sort_values(["content_sha256", "last_seen_at"]).drop_duplicates("content_sha256", keep="last")
    if dbt.is_incremental:
        done = session.sql(f"select doc_id from {dbt.this} where extractor_version = '{EXTRACTOR_VERSION}'").df()
        pages = pages[~pages["content_sha256"].isin(set(done["doc_id"]))]
    rows = []
    for page in pages.itertuples(index=False):
        body = store.read(page.object_path)
        rows.append(parse_page(page.content_sha256, body, page.url, page.content_type))
    print(f"int_parsed_pages: parsed {len(rows)} page versions (extractor {EXTRACTOR_VERSION})")
    # typed text columns, so a batch where a column is all empty still lands as VARCHAR
    return pd.DataFrame(rows, columns=PARSED_COLUMNS).astype("string")
