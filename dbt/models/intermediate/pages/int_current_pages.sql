-- The pages to parse: the current version of each URL, and one URL per distinct content
-- (the same article is often listed under two columns or two URLs). Grain: content_sha256.
select *
from {{ ref('int_page_versions') }}
where is_current
qualify row_number() over (partition by content_sha256 order by last_seen_at desc, url) = 1
