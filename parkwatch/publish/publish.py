"""Publish the validated marts into ``parks.duckdb`` by an atomic file replace.

The new file is written beside the old one under a temporary name, closed, fsynced and
renamed over it (parkwatch.common.files.atomic_path), so a reader opens either the previous or
the new marts, never a mix, and a crash leaves the previous file intact. Publishing refuses a
build that has not passed validation (the stamp written by parkwatch.quality.validate must match
the build file byte size and modification time).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from parkwatch import config
from parkwatch.common.files import atomic_path, sweep_tmp
from parkwatch.publish.marts import MARTS
from parkwatch.quality.validate import build_fingerprint, failure_lines, stamp_path


class PublishRefused(RuntimeError):
    pass


def check_validated(db: Path) -> dict:
    path = stamp_path()
    if not path.exists():
        raise PublishRefused(f"no validation result at {path}: run `parkwatch validate` first")
    stamp = json.loads(path.read_text(encoding="utf-8"))
    if stamp.get("build") != build_fingerprint(db):
        raise PublishRefused(f"{db} changed since it was validated: run `parkwatch validate` again")
    if not stamp.get("success"):
        raise PublishRefused(
            "validation failed, nothing published:\n  "
            + "\n  ".join(failure_lines(stamp))
            + f"\nData Docs: {stamp.get('data_docs')}"
        )
    return stamp


def _copy_marts(src: Path, dest: Path, stamp: dict) -> dict[str, int]:
    """Copy every mart of the build at ``src`` into a new DuckDB file ``dest``, with the publish log."""
    counts = {}
    with duckdb.connect(str(dest)) as con:
        con.execute("attach ? as build (read_only)", [str(src)])
        con.execute("create schema marts")
        for mart in MARTS:
            con.execute(f"create table marts.{mart} as select * from build.marts.{mart}")
            row = con.execute(f"select count(*) from marts.{mart}").fetchone()
            counts[mart] = row[0] if row else 0  # count(*) always returns one row; the guard is for the type checker
        con.execute(
            "create table marts.publish_log as select ?::timestamptz as published_at, ?::varchar as validation_json",
            [datetime.now(UTC), json.dumps(stamp, ensure_ascii=False)],
        )
        con.execute("detach build")
    return counts


def publish() -> dict:
    """Copy the marts into parks.duckdb atomically."""
    src, dest = config.build_db(), config.publish_db()
    if not src.exists():
        raise FileNotFoundError(f"{src} does not exist: run `parkwatch build` first")
    stamp = check_validated(src)
    sweep_tmp(dest.parent)  # left by a publish that was killed (its file and DuckDB's .wal beside it)
    with atomic_path(dest, durable_dir=True) as tmp:
        counts = _copy_marts(src, tmp, stamp)
    return {"published": str(dest), "rows": counts}
