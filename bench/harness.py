"""Measurement plumbing: repeated timings with medians and ranges, child processes measured by the
operating system (``os.wait4``: wall time and peak resident memory), environment overrides, and
the results files (``results.json``, ``results.md``).

Nothing here knows about parkwatch; :mod:`bench.stages` does the measuring.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Targets from issue #10: recorded beside each figure, never asserted.
# (operator, bound): "ge" means the figure should be at least the bound, "le" at most.
TARGETS: dict[str, tuple[str, float]] = {
    "crawl_vs_bare_ratio": ("ge", 0.8),
    "extract_pages_per_s": ("ge", 100.0),
    "extract_vs_peer_ratio": ("ge", 1.0),
    "dbt_full_10k_s": ("le", 300.0),
    "dbt_incremental_vs_full_ratio": ("le", 0.1),
    "dbt_peak_rss_mb": ("le", 2048.0),
    "gx_1m_rows_s": ("le", 60.0),
}

# The keys results.json always carries (null when a stage did not run or failed).
REQUIRED_KEYS = [
    "crawl_pages_per_s",
    "crawl_vs_bare_ratio",
    "extract_pages_per_s",
    "extract_vs_peer_ratio",
    "lxml_parse_pages_per_s",
    "dbt_full_10k_s",
    "dbt_incremental_vs_full_ratio",
    "dbt_peak_rss_mb",
    "gx_1m_rows_s",
    "demo_e2e_s",
    "airflow_overhead_s",
]


def summarise(values: list[float]) -> dict:
    """Median, min, max and count of repeated measurements (None when there are none)."""
    vals = [float(v) for v in values if v is not None]
    if not vals:
        return {"median": None, "min": None, "max": None, "n": 0, "samples": []}
    return {
        "median": statistics.median(vals),
        "min": min(vals),
        "max": max(vals),
        "n": len(vals),
        "samples": [round(v, 4) for v in vals],
    }


@dataclass
class Figure:
    """One reported key: repeated samples (already scaled), unit, the size it was measured at."""

    key: str
    unit: str
    samples: list[float]
    size: str
    note: str = ""
    scaled_from: str | None = None  # quick mode: what was measured before linear scaling

    def as_dict(self) -> dict:
        s = summarise(self.samples)
        target = TARGETS.get(self.key)
        met = None
        if target and s["median"] is not None:
            op, bound = target
            met = s["median"] >= bound if op == "ge" else s["median"] <= bound
        return {
            "key": self.key,
            "unit": self.unit,
            **s,
            "size": self.size,
            "note": self.note,
            "scaled_from": self.scaled_from,
            "target": (("≥ " if target[0] == "ge" else "≤ ") + f"{target[1]:g}") if target else None,
            "target_met": met,
        }


@dataclass
class Results:
    mode: str
    sizes: dict = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    extra: dict[str, dict] = field(default_factory=dict)  # supporting figures (floors, counts)
    stages: dict[str, dict] = field(default_factory=dict)  # stage → {"seconds", "error", "load_before", ...}
    notes: list[str] = field(default_factory=list)

    def add(self, fig: Figure) -> Figure:
        self.figures[fig.key] = fig
        return fig

    def as_json(self) -> dict:
        figures = {k: f.as_dict() for k, f in self.figures.items()}
        top = {
            k: (round(figures[k]["median"], 4) if k in figures and figures[k]["median"] is not None else None)
            for k in REQUIRED_KEYS
        }
        for k, f in figures.items():
            if k not in top:
                top[k] = round(f["median"], 4) if f["median"] is not None else None
        return {
            **top,
            "mode": self.mode,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "sizes": self.sizes,
            "measurements": figures,
            "supporting": self.extra,
            "stages": self.stages,
            "notes": self.notes,
        }


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }


# ------------------------------------------------------------------------------- measuring


@dataclass
class ChildRun:
    seconds: float
    peak_rss_mb: float  # the child's (and its waited-for descendants') largest resident set, from the kernel
    returncode: int
    output: str
    cpu_s: float = 0.0  # user + system CPU time of the child and its waited-for descendants


def run_child(
    cmd: list[str],
    env: dict | None = None,
    cwd: str | Path | None = None,
    timeout_s: float = 3600,
    log: Path | None = None,
) -> ChildRun:
    """Run ``cmd`` and measure it with the OS's accounting: ``os.wait4`` gives its rusage alone
    (ru_maxrss covers the child and the descendants it waited for), unlike RUSAGE_CHILDREN, which
    accumulates over the whole life of this process."""
    log_file = open(log, "w", encoding="utf-8") if log else None
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdout=log_file if log_file is not None else subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    text = ""
    try:
        if log_file is None:
            # drain the pipe in a thread so a chatty child cannot block on a full pipe
            import threading

            pipe = proc.stdout
            if pipe is None:  # stdout=PIPE always gives one; this keeps that assumption checked
                raise RuntimeError("subprocess.Popen gave no stdout pipe")
            chunks: list[str] = []
            reader = threading.Thread(target=lambda: chunks.append(pipe.read()), daemon=True)
            reader.start()
        status, usage = _wait4(proc.pid, deadline=started + timeout_s)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if log_file is None:
            reader.join(timeout=10)
            text = "".join(chunks)
        else:
            log_file.close()
            text = Path(log_file.name).read_text(encoding="utf-8", errors="replace")
    finally:
        if log_file is not None and not log_file.closed:
            log_file.close()
    return ChildRun(
        seconds=seconds,
        peak_rss_mb=usage.ru_maxrss / 1024.0,
        returncode=proc.returncode,
        output=text,
        cpu_s=usage.ru_utime + usage.ru_stime,
    )


def _wait4(pid: int, deadline: float) -> tuple[int, resource.struct_rusage]:
    """Wait for child ``pid`` (killing its process group after ``deadline``, a perf_counter time):
    its exit status and its own rusage."""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.perf_counter() > deadline:
            os.killpg(pid, 9)
            _, status, usage = os.wait4(pid, 0)
            return status, usage
        time.sleep(0.05)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


@contextmanager
def env_override(**values: str | None) -> Iterator[None]:
    """Set (or, with None, unset) environment variables for the duration of the block."""
    old = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = str(v)
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def python() -> str:
    return sys.executable


# ------------------------------------------------------------------------------- reporting


def _fmt(v, unit: str = "") -> str:
    if v is None:
        return "–"
    if unit in ("MB",) or abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if abs(v) >= 0.1 else f"{v:.3f}"


def write_results(results: Results, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = results.as_json()
    json_path = out_dir / "results.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path = out_dir / "results.md"
    md_path.write_text(render_markdown(data), encoding="utf-8")
    return json_path, md_path


def render_markdown(data: dict) -> str:
    m = data["machine"]
    lines = [
        "# parkwatch benchmarks: last results",
        "",
        f"Written by `make bench` ({data['mode']} mode{', BENCH_FULL=1' if data['mode'] == 'full' else ''}) "
        f"at {data['generated_at']} on {m['cpus']} cores, Python {m['python']}; load average at the end "
        f"{', '.join(str(x) for x in m['load_avg'])} (the machine is shared: figures are noisy, so each is "
        "the median of repeated runs with its range, and each ratio pairs runs made back to back).",
        "",
        "| key | median | range (min – max) | n | unit | measured on | target | met |",
        "|---|---:|---|---:|---|---|---|---|",
    ]
    for key in list(REQUIRED_KEYS) + [k for k in data["measurements"] if k not in REQUIRED_KEYS]:
        f = data["measurements"].get(key)
        if f is None:
            target = TARGETS.get(key)
            t = (("≥ " if target[0] == "ge" else "≤ ") + f"{target[1]:g}") if target else ""
            lines.append(f"| `{key}` | – | not measured | 0 | | | {t} | |")
            continue
        met = {True: "yes", False: "**no**", None: ""}[f["target_met"]]
        rng = f"{_fmt(f['min'], f['unit'])} – {_fmt(f['max'], f['unit'])}" if f["n"] else "–"
        size = f["size"] + (f" (scaled from {f['scaled_from']})" if f.get("scaled_from") else "")
        lines.append(
            f"| `{key}` | {_fmt(f['median'], f['unit'])} | {rng} | {f['n']} | {f['unit']} | {size} | "
            f"{f['target'] or ''} | {met} |"
        )
    lines += [
        "",
        "## Supporting figures",
        "",
        "| figure | median | range | n | unit | what |",
        "|---|---:|---|---:|---|---|",
    ]
    for key, f in data["supporting"].items():
        rng = f"{_fmt(f['min'])} – {_fmt(f['max'])}" if f.get("n") else "–"
        lines.append(
            f"| {key} | {_fmt(f.get('median'))} | {rng} | {f.get('n', 0)} | {f.get('unit', '')} | {f.get('what', '')} |"
        )
    lines += ["", "## Sizes", ""]
    for k, v in data["sizes"].items():
        lines.append(f"- **{k}**: {v}")
    lines += ["", "## Stages", "", "| stage | seconds | load before → after | status |", "|---|---:|---|---|"]
    for name, s in data["stages"].items():
        status = ("ERROR: " + s["error"].splitlines()[0][:200].replace("|", "/")) if s.get("error") else "ok"
        load = f"{s['load_before']} → {s['load_after']}" if "load_before" in s else ""
        lines.append(f"| {name} | {s.get('seconds', 0):.0f} | {load} | {status} |")
    notes = [f"- **{k}**: {f['note']}" for k, f in data["measurements"].items() if f.get("note")]
    if notes or data["notes"]:
        lines += ["", "## Notes", ""] + notes + [f"- {n}" for n in data["notes"]]
    return "\n".join(lines) + "\n"
