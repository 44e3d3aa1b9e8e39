-- One value per park × indicator × measure × unit × period: the value most documents agree on
-- (ties: the most recently published). Grain: park_id × indicator_key × measure × unit × period.
with facts as (
    select
        *,
        coalesce(indicator_code, indicator_text) as indicator_key
    from {{ ref('indicators') }}
    where park_id is not null and not is_target and period_end is not null
),

by_value as (
    select
        park_id, indicator_key, measure, unit, period_start, period_end, value,
        count(distinct doc_id)                                        as sources,
        max(published_date)                                           as latest_published,
        first(fact_id order by published_date desc nulls last, fact_id) as fact_id
    from facts
    group by all
),

ranked as (
    select
        *,
        row_number() over (
            partition by park_id, indicator_key, measure, unit, period_start, period_end
            order by sources desc, latest_published desc nulls last, fact_id
        ) as rank,
        sum(sources) over (partition by park_id, indicator_key, measure, unit, period_start, period_end) as all_sources,
        list(value order by value) over (partition by park_id, indicator_key, measure, unit, period_start, period_end) as all_values
    from by_value
)

select
    r.park_id,
    f.park_name,
    r.indicator_key,
    f.indicator_code,
    f.indicator_text,
    r.measure,
    r.unit,
    r.period_start,
    r.period_end,
    r.value,
    r.sources                               as sources_agreeing,
    cast(r.all_sources - r.sources as bigint) as sources_conflicting,
    list_filter(r.all_values, lambda v: v <> r.value) as conflicting_values,
    r.fact_id,
    f.url,
    f.published_date
from ranked as r
join facts as f using (fact_id)
where r.rank = 1
