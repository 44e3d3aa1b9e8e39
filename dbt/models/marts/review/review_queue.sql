-- Facts an analyst should look at: the source contradicts itself or another source.
-- Published (warn level), never blocking. Grain: review_id (one failed check or conflict).
with checks as (
    select * from {{ ref('int_indicator_checks') }} where not passed
),

conflicts as (
    select * from {{ ref('int_indicator_conflicts') }}
),

mentions as (
    select * from {{ ref('int_indicator_mentions') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

check_items as (
    select
        c.check_id                                             as review_id,
        c.check_name                                           as flag,
        c.reason,
        c.doc_id,
        from_json(c.fact_seqs, '["BIGINT"]')[1]                as fact_seq,
        c.stated_value,
        c.expected_value,
        c.tolerance
    from checks as c
),

conflict_items as (
    select
        'conflicts_with_other_source:' || x.doc_id || ':' || x.fact_seq as review_id,
        'conflicts_with_other_source'                           as flag,
        m.indicator_text || ': ' || m.raw || ' here, other documents say '
            || array_to_string(x.other_values::varchar[], ', ') as reason,
        x.doc_id,
        x.fact_seq,
        x.value                                                 as stated_value,
        x.other_values[1]                                       as expected_value,
        null::double                                            as tolerance
    from conflicts as x
    join mentions as m using (doc_id, fact_seq)
),

items as (
    select * from check_items
    union all
    select * from conflict_items
)

select
    i.review_id,
    i.flag,
    i.reason,
    d.park_id,
    m.indicator_text,
    m.measure,
    m.unit,
    i.stated_value,
    i.expected_value,
    i.tolerance,
    m.sentence,
    d.url,
    md5(i.doc_id || ':' || i.fact_seq)                          as fact_id
from items as i
join mentions as m on m.doc_id = i.doc_id and m.fact_seq = i.fact_seq
join documents as d on d.doc_id = i.doc_id
