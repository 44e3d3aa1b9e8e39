"""Atomic files: the one owner of "write to a temporary file, fsync, rename".

A reader (or a process restarted after ``kill -9``) sees either the old file or the whole new one,
never a torn write. Temporary files are named ``.tmp-<pid>-…`` beside the target, so a sweep can
find the ones a killed writer left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TMP_PREFIX = ".tmp-"


def fsync_dir(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (the directory entry itself is flushed)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(dest: Path, *, durable_dir: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; when the block ends without error, fsync it and
    rename it over ``dest``. On error the temporary file is removed and ``dest`` is untouched.

    For writers that need a path rather than a file object (DuckDB, pyarrow, openpyxl).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as DuckDB refuse an existing empty file
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
        if durable_dir:
            fsync_dir(dest.parent)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(dest: Path, data: bytes, *, mode: int | None = None, durable_dir: bool = False) -> None:
    """Write ``data`` to ``dest`` atomically. ``mode`` (e.g. 0o600 for secrets) is set before the
    rename, so the file is never visible with wider permissions; without it the umask decides."""
    with atomic_path(dest, durable_dir=durable_dir) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)  # umask applies
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mode is not None:
            os.chmod(tmp, mode)


def atomic_write_text(dest: Path, text: str, *, mode: int | None = None, durable_dir: bool = False) -> None:
    """Write UTF-8 ``text`` to ``dest`` atomically (see `atomic_write_bytes`)."""
    atomic_write_bytes(dest, text.encode("utf-8"), mode=mode, durable_dir=durable_dir)


def atomic_write_json(dest: Path, obj: Any, *, mode: int | None = None, indent: int | None = 1) -> None:
    """Write ``obj`` as JSON (UTF-8, non-ASCII kept, unknown types as str) to ``dest`` atomically."""
    atomic_write_text(dest, json.dumps(obj, ensure_ascii=False, indent=indent, default=str), mode=mode)


def sweep_tmp(directory: Path, pattern: str = f"{TMP_PREFIX}*", min_age_s: float = 3600) -> int:
    """Remove the temporary files (``pattern`` under ``directory``) that writers killed mid-write
    (kill -9) left: those whose process is gone, or older than ``min_age_s``. A live writer's file
    is kept, so a sweep is safe while other processes write. Returns how many were removed."""
    removed = 0
    now = time.time()
    for tmp in Path(directory).glob(pattern):
        m = re.match(rf"{re.escape(TMP_PREFIX)}(\d+)-", tmp.name)
        try:
            if (m is not None and not _alive(int(m.group(1)))) or now - tmp.stat().st_mtime > min_age_s:
                tmp.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
