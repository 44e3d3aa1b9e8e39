"""Read the published marts, and write them out as files for tools that prefer files.

``open_published()`` is how parkwatch itself reads ``parks.duckdb``: an in-memory DuckDB with the
published file attached read-only. DuckDB caches one database instance per file path and
process, so a plain ``duckdb.connect(path, read_only=True)`` made while another connection of
the same process is still open reuses the instance opened before the last publish and keeps
showing the old marts. Attaching from a fresh in-memory database opens the file as it is now.
Either way a connection reads one file from start to end, so it sees one publish, never a mix.

``export()`` writes every mart (or one) of one published snapshot as Parquet, CSV or an Excel
workbook under ``<home>/exports/`` with a manifest naming the snapshot; each file is written
under a temporary name and renamed, so a reader never picks up half a file.
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from parkwatch import config
from parkwatch.publish.publish import MARTS

FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit less the header row


class ExportError(RuntimeError):
    pass


class NotPublished(ExportError):
    pass


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
    present = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'parks' "
        "and table_schema = 'marts'").fetchall()}
    return [m for m in [*MARTS, "publish_log"] if m in present]


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict:
    """When the snapshot a connection reads was published, and the validation it passed."""
    try:
        published_at, stamp = con.execute(
            "select published_at, validation_json from marts.publish_log order by published_at desc limit 1").fetchone()
    except (duckdb.CatalogException, TypeError):
        return {"published_at": None, "validation": None}
    try:
        validation = json.loads(stamp) if stamp else None
    except ValueError:
        validation = None
    return {"published_at": published_at.isoformat() if published_at else None, "validation": validation}


def _columns(con, mart: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = 'parks' "
        "and table_schema = 'marts' and table_name = ? order by ordinal_position", [mart]).fetchall()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _flat_select(con, mart: str) -> str:
    """Select list that Excel can hold: nested values as JSON text, timestamps with a zone as naive UTC."""
    cols = []
    for name, dtype in _columns(con, mart):
        q = _quote(name)
        upper = dtype.upper()
        if upper.endswith("]") or upper.startswith(("STRUCT", "MAP", "UNION")) or upper == "JSON":
            cols.append(f"cast(to_json({q}) as varchar) as {q}")
        elif upper == "TIMESTAMP WITH TIME ZONE":
            cols.append(f"timezone('UTC', {q}) as {q}")
        elif upper.startswith("DECIMAL") or upper == "HUGEINT":
            cols.append(f"cast({q} as double) as {q}")
        else:
            cols.append(q)
    return ", ".join(cols) or "*"


def _write_xlsx(con, marts: list[str], path: Path) -> dict[str, int]:
    import pandas as pd

    rows = {}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for mart in marts:
            n = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            if n > XLSX_MAX_ROWS:
                raise ExportError(f"marts.{mart} has {n} rows, more than an Excel sheet holds: "
                                  f"export it with --format parquet or csv")
            df = con.execute(f"select {_flat_select(con, mart)} from marts.{mart}").df()
            df.to_excel(writer, sheet_name=mart[:31], index=False)
            rows[mart] = n
    return rows


def export(fmt: str = "parquet", mart: str | None = None, out_dir: Path | None = None,
           db: Path | None = None) -> dict:
    """Write the published marts (or one) as files; returns what was written and from which snapshot."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    started = time.monotonic()
    out_dir = Path(out_dir or config.home() / "exports")
    with open_published(db) as con:
        out_dir.mkdir(parents=True, exist_ok=True)
        available = published_marts(con)
        if mart is not None and mart not in available:
            raise ExportError(f"no mart {mart!r} in the published warehouse; marts: {', '.join(available)}")
        marts = [mart] if mart else available
        snap = snapshot_info(con)
        files = []
        if fmt == "xlsx":
            path = out_dir / (f"{mart}.xlsx" if mart else "marts.xlsx")
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                rows = _write_xlsx(con, marts, tmp)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            files = [{"mart": m, "path": str(path), "sheet": m[:31], "rows": n} for m, n in rows.items()]
        else:
            for m in marts:
                path = out_dir / f"{m}.{fmt}"
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header true"
                try:
                    target = str(tmp).replace("'", "''")
                    con.execute(f"copy (select * from marts.{m}) to '{target}' ({options})")
                    os.replace(tmp, path)
                finally:
                    tmp.unlink(missing_ok=True)
                n = con.execute(f"select count(*) from marts.{m}").fetchone()[0]
                files.append({"mart": m, "path": str(path), "rows": n})
    summary = {
        "format": fmt,
        "dir": str(out_dir),
        "published_at": snap["published_at"],
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "files": files,
        "seconds": round(time.monotonic() - started, 2),
    }
    manifest = out_dir / f"manifest.{fmt}.json"
    tmp = manifest.with_name(f".{manifest.name}.tmp")
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, manifest)
    summary["manifest"] = str(manifest)
    return summary
