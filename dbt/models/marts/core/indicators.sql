-- One row per extracted indicator fact. Grain: fact_id (document content × position in it).
with mentions as (
    select * from {{ ref('int_indicator_mentions') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

parks as (
    select * from {{ ref('seed_parks') }}
),

dictionary_names as (
    select * from {{ ref('int_indicator_dictionary_names') }}
),

checks as (
    select * from {{ ref('int_indicator_checks') }}
),

conflicts as (
    select * from {{ ref('int_indicator_conflicts') }}
),

flags as (
    -- every fact in a failed within-document check carries that check's name
    select doc_id, unnest(from_json(fact_seqs, '["BIGINT"]')) as fact_seq, check_name as flag
    from checks
    where not passed
    union all
    select doc_id, fact_seq, 'conflicts_with_other_source' as flag
    from conflicts
),

fact_flags as (
    select doc_id, fact_seq, list(distinct flag order by flag) as quality_flags
    from flags
    group by all
)

select
    md5(m.doc_id || ':' || m.fact_seq)       as fact_id,
    m.park_id,
    m.park_mention,
    p.park_name,
    dn.indicator_code,
    m.indicator_text,
    m.parent_indicator_text,
    m.measure,
    m.value,
    m.unit,
    m.raw,
    m.approx,
    m.is_target,
    m.target_year,
    m.period_start,
    m.period_end,
    m.doc_id,
    d.url,
    try_cast(d.published_date as date)        as published_date,
    m.sentence,
    m.extractor_version,
    coalesce(ff.quality_flags, []::varchar[]) as quality_flags
from mentions as m
join documents as d using (doc_id)
left join parks as p on p.park_id = m.park_id
left join dictionary_names as dn on dn.name = m.indicator_text
left join fact_flags as ff on ff.doc_id = m.doc_id and ff.fact_seq = m.fact_seq
