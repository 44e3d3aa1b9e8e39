-- Quantified targets stated by policies (到2025年 …). Grain: doc_id × target_seq.
with policies as (
    select * from {{ ref('int_policies') }}
),

targets as (
    select
        doc_id,
        unnest(from_json(targets_json, '[{"year": "INTEGER", "indicator_text": "VARCHAR", "value": "DOUBLE",
            "unit": "VARCHAR", "raw": "VARCHAR", "sentence": "VARCHAR"}]'), recursive := true)
    from policies
)

select
    doc_id,
    row_number() over (partition by doc_id order by year, indicator_text, raw) - 1 as target_seq,
    year          as target_year,
    indicator_text,
    value,
    unit,
    raw,
    sentence
from targets
