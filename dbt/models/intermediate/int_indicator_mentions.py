"""indicator mentions extracted from every parsed document (parkwatch.facts, via parkwatch.warehouse_rows)."""
from parkwatch.warehouse_rows import indicator_rows


def model(dbt, session):
    dbt.config(materialized="table")
    return indicator_rows(dbt.ref("int_documents").df())
