"""Stage 6, publish: the validated marts become ``parks.duckdb`` (atomic replace) and files.

Takes a ``build.duckdb`` whose last validation passed; gives the published DuckDB file BI tools open
read-only, the read API over it (`open_published`, `published_marts`, `snapshot_info`) and exports
(Parquet, CSV, Excel).
"""

from parkwatch.publish.export import export, open_published, published_marts, snapshot_info
from parkwatch.publish.publish import MARTS, PublishRefused, check_validated, publish

__all__ = ["MARTS", "PublishRefused", "check_validated", "export", "open_published", "publish",
           "published_marts", "snapshot_info"]
