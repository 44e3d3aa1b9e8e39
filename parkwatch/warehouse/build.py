"""Run dbt (the only writer of build.duckdb) as a subprocess with the warehouse paths set.

Before dbt runs, :func:`preflight` reads every manifest once (:func:`parkwatch.land.preflight.check_manifests`):
lines that are not JSON (a torn last line, a corrupted line) are skipped with a warning naming
``manifests/<site>/<run>.jsonl:<line>`` and listed in the build summary (dbt's source reads them
as all-NULL rows, which staging drops); a line that is JSON but breaks the manifest schema stops
the build with a BuildError naming file, line, field and value, before dbt touches build.duckdb.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from parkwatch import config
from parkwatch.land import check_manifests

log = logging.getLogger(__name__)
SHOWN = 20  # problem lines quoted in an error or a summary; the rest are counted


class BuildError(RuntimeError):
    pass


def dbt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(config.dbt_paths_env())
    env.update(
        DBT_PROFILES_DIR=str(config.dbt_dir()),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_LOG_PATH=str(config.home() / "logs" / "dbt"),
        DBT_TARGET_PATH=str(config.home() / "dbt_target"),  # per warehouse: parallel builds never share it
    )
    return env


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(*args: str, log_name: str = "dbt") -> subprocess.CompletedProcess:
    """``dbt <args>`` in the project; raises BuildError with the log tail when it fails."""
    if not any(config.raw_dir().glob("manifests/*/*.jsonl")):
        raise BuildError(f"no landed pages under {config.raw_dir()}: run `parkwatch crawl` first")
    config.home().mkdir(parents=True, exist_ok=True)
    log_dir = config.home() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    cmd = [dbt_executable(), *args, "--project-dir", str(config.dbt_dir())]
    from parkwatch.common.locking import lock_fd

    fd = lock_fd()  # dbt inherits the warehouse lock: it stays held while dbt runs, even if we die
    proc = subprocess.run(
        cmd,
        env=dbt_env(),
        cwd=config.dbt_dir(),
        capture_output=True,
        text=True,
        pass_fds=(fd,) if fd is not None else (),
    )
    (log_dir / f"{log_name}.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        raise BuildError(
            f"`dbt {' '.join(args)}` failed (exit {proc.returncode}); "
            f"log {log_dir / (log_name + '.log')}:\n{(proc.stdout + proc.stderr)[-3000:]}"
        )
    return proc


def _shown(items: list[str]) -> list[str]:
    return items[:SHOWN] + ([f"... and {len(items) - SHOWN} more"] if len(items) > SHOWN else [])


def preflight() -> dict:
    """Check the manifests before dbt reads them: log a warning per skipped line (not JSON), raise
    BuildError when a line breaks the schema. Returns ``manifest_lines`` (valid lines) and
    ``skipped_manifest_lines`` (``manifests/<site>/<run>.jsonl:<line>: <why>``, the first 20)."""
    raw = config.raw_dir()
    report = check_manifests(raw)
    for skipped in report.skipped:
        log.warning("manifest line skipped (raw file left as is): %s", skipped)
    if report.errors:
        raise BuildError(
            f"{len(report.errors)} manifest field(s) break the manifest schema (parkwatch.land.manifest."
            f"ManifestLine) in {raw}; nothing was built. Fix or move the lines:\n  "
            + "\n  ".join(_shown(report.errors))
        )
    if report.files and not report.lines:
        raise BuildError(
            f"no readable manifest line under {raw} ({len(report.skipped)} skipped): run `parkwatch crawl` first"
        )
    return {"manifest_lines": report.lines, "skipped_manifest_lines": _shown(report.skipped)}


def build(full_refresh: bool = False) -> dict:
    """Preflight the manifests, then ``dbt build``: seeds, models and their tests, into build.duckdb.
    The summary lists manifest lines skipped because they are not JSON."""
    started = time.monotonic()
    checked = preflight()
    args = ["build"] + (["--full-refresh"] if full_refresh else [])
    proc = run_dbt(*args, log_name="dbt_build")
    tail = [ln for ln in proc.stdout.splitlines() if "Done. PASS=" in ln]
    return {
        "build_db": str(config.build_db()),
        "seconds": round(time.monotonic() - started, 2),
        "dbt_result": tail[-1].split("Done. ")[-1].strip() if tail else None,
        **checked,
    }


def docs() -> dict:
    """``dbt docs generate --static``: one self-contained HTML page with the lineage and every column."""
    run_dbt("docs", "generate", "--static", log_name="dbt_docs")
    page = config.home() / "dbt_target" / "static_index.html"
    return {"dbt_docs": str(page)}
