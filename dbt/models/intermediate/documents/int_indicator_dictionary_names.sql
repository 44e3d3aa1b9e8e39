-- Every name an indicator goes by (canonical name and synonyms). Grain: name.
with dictionary as (
    select * from {{ ref('seed_indicator_dictionary') }}
),

names as (
    select indicator_code, unnest(list_prepend(name_zh, string_split(coalesce(synonyms, ''), '|'))) as name
    from dictionary
)

select indicator_code, trim(name) as name
from names
where trim(name) <> ''
qualify row_number() over (partition by trim(name) order by indicator_code) = 1
