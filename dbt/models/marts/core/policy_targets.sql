-- Quantified policy targets (到2025年 营业收入突破300亿元 …). Grain: doc_id × target_seq.
with targets as (
    select * from {{ ref('int_policy_targets') }}
),

policies as (
    select * from {{ ref('policies') }}
),

dictionary_names as (
    select * from {{ ref('int_indicator_dictionary_names') }}
)

select
    md5(t.doc_id || ':' || t.target_seq) as target_id,
    t.doc_id,
    p.park_id,
    p.title                              as policy_title,
    p.doc_number,
    t.target_year,
    dn.indicator_code,
    t.indicator_text,
    t.value,
    t.unit,
    t.raw,
    t.sentence,
    p.url
from targets as t
join policies as p using (doc_id)
left join dictionary_names as dn on dn.name = t.indicator_text
