-- 其中 parts compared with the total they belong to, within the precision both are written with.
-- Grain: one (document, total fact). A contradiction here is a warning, not an error: the source said it.
with facts as (
    select
        *,
        try_cast(regexp_extract(raw, '([0-9]+(\.[0-9]+)?)', 1) as double) as raw_number,
        length(regexp_extract(raw, '[0-9]+\.([0-9]+)', 1))                 as raw_decimals
    from {{ ref('int_indicator_mentions') }}
),

with_tolerance as (
    select
        *,
        -- half a unit of the last written digit, in the base unit (67.57万元 → ±0.005万元 = ±50 CNY)
        coalesce(0.5 * pow(10, -coalesce(raw_decimals, 0)) * value / nullif(raw_number, 0), 0) as tolerance
    from facts
),

parts as (
    select
        doc_id,
        parent_indicator_text,
        measure,
        unit,
        count(*)            as part_count,
        sum(value)          as parts_sum,
        sum(abs(tolerance)) as parts_tolerance,
        min(fact_seq)       as first_part_seq,
        list(fact_seq order by fact_seq) as part_seqs
    from with_tolerance
    where parent_indicator_text is not null and measure in ('amount', 'count')
    group by all
),

totals as (
    select
        parts.*,
        t.fact_seq          as total_seq,
        t.value             as total_value,
        abs(t.tolerance)    as total_tolerance
    from parts
    join with_tolerance as t
      on t.doc_id = parts.doc_id
     and t.indicator_text = parts.parent_indicator_text
     and t.measure = parts.measure
     and t.unit = parts.unit
     and t.fact_seq < parts.first_part_seq
    qualify row_number() over (partition by parts.doc_id, parts.parent_indicator_text, parts.measure, parts.unit
                               order by t.fact_seq desc) = 1
)

select
    doc_id,
    total_seq,
    parent_indicator_text as indicator_text,
    measure,
    unit,
    total_value,
    parts_sum,
    part_count,
    part_seqs,
    total_tolerance + parts_tolerance as tolerance,
    -- one listed part is often only the notable one; it may not exceed the total.
    -- two or more listed parts are read as the full breakdown and must add up.
    case
        when parts_sum > total_value + total_tolerance + parts_tolerance then false
        when part_count >= 2 and abs(parts_sum - total_value) > total_tolerance + parts_tolerance then false
        else true
    end as parts_add_up
from totals
