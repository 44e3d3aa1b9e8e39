"""The published marts: the one list of them, and how parkwatch reads ``parks.duckdb``.

``MARTS`` is what a publish copies, in the order listings show them; tests/unit/publish/test_marts_list.py
holds it equal to the models under ``dbt/models/marts/``.

``open_published()`` is how parkwatch itself reads ``parks.duckdb``: an in-memory DuckDB with the
published file attached read-only. DuckDB caches one database instance per file path and
process, so a plain ``duckdb.connect(path, read_only=True)`` made while another connection of
the same process is still open reuses the instance opened before the last publish and keeps
showing the old marts. Attaching from a fresh in-memory database opens the file as it is now.
Either way a connection reads one file from start to end, so it sees one publish, never a mix.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from parkwatch import config

MARTS = [
    "indicators",
    "indicators_best",
    "projects",
    "policies",
    "policy_targets",
    "parks",
    "documents",
    "document_versions",
    "indicator_versions",
    "unmapped_indicators",
    "crawl_health",
    "review_queue",
]


class ExportError(RuntimeError):
    """The published marts cannot be read out as asked (the CLI prints it and exits 1)."""


class NotPublished(ExportError):
    """Nothing has been published yet."""


def open_published(db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only view of the published marts as ``marts.<name>`` (the current file, not a cached one)."""
    db = Path(db or config.publish_db())
    if not db.exists():
        raise NotPublished(f"{db} does not exist yet: run `parkwatch run` (or crawl, build, validate, publish) first")
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as parks (read_only)", [str(db)])
        con.execute("use parks")
    except Exception:
        con.close()
        raise
    return con


def published_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Marts present in the published file, in MARTS order, publish_log last."""
    present = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'parks' and table_schema = 'marts'"
        ).fetchall()
    }
    return [m for m in [*MARTS, "publish_log"] if m in present]


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict:
    """When the snapshot a connection reads was published, and the validation it passed."""
    try:
        row = con.execute(
            "select published_at, validation_json from marts.publish_log order by published_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        row = None
    if row is None:  # no publish log, or an empty one
        return {"published_at": None, "validation": None}
    published_at, stamp = row
    try:
        validation = json.loads(stamp) if stamp else None
    except ValueError:
        validation = None
    return {"published_at": published_at.isoformat() if published_at else None, "validation": validation}
