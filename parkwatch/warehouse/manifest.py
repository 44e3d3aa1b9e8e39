"""dbt's manifest of the project (``dbt parse``): what Cosmos renders the transform DAG from.

Parsing never opens the build database and never takes the warehouse lock. :func:`dbt_parse`
regenerates the manifest only when a file of the dbt project is newer than it, so parsing a DAG
file never runs dbt.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path

from parkwatch import config
from parkwatch.warehouse.build import BuildError, dbt_env, dbt_executable

log = logging.getLogger(__name__)


def _dbt_sources() -> list[Path]:
    """Files and folders of the dbt project (a folder's mtime moves when a file is removed or renamed)."""
    root = config.dbt_dir()
    paths = [root, root / "dbt_project.yml", root / "profiles.yml"]
    for sub in ("models", "seeds", "macros", "tests", "snapshots", "analyses"):
        if (root / sub).exists():
            paths += [root / sub, *(root / sub).rglob("*")]
    return [p for p in paths if p.exists()]


def manifest_is_stale(path: Path | None = None) -> bool:
    """True when the manifest is missing or older than any file of the dbt project."""
    path = path or config.dbt_manifest()
    if not path.is_file():
        return True
    built = path.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _dbt_sources())


def dbt_parse(force: bool = False) -> Path:
    """``dbt parse`` into a scratch target, then move manifest.json (and partial_parse.msgpack)
    into place atomically; skipped when the manifest is newer than every dbt file."""
    dest = config.dbt_manifest()
    if not force and not manifest_is_stale(dest):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dbt-parse-", dir=dest.parent) as tmp:
        env = dbt_env()
        # parse never opens the build database; point it away so it can never take the writer lock
        env.update(
            PARKWATCH_BUILD_DB=str(Path(tmp) / "parse.duckdb"),
            DBT_TARGET_PATH=str(Path(tmp) / "target"),
            DBT_LOG_PATH=str(Path(tmp) / "logs"),
        )
        cmd = [
            dbt_executable(),
            "parse",
            "--project-dir",
            str(config.dbt_dir()),
            "--profiles-dir",
            str(config.dbt_dir()),
        ]
        proc = subprocess.run(cmd, env=env, cwd=config.dbt_dir(), capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError(f"`dbt parse` failed (exit {proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}")
        target = Path(tmp) / "target"
        partial = target / "partial_parse.msgpack"
        if partial.exists():
            os.replace(partial, dest.parent / "partial_parse.msgpack")
        os.replace(target / "manifest.json", dest)
    log.info("dbt manifest written to %s", dest)
    return dest
