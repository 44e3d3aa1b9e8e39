-- Indicator facts of the current documents, with the park each belongs to.
-- A fact goes to the park its sentence names (a park we do not know → no park: news teasers
-- about other parks are not ours); otherwise to its document's park. Grain: doc_id × fact_seq.
with documents as (
    select * from {{ ref('int_documents') }}
),

facts as (
    select
        doc_id,
        {{ unnest_indicator_facts('indicators_json') }}
    from documents
),

aliases as (
    select * from {{ ref('int_park_aliases') }}
),

sentence_park as (
    select f.doc_id, f.fact_seq, f.sentence_parks[1] as mention, a.park_id
    from facts as f
    left join aliases as a on ends_with(f.sentence_parks[1], a.alias)
    where len(f.sentence_parks) > 0
    qualify row_number() over (partition by f.doc_id, f.fact_seq order by length(a.alias) desc nulls last, a.park_id) = 1
)

select
    f.doc_id,
    f.fact_seq,
    case when sp.mention is not null then sp.park_id else d.park_id end as park_id,
    sp.mention                                                         as park_mention,
    f.indicator_text,
    f.parent_indicator_text,
    f.measure,
    f.value,
    f.unit,
    f.raw,
    f.approx,
    coalesce(f.is_target, false) as is_target,
    f.target_year,
    f.period_start,
    f.period_end,
    f.sentence,
    d.extractor_version
from facts as f
join documents as d using (doc_id)
left join sentence_park as sp on sp.doc_id = f.doc_id and sp.fact_seq = f.fact_seq
