-- The current documents: current version of each URL, one URL per distinct content, parsed.
-- Park: the park the title names, else the site's park when the site speaks for one park.
-- Grain: doc_id.
with pages as (
    select * from {{ ref('int_current_pages') }}
),

parsed as (
    select * from {{ ref('int_parsed_pages') }}
),

aliases as (
    select * from {{ ref('int_park_aliases') }}
),

title_mentions as (
    select doc_id, unnest(from_json(title_parks_json, '["VARCHAR"]')) as mention
    from parsed
),

title_parks as (
    -- the first park the title names that resolves (longest matching alias wins)
    select t.doc_id, a.park_id
    from title_mentions as t
    join aliases as a on ends_with(t.mention, a.alias)
    qualify row_number() over (partition by t.doc_id order by length(a.alias) desc, a.park_id) = 1
)

select
    p.content_sha256                                         as doc_id,
    p.url,
    p.site_id,
    p.park_ids                                               as site_park_ids,
    coalesce(tp.park_id, case when len(p.park_ids) = 1 then p.park_ids[1] end) as park_id,
    p.section_kind,
    p.first_seen_at,
    p.last_seen_at,
    d.title,
    d.published_date,
    d.source,
    d.doc_type,
    d.body,
    d.metadata_json,
    d.attachments_json,
    d.encoding,
    d.indicators_json,
    d.projects_json,
    d.policy_json,
    d.parse_error,
    d.extractor_version
from pages as p
join parsed as d on d.doc_id = p.content_sha256
left join title_parks as tp on tp.doc_id = p.content_sha256
