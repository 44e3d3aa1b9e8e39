-- A unit's factor multiplies every value written in it: zero or negative would corrupt amounts silently.
select unit_written, factor
from {{ ref('seed_units') }}
where factor <= 0
