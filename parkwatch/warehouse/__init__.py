"""Stage 4, warehouse: dbt over the raw zone.

Takes the landed manifests and objects (after the preflight) and gives ``build.duckdb`` (staging →
intermediate → marts) through dbt-duckdb; also parses the dbt project into the manifest Cosmos renders.
"""

from parkwatch.warehouse.build import BuildError, build, dbt_env, dbt_executable, run_dbt
from parkwatch.warehouse.manifest import dbt_parse, manifest_is_stale

__all__ = ["BuildError", "build", "dbt_env", "dbt_executable", "dbt_parse", "manifest_is_stale", "run_dbt"]
