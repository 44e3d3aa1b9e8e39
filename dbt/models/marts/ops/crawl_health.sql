-- What each crawl run saw. Grain: one site × one run.
with manifest as (
    select * from {{ ref('stg_raw__manifest') }}
),

failure_reasons as (
    select * from {{ ref('seed_failure_reasons') }}
),

fetches as (
    -- a reason the seed does not list (another http_<status>, an exception's name) is a failure, not a skip
    select m.*, coalesce(r.is_policy_skip, false) as is_policy_skip
    from manifest as m
    left join failure_reasons as r on r.reason = m.failure_reason
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
    select * from {{ ref('int_indicator_mentions') }}
),

facts_per_document as (
    select doc_id, count(*) as facts from mentions group by 1
),

site_yield as (
    select
        d.site_id,
        count(*)                                  as documents,
        count(*) filter (where m.facts > 0)       as documents_with_facts,
        coalesce(sum(m.facts), 0)                 as indicator_facts
    from documents as d
    left join facts_per_document as m using (doc_id)
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
        count(*) filter (where m.outcome = 'failed' and m.is_policy_skip)     as pages_skipped,
        count(*) filter (where m.outcome = 'failed' and not m.is_policy_skip) as pages_failed
    from fetches as m
    left join first_seen as f using (content_sha256)
    group by 1, 2
),

failure_counts as (
    select site_id, run_id, coalesce(failure_reason, 'unknown') as reason, count(*) as n
    from fetches
    where outcome = 'failed' and not is_policy_skip
    group by all
),

failed_by_reason as (
    select site_id, run_id, to_json(map_from_entries(list({'k': reason, 'v': n} order by reason))) as failed_by_reason
    from failure_counts
    group by site_id, run_id
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
    fr.failed_by_reason,
    y.documents        as site_documents,
    y.documents_with_facts,
    round(y.documents_with_facts / nullif(y.documents, 0), 3) as extraction_yield
from runs as r
left join failed_by_reason as fr using (site_id, run_id)
left join site_yield as y using (site_id)
