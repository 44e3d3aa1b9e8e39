-- Investment projects and project counts named in the documents. Grain: project_id.
with projects as (
    select * from {{ ref('int_projects') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

parks as (
    select * from {{ ref('seed_parks') }}
)

select
    md5(pr.doc_id || ':' || pr.project_seq) as project_id,
    d.park_id,
    p.park_name,
    pr.name                                 as project_name,
    pr.company,
    pr.investment_cny,
    pr.capacity_value,
    pr.capacity_unit,
    pr.status,
    pr.count                                as project_count,
    pr.count_text,
    pr.rate_pct,
    pr.period_start,
    pr.period_end,
    pr.sentence,
    pr.doc_id,
    d.url,
    try_cast(d.published_date as date)      as published_date,
    pr.extractor_version
from projects as pr
join documents as d using (doc_id)
left join parks as p on p.park_id = d.park_id
