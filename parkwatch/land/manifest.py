"""Crawl manifests: one JSONL file per site run under ``manifests/<site_id>/<run_id>.jsonl``, one line
per fetched or failed URL.

Lines are appended and flushed one by one (:class:`ManifestWriter`); the next crawl of the site
truncates a torn last line (:meth:`parkwatch.land.store.RawStore.repair_manifests`, under the
writer's lock, so never a live file).

Every reader goes through :func:`iter_manifest_lines`, which reports a line that is not JSON (a
torn last line, a corrupted line) instead of failing on it: the crawl's state
(:func:`read_manifests`, :class:`parkwatch.land.state.SiteState`) skips such lines, and the build's
preflight (:func:`parkwatch.land.preflight.check_manifests`) skips them with a warning naming file
and line, but refuses a line that is JSON and breaks the schema of :class:`ManifestLine`.
Raw files are never modified by a reader.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from parkwatch.land.store import RawStore

log = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ManifestLine:
    run_id: str
    site_id: str
    url: str
    section: str | None
    outcome: str  # "landed" or "failed"
    fetched_at: str = field(default_factory=utc_now)
    status: int | None = None
    sha256: str | None = None
    size: int | None = None
    object_path: str | None = None  # relative to the raw root
    content_type: str | None = None
    final_url: str | None = None
    referer: str | None = None
    reason: str | None = None  # why it failed
    logical_date: str | None = None
    park_ids: list[str] = field(default_factory=list)  # parks the site speaks for
    # --- added with the incremental crawl; absent in older lines, read as None
    kind: str = "page"  # "page", "attachment" or "list" (a list page or data-proxy window)
    change: str | None = None  # landed lines: "new" (URL first landed), "revised" (new bytes), "unchanged"
    cms: str | None = None  # the list profile used: trs | hanweb | vsb | generic
    list_title: str | None = None  # the entry's title and date as the listing showed them
    list_date: str | None = None
    declared_encoding: str | None = None  # charset named by the HTTP header, else by <meta>
    detected_encoding: str | None = None  # the codec the bytes actually decode with
    etag: str | None = None
    last_modified: str | None = None
    cited_by: str | None = None  # attachments: the page that links them
    retries: int | None = None  # how many retries the fetch needed
    start_url: str | None = None  # list lines: the start URL whose listing this page belongs to
    page_no: int | None = None  # list lines: 0 for the start page, then 1, 2, …
    list_end: bool | None = None  # list lines: the listing was walked to its end or its date floor
    items: int | None = None  # list lines: entries on the page


class ManifestWriter:
    """Appends manifest lines for one (site, run); flushes every line so a crash loses at most one.

    Holds an exclusive lock on its file while open, so a repair never truncates a live manifest.
    """

    def __init__(self, store: RawStore, site_id: str, run_id: str):
        self.path = store.manifest_path(site_id, run_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")
        fcntl.flock(self._fh, fcntl.LOCK_EX)

    def write(self, line: ManifestLine | dict) -> None:
        row = asdict(line) if isinstance(line, ManifestLine) else line
        self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()


def manifest_files(root: Path, site_id: str | None = None) -> list[Path]:
    """Manifest files under ``root``, in run order."""
    return sorted(Path(root).glob(f"manifests/{site_id or '*'}/*.jsonl"), key=lambda p: (p.stem, str(p)))


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def iter_manifest_lines(path: Path) -> Iterator[tuple[int, object, str | None]]:
    """``(line number, JSON value, None)`` for each non-blank line of a manifest, or
    ``(line number, None, why)`` for a line that is not JSON (torn or corrupted).

    Strict where DuckDB's ``read_json`` (the dbt source) is: a line must be UTF-8 without a byte
    order mark, and a lone surrogate escape makes it unreadable; such lines come out of the dbt
    source as all-NULL rows, which staging drops.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    lines = data.split(b"\n")
    last = len(lines)  # the line after the final newline ("" when the file ends with one)
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw.decode("utf-8"))
            if _SURROGATE_ESCAPE.search(raw):
                json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeDecodeError as exc:
            why = f"not UTF-8: byte 0x{raw[exc.start]:02x} (column {exc.start + 1})"
        except UnicodeEncodeError:
            why = "a lone surrogate escape (\\ud800-\\udfff)"
        except json.JSONDecodeError as exc:
            why = f"not JSON: {exc.msg} (column {exc.colno})"
        else:
            yield number, value, None
            continue
        if number == last:
            why = f"torn last line (no trailing newline: a crawl killed mid-write, or still writing): {why}"
        yield number, None, why


def read_manifests(root: Path, site_id: str | None = None) -> list[dict]:
    """Every manifest line under ``root``, in run order: what the crawl's state is built from.

    Lines that are not JSON (:func:`iter_manifest_lines`) are skipped with a warning, lines that
    are not objects with a url and a run_id silently; the schema is the build's business
    (:func:`check_manifests`)."""
    rows = []
    for path in manifest_files(root, site_id):
        for number, row, why in iter_manifest_lines(path):
            if why:
                log.warning("manifest line skipped: %s:%d: %s", path, number, why)
            elif isinstance(row, dict) and row.get("url") and row.get("run_id"):
                rows.append(row)
    return rows
