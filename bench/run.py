"""``python -m bench.run [--full]``: every stage's speed and memory beside its floor (issue #10).

Quick mode (default) uses smaller sizes and scales the size-named keys linearly (stated in
results.md); ``--full`` (``BENCH_FULL=1 make bench``) uses the issue's sizes. Every measurement
runs ``--repeats`` times (at least 3 for the committed results). Writes bench/results.json and
bench/results.md; work files go to a temporary directory that is removed afterwards (``--keep``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bench import stages
from bench.harness import Results, write_results

STAGES = ["extract", "crawl", "dbt", "gx", "demo"]
SIZES: dict[str, dict[str, Any]] = {
    # crawl: sites × pages per site; extract: sites × pages per site; dbt: landed pages; gx: indicator rows
    # airflow_budget_s: seconds of `airflow dags test` demo runs quick mode allows (one run at least)
    "quick": {
        "crawl_sites": 4,
        "crawl_pages": 100,
        "extract_sites": 5,
        "extract_pages": 60,
        "dbt_pages": 1_000,
        "gx_rows": 100_000,
        "airflow_budget_s": 300,
    },
    "full": {
        "crawl_sites": 10,
        "crawl_pages": 200,
        "extract_sites": 10,
        "extract_pages": 200,
        "dbt_pages": 10_000,
        "gx_rows": 1_000_000,
        "airflow_budget_s": None,
    },
}
OUT_DIR = Path(__file__).resolve().parent


def run(
    mode: str = "quick",
    only: list[str] | None = None,
    repeats: int = 3,
    out_dir: Path | None = OUT_DIR,
    work: Path | None = None,
    sizes: dict | None = None,
    keep: bool = False,
) -> Results:
    """Run the selected stages; a failing stage is recorded (error in results) and the others go on."""
    sizes = {**SIZES[mode], **(sizes or {})}
    chosen = [s for s in STAGES if not only or s in only]
    results = Results(mode=mode)
    own_work = work is None
    work = Path(work or tempfile.mkdtemp(prefix="parkwatch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    dbt_home: Path | None = None
    started_all = time.perf_counter()
    try:
        for name in chosen:
            print(f"bench: {name} …", flush=True)
            info: dict[str, Any] = {"load_before": round(os.getloadavg()[0], 2)}
            started = time.perf_counter()
            try:
                if name == "extract":
                    stages.extract(results, sizes["extract_sites"], sizes["extract_pages"], repeats)
                elif name == "crawl":
                    stages.crawl(results, work / "crawl", sizes["crawl_sites"], sizes["crawl_pages"], repeats)
                elif name == "dbt":
                    dbt_home = stages.dbt(results, work / "dbt", sizes["dbt_pages"], repeats)
                elif name == "gx":
                    if dbt_home is None or not (dbt_home / "build.duckdb").exists():
                        dbt_home = stages.prepare_build(work / "gx-source", sizes["dbt_pages"])
                    stages.gx(results, work / "gx", dbt_home, sizes["gx_rows"], repeats)
                elif name == "demo":
                    stages.demo(results, work / "demo", repeats, sizes["airflow_budget_s"])
            except Exception as exc:
                info["error"] = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            info["seconds"] = round(time.perf_counter() - started, 1)
            info["load_after"] = round(os.getloadavg()[0], 2)
            results.stages[name] = info
            print(f"bench: {name} done in {info['seconds']:.0f}s" + (" (ERROR)" if "error" in info else ""), flush=True)
    finally:
        if own_work and not keep:
            shutil.rmtree(work, ignore_errors=True)
    results.sizes["repeats"] = f"each measurement {repeats} times; figures are medians with min – max"
    results.stages["total"] = {"seconds": round(time.perf_counter() - started_all, 1)}
    if out_dir is not None:
        json_path, md_path = write_results(results, out_dir)
        print(f"bench: wrote {json_path} and {md_path}", flush=True)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--full",
        action="store_true",
        default=os.environ.get("BENCH_FULL") == "1",
        help="the issue's sizes (also BENCH_FULL=1)",
    )
    parser.add_argument("--only", help=f"comma-separated stages of {','.join(STAGES)}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where results.json/results.md go")
    parser.add_argument("--work", type=Path, help="work directory (default: a temporary one, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    unknown = set(only or []) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages {sorted(unknown)}; choose from {STAGES}")
    if args.repeats < 3:
        print(f"bench: warning: {args.repeats} repeats (the committed results use at least 3)", file=sys.stderr)
    results = run("full" if args.full else "quick", only, args.repeats, args.out, args.work, keep=args.keep)
    failed = {k: v["error"] for k, v in results.stages.items() if v.get("error")}
    for k, v in failed.items():
        print(f"bench: stage {k} failed: {v.splitlines()[0][:300]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
