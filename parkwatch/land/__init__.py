"""Stage 2, land: the raw zone, files only.

Takes fetched bytes and their fetch facts; gives immutable content-addressed objects (`store`), one
JSONL manifest per site run (`manifest`), the preflight that reads every manifest line before a build
(`preflight`), and the crawl state (what is already landed) that makes the next crawl incremental
(`state`).
"""

from parkwatch.land.manifest import ManifestLine, ManifestWriter, iter_manifest_lines, read_manifests
from parkwatch.land.preflight import ManifestReport, check_manifests, manifest_line_problems
from parkwatch.land.state import SiteState, new_run_id
from parkwatch.land.store import RawStore

__all__ = [
    "ManifestLine",
    "ManifestReport",
    "ManifestWriter",
    "RawStore",
    "SiteState",
    "check_manifests",
    "iter_manifest_lines",
    "manifest_line_problems",
    "new_run_id",
    "read_manifests",
]
