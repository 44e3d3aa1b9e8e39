-- What each crawl run saw. Grain: one site × one run.
with manifest as (
    select * from {{ ref('stg_raw__manifest') }}
),

first_seen as (
    select content_sha256, min(run_id) as first_run_id
    from manifest
    where outcome = 'landed'
    group by 1
),

documents as (
    select * from {{ ref('int_documents') }}
),

mentions as (
    select doc_id, count(*) as facts from {{ ref('int_indicator_mentions') }} group by 1
),

site_yield as (
    select
        d.site_id,
        count(*)                                  as documents,
        count(*) filter (where m.facts > 0)       as documents_with_facts,
        coalesce(sum(m.facts), 0)                 as indicator_facts
    from documents as d
    left join mentions as m using (doc_id)
    group by 1
),

runs as (
    select
        m.site_id,
        m.run_id,
        min(m.logical_date)                                           as logical_date,
        min(m.fetched_at)                                             as started_at,
        max(m.fetched_at)                                             as finished_at,
        count(*)                                                      as pages_seen,
        count(*) filter (where m.outcome = 'landed' and coalesce(m.fetch_kind, 'page') = 'page') as pages_landed,
        count(*) filter (where m.outcome = 'landed' and m.fetch_kind = 'attachment') as attachments_landed,
        count(*) filter (where m.outcome = 'landed' and f.first_run_id = m.run_id) as pages_new_content,
        count(*) filter (where m.outcome = 'landed' and m.change_kind = 'revised')   as pages_revised,
        count(*) filter (where m.outcome = 'landed' and m.change_kind = 'unchanged') as pages_unchanged,
        count(*) filter (where m.outcome = 'failed' and m.failure_reason in ('robots', 'offsite', 'private_address'))
                                                                      as pages_skipped,
        count(*) filter (where m.outcome = 'failed'
                         and coalesce(m.failure_reason, '') not in ('robots', 'offsite', 'private_address'))
                                                                      as pages_failed
    from manifest as m
    left join first_seen as f using (content_sha256)
    group by 1, 2
)

select
    r.site_id,
    r.run_id,
    r.logical_date,
    r.started_at,
    r.finished_at,
    r.pages_seen,
    r.pages_landed,
    r.attachments_landed,
    r.pages_new_content,
    r.pages_revised,
    r.pages_unchanged,
    r.pages_skipped,
    r.pages_failed,
    (select to_json(map_from_entries(list({'k': reason, 'v': n})))
       from (select coalesce(failure_reason, 'unknown') as reason, count(*) as n
               from manifest x where x.run_id = r.run_id and x.site_id = r.site_id and x.outcome = 'failed'
                and coalesce(x.failure_reason, '') not in ('robots', 'offsite', 'private_address')
              group by 1)) as failed_by_reason,
    y.documents        as site_documents,
    y.documents_with_facts,
    round(y.documents_with_facts / nullif(y.documents, 0), 3) as extraction_yield
from runs as r
left join site_yield as y using (site_id)
