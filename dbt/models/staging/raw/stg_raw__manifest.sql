-- One row per manifest line; rename and cast only.
-- A line that is not JSON (torn or corrupted) comes out of the source as an all-NULL row: dropped
-- here. parkwatch.warehouse.build.preflight has already named it in a warning and refused any line that is
-- JSON with a required key missing, so no other row is null in these keys.
select
    cast(run_id as varchar)       as run_id,
    cast(site_id as varchar)      as site_id,
    cast(url as varchar)          as url,
    cast(section as varchar)      as section_kind,
    cast(outcome as varchar)      as outcome,
    cast(fetched_at as timestamptz) as fetched_at,
    cast(status as integer)       as http_status,
    cast(sha256 as varchar)       as content_sha256,
    cast(size as bigint)          as content_bytes,
    cast(object_path as varchar)  as object_path,
    cast(content_type as varchar) as content_type,
    cast(final_url as varchar)    as final_url,
    cast(referer as varchar)      as referer,
    cast(reason as varchar)       as failure_reason,
    cast(logical_date as date)    as logical_date,
    cast(park_ids as varchar[])   as park_ids,
    cast(kind as varchar)         as fetch_kind,    -- page | attachment | list
    cast(change as varchar)       as change_kind    -- new | revised | unchanged
from {{ source('raw', 'manifest') }}
where run_id is not null and site_id is not null and url is not null
  and outcome is not null and fetched_at is not null
