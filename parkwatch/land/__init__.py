"""Stage 2, land: the raw zone, files only.

Takes fetched bytes and their fetch facts; gives immutable content-addressed objects and one JSONL
manifest per site run, the preflight that reads every manifest line before a build, and the crawl
state (what is already landed) that makes the next crawl incremental.
"""

from parkwatch.land.store import (
    ManifestLine,
    ManifestReport,
    ManifestWriter,
    RawStore,
    SiteState,
    check_manifests,
    iter_manifest_lines,
    manifest_line_problems,
    new_run_id,
    read_manifests,
)

__all__ = ["ManifestLine", "ManifestReport", "ManifestWriter", "RawStore", "SiteState", "check_manifests",
           "iter_manifest_lines", "manifest_line_problems", "new_run_id", "read_manifests"]
