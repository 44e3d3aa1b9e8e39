"""Within-document consistency checks (parkwatch.quality.checks): 其中 parts, shares, growth vs levels.

Grain: one checked group of facts (check × doc_id × first fact). Warn level: a failed row
flags its facts; it never blocks publishing.
"""
import json

import pandas as pd

from parkwatch.quality.checks import document_checks

COLUMNS = ["check_id", "check_name", "doc_id", "fact_seqs", "stated_value", "expected_value", "tolerance",
           "passed", "reason"]


def model(dbt, session):
    dbt.config(materialized="table")
    facts = dbt.ref("int_indicator_mentions").df()
    facts = facts.astype(object).where(facts.notna(), None)  # NaN would read as a value
    rows = []
    for doc_id, group in facts.groupby("doc_id", sort=True):
        records = group.sort_values("fact_seq").to_dict("records")
        for row in document_checks(records):
            rows.append({
                "check_id": f"{row['check']}:{doc_id}:{row['fact_seqs'][0]}",
                "check_name": row["check"], "doc_id": doc_id, "fact_seqs": json.dumps(row["fact_seqs"]),
                "stated_value": row["stated_value"], "expected_value": row["expected_value"],
                "tolerance": row["tolerance"], "passed": bool(row["passed"]), "reason": row["reason"],
            })
    return pd.DataFrame(rows, columns=COLUMNS).astype({"stated_value": "float64", "expected_value": "float64",
                                                       "tolerance": "float64", "passed": "bool"})
