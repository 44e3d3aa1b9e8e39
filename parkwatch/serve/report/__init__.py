"""The report page: one static HTML file per publish at ``<home>/report/index.html``.

It reads one snapshot of ``parks.duckdb`` (read-only), shows per park the latest key indicators
(each linked to its source page with the sentence it comes from), trend charts, projects,
policies with targets and the review queue, then the data-quality summary and crawl health per
site. Styles, data and the charting library (Apache ECharts, vendored in ``vendor/``) are inlined,
so the file opens offline from disk or as an e-mail attachment. The page is written through
parkwatch.common.files (temporary name, fsync, rename), so a browser never loads half of it.

    from parkwatch.serve.report import generate_report
    generate_report()            # → {"report": ".../report/index.html", "seconds": …}
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from parkwatch import config
from parkwatch.common.files import atomic_write_text


def report_path() -> Path:
    return config.home() / "report" / "index.html"


def generate_report(db: Path | None = None, out: Path | None = None) -> dict:
    """Render the report from the published marts; returns its path and what it holds."""
    from parkwatch.serve.report.data import load
    from parkwatch.serve.report.render import render

    started = time.monotonic()
    db = Path(db or config.publish_db())
    out = Path(out or report_path())
    data = load(db)
    html = render(data, datetime.now(UTC), str(db))
    atomic_write_text(out, html)
    return {
        "report": str(out),
        "url": out.resolve().as_uri(),
        "published_at": data["published_at"],
        "parks": len(data["parks"]),
        "charts": sum(len(p["charts"]) for p in data["parks"]) + (1 if data["crawl_chart"] else 0),
        "bytes": len(html.encode("utf-8")),
        "seconds": round(time.monotonic() - started, 2),
    }
