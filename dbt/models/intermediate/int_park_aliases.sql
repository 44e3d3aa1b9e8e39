-- Every name a park goes by (name, short name, aliases). Grain: alias.
select park_id, alias
from (
    select park_id, unnest(list_concat([park_name, short_name], string_split(coalesce(aliases, ''), '|'))) as alias
    from {{ ref('seed_parks') }}
)
where trim(alias) <> ''
qualify row_number() over (partition by alias order by park_id) = 1
