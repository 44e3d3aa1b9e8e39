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
    select indicator_code, trim(name) as name
    from (
        select indicator_code, unnest(list_prepend(name_zh, string_split(coalesce(synonyms, ''), '|'))) as name
        from {{ ref('seed_indicator_dictionary') }}
    )
    where trim(name) <> ''
),

total_checks as (
    select * from {{ ref('int_indicator_total_checks') }}
),

flags as (
    -- the total and each of its parts carry the flag when the parts do not add up
    select doc_id, unnest(list_prepend(total_seq, part_seqs)) as fact_seq, 'parts_do_not_add_up' as flag
    from total_checks
    where not parts_add_up
)

select
    md5(m.doc_id || ':' || m.fact_seq)       as fact_id,
    d.park_id,
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
    try_cast(m.period_start as date)          as period_start,
    try_cast(m.period_end as date)            as period_end,
    m.doc_id,
    d.url,
    try_cast(d.published_date as date)        as published_date,
    m.sentence,
    m.extractor_version,
    coalesce((select list(distinct f.flag) from flags f
              where f.doc_id = m.doc_id and f.fact_seq = m.fact_seq), []::varchar[]) as quality_flags
from mentions as m
join documents as d using (doc_id)
left join parks as p on p.park_id = d.park_id
left join dictionary_names as dn on dn.name = m.indicator_text
