-- Policy documents with their 信息公开 metadata, citations and targets. Grain: one policy document (doc_id).
with policies as (
    select * from {{ ref('int_policies') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

parks as (
    select * from {{ ref('seed_parks') }}
)

select
    po.doc_id,
    d.park_id,
    p.park_name,
    coalesce(po.title, d.title)                                    as title,
    po.doc_number,
    po.issuer,
    po.written_date,
    coalesce(po.published_date, try_cast(d.published_date as date)) as published_date,
    po.validity,
    po.level,
    po.cited_json,
    po.targets_json,
    po.responsible_units_json,
    po.attachments_json,
    d.url,
    po.extractor_version
from policies as po
join documents as d using (doc_id)
left join parks as p on p.park_id = d.park_id
