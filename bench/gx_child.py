"""``python -m bench.gx_child --home DIR``: run parkwatch's validation once on DIR's build.duckdb
and print ``BENCH_GX {"seconds": …, "rows": …, "success": …}``. The parent measures this process
with the OS (peak RSS); the seconds cover the validate() call only, not Python's start-up."""

from __future__ import annotations

import argparse
import json
import os
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", required=True)
    args = parser.parse_args(argv)
    os.environ["PARKWATCH_HOME"] = args.home

    import logging

    logging.basicConfig(level=logging.WARNING)
    from parkwatch.quality.validate import validate

    started = time.perf_counter()
    summary = validate()
    seconds = time.perf_counter() - started
    rows = next((s["rows"] for s in summary["suites"] if s["suite"] == "indicators_errors"), None)
    failed = [
        f"{s['suite']}: {f.get('check') or f['expectation']}"
        for s in summary["suites"]
        for f in s["failed"]
        if s["severity"] == "error"
    ]
    print(
        "BENCH_GX "
        + json.dumps(
            {"seconds": seconds, "rows": rows, "success": summary["success"], "failed": failed[:10]}, ensure_ascii=False
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
