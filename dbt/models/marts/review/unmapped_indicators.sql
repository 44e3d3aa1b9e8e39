-- Indicator texts the dictionary does not know yet, most frequent first, so analysts can extend
-- seeds/seed_indicator_dictionary.csv. Grain: indicator_text × measure.
select
    indicator_text,
    measure,
    count(*)                 as facts,
    count(distinct doc_id)   as documents,
    count(distinct park_id)  as parks,
    min(sentence)            as example_sentence  -- deterministic: any_value would differ between builds
from {{ ref('indicators') }}
where indicator_code is null
group by all
order by facts desc, indicator_text
