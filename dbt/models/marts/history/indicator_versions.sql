-- The indicator facts of every page version, so a revised figure can be traced.
-- Grain: url × doc_id × fact_seq.
with versions as (
    select * from {{ ref('document_versions') }}
),

parsed as (
    select * from {{ ref('int_parsed_pages') }}
),

facts as (
    select
        doc_id,
        {{ unnest_indicator_facts('indicators_json') }}
    from parsed
)

select
    v.url,
    v.doc_id,
    v.is_current,
    v.first_seen_at,
    v.last_seen_at,
    f.fact_seq,
    f.indicator_text,
    f.measure,
    f.value,
    f.unit,
    f.raw,
    f.period_start,
    f.period_end,
    f.sentence
from versions as v
join facts as f using (doc_id)
