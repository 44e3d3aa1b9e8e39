-- Every version of every page, current or revised away; earlier versions stay queryable here
-- and their facts in indicator_versions. Grain: url × doc_id.
with versions as (
    select * from {{ ref('int_page_versions') }}
),

parsed as (
    select * from {{ ref('int_parsed_pages') }}
)

select
    v.url,
    v.content_sha256 as doc_id,
    v.site_id,
    v.first_seen_at,
    v.last_seen_at,
    v.is_current,
    p.title,
    try_cast(p.published_date as date) as published_date,
    p.parse_error,
    p.extractor_version
from versions as v
left join parsed as p on p.doc_id = v.content_sha256
