"""``python -m bench.profile extract|dbt|gx``: where the time goes, with pyinstrument (bench group).

- ``extract``: parse_page over generated pages (what dbt's int_parsed_pages runs per page).
- ``dbt``: one ``dbt build`` in this process (dbtRunner) on freshly landed pages, full refresh then
  incremental after 1% new pages; the profile of each is written.
- ``gx``: validate() on a build whose indicators are replicated to ``--rows``.

Text profiles go to ``bench/profiles/<name>.txt`` (or ``--out``), slowest call paths first.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from bench import corpus, stages
from bench.harness import env_override

OUT = Path(__file__).resolve().parent / "profiles"


def _profile(fn, out: Path, title: str) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    profiler.start()
    try:
        fn()
    finally:
        profiler.stop()
    out.parent.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    out.write_text(f"# {title}\n\n{text}", encoding="utf-8")
    print(f"profile: {out}")


def profile_extract(out_dir: Path, pages: int) -> None:
    from parkwatch.warehouse_rows import parse_page

    per_site = max(1, pages // 5)
    docs = corpus.render(corpus.sites(5, per_site))
    for p in docs[:10]:
        parse_page(p.url, p.body, p.url, p.content_type)

    def work():
        for p in docs:
            parse_page(p.url, p.body, p.url, p.content_type)

    _profile(work, out_dir / "extract.txt", f"parse_page over {len(docs)} generated pages")


def profile_dbt(out_dir: Path, pages: int, work: Path) -> None:
    from dbt.cli.main import dbtRunner

    from parkwatch import build as pw_build

    per_site = corpus.PAGES_PER_SITE
    generated = corpus.sites(max(1, -(-pages // per_site)), per_site + 2)
    base = corpus.render(generated, limit_per_site=per_site)[:pages]
    new = corpus.render(generated, skip_per_site=per_site)[: max(1, len(base) // 100)]
    home = work / "dbt-profile"
    corpus.land(base, home / "raw", "T060000")
    with env_override(PARKWATCH_HOME=str(home)):
        env = pw_build.dbt_env()
    project = str(pw_build.config.dbt_dir())
    with env_override(**{k: v for k, v in env.items() if k.startswith(("PARKWATCH_", "DBT_"))}):
        cwd = os.getcwd()
        os.chdir(project)
        try:
            runner = dbtRunner()
            _profile(lambda: runner.invoke(["build", "--full-refresh", "--project-dir", project]),
                     out_dir / "dbt_full.txt", f"dbt build --full-refresh, {len(base)} pages (in-process dbtRunner)")
            corpus.land(new, home / "raw", stages.INCREMENT_RUN, fetched_at=stages._next_day())
            _profile(lambda: runner.invoke(["build", "--project-dir", project]),
                     out_dir / "dbt_incremental.txt", f"dbt build after {len(new)} new pages (in-process dbtRunner)")
        finally:
            os.chdir(cwd)


def profile_gx(out_dir: Path, pages: int, rows: int, work: Path) -> None:
    home = stages.prepare_build(work / "gx-source", pages)
    stages.replicate_indicators(home / "build.duckdb", rows)
    with env_override(PARKWATCH_HOME=str(home)):
        from parkwatch.quality.validate import validate

        _profile(validate, out_dir / "gx.txt", f"validate() with {rows:,} indicator rows")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["extract", "dbt", "gx"], nargs="+")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="parkwatch-profile-"))
    try:
        for what in args.what:
            if what == "extract":
                profile_extract(args.out, args.pages)
            elif what == "dbt":
                profile_dbt(args.out, args.pages, work)
            else:
                profile_gx(args.out, args.pages, args.rows, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
