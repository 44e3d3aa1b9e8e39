-- Park dimension. Grain: one park.
select
    park_id,
    park_name,
    short_name,
    string_split(coalesce(aliases, ''), '|') as aliases,
    level,
    province,
    city
from {{ ref('seed_parks') }}
