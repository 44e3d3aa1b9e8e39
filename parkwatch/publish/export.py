"""Write the published marts out as files, for tools that prefer files.

``export()`` writes every mart (or one) of one published snapshot as Parquet, CSV or an Excel
workbook under ``<home>/exports/`` with a manifest naming the snapshot; each file is written
through parkwatch.common.files (temporary name, fsync, rename), so a reader never picks up half a
file. Reading the published file is parkwatch.publish.marts' business.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from parkwatch import config
from parkwatch.common.files import atomic_path, atomic_write_json
from parkwatch.publish.marts import ExportError, open_published, published_marts, snapshot_info

FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit less the header row


def _columns(con, mart: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = 'parks' "
        "and table_schema = 'marts' and table_name = ? order by ordinal_position",
        [mart],
    ).fetchall()


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
                raise ExportError(
                    f"marts.{mart} has {n} rows, more than an Excel sheet holds: export it with --format parquet or csv"
                )
            df = con.execute(f"select {_flat_select(con, mart)} from marts.{mart}").df()
            df.to_excel(writer, sheet_name=mart[:31], index=False)
            rows[mart] = n
    return rows


def _export_xlsx(con, marts: list[str], path: Path) -> list[dict]:
    """All ``marts`` as sheets of one workbook at ``path``."""
    with atomic_path(path) as tmp:
        rows = _write_xlsx(con, marts, tmp)
    return [{"mart": m, "path": str(path), "sheet": m[:31], "rows": n} for m, n in rows.items()]


def _export_files(con, marts: list[str], fmt: str, out_dir: Path) -> list[dict]:
    """One Parquet or CSV file per mart under ``out_dir``."""
    options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header true"
    files = []
    for m in marts:
        path = out_dir / f"{m}.{fmt}"
        with atomic_path(path) as tmp:
            target = str(tmp).replace("'", "''")
            con.execute(f"copy (select * from marts.{m}) to '{target}' ({options})")
        n = con.execute(f"select count(*) from marts.{m}").fetchone()[0]
        files.append({"mart": m, "path": str(path), "rows": n})
    return files


def export(fmt: str = "parquet", mart: str | None = None, out_dir: Path | None = None, db: Path | None = None) -> dict:
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
        if fmt == "xlsx":
            files = _export_xlsx(con, marts, out_dir / (f"{mart}.xlsx" if mart else "marts.xlsx"))
        else:
            files = _export_files(con, marts, fmt, out_dir)
    summary = {
        "format": fmt,
        "dir": str(out_dir),
        "published_at": snap["published_at"],
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
        "seconds": round(time.monotonic() - started, 2),
    }
    manifest = out_dir / f"manifest.{fmt}.json"
    atomic_write_json(manifest, summary, indent=2)
    summary["manifest"] = str(manifest)
    return summary
