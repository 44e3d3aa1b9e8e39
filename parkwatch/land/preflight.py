"""The build's preflight: every manifest line is read once before dbt runs.

A line that is not JSON (torn or corrupted, see :func:`parkwatch.land.manifest.iter_manifest_lines`)
is skipped with a warning naming file and line; a line that is JSON and breaks the schema of
:class:`~parkwatch.land.manifest.ManifestLine` stops the build (:func:`manifest_line_problems`).
The type of each field comes from ManifestLine's type hints; the value rules beyond the type are
the tables below. Never modifies a file.
"""

from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Union, get_args, get_origin, get_type_hints

from parkwatch.land.manifest import ManifestLine, iter_manifest_lines, manifest_files

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
    required: tuple[str, ...] = REQUIRED_KEYS
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
    lines: int = 0  # valid lines
    skipped: list[str] = field(default_factory=list)  # "<place>: <why>" of lines that are not JSON
    errors: list[str] = field(default_factory=list)  # "<place>: <field> = <value>: <why>"


def check_manifests(raw_root: Path) -> ManifestReport:
    """Read every manifest under ``raw_root`` once: lines that are not JSON (torn or corrupted) are
    reported in ``skipped`` (the build goes on without them), lines that are JSON but break the
    schema in ``errors`` (the build must stop). Never modifies a file."""
    report = ManifestReport()
    for path in manifest_files(raw_root):
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
