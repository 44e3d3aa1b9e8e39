"""What state the platform is in: read from the published file and the run logs, read-only."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from parkwatch import config
from parkwatch.publish import MARTS


def published_counts(db: Path | None = None) -> dict[str, int]:
    db = db or config.publish_db()
    if not db.exists():
        return {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
                for t in MARTS if t in tables}


def last_runs(kind: str, n: int = 1) -> list[dict]:
    path = config.runs_dir() / f"{kind}.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[-n:] if line.strip()]


def status() -> dict:
    validation = config.runs_dir() / "validation.json"
    v = json.loads(validation.read_text(encoding="utf-8")) if validation.exists() else None
    return {
        "home": str(config.home()),
        "published_db": str(config.publish_db()) if config.publish_db().exists() else None,
        "rows": published_counts(),
        "last_crawls": last_runs("crawl", 20),
        "last_publish": (last_runs("publish") or [None])[0],
        "last_validation": {k: v[k] for k in ("success", "warnings", "data_docs", "validated_at")} if v else None,
    }
