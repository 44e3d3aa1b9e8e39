-- Policy documents among the current documents. Grain: doc_id.
with documents as (
    select * from {{ ref('int_documents') }}
    where policy_json is not null
)

select
    doc_id,
    policy_json ->> 'title'                         as title,
    policy_json ->> 'doc_number'                    as doc_number,
    policy_json ->> 'issuer'                        as issuer,
    try_cast(policy_json ->> 'written_date' as date)   as written_date,
    try_cast(policy_json ->> 'published_date' as date) as published_date,
    policy_json ->> 'validity'                      as validity,
    policy_json ->> 'level'                         as level,
    policy_json -> 'cited'                          as cited_json,
    policy_json -> 'targets'                        as targets_json,
    policy_json -> 'responsible_units'              as responsible_units_json,
    policy_json -> 'attachments'                    as attachments_json,
    extractor_version
from documents
