-- One row per distinct content version of a URL; the newest fetched version is current.
with landed as (
    select * from {{ ref('stg_raw__manifest') }}
    where outcome = 'landed'
      and coalesce(fetch_kind, 'page') = 'page'  -- list pages and attachments are landed, not parsed as documents
),

versions as (
    select
        url,
        content_sha256,
        -- as of the first landing: deterministic, so incremental and full builds agree
        arg_min(site_id, fetched_at)      as site_id,
        arg_min(section_kind, fetched_at) as section_kind,
        arg_min(object_path, fetched_at)  as object_path,
        arg_min(content_type, fetched_at) as content_type,
        arg_min(park_ids, fetched_at)     as park_ids,
        min(fetched_at)         as first_seen_at,
        max(fetched_at)         as last_seen_at
    from landed
    group by url, content_sha256
)

select
    *,
    row_number() over (partition by url order by last_seen_at desc, content_sha256) = 1 as is_current
from versions
