-- Every name a park goes by (name, short name, aliases). Grain: alias.
with parks as (
    select * from {{ ref('seed_parks') }}
),

all_aliases as (
    select park_id, unnest(list_concat([park_name, short_name], string_split(coalesce(aliases, ''), '|'))) as alias
    from parks
)

select park_id, alias
from all_aliases
where trim(alias) <> ''
qualify row_number() over (partition by alias order by park_id) = 1
