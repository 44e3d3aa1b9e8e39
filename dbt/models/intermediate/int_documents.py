"""Current version of every landed page, parsed by parkwatch.extract into a document row."""
import json
from pathlib import Path

import pandas as pd

from parkwatch.extract import EXTRACTOR_VERSION, parse_document


def model(dbt, session):
    dbt.config(materialized="table")
    raw_root = Path(dbt.config.get("raw_root"))
    pages = dbt.ref("int_current_pages").df()
    rows = []
    for page in pages.itertuples(index=False):
        body = (raw_root / page.object_path).read_bytes()
        doc = parse_document(body, url=page.url, content_type=page.content_type)
        park_ids = list(page.park_ids) if page.park_ids is not None else []
        rows.append({
            "doc_id": page.content_sha256,
            "url": page.url,
            "site_id": page.site_id,
            "park_id": park_ids[0] if park_ids else None,
            "section_kind": page.section_kind,
            "first_seen_at": page.first_seen_at,
            "title": doc.title,
            "published_date": doc.published_date,
            "source": doc.source,
            "doc_type": doc.doc_type,
            "body": doc.body,
            "metadata_json": json.dumps(doc.metadata, ensure_ascii=False),
            "attachments_json": json.dumps(doc.attachments, ensure_ascii=False),
            "encoding": doc.encoding,
            "parse_error": doc.error,
            "extractor_version": EXTRACTOR_VERSION,
        })
    columns = ["doc_id", "url", "site_id", "park_id", "section_kind", "first_seen_at", "title",
               "published_date", "source", "doc_type", "body", "metadata_json", "attachments_json",
               "encoding", "parse_error", "extractor_version"]
    return pd.DataFrame(rows, columns=columns)
