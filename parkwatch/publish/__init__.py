"""Stage 6, publish: the validated marts become ``parks.duckdb`` (atomic replace) and files.

Takes a ``build.duckdb`` whose last validation passed; gives the published DuckDB file BI tools open
read-only, the one list of marts and the read API over the file (`MARTS`, `open_published`,
`published_marts`, `snapshot_info`, in `marts`) and exports (Parquet, CSV, Excel).
"""

from parkwatch.publish.export import export
from parkwatch.publish.marts import MARTS, ExportError, NotPublished, open_published, published_marts, snapshot_info
from parkwatch.publish.publish import PublishRefused, check_validated, publish

__all__ = [
    "MARTS",
    "ExportError",
    "NotPublished",
    "PublishRefused",
    "check_validated",
    "export",
    "open_published",
    "publish",
    "published_marts",
    "snapshot_info",
]
