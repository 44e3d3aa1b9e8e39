"""Turn parsed document rows into fact rows for the dbt Python models.

The dbt models stay thin: they hand a DataFrame of ``int_documents`` to these functions
and return what comes back. Lists and nested records become JSON text columns, so every
column has one plain type in DuckDB.
"""
from __future__ import annotations

import json

import pandas as pd

from parkwatch.extract import EXTRACTOR_VERSION, Document
from parkwatch.facts import extract_indicators, extract_policy, extract_projects

INDICATOR_COLUMNS = [
    "doc_id", "fact_seq", "indicator_text", "parent_indicator_text", "measure", "value", "unit", "raw",
    "approx", "is_target", "target_year", "period_start", "period_end", "sentence", "extractor_version",
]
PROJECT_COLUMNS = [
    "doc_id", "project_seq", "name", "company", "investment_cny", "capacity_value", "capacity_unit",
    "status", "count", "count_text", "sentence", "extractor_version",
]
POLICY_COLUMNS = [
    "doc_id", "title", "doc_number", "issuer", "written_date", "published_date", "validity", "level",
    "cited_json", "targets_json", "responsible_units_json", "attachments_json", "extractor_version",
]


def document_from_row(row) -> Document:
    """Rebuild the Document that int_documents stored as columns."""
    return Document(
        url=row.url, title=row.title, published_date=row.published_date, source=row.source,
        doc_type=row.doc_type, body=row.body or "", metadata=json.loads(row.metadata_json or "{}"),
        attachments=json.loads(row.attachments_json or "[]"), encoding=row.encoding, error=row.parse_error,
    )


def _docs(documents: pd.DataFrame):
    for row in documents.itertuples(index=False):
        if row.parse_error:
            continue
        yield row.doc_id, document_from_row(row)


def indicator_rows(documents: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc_id, doc in _docs(documents):
        for seq, fact in enumerate(extract_indicators(doc, doc_ref=doc.url)):
            rows.append({**{k: fact.get(k) for k in INDICATOR_COLUMNS}, "doc_id": doc_id, "fact_seq": seq,
                         "extractor_version": EXTRACTOR_VERSION})
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS).astype(
        {"value": "float64", "approx": "object", "is_target": "bool", "fact_seq": "int64"})


def project_rows(documents: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc_id, doc in _docs(documents):
        for seq, project in enumerate(extract_projects(doc)):
            rows.append({**{k: project.get(k) for k in PROJECT_COLUMNS}, "doc_id": doc_id, "project_seq": seq,
                         "extractor_version": EXTRACTOR_VERSION})
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS).astype(
        {"investment_cny": "float64", "capacity_value": "float64", "count": "float64", "project_seq": "int64"})


def policy_rows(documents: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc_id, doc in _docs(documents):
        policy = extract_policy(doc)
        if not policy:
            continue
        rows.append({
            "doc_id": doc_id, **{k: policy.get(k) for k in
                                 ("title", "doc_number", "issuer", "written_date", "published_date", "validity", "level")},
            "cited_json": json.dumps(policy.get("cited") or [], ensure_ascii=False),
            "targets_json": json.dumps(policy.get("targets") or [], ensure_ascii=False),
            "responsible_units_json": json.dumps(policy.get("responsible_units") or [], ensure_ascii=False),
            "attachments_json": json.dumps(policy.get("attachments") or [], ensure_ascii=False),
            "extractor_version": EXTRACTOR_VERSION,
        })
    return pd.DataFrame(rows, columns=POLICY_COLUMNS)
