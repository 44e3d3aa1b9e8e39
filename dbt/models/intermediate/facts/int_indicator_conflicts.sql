-- Different values for the same park, indicator, measure and period in different documents.
-- Grain: one fact that disagrees with at least one other document (doc_id × fact_seq).
with mentions as (
    select * from {{ ref('int_indicator_mentions') }}
),

dictionary_names as (
    select * from {{ ref('int_indicator_dictionary_names') }}
),

facts as (
    select
        m.doc_id,
        m.fact_seq,
        m.park_id,
        coalesce(dn.indicator_code, m.indicator_text) as indicator_key,
        m.measure,
        m.unit,
        m.value,
        m.raw,
        m.period_start,
        m.period_end
    from mentions as m
    left join dictionary_names as dn on dn.name = m.indicator_text
    where not m.is_target
      and m.parent_indicator_text is null
      and m.park_id is not null
      and m.period_end is not null
)

select
    a.doc_id,
    a.fact_seq,
    min(a.value)                                     as value,
    list(distinct b.value order by b.value)          as other_values,
    list(distinct b.doc_id order by b.doc_id)        as other_doc_ids
from facts as a
join facts as b
  on a.park_id = b.park_id
 and a.indicator_key = b.indicator_key
 and a.measure = b.measure
 and a.unit = b.unit
 and a.period_start is not distinct from b.period_start
 and a.period_end = b.period_end
 and a.doc_id <> b.doc_id
 and abs(a.value - b.value) > 1e-9 * greatest(abs(a.value), abs(b.value), 1)
group by a.doc_id, a.fact_seq
