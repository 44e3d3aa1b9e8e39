-- Projects and project counts of the current documents. Grain: doc_id × project_seq.
with documents as (
    select * from {{ ref('int_documents') }}
)

select
    doc_id,
    unnest(from_json(projects_json, '[{"project_seq": "BIGINT", "name": "VARCHAR", "company": "VARCHAR",
        "investment_cny": "DOUBLE", "capacity_value": "DOUBLE", "capacity_unit": "VARCHAR", "status": "VARCHAR",
        "count": "DOUBLE", "count_text": "VARCHAR", "rate_pct": "DOUBLE", "period_start": "DATE",
        "period_end": "DATE", "sentence": "VARCHAR"}]'), recursive := true),
    extractor_version
from documents
