-- One row per distinct content version of a URL; the newest fetched version is current.
with landed as (
    select * from {{ ref('stg_raw__manifest') }}
    where outcome = 'landed'
),

versions as (
    select
        url,
        content_sha256,
        any_value(site_id)      as site_id,
        any_value(section_kind) as section_kind,
        any_value(object_path)  as object_path,
        any_value(content_type) as content_type,
        any_value(park_ids)     as park_ids,
        min(fetched_at)         as first_seen_at,
        max(fetched_at)         as last_seen_at
    from landed
    group by url, content_sha256
)

select
    *,
    row_number() over (partition by url order by last_seen_at desc, content_sha256) = 1 as is_current
from versions
