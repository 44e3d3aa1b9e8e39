-- Every current page version that was parsed. Grain: doc_id (content hash of the page).
select
    doc_id,
    park_id,
    site_id,
    url,
    title,
    try_cast(published_date as date) as published_date,
    source,
    doc_type,
    section_kind,
    first_seen_at,
    parse_error,
    extractor_version
from {{ ref('int_documents') }}
