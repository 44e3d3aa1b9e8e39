"""Every landed page version parsed once by parkwatch (document + facts as JSON).

Incremental on content hash: a build parses only versions it has not parsed yet, or that an
older extractor version parsed; content found under several URLs is parsed at the URL where it
was first seen. ``dbt build --full-refresh`` re-parses everything from raw.
Grain: doc_id (= content sha256 of the page bytes). Bytes are read through RawStore.read, which
refuses an object path outside the raw zone (the build's preflight already refuses '..' and
absolute paths in a manifest; this also covers symlinks).
"""
import logging
from pathlib import Path

import pandas as pd

from parkwatch.extract import EXTRACTOR_VERSION
from parkwatch.land.store import RawStore
from parkwatch.extract.rows import PARSED_COLUMNS, parse_page

log = logging.getLogger("parkwatch.dbt")


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="doc_id")
    store = RawStore(Path(dbt.config.get("raw_root")))
    # only versions still to parse, selected in DuckDB (not a pandas copy of every version); each
    # content once, at the URL where it was first seen, ties by URL: the same choice in an incremental
    # build, a full refresh and a backfill, so all three parse identically
    done = (f"where content_sha256 not in (select doc_id from {dbt.this} "
            f"where extractor_version = '{EXTRACTOR_VERSION}')") if dbt.is_incremental else ""
    pages = dbt.ref("int_page_versions").query("versions", f"""
        select content_sha256, url, object_path, content_type from (
            select *, row_number() over (partition by content_sha256 order by first_seen_at, url) as pick
            from versions {done}
        ) where pick = 1 order by content_sha256""").df()
    rows = []
    for page in pages.itertuples(index=False):
        body = store.read(page.object_path)
        rows.append(parse_page(page.content_sha256, body, page.url, page.content_type))
    print(f"int_parsed_pages: parsed {len(rows)} page versions (extractor {EXTRACTOR_VERSION})")
    # typed text columns, so a batch where a column is all empty still lands as VARCHAR
    return pd.DataFrame(rows, columns=PARSED_COLUMNS).astype("string")
