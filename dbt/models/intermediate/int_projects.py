"""projects extracted from every parsed document (parkwatch.facts, via parkwatch.warehouse_rows)."""
from parkwatch.warehouse_rows import project_rows


def model(dbt, session):
    dbt.config(materialized="table")
    return project_rows(dbt.ref("int_documents").df())
