"""Run dbt (the only writer of build.duckdb) as a subprocess with the warehouse paths set."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from parkwatch import config


class BuildError(RuntimeError):
    pass


def dbt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PARKWATCH_BUILD_DB=str(config.build_db()),
        PARKWATCH_RAW_DIR=str(config.raw_dir()),
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
    from parkwatch.locking import lock_fd

    fd = lock_fd()  # dbt inherits the warehouse lock: it stays held while dbt runs, even if we die
    proc = subprocess.run(cmd, env=dbt_env(), cwd=config.dbt_dir(), capture_output=True, text=True,
                          pass_fds=(fd,) if fd is not None else ())
    (log_dir / f"{log_name}.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        raise BuildError(f"`dbt {' '.join(args)}` failed (exit {proc.returncode}); "
                         f"log {log_dir / (log_name + '.log')}:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return proc


def build(full_refresh: bool = False) -> dict:
    """``dbt build``: seeds, models and their tests, into build.duckdb."""
    started = time.monotonic()
    args = ["build"] + (["--full-refresh"] if full_refresh else [])
    proc = run_dbt(*args, log_name="dbt_build")
    tail = [ln for ln in proc.stdout.splitlines() if "Done. PASS=" in ln]
    return {"build_db": str(config.build_db()), "seconds": round(time.monotonic() - started, 2),
            "dbt_result": tail[-1].split("Done. ")[-1].strip() if tail else None}


def docs() -> dict:
    """``dbt docs generate --static``: one self-contained HTML page with the lineage and every column."""
    run_dbt("docs", "generate", "--static", log_name="dbt_docs")
    page = config.home() / "dbt_target" / "static_index.html"
    return {"dbt_docs": str(page)}
