"""The ``parkwatch`` command: thin Typer commands over parkwatch.pipeline and friends; what they print
for people is in :mod:`parkwatch.cli.render`."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

import typer

app = typer.Typer(
    help="parkwatch: crawl park and government sites, build marts, validate, publish.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
portal_app = typer.Typer(help="The demo portal: local sites imitating real park and government sites.")
app.add_typer(portal_app, name="portal")


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _echo_json(obj) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _fail(msg: str) -> None:
    typer.secho(f"error: {msg}", fg="red", err=True)
    raise typer.Exit(1)


def _date_option(help_: str = "the day YYYY-MM-DD; default: today"):
    """The one ``--date`` flag every command that takes a day shares."""
    return typer.Option(None, "--date", help=help_, callback=_check_date)


def _check_date(day: str | None) -> str | None:
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            _fail(f"--date must be YYYY-MM-DD, got {day!r}")
    return day


@portal_app.command("serve")
def portal_serve(
    port: int = typer.Option(8700, help="directory port; sites share it on 127.0.1.N"),
    day: str | None = _date_option("portal clock YYYY-MM-DD; default: today"),
    sites: int = typer.Option(0, help="generated park sites to add (127.0.1.10 and up)"),
    pages_per_site: int = typer.Option(100, help="detail pages per generated site"),
    seed: int = typer.Option(0, help="generator seed (deterministic)"),
):
    """Serve the demo portal in the foreground (Ctrl-C stops it)."""
    from parkwatch.portal import serve

    serve(port=port, today=day, sites=sites, pages_per_site=pages_per_site, seed=seed)


def _sites_to_crawl(requested: list[str] | None, all_sites: bool) -> tuple[list[str], list]:
    """The valid site ids to crawl and the registry's errors (printed: those sites are not crawled)."""
    from parkwatch.sites import load_sites

    sites, errors = load_sites()
    for err in errors:
        typer.secho(f"error: site registry: {err} (site not crawled)", fg="red", err=True)
    known = [s.id for s in sites]
    unknown = [s for s in (requested or []) if s not in known]
    if unknown:
        _fail(f"unknown site {', '.join(unknown)}; valid sites: {', '.join(known) or 'none'}")
    return (list(dict.fromkeys(requested)) if requested and not all_sites else known), errors


@app.command()
def crawl(
    site: list[str] = typer.Option(None, "--site", help="site id (repeatable); default: all valid sites"),
    all_sites: bool = typer.Option(False, "--all", help="crawl every valid site (the default)"),
    day: str | None = _date_option(
        "the crawl's day YYYY-MM-DD (date floor, revisits, manifests' logical date); default: today"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the summaries as JSON"),
):
    """Crawl sites (one subprocess each) into the raw zone, incrementally; print crawl health."""
    _setup_logging()
    from parkwatch import pipeline
    from parkwatch.crawl.progress import LiveProgress

    ids, errors = _sites_to_crawl(site, all_sites)
    with LiveProgress(ids) as display:
        summaries = pipeline.crawl(day, ids, progress=display.update, on_done=display.finished)
    if as_json:
        _echo_json(summaries)
    else:
        from parkwatch.cli import render

        render.crawl_health(summaries, day)
    if errors or any(s.get("error") for s in summaries):
        raise typer.Exit(1)


@app.command()
def build(full_refresh: bool = typer.Option(False, help="re-derive every model from the raw zone")):
    """dbt build into build.duckdb."""
    _setup_logging()
    from parkwatch.pipeline import build_step
    from parkwatch.warehouse.build import BuildError

    try:
        _echo_json(build_step(full_refresh))
    except BuildError as exc:
        _fail(str(exc))


@app.command()
def docs():
    """Build dbt docs (lineage, models, columns) as one HTML page and print where it is."""
    _setup_logging()
    from parkwatch.warehouse.build import BuildError
    from parkwatch.warehouse.build import docs as dbt_docs

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
def run(
    day: str | None = _date_option("logical date YYYY-MM-DD; default: today"),
    as_json: bool = typer.Option(False, "--json"),
):
    """All steps once, without a scheduler: crawl → build → validate → publish."""
    _setup_logging()
    from parkwatch import pipeline

    result = pipeline.run_all(day)
    if as_json:
        _echo_json(result)
    else:
        _print_summary(result["seconds"])
    if not result["validation"]["success"]:
        raise typer.Exit(1)


def _start_portal(port: int, day: str):
    """The demo portal on ``port``, or on a free port when that one is busy."""
    from parkwatch.portal import Portal

    try:
        return Portal(port=port, today=day).start()
    except OSError:
        typer.secho(
            f"port {port} is busy; the portal takes a free port (URLs differ from earlier runs)", fg="yellow", err=True
        )
        return Portal(port=0, today=day).start()


def _run_dags(day: str, portal_port: int) -> None:
    """The crawl then the transform DAG, each once through ``airflow dags test``, against the portal."""
    from parkwatch.orchestration import airflow_env as orchestration

    env = orchestration.airflow_env({"PARKWATCH_PORTAL_PORT": str(portal_port)})
    log = orchestration.prepare(env)
    for dag_id in ("parkwatch_crawl", "parkwatch_transform"):
        typer.echo(f"airflow dags test {dag_id} {day} (log {log})")
        orchestration.dags_test(dag_id, day, env, log)


@app.command()
def demo(
    airflow: bool = typer.Option(True, help="run through Airflow (`airflow dags test`)"),
    day: str | None = _date_option("logical date YYYY-MM-DD; default: today"),
    port: int | None = typer.Option(
        None, help="portal port (default PARKWATCH_PORTAL_PORT, else 8700); a free one is taken if it is busy"
    ),
):
    """Start the demo portal, run the DAGs on it, print what was published.

    The portal keeps one port across runs when it can, so page URLs (and so the marts) stay
    the same from one demo to the next.
    """
    _setup_logging()
    from parkwatch import config, pipeline

    started = time.monotonic()
    logical_date = day or date.today().isoformat()
    with _start_portal(config.portal_port() if port is None else port, logical_date) as portal:
        typer.echo(f"demo portal on {portal.directory_url} ({len(portal.site_urls)} sites)")
        try:
            if airflow:
                _run_dags(logical_date, portal.port)
            else:
                # The crawl subprocesses read the site registry, whose demo base_urls expand
                # ${PARKWATCH_PORTAL_PORT}: the environment is their only channel for the port.
                os.environ["PARKWATCH_PORTAL_PORT"] = str(portal.port)
                pipeline.run_all(logical_date)
        except Exception as exc:  # any failure: report it and exit non-zero with the reason
            _fail(str(exc))
    _print_summary(round(time.monotonic() - started, 1))


def _print_summary(seconds: float) -> None:
    from parkwatch.cli import render
    from parkwatch.serve.status import status as platform_status

    render.run_summary(platform_status(), seconds)


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="print the state as JSON (for scripts)")):
    """Last runs, freshness per site, rows per mart, last validation (Data Docs), review queue, report."""
    from parkwatch.serve.status import status as platform_status

    s = platform_status()
    if as_json:
        _echo_json(s)
    else:
        from parkwatch.cli import render

        render.status(s)
    if not s["home_exists"]:  # a mistyped PARKWATCH_HOME must not look like a healthy, empty platform
        raise typer.Exit(1)


@app.command()
def export(
    format_: str = typer.Option("parquet", "--format", help="parquet | csv | xlsx"),
    mart: str | None = typer.Option(None, "--mart", help="one mart (default: all, plus publish_log)"),
    out: Path | None = typer.Option(None, "--out", help="directory (default: <PARKWATCH_HOME>/exports)"),
    as_json: bool = typer.Option(False, "--json", help="print what was written as JSON"),
):
    """Write the published marts as Parquet, CSV or one Excel workbook, from one snapshot."""
    from parkwatch.publish.export import export as do_export
    from parkwatch.publish.marts import ExportError

    try:
        summary = do_export(format_, mart, out)
    except ExportError as exc:
        _fail(str(exc))
    if as_json:
        _echo_json(summary)
    else:
        from parkwatch.cli import render

        render.export_summary(summary)


@app.command()
def report(
    out: Path | None = typer.Option(None, "--out", help="file (default: <PARKWATCH_HOME>/report/index.html)"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
):
    """Regenerate the report page from the published marts (it also runs after every publish)."""
    from parkwatch.publish.marts import NotPublished
    from parkwatch.serve.report import generate_report

    try:
        summary = generate_report(out=out)
    except NotPublished as exc:
        _fail(str(exc))
    if as_json:
        _echo_json(summary)
    else:
        from parkwatch.cli import render

        render.report_summary(summary)


EXTRACT_KINDS = ("indicators", "documents", "projects", "policies")


def _extracted(kind: str, path: Path) -> list[dict]:
    """The records of one kind that one file gives."""
    from parkwatch.extract.facts import extract_file, extract_policy, extract_projects

    doc, facts = extract_file(str(path))
    if kind == "indicators":
        return facts
    if kind == "documents":
        return [{"doc": str(path), **doc.to_dict()}]
    if kind == "projects":
        return [{"doc": str(path), **p} for p in extract_projects(doc)]
    policy = extract_policy(doc)
    return [{"doc": str(path), **policy}] if policy else []


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="HTML or .txt files"),
    format_: str = typer.Option("jsonl", "--format", help="only jsonl"),
    kind: str = typer.Option("indicators", help="indicators|documents|projects|policies"),
):
    """Extract facts from files and print one JSON object per fact (contract in docs/extract.md)."""
    if format_ != "jsonl":
        _fail(f"unknown format {format_!r}: only jsonl")
    failed = 0
    for path in paths:
        if not path.is_file():
            typer.secho(f"error: {path}: not a file", fg="red", err=True)
            failed += 1
            continue
        if kind not in EXTRACT_KINDS:
            _fail(f"unknown kind {kind!r}")
        for rec in _extracted(kind, path):
            sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
