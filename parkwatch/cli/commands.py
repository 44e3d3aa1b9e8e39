"""The ``parkwatch`` command: thin wrappers over parkwatch.pipeline and friends."""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(help="parkwatch: crawl park and government sites, build marts, validate, publish.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
portal_app = typer.Typer(help="The demo portal: local sites imitating real park and government sites.")
app.add_typer(portal_app, name="portal")


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _echo_json(obj) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _fail(msg: str) -> None:
    typer.secho(f"error: {msg}", fg="red", err=True)
    raise typer.Exit(1)


@portal_app.command("serve")
def portal_serve(port: int = typer.Option(8700, help="directory port; sites share it on 127.0.1.N"),
                 today: Optional[str] = typer.Option(None, help="portal clock, YYYY-MM-DD"),
                 sites: int = typer.Option(0, help="generated park sites to add (127.0.1.10 and up)"),
                 pages_per_site: int = typer.Option(100, help="detail pages per generated site"),
                 seed: int = typer.Option(0, help="generator seed (deterministic)")):
    """Serve the demo portal in the foreground (Ctrl-C stops it)."""
    from parkwatch.portal import serve

    serve(port=port, today=today, sites=sites, pages_per_site=pages_per_site, seed=seed)


@app.command()
def crawl(site: list[str] = typer.Option(None, "--site", help="site id (repeatable); default: all valid sites"),
          all_sites: bool = typer.Option(False, "--all", help="crawl every valid site (the default)"),
          today: Optional[str] = typer.Option(None, "--today", help="the crawl's day YYYY-MM-DD (date floor, "
                                              "revisits, manifests' logical date); default: today"),
          date_: Optional[str] = typer.Option(None, "--date", hidden=True, help="old name of --today"),
          as_json: bool = typer.Option(False, "--json", help="print the summaries as JSON")):
    """Crawl sites (one subprocess each) into the raw zone, incrementally; print crawl health."""
    _setup_logging()
    from parkwatch import pipeline
    from parkwatch.crawl.launcher import HEALTH_LABELS, LiveProgress, crawl_sites, health_rows
    from parkwatch.sites.registry import load_sites

    day = today or date_
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            _fail(f"--today must be YYYY-MM-DD, got {day!r}")
    sites, errors = load_sites()
    for err in errors:
        typer.secho(f"error: site registry: {err} (site not crawled)", fg="red", err=True)
    known = [s.id for s in sites]
    unknown = [s for s in (site or []) if s not in known]
    if unknown:
        _fail(f"unknown site {', '.join(unknown)}; valid sites: {', '.join(known) or 'none'}")
    ids = list(dict.fromkeys(site)) if site and not all_sites else known
    with LiveProgress(ids) as display:
        summaries = crawl_sites(ids, day, progress=display.update, on_done=display.finished)
    for s in summaries:
        pipeline.record_run("crawl", s)
    if as_json:
        _echo_json(summaries)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"crawl health{' ' + day if day else ''}", title_justify="left")
        for col in ("site", *HEALTH_LABELS, "status"):
            table.add_column(col, justify="left" if col in ("site", "failed", "status") else "right")
        for row in health_rows(summaries):
            table.add_row(*row)
        Console(width=max(120, Console().width)).print(table)
        for s in summaries:
            if s.get("error"):
                typer.secho(f"{s['site_id']}: {s['error']} (log {s['log']})", fg="red", err=True)
    if errors or any(s.get("error") for s in summaries):
        raise typer.Exit(1)


@app.command()
def build(full_refresh: bool = typer.Option(False, help="re-derive every model from the raw zone")):
    """dbt build into build.duckdb."""
    _setup_logging()
    from parkwatch.warehouse.build import BuildError
    from parkwatch.pipeline import build_step

    try:
        _echo_json(build_step(full_refresh))
    except BuildError as exc:
        _fail(str(exc))


@app.command()
def docs():
    """Build dbt docs (lineage, models, columns) as one HTML page and print where it is."""
    _setup_logging()
    from parkwatch.warehouse.build import BuildError, docs as dbt_docs

    try:
        _echo_json(dbt_docs())
    except BuildError as exc:
        _fail(str(exc))


@app.command()
def validate():
    """Run the Great Expectations checkpoint on the built marts."""
    _setup_logging()
    from parkwatch.pipeline import validate_step

    try:
        summary = validate_step()
    except FileNotFoundError as exc:
        _fail(str(exc))
    _echo_json(summary)
    if not summary["success"]:
        raise typer.Exit(1)


@app.command()
def publish():
    """Copy validated marts into parks.duckdb (atomic replace)."""
    _setup_logging()
    from parkwatch.pipeline import publish_step
    from parkwatch.publish.publish import PublishRefused

    try:
        _echo_json(publish_step())
    except (PublishRefused, FileNotFoundError) as exc:
        _fail(str(exc))


@app.command()
def run(date_: Optional[str] = typer.Option(None, "--date", help="logical date YYYY-MM-DD"),
        as_json: bool = typer.Option(False, "--json")):
    """All steps once, without a scheduler: crawl → build → validate → publish."""
    _setup_logging()
    from parkwatch import pipeline

    result = pipeline.run_all(date_)
    if as_json:
        _echo_json(result)
    else:
        _print_summary(result["seconds"])
    if not result["validation"]["success"]:
        raise typer.Exit(1)


@app.command()
def demo(airflow: bool = typer.Option(True, help="run through Airflow (`airflow dags test`)"),
         date_: Optional[str] = typer.Option(None, "--date", help="logical date, default today"),
         port: int = typer.Option(int(os.environ.get("PARKWATCH_PORTAL_PORT") or 8700),
                                  help="portal port; a free one is taken if it is busy")):
    """Start the demo portal, run the DAGs on it, print what was published.

    The portal keeps one port across runs when it can, so page URLs (and so the marts) stay
    the same from one demo to the next.
    """
    _setup_logging()
    from parkwatch import pipeline
    from parkwatch.orchestration import airflow_env as orchestration
    from parkwatch.portal import Portal

    started = time.monotonic()
    logical_date = date_ or date.today().isoformat()
    try:
        portal = Portal(port=port, today=logical_date).start()
    except OSError:
        typer.secho(f"port {port} is busy; the portal takes a free port (URLs differ from earlier runs)",
                    fg="yellow", err=True)
        portal = Portal(port=0, today=logical_date).start()
    with portal:
        os.environ["PARKWATCH_PORTAL_PORT"] = str(portal.port)
        typer.echo(f"demo portal on {portal.directory_url} ({len(portal.site_urls)} sites)")
        try:
            if airflow:
                env = orchestration.airflow_env()
                log = orchestration.prepare(env)
                for dag_id in ("parkwatch_crawl", "parkwatch_transform"):
                    typer.echo(f"airflow dags test {dag_id} {logical_date} (log {log})")
                    orchestration.dags_test(dag_id, logical_date, env, log)
            else:
                pipeline.run_all(logical_date)
        except Exception as exc:  # noqa: BLE001 - report and exit non-zero with the reason
            _fail(str(exc))
    _print_summary(round(time.monotonic() - started, 1))


def _print_summary(seconds: float) -> None:
    from parkwatch.serve import status as st

    s = st.status()
    crawls = s["last_crawls"]
    latest_run = {}
    for c in crawls:
        latest_run[c["site_id"]] = c
    rows = s["rows"]
    v = s["last_validation"] or {}
    typer.echo("")
    typer.echo("parkwatch summary")
    typer.echo(f"  pages crawled      {sum(c['pages_landed'] for c in latest_run.values())} "
               f"({len(latest_run)} sites, {sum(sum(c['failed'].values()) for c in latest_run.values())} failed)")
    typer.echo(f"  documents          {rows.get('documents', 0)}")
    for mart in ("indicators", "projects", "policies", "parks", "review_queue"):
        typer.echo(f"  {mart:<18} {rows.get(mart, 0)} rows")
    typer.echo(f"  validation         {'passed' if v.get('success') else 'FAILED'}"
               f" ({v.get('warnings', 0)} warnings); Data Docs {v.get('data_docs')}")
    typer.echo(f"  published          {s['published_db']}")
    typer.echo(f"  seconds            {seconds}")


# --- status, export, report: what state the platform is in, and the marts for BI tools (#9) ---
@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="print the state as JSON (for scripts)")):
    """Last runs, freshness per site, rows per mart, last validation (Data Docs), review queue, report."""
    from parkwatch.serve import status as st

    s = st.status()
    if as_json:
        _echo_json(s)
    else:
        _print_status(s)
    if not s["home_exists"]:  # a mistyped PARKWATCH_HOME must not look like a healthy, empty platform
        raise typer.Exit(1)


def _print_status(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(110, Console().width))
    console.print(f"[bold]parkwatch status[/bold]  home {s['home']}")
    if s["published_db"]:
        console.print(f"published  {s['published_db']}  (snapshot {s['published_at'] or 'unknown'})")
    else:
        console.print("published  [yellow]nothing yet[/yellow]")

    runs = Table(title="last runs", title_justify="left")
    for col in ("step", "at", "hours ago", "result"):
        runs.add_column(col, justify="right" if col == "hours ago" else "left")
    for step, r in s["last_runs"].items():
        if r is None:
            runs.add_row(step, "never", "", "")
            continue
        if step == "crawl":
            result = f"{r['site_id']}: {'ok' if r['ok'] else '[red]failed[/red]'}, {r['pages_landed']} pages"
        elif step == "build":
            result = f"{r.get('dbt_result') or ''} ({r.get('seconds')} s)"
        elif step == "validate":
            result = ("passed" if r.get("success") else "[red]FAILED[/red]") + f", {r.get('warnings') or 0} warnings"
        else:
            result = f"{r.get('rows')} rows" + (f"; report {r['report']}" if r.get("report") else "")
        runs.add_row(step, str(r["at"] or "")[:16].replace("T", " "), str(r["hours_ago"]), result)
    console.print(runs)

    sites = Table(title=f"sites (stale after {st_hours()} h without a good crawl)", title_justify="left")
    for col in ("site", "state", "last good crawl", "hours", "landed", "new", "failed", "newest document"):
        sites.add_column(col, justify="right" if col in ("hours", "landed", "new", "failed") else "left")
    colour = {"ok": "green", "stale": "yellow", "failed": "red", "never crawled": "yellow"}
    for x in s["sites"]:
        sites.add_row(x["site_id"], f"[{colour.get(x['state'], 'white')}]{x['state']}[/]",
                      (x["last_success_at"] or "—")[:16].replace("T", " "), "" if x["hours_since_success"] is None else str(x["hours_since_success"]),
                      *("" if x[k] is None else str(x[k]) for k in ("pages_landed", "pages_new", "pages_failed")),
                      x["newest_document"] or "—")
    console.print(sites)

    marts = Table(title="published marts", title_justify="left")
    marts.add_column("mart")
    marts.add_column("rows", justify="right")
    for mart, n in s["rows"].items():
        marts.add_row(mart, str(n))
    console.print(marts)

    v = s["last_validation"]
    if v:
        state = "[green]passed[/green]" if v["success"] else "[red]FAILED[/red]"
        console.print(f"validation  {state} at {v['validated_at']}, {v['warnings'] or 0} warnings"
                      f"{'' if v['published'] else ' (not the published build)'}")
        for c in v["failed_checks"]:
            console.print(f"  {c['severity']:<5} {c['suite']}: {c['check']} ({c['unexpected']} rows)")
        console.print(f"Data Docs   {v['data_docs']}")
    else:
        console.print("validation  never run")
    rq = s["review_queue"]
    if rq is not None:
        flags = ", ".join(f"{k} {n}" for k, n in rq["by_flag"].items())
        console.print(f"review queue {rq['total']} rows{' (' + flags + ')' if flags else ''}")
    rep = s["report"]
    console.print(f"report      {rep.get('url') or rep['path']}"
                  + ("" if rep["exists"] else " [yellow](not generated)[/yellow]"))
    if s["problems"]:
        console.print("[bold yellow]needs attention[/bold yellow]")
        for p in s["problems"]:
            console.print(f"  - {p}", markup=False, highlight=False)


def st_hours() -> int:
    from parkwatch.serve.status import STALE_AFTER_HOURS

    return STALE_AFTER_HOURS


@app.command()
def export(format_: str = typer.Option("parquet", "--format", help="parquet | csv | xlsx"),
           mart: Optional[str] = typer.Option(None, "--mart", help="one mart (default: all, plus publish_log)"),
           out: Optional[Path] = typer.Option(None, "--out", help="directory (default: <PARKWATCH_HOME>/exports)"),
           as_json: bool = typer.Option(False, "--json", help="print what was written as JSON")):
    """Write the published marts as Parquet, CSV or one Excel workbook, from one snapshot."""
    from parkwatch.publish.export import ExportError, export as do_export

    try:
        summary = do_export(format_, mart, out)
    except ExportError as exc:
        _fail(str(exc))
    if as_json:
        _echo_json(summary)
        return
    typer.echo(f"exported {len(summary['files'])} mart(s) as {summary['format']} from the publish of "
               f"{summary['published_at']} in {summary['seconds']} s:")
    for f in summary["files"]:
        typer.echo(f"  {f['mart']:<22} {f['rows']:>8} rows  {f['path']}")
    typer.echo(f"manifest {summary['manifest']}")


@app.command()
def report(out: Optional[Path] = typer.Option(None, "--out", help="file (default: <PARKWATCH_HOME>/report/index.html)"),
           as_json: bool = typer.Option(False, "--json", help="print the result as JSON")):
    """Regenerate the report page from the published marts (it also runs after every publish)."""
    from parkwatch.publish.export import NotPublished
    from parkwatch.serve.report import generate_report

    try:
        summary = generate_report(out=out)
    except NotPublished as exc:
        _fail(str(exc))
    if as_json:
        _echo_json(summary)
        return
    typer.echo(f"report {summary['url']} ({summary['parks']} parks, {summary['charts']} charts, "
               f"{summary['bytes'] // 1024} KiB, {summary['seconds']} s); open it in a browser, it works offline")
# --- end status, export, report ---


@app.command()
def extract(paths: list[Path] = typer.Argument(..., help="HTML or .txt files"),
            format_: str = typer.Option("jsonl", "--format", help="only jsonl"),
            kind: str = typer.Option("indicators", help="indicators|documents|projects|policies")):
    """Extract facts from files and print one JSON object per fact (contract in DESIGN.md)."""
    from parkwatch.extract.facts import extract_file, extract_policy, extract_projects

    if format_ != "jsonl":
        _fail(f"unknown format {format_!r}: only jsonl")
    failed = 0
    for path in paths:
        if not path.is_file():
            typer.secho(f"error: {path}: not a file", fg="red", err=True)
            failed += 1
            continue
        doc, facts = extract_file(str(path))
        if kind == "indicators":
            records = facts
        elif kind == "documents":
            records = [{"doc": str(path), **doc.to_dict()}]
        elif kind == "projects":
            records = [{"doc": str(path), **p} for p in extract_projects(doc)]
        elif kind == "policies":
            policy = extract_policy(doc)
            records = [{"doc": str(path), **policy}] if policy else []
        else:
            _fail(f"unknown kind {kind!r}")
        for rec in records:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
