"""The run log: one JSON line per run of a step in ``<home>/runs/<kind>.jsonl``, newest last.

The pipeline appends (:func:`record_run`); ``parkwatch status`` reads (:func:`last_runs`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from parkwatch import config


def record_run(kind: str, summary: dict) -> None:
    """Append a run summary to ``<home>/runs/<kind>.jsonl`` for `parkwatch status`."""
    path = config.runs_dir() / f"{kind}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **summary}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


def last_runs(kind: str, n: int = 1) -> list[dict]:
    """The last ``n`` run records of a step, oldest first (lines that do not parse are skipped)."""
    path = config.runs_dir() / f"{kind}.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines[-n:] if n else lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
