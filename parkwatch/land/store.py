"""The raw zone: immutable, content-addressed page bodies plus one JSONL manifest per crawl run.

Layout under ``warehouse/raw/``::

    objects/<sha[:2]>/<sha256>      page bytes exactly as received (written once, atomically)
    manifests/<site_id>/<run_id>.jsonl   one line per fetched or failed URL
    health/<site_id>/<run_id>.json       crawl health of a finished run (seen, new, revised, …)

Bodies are written to a temporary file (named after the writing process), fsynced and renamed,
so a crash never leaves a half-written object under its final name; leftovers of dead writers
are swept. Manifest lines are appended and flushed one by one; the next crawl of the site
truncates a torn last line (under the writer's lock, so never a live file).

Every reader goes through :func:`iter_manifest_lines`, which reports a line that is not JSON (a
torn last line, a corrupted line) instead of failing on it: the crawl's state
(:func:`read_manifests`, :class:`SiteState`) skips such lines, and the build's preflight
(:func:`check_manifests`) skips them with a warning naming file and line, but refuses a line that
is JSON and breaks the schema of :class:`ManifestLine` (:func:`manifest_line_problems`).
Raw files are never modified by a reader. Nothing here opens a database.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
import time
import types
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator, Union, get_args, get_origin, get_type_hints

from parkwatch.common.dates import iso_day

log = logging.getLogger(__name__)

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
    # --- added with the incremental crawl (#5); absent in older lines, read as None
    kind: str = "page"            # "page", "attachment" or "list" (a list page or data-proxy window)
    change: str | None = None     # landed lines: "new" (URL first landed), "revised" (new bytes), "unchanged"
    cms: str | None = None        # the list profile used: trs | hanweb | vsb | generic
    list_title: str | None = None  # the entry's title and date as the listing showed them
    list_date: str | None = None
    declared_encoding: str | None = None  # charset named by the HTTP header, else by <meta>
    detected_encoding: str | None = None  # the codec the bytes actually decode with
    etag: str | None = None
    last_modified: str | None = None
    cited_by: str | None = None   # attachments: the page that links them
    retries: int | None = None    # how many retries the fetch needed
    start_url: str | None = None  # list lines: the start URL whose listing this page belongs to
    page_no: int | None = None    # list lines: 0 for the start page, then 1, 2, …
    list_end: bool | None = None  # list lines: the listing was walked to its end or its date floor
    items: int | None = None      # list lines: entries on the page


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
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-", dir=dest.parent)
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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(obj, fh, ensure_ascii=False, indent=1, default=str)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def sweep_tmp(self, min_age_s: float = 3600) -> int:
        """Remove temporary files left by writers that died (kill -9): those whose process is gone,
        or older than ``min_age_s``. Returns how many were removed."""
        removed = 0
        now = time.time()
        for tmp in self.root.glob("**/.tmp-*"):
            m = re.match(r"\.tmp-(\d+)-", tmp.name)
            try:
                stale = (m is not None and not _alive(int(m.group(1)))) or now - tmp.stat().st_mtime > min_age_s
                if stale:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def _manifest_files(root: Path, site_id: str | None = None) -> list[Path]:
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
    for path in _manifest_files(root, site_id):
        for number, row, why in iter_manifest_lines(path):
            if why:
                log.warning("manifest line skipped: %s:%d: %s", path, number, why)
            elif isinstance(row, dict) and row.get("url") and row.get("run_id"):
                rows.append(row)
    return rows


# ---------------------------------------------------------------------------- the build's preflight

REQUIRED_KEYS = ("run_id", "site_id", "url", "outcome", "fetched_at")  # never null in a manifest line
LANDED_PAGE_KEYS = ("sha256", "object_path")  # also required on a landed page (the build reads its bytes)
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "a boolean"}


def _iso(pattern: re.Pattern, parse, what: str):
    def check(value: str) -> str | None:
        try:
            return None if pattern.fullmatch(value) and parse(value) else what
        except ValueError:
            return what
    return check


def _object_path(value: str) -> str | None:
    parts = value.split("/")
    if parts[0] != "objects" or ".." in parts or "\\" in value:
        return "not a relative path under objects/ (absolute, '..' or outside the object store)"
    return None


# value rules beyond the type (the value has the field's type when they run)
_RULES = {
    "outcome": lambda v: None if v in ("landed", "failed") else "not one of landed, failed",
    "kind": lambda v: None if v in ("page", "attachment", "list") else "not one of page, attachment, list",
    "change": lambda v: None if v in ("new", "revised", "unchanged") else "not one of new, revised, unchanged",
    "fetched_at": _iso(_TIMESTAMP, datetime.fromisoformat, "not an ISO 8601 timestamp"),
    "logical_date": _iso(_DATE, date.fromisoformat, "not an ISO date (YYYY-MM-DD)"),
    "sha256": lambda v: None if _SHA256.fullmatch(v) else "not a sha256 (64 lowercase hex digits)",
    "object_path": _object_path,
    "status": lambda v: None if 100 <= v <= 999 else "not an HTTP status",
}


def _checker(name: str, hint):
    """A check ``value → why or None`` for field ``name`` of ManifestLine, from its type hint."""
    if get_origin(hint) in (Union, types.UnionType):  # X | None: null is checked by the caller
        hint = next(a for a in get_args(hint) if a is not type(None))
    if get_origin(hint) is list:
        item = get_args(hint)[0]
        what = f"not a list of {_TYPE_NAMES[item].split()[-1]}s"
        return lambda v: None if type(v) is list and all(type(x) is item for x in v) else what
    rule, what = _RULES.get(name), f"not {_TYPE_NAMES[hint]}"

    def check(value) -> str | None:
        if type(value) is not hint:  # JSON gives exact types: True is not an integer here
            return what
        if rule:
            return rule(value)
        return "negative" if hint is int and value < 0 else None
    return check


_CHECKS = {name: _checker(name, hint) for name, hint in get_type_hints(ManifestLine).items()}


def manifest_line_problems(row) -> list[tuple[str, object, str]]:
    """``(field, value, why)`` for each way a parsed manifest line breaks the :class:`ManifestLine`
    schema (empty when it is valid). Keys ManifestLine does not know are allowed (newer writers)."""
    if not isinstance(row, dict):
        return [("line", row, f"a JSON {type(row).__name__}, not an object")]
    problems = []
    required = REQUIRED_KEYS
    if row.get("outcome") == "landed" and (row.get("kind") or "page") == "page":
        required += LANDED_PAGE_KEYS
    for name in required:
        value = row.get(name)
        if value is None or value == "":
            problems.append((name, value, "missing" if name not in row else "null" if value is None else "empty"))
    for name, value in row.items():
        check = _CHECKS.get(name)
        if check is None or value is None or (value == "" and name in required):
            continue
        why = check(value)
        if why:
            problems.append((name, value, why))
    return problems


@dataclass
class ManifestReport:
    """What :func:`check_manifests` found. Places are ``manifests/<site>/<run>.jsonl:<line>``."""

    files: int = 0
    lines: int = 0                                      # valid lines
    skipped: list[str] = field(default_factory=list)    # "<place>: <why>" of lines that are not JSON
    errors: list[str] = field(default_factory=list)     # "<place>: <field> = <value>: <why>"


def check_manifests(raw_root: Path) -> ManifestReport:
    """Read every manifest under ``raw_root`` once: lines that are not JSON (torn or corrupted) are
    reported in ``skipped`` (the build goes on without them), lines that are JSON but break the
    schema in ``errors`` (the build must stop). Never modifies a file."""
    report = ManifestReport()
    for path in _manifest_files(raw_root):
        report.files += 1
        rel = path.relative_to(raw_root).as_posix()
        for number, row, why in iter_manifest_lines(path):
            if why:
                report.skipped.append(f"{rel}:{number}: {why}")
                continue
            problems = manifest_line_problems(row)
            for name, value, reason in problems:
                shown = json.dumps(value, ensure_ascii=False, default=str)
                shown = shown if len(shown) <= 80 else shown[:77] + "..."
                report.errors.append(f"{rel}:{number}: {name} = {shown}: {reason}")
            report.lines += not problems
    return report


LANDED_KINDS = ("page", "attachment")


@dataclass
class SiteState:
    """What earlier runs of a site landed, derived from its manifests alone (no other state).

    ``pages``: URL → the newest landed line of that URL (page or attachment), with the last
    known list title/date, ETag and Last-Modified carried forward;
    ``failures``: URLs that failed and never landed (retried by later runs, a bounded number of times);
    ``runs``: the run ids seen.
    """

    pages: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, dict] = field(default_factory=dict)  # never-landed URLs: last failed line + "failures"
    runs: set[str] = field(default_factory=set)

    @classmethod
    def from_manifests(cls, root: Path, site_id: str, exclude_run: str | None = None) -> "SiteState":
        state = cls()
        for row in read_manifests(root, site_id):
            if row["run_id"] == exclude_run:
                continue
            state.runs.add(row["run_id"])
            state.observe(row)
        return state

    def observe(self, row: dict) -> None:
        """Fold one manifest line into the state (lines must come in run order)."""
        kind = row.get("kind") or "page"
        if kind not in LANDED_KINDS:
            return
        if row.get("outcome") == "failed":
            if row["url"] not in self.pages:
                count = self.failures.get(row["url"], {}).get("failures", 0) + 1
                self.failures[row["url"]] = {**row, "failures": count}
            return
        if row.get("outcome") != "landed" or not row.get("sha256"):
            return
        self.failures.pop(row["url"], None)
        old = self.pages.get(row["url"], {})
        merged = {**old, **{k: v for k, v in row.items() if v is not None}}
        merged["sha256"], merged["object_path"] = row["sha256"], row.get("object_path")
        merged["kind"] = kind
        merged["first_seen"] = old.get("first_seen") or row.get("logical_date") or row.get("fetched_at")
        self.pages[row["url"]] = merged

    def latest(self, url: str) -> dict | None:
        return self.pages.get(url)

    def page_date(self, url: str) -> date | None:
        """The date the listing gave a landed page (else the day it was first landed)."""
        row = self.pages.get(url) or {}
        return iso_day(row.get("list_date")) or iso_day(row.get("first_seen"))

    def last_fetch(self, url: str) -> date | None:
        """The crawl day (logical date, else fetch day) of the newest fetch of a landed page."""
        row = self.pages.get(url) or {}
        return iso_day(row.get("logical_date") or row.get("fetched_at"))


def new_run_id(logical_date: str | None = None) -> str:
    """``<logical date>T<utc time>`` so runs sort by date and a rerun never overwrites a manifest."""
    now = datetime.now(timezone.utc)
    day = logical_date or now.date().isoformat()
    return f"{day}T{now.strftime('%H%M%S%f')}"
