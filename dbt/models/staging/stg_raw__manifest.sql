-- One row per manifest line; rename and cast only.
select
    run_id,
    site_id,
    url,
    section                       as section_kind,
    outcome,
    cast(fetched_at as timestamptz) as fetched_at,
    status                        as http_status,
    sha256                        as content_sha256,
    size                          as content_bytes,
    object_path,
    content_type,
    final_url,
    referer,
    reason                        as failure_reason,
    cast(logical_date as date)    as logical_date,
    park_ids
from {{ source('raw', 'manifest') }}
