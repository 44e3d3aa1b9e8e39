"""The raw zone: immutable, content-addressed page bodies plus one JSONL manifest per crawl run.

Layout under ``warehouse/raw/``::

    objects/<sha[:2]>/<sha256>      page bytes exactly as received (written once, atomically)
    manifests/<site_id>/<run_id>.jsonl   one line per fetched or failed URL

Bodies are written to a temporary file, fsynced and renamed, so a crash never leaves a
half-written object under its final name. Manifest lines are appended and flushed one
by one; a reader ignores a torn last line. Nothing here opens a database.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


def _check_id(kind: str, value: str) -> str:
    # ids become path parts: refuse anything that could climb out of the raw root
    if not _SAFE_ID.match(value) or ".." in value:
        raise ValueError(f"unsafe {kind} {value!r}: use letters, digits, '.', '_' or '-'")
    return value


class RawStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def object_relpath(self, sha256: str) -> str:
        return f"objects/{sha256[:2]}/{sha256}"

    def put(self, body: bytes) -> tuple[str, str]:
        """Store ``body`` once; return (sha256, path relative to the root)."""
        sha = hashlib.sha256(body).hexdigest()
        rel = self.object_relpath(sha)
        dest = self.root / rel
        if dest.exists():
            return sha, rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha, rel

    def read(self, object_path: str) -> bytes:
        path = (self.root / object_path).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"object path {object_path!r} is outside the raw zone")
        return path.read_bytes()

    def manifest_path(self, site_id: str, run_id: str) -> Path:
        return self.root / "manifests" / _check_id("site id", site_id) / f"{_check_id('run id', run_id)}.jsonl"


class ManifestWriter:
    """Appends manifest lines for one (site, run); flushes every line so a crash loses at most one."""

    def __init__(self, store: RawStore, site_id: str, run_id: str):
        self.path = store.manifest_path(site_id, run_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")

    def write(self, line: ManifestLine) -> None:
        self._fh.write(json.dumps(asdict(line), ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()


def read_manifests(root: Path, site_id: str | None = None) -> list[dict]:
    """Every manifest line under ``root`` (torn trailing lines skipped)."""
    pattern = f"manifests/{site_id or '*'}/*.jsonl"
    rows = []
    for path in sorted(Path(root).glob(pattern)):
        for raw in path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
    return rows


def new_run_id(logical_date: str | None = None) -> str:
    """``<logical date>T<utc time>`` so runs sort by date and a rerun never overwrites a manifest."""
    now = datetime.now(timezone.utc)
    day = logical_date or now.date().isoformat()
    return f"{day}T{now.strftime('%H%M%S%f')}"
