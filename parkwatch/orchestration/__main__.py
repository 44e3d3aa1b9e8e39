"""``python -m parkwatch.orchestration dbt-parse [--force]``: regenerate the dbt manifest the
transform DAG is rendered from (``make up``, ``parkwatch demo`` and the image build run it too)."""

from __future__ import annotations

import argparse
import logging
import sys

from parkwatch.warehouse.manifest import dbt_parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parkwatch.orchestration")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("dbt-parse", help="regenerate the dbt manifest the transform DAG is rendered from")
    p.add_argument("--force", action="store_true", help="even when it is up to date")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.cmd == "dbt-parse":
        print(dbt_parse(force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
