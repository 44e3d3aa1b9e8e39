"""What the ``parkwatch`` commands print for people: rich tables and short summaries.

Every function takes the plain dicts the pipeline and ``serve.status`` return (the same dicts
``--json`` prints), so the commands stay thin and the rendering stays out of the pipeline.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from parkwatch.crawl.progress import HEALTH_LABELS, health_rows
from parkwatch.serve.status import STALE_AFTER_HOURS

STATE_COLOUR = {"ok": "green", "stale": "yellow", "failed": "red", "never crawled": "yellow"}
SUMMARY_MARTS = ("indicators", "projects", "policies", "parks", "review_queue")


def _console(min_width: int) -> Console:
    return Console(width=max(min_width, Console().width))


def _minute(at: str | None) -> str:
    """An ISO timestamp to the minute, for a table cell."""
    return str(at or "")[:16].replace("T", " ")


def crawl_health(summaries: list[dict], day: str | None) -> None:
    """The crawl health table, one row per site, then each failed crawl with its log on stderr."""
    table = Table(title=f"crawl health{' ' + day if day else ''}", title_justify="left")
    for col in ("site", *HEALTH_LABELS, "status"):
        table.add_column(col, justify="left" if col in ("site", "failed", "status") else "right")
    for row in health_rows(summaries):
        table.add_row(*row)
    _console(120).print(table)
    for s in summaries:
        if s.get("error"):
            typer.secho(f"{s['site_id']}: {s['error']} (log {s['log']})", fg="red", err=True)


def run_summary(s: dict, seconds: float) -> None:
    """The few lines `parkwatch run` and `parkwatch demo` end with, from ``serve.status.status()``."""
    latest_run = {c["site_id"]: c for c in s["last_crawls"]}  # the newest crawl of each site
    rows = s["rows"]
    v = s["last_validation"] or {}
    typer.echo("")
    typer.echo("parkwatch summary")
    typer.echo(
        f"  pages crawled      {sum(c['pages_landed'] for c in latest_run.values())} "
        f"({len(latest_run)} sites, {sum(sum(c['failed'].values()) for c in latest_run.values())} failed)"
    )
    typer.echo(f"  documents          {rows.get('documents', 0)}")
    for mart in SUMMARY_MARTS:
        typer.echo(f"  {mart:<18} {rows.get(mart, 0)} rows")
    typer.echo(
        f"  validation         {'passed' if v.get('success') else 'FAILED'}"
        f" ({v.get('warnings', 0)} warnings); Data Docs {v.get('data_docs')}"
    )
    typer.echo(f"  published          {s['published_db']}")
    typer.echo(f"  seconds            {seconds}")


def status(s: dict) -> None:
    """`parkwatch status`: header, last runs, sites, published marts, validation, then what needs attention."""
    console = _console(110)
    console.print(f"[bold]parkwatch status[/bold]  home {s['home']}")
    if s["published_db"]:
        console.print(f"published  {s['published_db']}  (snapshot {s['published_at'] or 'unknown'})")
    else:
        console.print("published  [yellow]nothing yet[/yellow]")
    console.print(runs_table(s["last_runs"]))
    console.print(sites_table(s["sites"]))
    console.print(marts_table(s["rows"]))
    validation(console, s["last_validation"])
    attention(console, s)


def _run_result(step: str, r: dict) -> str:
    if step == "crawl":
        return f"{r['site_id']}: {'ok' if r['ok'] else '[red]failed[/red]'}, {r['pages_landed']} pages"
    if step == "build":
        return f"{r.get('dbt_result') or ''} ({r.get('seconds')} s)"
    if step == "validate":
        return ("passed" if r.get("success") else "[red]FAILED[/red]") + f", {r.get('warnings') or 0} warnings"
    return f"{r.get('rows')} rows" + (f"; report {r['report']}" if r.get("report") else "")


def runs_table(last_runs: dict[str, dict | None]) -> Table:
    """The last run of each step: when, how long ago, and its result."""
    table = Table(title="last runs", title_justify="left")
    for col in ("step", "at", "hours ago", "result"):
        table.add_column(col, justify="right" if col == "hours ago" else "left")
    for step, r in last_runs.items():
        if r is None:
            table.add_row(step, "never", "", "")
        else:
            table.add_row(step, _minute(r["at"]), str(r["hours_ago"]), _run_result(step, r))
    return table


def sites_table(sites: list[dict]) -> Table:
    """Freshness per site: state, last good crawl, what it landed, the newest document."""
    table = Table(title=f"sites (stale after {STALE_AFTER_HOURS} h without a good crawl)", title_justify="left")
    for col in ("site", "state", "last good crawl", "hours", "landed", "new", "failed", "newest document"):
        table.add_column(col, justify="right" if col in ("hours", "landed", "new", "failed") else "left")
    for x in sites:
        table.add_row(
            x["site_id"],
            f"[{STATE_COLOUR.get(x['state'], 'white')}]{x['state']}[/]",
            _minute(x["last_success_at"]) or "—",
            "" if x["hours_since_success"] is None else str(x["hours_since_success"]),
            *("" if x[k] is None else str(x[k]) for k in ("pages_landed", "pages_new", "pages_failed")),
            x["newest_document"] or "—",
        )
    return table


def marts_table(rows: dict[str, int]) -> Table:
    """Rows per published mart."""
    table = Table(title="published marts", title_justify="left")
    table.add_column("mart")
    table.add_column("rows", justify="right")
    for mart, n in rows.items():
        table.add_row(mart, str(n))
    return table


def validation(console: Console, v: dict | None) -> None:
    """The last validation: passed or failed, its failed checks, and where its Data Docs are."""
    if not v:
        console.print("validation  never run")
        return
    state = "[green]passed[/green]" if v["success"] else "[red]FAILED[/red]"
    console.print(
        f"validation  {state} at {v['validated_at']}, {v['warnings'] or 0} warnings"
        f"{'' if v['published'] else ' (not the published build)'}"
    )
    for c in v["failed_checks"]:
        console.print(f"  {c['severity']:<5} {c['suite']}: {c['check']} ({c['unexpected']} rows)")
    console.print(f"Data Docs   {v['data_docs']}")


def attention(console: Console, s: dict) -> None:
    """The review queue, the report page, and the problems ``serve.status`` found (each with its fix)."""
    rq = s["review_queue"]
    if rq is not None:
        flags = ", ".join(f"{k} {n}" for k, n in rq["by_flag"].items())
        console.print(f"review queue {rq['total']} rows{' (' + flags + ')' if flags else ''}")
    rep = s["report"]
    console.print(
        f"report      {rep.get('url') or rep['path']}" + ("" if rep["exists"] else " [yellow](not generated)[/yellow]")
    )
    if s["problems"]:
        console.print("[bold yellow]needs attention[/bold yellow]")
        for p in s["problems"]:
            console.print(f"  - {p}", markup=False, highlight=False)


def export_summary(summary: dict) -> None:
    typer.echo(
        f"exported {len(summary['files'])} mart(s) as {summary['format']} from the publish of "
        f"{summary['published_at']} in {summary['seconds']} s:"
    )
    for f in summary["files"]:
        typer.echo(f"  {f['mart']:<22} {f['rows']:>8} rows  {f['path']}")
    typer.echo(f"manifest {summary['manifest']}")


def report_summary(summary: dict) -> None:
    typer.echo(
        f"report {summary['url']} ({summary['parks']} parks, {summary['charts']} charts, "
        f"{summary['bytes'] // 1024} KiB, {summary['seconds']} s); open it in a browser, it works offline"
    )
