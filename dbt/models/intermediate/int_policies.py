"""policies extracted from every parsed document (parkwatch.facts, via parkwatch.warehouse_rows)."""
from parkwatch.warehouse_rows import policy_rows


def model(dbt, session):
    dbt.config(materialized="table")
    return policy_rows(dbt.ref("int_documents").df())
