"""The measurements, one function per stage. Each runs its work ``repeats`` times, pairs it with
its floor measured back to back (alternating which goes first), and adds figures to ``Results``.

Stages never raise for a failing run of parkwatch itself: bench.run records the error and goes on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench import corpus
from bench.harness import ChildRun, Figure, Results, env_override, python, run_child, summarise, timed

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CRAWL_DATE = "2026-01-15"  # the generated pages span 2024-01-01 … 2025-12-31: all are published by then
SCRIPTED_LISTS = ("hanweb", "trs")  # CMS families whose list pages need a script to reach every page


def _support(results: Results, name: str, values: list[float], unit: str, what: str) -> None:
    results.extra[name] = {**summarise(values), "unit": unit, "what": what}


# ------------------------------------------------------------------------------------- crawl


@dataclass
class _CrawlSetup:
    """The generated sites of one crawl stage, written to a registry both spiders start from."""

    work: Path
    generated: list
    truth: set[tuple[str, str]]
    sites_dir: Path
    ids: list[str]
    parallel: int


@dataclass
class _CrawlSamples:
    ours_rate: list[float] = field(default_factory=list)
    bare_rate: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cover: list[float] = field(default_factory=list)


def crawl(results: Results, work: Path, n_sites: int, pages_per_site: int, repeats: int, parallel: int = 2) -> None:
    """Our crawl (subprocess per site, landing on) against the bare link-following spider, same
    generated sites, same portal, same per-site parallelism. Rate = distinct detail pages reached
    per second of wall time (process start-up included for both)."""
    from parkwatch.portal import Portal

    setup = _crawl_setup(results, work, n_sites, pages_per_site, parallel)
    samples = _CrawlSamples()
    with Portal(port=0, sites=[g.content for g in setup.generated], faults=False) as portal:
        for i in range(repeats):
            _crawl_pair(results, setup, samples, i, repeats, portal.port)
        results.stages.pop("crawl_runs", None)
    _crawl_summary(results, setup, samples)


def _crawl_setup(results: Results, work: Path, n_sites: int, pages_per_site: int, parallel: int) -> _CrawlSetup:
    # Hanweb lists come only from a JavaScript data proxy and TRS lists page on with a script
    # (createPageHTML): a link-follower cannot reach those pages, so the comparison uses the three
    # families whose lists are plain links (generic, 博达 VSB, news portal).
    generated = corpus.sites(n_sites, pages_per_site, exclude_cms=SCRIPTED_LISTS)
    truth = corpus.truth_paths(generated)
    sites_dir = work / "crawl-sites"
    ids = corpus.write_registry(generated, sites_dir)
    results.sizes["crawl"] = (
        f"{len(truth)} generated detail pages on {len(ids)} sites × {pages_per_site} "
        f"(CMS families {sorted({g.content.cms for g in generated})}; Hanweb and TRS left out: "
        f"their lists need a script, which a bare link-follower cannot run), {parallel} site "
        "crawls at a time, per-host concurrency 4, delay 0"
    )
    return _CrawlSetup(work, generated, truth, sites_dir, ids, parallel)


def _crawl_pair(results: Results, setup: _CrawlSetup, samples: _CrawlSamples, i: int, repeats: int, port: int) -> None:
    """One measured pair, back to back; which spider goes first alternates between repeats."""
    order = (
        [("ours", _crawl_ours), ("bare", _crawl_bare)] if i % 2 == 0 else [("bare", _crawl_bare), ("ours", _crawl_ours)]
    )
    got = {name: fn(setup, i, port) for name, fn in order}
    (t_o, n_o, req_o), (t_b, n_b, req_b) = got["ours"], got["bare"]
    samples.ours_rate.append(n_o / t_o)
    samples.bare_rate.append(n_b / t_b)
    samples.ratios.append((n_o / t_o) / (n_b / t_b))
    samples.cover.append(min(n_o, n_b) / len(setup.truth))
    results.stages.setdefault("crawl_runs", {"seconds": 0})
    print(
        f"  crawl {i + 1}/{repeats}: ours {n_o} pages in {t_o:.1f}s ({req_o} requests), "
        f"bare {n_b} pages in {t_b:.1f}s ({req_b} requests)",
        flush=True,
    )


def _crawl_ours(setup: _CrawlSetup, i: int, port: int) -> tuple[float, int, float]:
    from parkwatch.crawl.launcher import crawl_sites
    from parkwatch.land import read_manifests

    home = setup.work / f"crawl-ours-{i}"
    shutil.rmtree(home, ignore_errors=True)
    with env_override(
        PARKWATCH_HOME=str(home), PARKWATCH_SITES_DIR=str(setup.sites_dir), PARKWATCH_PORTAL_PORT=str(port)
    ):
        seconds, summaries = timed(lambda: crawl_sites(setup.ids, CRAWL_DATE, parallel=setup.parallel))
    errors = [f"{s['site_id']}: {s['error']}" for s in summaries if s.get("error")]
    if errors:
        raise RuntimeError("our crawl failed: " + "; ".join(errors))
    rows = read_manifests(home / "raw")
    reached = {_key(r["url"]) for r in rows if r.get("outcome") == "landed"} & setup.truth
    requests = sum(int(s.get("requests") or 0) for s in summaries)
    return seconds, len(reached), requests


def _crawl_bare(setup: _CrawlSetup, i: int, port: int) -> tuple[float, int, float]:
    out_dir = setup.work / f"crawl-bare-{i}"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    env = {**os.environ, "PARKWATCH_PORTAL_PORT": str(port)}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=setup.parallel) as pool:
        outs = list(pool.map(lambda site_id: _bare_spider_site(setup, out_dir, env, site_id), setup.ids))
    seconds = time.perf_counter() - started
    fetched = [(u, s) for o in outs for u, s in o["fetched"]]
    reached = {_key(u) for u, s in fetched if s == 200} & setup.truth
    return seconds, len(reached), len(fetched)


def _bare_spider_site(setup: _CrawlSetup, out_dir: Path, env: dict[str, str], site_id: str) -> dict:
    out = out_dir / f"{site_id}.json"
    run = run_child(
        [
            python(),
            "-m",
            "bench.bare_spider",
            "--site",
            site_id,
            "--sites-dir",
            str(setup.sites_dir),
            "--out",
            str(out),
        ],
        env=env,
        cwd=PROJECT_ROOT,
        log=out_dir / f"{site_id}.log",
    )
    if run.returncode != 0 or not out.exists():
        raise RuntimeError(f"bare spider {site_id} exited {run.returncode}: {run.output[-1500:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def _crawl_summary(results: Results, setup: _CrawlSetup, samples: _CrawlSamples) -> None:
    size = f"{len(setup.truth)} pages"
    results.add(
        Figure(
            "crawl_pages_per_s",
            "pages/s",
            samples.ours_rate,
            size,
            note="detail pages landed per second of wall time, subprocess start-up included",
        )
    )
    results.add(
        Figure(
            "crawl_vs_bare_ratio",
            "ratio",
            samples.ratios,
            size,
            note="our pages/s over the bare spider's pages/s, pairs run back to back",
        )
    )
    _support(
        results, "bare_crawl_pages_per_s", samples.bare_rate, "pages/s", "bare Scrapy link-follower (the crawl floor)"
    )
    _support(
        results, "crawl_coverage", samples.cover, "share", "detail pages reached by both spiders / pages generated"
    )


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.hostname or "").rsplit(".", 1)[-1], parts.path


# ------------------------------------------------------------------------------------- extract


@dataclass
class _ExtractSamples:
    """Per contender, pages per CPU-second and per wall second of each repeat; ours over the peer's."""

    rates: dict[str, list[float]]
    wall: dict[str, list[float]]
    ratios: list[float] = field(default_factory=list)


def extract(results: Results, n_sites: int, pages_per_site: int, repeats: int) -> None:
    """Our per-page parse (what the warehouse runs: decode, document, indicator/project/policy facts,
    JSON) against trafilatura.extract + jionlp.ner.extract_money, and the plain lxml parse floor.
    One thread, in this process, all pages in memory."""
    pages = corpus.render(corpus.sites(n_sites, pages_per_site))
    total_bytes = sum(len(p.body) for p in pages)
    results.sizes["extract"] = (
        f"{len(pages)} generated pages ({n_sites} sites × {pages_per_site}, all five CMS "
        f"families, {total_bytes / len(pages) / 1024:.1f} KB each on average), one thread"
    )
    contenders = _extract_contenders()
    for fn in contenders.values():  # warm-up: imports, compiled patterns, dictionaries
        for p in pages[:20]:
            fn(p)
    samples = _ExtractSamples(rates={k: [] for k in contenders}, wall={k: [] for k in contenders})
    for i in range(repeats):
        _extract_round(contenders, pages, samples, i, repeats)
    _extract_summary(results, f"{len(pages)} pages", samples, has_peer="peer" in contenders)


def _extract_contenders() -> dict[str, Callable[[corpus.Page], None]]:
    """Ours, our document + indicators alone, the lxml parse floor and (when installed) the peer."""
    import lxml.html

    from parkwatch.extract import parse_document
    from parkwatch.extract.facts import extract_indicators
    from parkwatch.extract.rows import parse_page

    def ours_page(p):
        parse_page(p.url, p.body, p.url, p.content_type)

    def doc_facts(p):
        extract_indicators(parse_document(p.body, url=p.url, content_type=p.content_type), doc_ref=p.url)

    def lxml_page(p):
        lxml.html.fromstring(p.body)

    peer_page = _peer()
    contenders = {"ours": ours_page, "doc_facts": doc_facts, "lxml": lxml_page}
    if peer_page:
        contenders["peer"] = peer_page
    return contenders


def _extract_round(
    contenders: dict[str, Callable[[corpus.Page], None]],
    pages: list[corpus.Page],
    samples: _ExtractSamples,
    i: int,
    repeats: int,
) -> None:
    """One measured repeat: every contender over all pages, in an order that alternates between repeats."""
    # One core: pages per second of this process's CPU time (time.process_time; one thread), which a busy machine
    # does not inflate the way it inflates wall time; wall-clock rates are kept beside them.
    names = list(contenders)
    order = names if i % 2 == 0 else names[::-1]
    for name in order:
        fn = contenders[name]
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for p in pages:
            fn(p)
        samples.rates[name].append(len(pages) / max(time.process_time() - cpu0, 1e-9))
        samples.wall[name].append(len(pages) / (time.perf_counter() - wall0))
    if "peer" in contenders:
        samples.ratios.append(samples.rates["ours"][-1] / samples.rates["peer"][-1])
    print(
        f"  extract {i + 1}/{repeats}: "
        + ", ".join(
            f"{k} {v[-1]:.0f} pages/cpu-s ({samples.wall[k][-1]:.0f}/s wall)" for k, v in samples.rates.items()
        ),
        flush=True,
    )


def _extract_summary(results: Results, size: str, samples: _ExtractSamples, has_peer: bool) -> None:
    results.add(
        Figure(
            "extract_pages_per_s",
            "pages/s",
            samples.rates["ours"],
            size,
            note="parkwatch.extract.rows.parse_page (decode + document + indicator, project and policy "
            "facts + JSON rows), one thread, pages per CPU-second (process_time)",
        )
    )
    results.add(
        Figure(
            "lxml_parse_pages_per_s",
            "pages/s",
            samples.rates["lxml"],
            size,
            note="lxml.html.fromstring(bytes), pages per CPU-second",
        )
    )
    _support(
        results,
        "extract_wall_pages_per_s",
        samples.wall["ours"],
        "pages/s",
        "parse_page per second of wall time (what a loaded machine gives)",
    )
    if has_peer:
        _extract_peer_summary(results, size, samples)
    else:
        results.notes.append("extract_vs_peer_ratio: trafilatura/jionlp not installed (`uv sync --group bench`)")
    _support(
        results,
        "doc_indicators_pages_per_s",
        samples.rates["doc_facts"],
        "pages/s",
        "parse_document + extract_indicators only (no projects, policy, JSON), per CPU-second",
    )


def _extract_peer_summary(results: Results, size: str, samples: _ExtractSamples) -> None:
    results.add(
        Figure(
            "extract_vs_peer_ratio",
            "ratio",
            samples.ratios,
            size,
            note="our pages per CPU-second over trafilatura.extract + jionlp.ner.extract_money's, paired",
        )
    )
    _support(
        results,
        "peer_pages_per_s",
        samples.rates["peer"],
        "pages/s",
        "trafilatura.extract (main text) then jionlp.ner.extract_money on it, per CPU-second",
    )


def _peer():
    try:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):  # jionlp greets on stdout at import
            import jionlp
            import trafilatura
    except ImportError:
        return None

    def peer_page(p):
        text = trafilatura.extract(p.body) or ""
        jionlp.ner.extract_money(text)

    return peer_page


# ------------------------------------------------------------------------------------- dbt

INCREMENT_RUN = "T060000-increment"


@dataclass
class _DbtSetup:
    """A raw zone of landed pages, the new pages landed before each incremental build, and how to run dbt."""

    work: Path
    home: Path
    raw: Path
    base: list[corpus.Page]
    new: list[corpus.Page]
    env: dict[str, str]
    exe: str
    project: str


@dataclass
class _DbtSamples:
    full_s: list[float] = field(default_factory=list)
    inc_s: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)  # full then incremental, per repeat
    problems: list[str] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    # per kind of build ("full", "incremental"): seconds per dbt node, one per repeat
    nodes: dict[str, dict[str, list[float]]] = field(default_factory=lambda: {"full": {}, "incremental": {}})


def dbt(results: Results, work: Path, n_pages: int, repeats: int, full_size: int = 10_000) -> Path:
    """``dbt build --full-refresh`` over a raw zone of ``n_pages`` landed pages, then ``dbt build``
    after 1% new pages land; both measured by the OS (wall time, peak RSS of the dbt process).
    Returns the warehouse home (its build.duckdb feeds the validation stage)."""
    setup = _dbt_setup(results, work, n_pages)
    samples = _DbtSamples()
    for i in range(repeats):
        _dbt_pair(setup, samples, i, repeats)
    _dbt_summary(results, setup, samples, full_size)
    return setup.home


def _dbt_setup(results: Results, work: Path, n_pages: int) -> _DbtSetup:
    from parkwatch import config
    from parkwatch.warehouse import dbt_env, dbt_executable

    per_site = corpus.PAGES_PER_SITE
    n_sites = max(1, -(-n_pages // per_site))
    extra = max(1, round(per_site / 100))
    generated = corpus.sites(n_sites, per_site + extra)
    base = corpus.render(generated, limit_per_site=per_site)[:n_pages]
    new = corpus.render(generated, skip_per_site=per_site)[: max(1, round(len(base) / 100))]
    home = work / "dbt-home"
    shutil.rmtree(home, ignore_errors=True)
    raw = home / "raw"
    corpus.land(base, raw, "T060000")
    results.sizes["dbt"] = (
        f"{len(base)} landed pages ({n_sites} generated sites, all CMS families), then "
        f"{len(new)} new pages ({len(new) / len(base):.0%}); dbt-duckdb threads 2; the raw zone "
        "is landed with parkwatch.land directly (pages only, no list pages)"
    )
    with env_override(PARKWATCH_HOME=str(home)):
        env = dbt_env()
        exe = dbt_executable()
    return _DbtSetup(work, home, raw, base, new, env, exe, str(config.dbt_dir()))


def _dbt_build(setup: _DbtSetup, samples: _DbtSamples, full: bool, tag: str) -> tuple[ChildRun, int | None]:
    """One ``dbt build``: its run, the pages int_parsed_pages says it parsed, and its node timings recorded."""
    args = [setup.exe, "build"] + (["--full-refresh"] if full else []) + ["--project-dir", setup.project]
    run = run_child(args, env=setup.env, cwd=setup.project, log=setup.work / f"dbt-{tag}.log")
    parsed = re.findall(r"int_parsed_pages: parsed (\d+)", run.output)
    for node, secs in node_timings(Path(setup.env["DBT_TARGET_PATH"]) / "run_results.json").items():
        samples.nodes["full" if full else "incremental"].setdefault(node, []).append(secs)
    return run, int(parsed[-1]) if parsed else None


def _dbt_pair(setup: _DbtSetup, samples: _DbtSamples, i: int, repeats: int) -> None:
    """One measured pair: a full refresh, then an incremental build after the new pages land."""
    for m in setup.raw.glob(f"manifests/*/*{INCREMENT_RUN}.jsonl"):
        m.unlink()
    run_f, parsed_f = _dbt_build(setup, samples, True, f"full-{i}")
    corpus.land(setup.new, setup.raw, INCREMENT_RUN, fetched_at=_next_day())
    run_i, parsed_i = _dbt_build(setup, samples, False, f"incremental-{i}")
    for run, what in ((run_f, "full"), (run_i, "incremental")):
        if run.returncode != 0:
            samples.problems.append(
                f"dbt build ({what}, run {i + 1}) exited {run.returncode}: " + _tail_error(run.output)
            )
    samples.cpu.append(run_f.cpu_s)
    samples.full_s.append(run_f.seconds)
    samples.inc_s.append(run_i.seconds)
    samples.ratios.append(run_i.seconds / run_f.seconds)
    samples.rss += [run_f.peak_rss_mb, run_i.peak_rss_mb]
    print(
        f"  dbt {i + 1}/{repeats}: full {run_f.seconds:.1f}s (parsed {parsed_f}, {run_f.peak_rss_mb:.0f} MB), "
        f"incremental {run_i.seconds:.1f}s (parsed {parsed_i}, {run_i.peak_rss_mb:.0f} MB)",
        flush=True,
    )


def _dbt_summary(results: Results, setup: _DbtSetup, samples: _DbtSamples, full_size: int) -> None:
    n_base, n_new = len(setup.base), len(setup.new)
    scale = full_size / n_base
    _dbt_full_figure(results, samples, n_base, full_size)
    results.add(
        Figure(
            "dbt_incremental_vs_full_ratio",
            "ratio",
            samples.ratios,
            f"{n_base} + {n_new} pages",
            note="`dbt build` after 1% new pages over the full refresh before it, paired"
            + (
                ""
                if scale == 1
                else "; at this size dbt's fixed cost weighs more than at "
                f"{full_size} pages (BENCH_FULL=1 measures that)"
            ),
        )
    )
    results.add(
        Figure(
            "dbt_peak_rss_mb",
            "MB",
            [max(samples.rss[k : k + 2]) for k in range(0, len(samples.rss), 2)],
            f"{n_base} pages",
            note="largest resident set of the dbt process (os.wait4 ru_maxrss), Python models run inside it",
        )
    )
    _support(results, "dbt_full_s_measured", samples.full_s, "s", f"full refresh at {n_base} pages, unscaled")
    _support(results, "dbt_incremental_s", samples.inc_s, "s", f"incremental build, {n_new} new pages")
    _support(
        results, "dbt_full_cpu_s", samples.cpu, "s", f"CPU time (user + system) of the full refresh at {n_base} pages"
    )
    # dbt's own profile: the slowest nodes of each kind of build (run_results.json)
    for kind, timings in samples.nodes.items():
        slowest = sorted(timings.items(), key=lambda kv: -summarise(kv[1])["median"])[:4]
        for node, secs in slowest:
            _support(results, f"dbt {kind}: {node}", secs, "s", f"node time in the {kind} build (run_results.json)")


def _dbt_full_figure(results: Results, samples: _DbtSamples, n_base: int, full_size: int) -> None:
    """dbt_full_10k_s: measured at the full size, or estimated for it from a smaller one."""
    scale = full_size / n_base
    note = "wall time of `dbt build --full-refresh` (seeds, every model, every test)"
    if samples.problems:
        note += "; " + " | ".join(dict.fromkeys(samples.problems))
    if scale == 1:
        results.add(Figure("dbt_full_10k_s", "s", samples.full_s, f"{full_size} pages", note=note))
        return
    # Below the full size, the incremental build run right after stands for dbt's fixed cost
    # (start-up, seeds, every other model and test) and only the rest is scaled to the full size.
    # strict: every repeat appends one full and one incremental time together, so the lengths match.
    pairs = zip(samples.full_s, samples.inc_s, strict=True)
    results.add(
        Figure(
            "dbt_full_10k_s",
            "s",
            [f + (f - i) * (scale - 1) for f, i in pairs],
            f"{full_size} pages",
            note=note,
            scaled_from=f"{n_base} pages: the incremental build as fixed cost, the rest × {scale:g}",
        )
    )
    _support(
        results,
        "dbt_full_10k_s_linear",
        [f * scale for f in samples.full_s],
        "s",
        f"{full_size} pages as {n_base} pages × {scale:g} (an upper bound: scales dbt's fixed cost too)",
    )


def node_timings(run_results: Path) -> dict[str, float]:
    """Seconds per dbt node (model, seed, test) of the last run, from dbt's run_results.json."""
    try:
        data = json.loads(run_results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {r["unique_id"].split(".", 2)[-1]: float(r.get("execution_time") or 0) for r in data.get("results", [])}


def prepare_build(work: Path, n_pages: int) -> Path:
    """A built warehouse (for the validation stage when the dbt stage did not run): ``n_pages``
    landed generated pages and one ``dbt build``, not measured."""
    from parkwatch.warehouse import run_dbt

    per_site = corpus.PAGES_PER_SITE
    pages = corpus.render(corpus.sites(max(1, -(-n_pages // per_site)), per_site))[:n_pages]
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    corpus.land(pages, home / "raw", "T060000")
    with env_override(PARKWATCH_HOME=str(home)):
        run_dbt("build", log_name="dbt_build")
    return home


def _next_day():
    import datetime as dt

    return dt.datetime(2026, 1, 16, 6, 0, tzinfo=dt.UTC)


def _tail_error(output: str) -> str:
    lines = [ln for ln in output.splitlines() if "ERROR" in ln or "FAIL" in ln or "Error" in ln]
    return (" / ".join(lines[-3:]) or output[-300:])[:500]


# ------------------------------------------------------------------------------------- validation


def gx(results: Results, work: Path, source_home: Path, rows: int, repeats: int, full_rows: int = 1_000_000) -> None:
    """``parkwatch.quality.validate.validate()`` (every suite, Data Docs) on a build whose
    marts.indicators holds ``rows`` rows, replicated from the real rows of the dbt stage's build
    (fact_id and doc_id suffixed so keys stay unique). Timed inside a child process; its peak RSS
    comes from the OS.

    Below ``full_rows`` (quick mode) each repeat also validates the unreplicated build, and the
    full-size figure is the line through the two points (fixed cost + cost per row), not a plain
    multiple that would scale GX's fixed start-up too."""
    big = _gx_home(work / "gx-home", source_home)
    real, copies, got = replicate_indicators(big / "build.duckdb", rows)
    small = _gx_home(work / "gx-home-small", source_home) if got < full_rows and real < got else None
    results.sizes["gx"] = (
        f"{got:,} indicator rows ({real:,} real rows from the dbt stage × {copies}, keys "
        "suffixed), plus that build's policies and consistency checks; every suite, Data Docs"
        + (f"; also the {real:,} real rows alone, for the fixed cost" if small else "")
    )
    seconds, small_s, scaled, rss, outcome = [], [], [], [], []
    for i in range(repeats):
        data, run = _gx_run(big, work / f"gx-{i}.log")
        seconds.append(data["seconds"])
        rss.append(run.peak_rss_mb)
        outcome.append(data)
        line = f"  gx {i + 1}/{repeats}: {data['seconds']:.1f}s for {data['rows']:,} rows"
        if small:
            base, _ = _gx_run(small, work / f"gx-small-{i}.log")
            small_s.append(base["seconds"])
            per_row = max(0.0, (data["seconds"] - base["seconds"]) / (got - real))
            scaled.append(data["seconds"] + per_row * (full_rows - got))
            line += f", {base['seconds']:.1f}s for {real:,}"
        else:
            scaled.append(data["seconds"] * full_rows / got)
        print(line + f" (success {data['success']}, {run.peak_rss_mb:.0f} MB)", flush=True)
    note = "validate(): frames from DuckDB, prepare_indicators, the error and warn suites, Data Docs"
    if not outcome[-1]["success"]:
        note += "; validation reported failures (the figure still times the whole run): " + "; ".join(
            outcome[-1]["failed"][:3]
        )
    results.add(
        Figure(
            "gx_1m_rows_s",
            "s",
            scaled,
            f"{full_rows:,} rows",
            note=note,
            scaled_from=None
            if got == full_rows
            else (
                f"{got:,} and {real:,} rows: fixed cost + cost per row, paired per repeat"
                if small
                else f"{got:,} rows × {full_rows / got:g}, linear"
            ),
        )
    )
    _support(results, "gx_s_measured", seconds, "s", f"validate() at {got:,} rows, unscaled")
    if small:
        _support(results, "gx_s_real_rows", small_s, "s", f"validate() at {real:,} rows (the fixed cost, mostly)")
    _support(results, "gx_peak_rss_mb", rss, "MB", f"peak RSS of the validating process at {got:,} rows (os.wait4)")


def _gx_home(home: Path, source_home: Path) -> Path:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copy2(source_home / "build.duckdb", home / "build.duckdb")
    return home


def _gx_run(home: Path, log: Path):
    shutil.rmtree(home / "gx", ignore_errors=True)
    shutil.rmtree(home / "runs", ignore_errors=True)
    run = run_child(
        [python(), "-m", "bench.gx_child", "--home", str(home)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PARKWATCH_HOME": str(home)},
        log=log,
    )
    line = [ln for ln in run.output.splitlines() if ln.startswith("BENCH_GX ")]
    if run.returncode != 0 or not line:
        raise RuntimeError(f"validation child exited {run.returncode}: {run.output[-1500:]}")
    return json.loads(line[-1][len("BENCH_GX ") :]), run


def replicate_indicators(db: Path, rows: int) -> tuple[int, int, int]:
    """Grow marts.indicators in ``db`` to ``rows`` rows by copying its real rows (fact_id and doc_id
    suffixed with the copy number, so keys stay unique). Returns (real rows, copies, rows now)."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        real = _count_indicators(con)
        if not real:
            raise RuntimeError("the build has no indicator rows to replicate")
        copies = -(-rows // real)
        con.execute(f"""
            create or replace table marts.indicators as
            select * replace (fact_id || '~' || k as fact_id, doc_id || '~' || k as doc_id)
            from marts.indicators, range({copies}) as r(k)
            order by k, fact_id
            limit {rows}""")
        got = _count_indicators(con)
    return real, copies, got


def _count_indicators(con) -> int:
    row = con.execute("select count(*) from marts.indicators").fetchone()
    if row is None:  # a count(*) always returns one row; this keeps that assumption checked
        raise RuntimeError("select count(*) from marts.indicators returned no row")
    return row[0]


# ------------------------------------------------------------------------------------- end to end


@dataclass
class _DemoSamples:
    direct: list[float] = field(default_factory=list)
    via_airflow: list[float] = field(default_factory=list)
    overhead: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    airflow_error: str | None = None  # the first failed Airflow run stops the Airflow runs


def demo(results: Results, work: Path, repeats: int, airflow_budget_s: float | None = None) -> None:
    """``parkwatch demo --no-airflow`` (= `parkwatch run` on the demo portal) and ``parkwatch demo``
    (through `airflow dags test`), each on a fresh warehouse, paired back to back.

    ``airflow_budget_s`` (quick mode): stop starting Airflow runs once the next one would pass
    this many seconds of Airflow runs (at least one runs); the count is reported."""
    exe = str(Path(python()).with_name("parkwatch"))
    samples = _DemoSamples()
    work.mkdir(parents=True, exist_ok=True)
    for i in range(repeats):
        _demo_pair(work, exe, samples, i, repeats, airflow_budget_s)
    _demo_summary(results, samples, repeats, airflow_budget_s)
    if samples.airflow_error and not samples.via_airflow:
        raise RuntimeError(samples.airflow_error)


def _demo_run(work: Path, exe: str, name: str, i: int) -> ChildRun:
    """One ``parkwatch demo`` (``name`` "direct" adds --no-airflow) on a fresh home."""
    home = work / f"demo-{name}-{i}"
    shutil.rmtree(home, ignore_errors=True)
    args = [exe, "demo", "--port", "0"] + (["--no-airflow"] if name == "direct" else [])
    env = {k: v for k, v in os.environ.items() if k not in ("PARKWATCH_SITES_DIR", "AIRFLOW_HOME")}
    env["PARKWATCH_HOME"] = str(home)
    run = run_child(args, env=env, cwd=PROJECT_ROOT, log=work / f"demo-{name}-{i}.log", timeout_s=1800)
    if run.returncode != 0:
        raise RuntimeError(f"`parkwatch {' '.join(args[1:])}` exited {run.returncode}: " + _tail_error(run.output))
    return run


def _demo_pair(
    work: Path, exe: str, samples: _DemoSamples, i: int, repeats: int, airflow_budget_s: float | None
) -> None:
    """One measured repeat: the direct run, then the Airflow run while the budget allows and none has failed."""
    d = _demo_run(work, exe, "direct", i)
    samples.direct.append(d.seconds)
    samples.rss.append(d.peak_rss_mb)
    line = f"  demo {i + 1}/{repeats}: direct {d.seconds:.1f}s"
    spent = sum(samples.via_airflow)
    next_cost = max(samples.via_airflow) if samples.via_airflow else 0
    if samples.airflow_error is None and (
        airflow_budget_s is None or not samples.via_airflow or spent + next_cost <= airflow_budget_s
    ):
        try:
            a = _demo_run(work, exe, "airflow", i)
            samples.via_airflow.append(a.seconds)
            samples.overhead.append(a.seconds - d.seconds)
            samples.rss.append(a.peak_rss_mb)
            line += f", airflow {a.seconds:.1f}s"
        except RuntimeError as exc:
            samples.airflow_error = str(exc)
            line += ", airflow FAILED"
    print(line, flush=True)


def _demo_summary(results: Results, samples: _DemoSamples, repeats: int, airflow_budget_s: float | None) -> None:
    results.sizes["demo"] = (
        "the demo portal's five hand-written sites (about 60 pages), a fresh warehouse and "
        "Airflow home per run (so Airflow's `db migrate` is included)"
    )
    results.add(
        Figure(
            "demo_e2e_s",
            "s",
            samples.direct,
            "demo portal",
            note="`parkwatch demo --no-airflow --port 0`: portal, crawl, dbt build, validate, publish",
        )
    )
    note = "`parkwatch demo --port 0` (airflow dags test) minus the direct run just before it"
    if samples.airflow_error:
        note += f"; the Airflow run failed: {samples.airflow_error[:300]}"
    elif len(samples.via_airflow) < repeats:
        note += (
            f"; only {len(samples.via_airflow)} Airflow run(s): quick mode's Airflow time budget "
            f"({airflow_budget_s:.0f} s) was spent (BENCH_FULL=1 runs all {repeats})"
        )
    results.add(Figure("airflow_overhead_s", "s", samples.overhead, "demo portal", note=note))
    _support(results, "demo_airflow_s", samples.via_airflow, "s", "`parkwatch demo --port 0` through airflow dags test")
    _support(
        results,
        "demo_peak_rss_mb",
        samples.rss,
        "MB",
        "largest resident set of one process tree in the demo (os.wait4)",
    )
