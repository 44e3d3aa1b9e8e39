"""The raw zone's object store: immutable, content-addressed page bodies, files only.

Layout under ``warehouse/raw/``::

    objects/<sha[:2]>/<sha256>      page bytes exactly as received (written once, atomically)
    manifests/<site_id>/<run_id>.jsonl   one line per fetched or failed URL (parkwatch.land.manifest)
    health/<site_id>/<run_id>.json       crawl health of a finished run (seen, new, revised, …)

Bodies and health files are written through parkwatch.common.files (a temporary file named after
the writing process, fsynced and renamed), so a crash never leaves a half-written object under its
final name; leftovers of dead writers are swept (:meth:`RawStore.sweep_tmp`). Raw files are never
modified by a reader. Nothing here opens a database.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from pathlib import Path

from parkwatch.common.files import TMP_PREFIX, atomic_write_bytes, atomic_write_json, sweep_tmp

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


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
        atomic_write_bytes(dest, body)
        return sha, rel

    def locate(self, object_path: str) -> Path:
        """The file of ``object_path`` (relative to the root), symlinks resolved; ValueError when it
        lies outside the raw zone."""
        path = (self.root / object_path).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"object path {object_path!r} is outside the raw zone")
        return path

    def read(self, object_path: str) -> bytes:
        """The bytes of ``object_path``; never reads outside the raw zone (see :meth:`locate`)."""
        return self.locate(object_path).read_bytes()

    def manifest_path(self, site_id: str, run_id: str) -> Path:
        return self.root / "manifests" / _check_id("site id", site_id) / f"{_check_id('run id', run_id)}.jsonl"

    def health_path(self, site_id: str, run_id: str) -> Path:
        return self.root / "health" / _check_id("site id", site_id) / f"{_check_id('run id', run_id)}.json"

    def write_json(self, path: Path, obj) -> None:
        """Write a small JSON file atomically (tmp + fsync + rename)."""
        atomic_write_json(path, obj)

    def sweep_tmp(self, min_age_s: float = 3600) -> int:
        """Remove temporary files left by writers that died (kill -9): those whose process is gone,
        or older than ``min_age_s``. Returns how many were removed."""
        return sweep_tmp(self.root, f"**/{TMP_PREFIX}*", min_age_s)

    def repair_manifests(self, site_id: str) -> int:
        """Truncate torn last lines (a writer killed mid-line) of ``site_id``'s manifests that no
        live writer holds. Returns how many files were repaired."""
        repaired = 0
        for path in sorted((self.root / "manifests" / _check_id("site id", site_id)).glob("*.jsonl")):
            with open(path, "rb+") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a crawl is writing it
                try:
                    size = fh.seek(0, os.SEEK_END)
                    if size == 0:
                        continue
                    fh.seek(max(0, size - 1))
                    if fh.read(1) == b"\n":
                        continue
                    fh.seek(0)
                    data = fh.read()
                    fh.truncate(data.rfind(b"\n") + 1)
                    fh.flush()
                    os.fsync(fh.fileno())
                    repaired += 1
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
        return repaired
