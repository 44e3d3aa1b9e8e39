"""``python -m bench.profile extract|dbt|gx``: where the time goes, with pyinstrument (bench group).

- ``extract``: parse_page over generated pages (what dbt's int_parsed_pages runs per page).
- ``dbt``: ``dbt build`` on freshly landed pages, full refresh then incremental after 1% new pages:
  dbt's per-node timings (its models run in worker threads, out of a sampler's sight).
- ``gx``: validate() on a build whose indicators are replicated to ``--rows``.

Text profiles go to ``bench/profiles/<name>.txt`` (or ``--out``), slowest call paths first.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench import corpus, stages
from bench.harness import env_override, run_child

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
    from parkwatch.extract.rows import parse_page

    per_site = max(1, pages // 5)
    docs = corpus.render(corpus.sites(5, per_site))
    for p in docs[:10]:
        parse_page(p.url, p.body, p.url, p.content_type)

    def work():
        for p in docs:
            parse_page(p.url, p.body, p.url, p.content_type)

    _profile(work, out_dir / "extract.txt", f"parse_page over {len(docs)} generated pages")


def profile_dbt(out_dir: Path, pages: int, work: Path) -> None:
    """dbt runs its models in worker threads, which a sampling profiler of the main thread does not
    see; dbt's own per-node timings (run_results.json) say where a build's time goes."""
    from parkwatch import config
    from parkwatch.warehouse import dbt_env, dbt_executable

    per_site = corpus.PAGES_PER_SITE
    generated = corpus.sites(max(1, -(-pages // per_site)), per_site + 2)
    base = corpus.render(generated, limit_per_site=per_site)[:pages]
    new = corpus.render(generated, skip_per_site=per_site)[: max(1, len(base) // 100)]
    home = work / "dbt-profile"
    corpus.land(base, home / "raw", "T060000")
    with env_override(PARKWATCH_HOME=str(home)):
        env = dbt_env()
    project = str(config.dbt_dir())
    lines = []
    for kind, args in (("full refresh", ["--full-refresh"]), ("incremental, 1% new pages", [])):
        if not args:
            corpus.land(new, home / "raw", stages.INCREMENT_RUN, fetched_at=stages._next_day())
        run = run_child([dbt_executable(), "build", *args, "--project-dir", project], env=env, cwd=project)
        timings = stages.node_timings(Path(env["DBT_TARGET_PATH"]) / "run_results.json")
        lines += [
            f"## dbt build, {kind}: {run.seconds:.1f}s wall, {run.cpu_s:.1f}s CPU, "
            f"peak RSS {run.peak_rss_mb:.0f} MB ({len(base)} pages)",
            "",
            f"sum of node times {sum(timings.values()):.1f}s (2 threads); the rest is dbt start-up and parsing",
            "",
        ]
        lines += [f"{secs:8.2f}s  {node}" for node, secs in sorted(timings.items(), key=lambda kv: -kv[1])[:15]]
        lines.append("")
    out = out_dir / "dbt.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"profile: {out}")


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
