"""What the report shows, read from one published snapshot into plain Python values.

Everything comes from a single connection to ``parks.duckdb`` (``open_published`` of the publish
stage), so the page describes one publish: :func:`_query_snapshot` reads it into a
:class:`Snapshot`, then :func:`_park_view` assembles each park's section. Nothing here formats
HTML; render.py does.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from parkwatch import config
from parkwatch.publish.marts import MARTS, open_published, published_marts, snapshot_info

MEASURE_ORDER = ["amount", "count", "growth_pct", "share_pct", "pp_change"]
MEASURE_LABELS = {
    "amount": "总量",
    "count": "数量",
    "growth_pct": "同比增速",
    "share_pct": "占比",
    "pp_change": "增速变化",
}
FLAG_LABELS = {
    "parts_exceed_total": "分项之和超过总数",
    "shares_do_not_sum_to_100": "占比之和不为100%",
    "growth_disagrees_with_levels": "增速与前后两期数值不符",
    "conflicts_with_other_source": "与其他来源不一致",
}
MAX_KEY_INDICATORS = 16
MAX_CHARTS_PER_PARK = 12
MAX_REVIEW_ROWS = 300

# The page reads every published mart but the two history marts and unmapped_indicators.
# policy_targets may be missing from a file published before it existed: targets then come from
# each policy's targets_json.
_NOT_SHOWN = {"document_versions", "indicator_versions", "unmapped_indicators"}
_OPTIONAL = {"policy_targets"}
REQUIRED_MARTS = [m for m in MARTS if m not in _NOT_SHOWN | _OPTIONAL]


def dictionary() -> dict[str, dict]:
    """indicator_code → {name, order} from the dbt seed (the names analysts know)."""
    path = config.dbt_dir() / "seeds" / "seed_indicator_dictionary.csv"
    out = {}
    if path.exists():
        with open(path, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                out[row["indicator_code"]] = {"name": row.get("name_zh") or row["indicator_code"], "order": i}
    return out


def period_kind(start: date | None, end: date | None) -> str:
    """ytd (from 1 January), month, quarter, point (an 截至 date) or span."""
    if end is None:
        return "none"
    if start is None:
        return "point"
    if start.month == 1 and start.day == 1 and start.year == end.year:
        return "month" if end.month == 1 else "ytd"
    if (start.year, start.month) == (end.year, end.month) and start.day == 1:
        return "month"
    if start.day == 1 and start.month in (1, 4, 7, 10) and end.year == start.year and end.month == start.month + 2:
        return "quarter"
    return "span"


def period_label(start: date | None, end: date | None) -> str:
    """2024年1-6月, 2024年7月, 2024年, 2024年7-9月, 截至2024年7月12日."""
    if end is None:
        return "未注明期间"
    if start is None:
        return f"截至{end.year}年{end.month}月{end.day}日"
    kind = period_kind(start, end)
    if kind == "ytd" and end.month == 12 and end.day == 31:
        return f"{end.year}年"
    if kind == "ytd":
        return f"{end.year}年1-{end.month}月"
    if kind == "month":
        return f"{end.year}年{end.month}月"
    if kind == "quarter":
        return f"{end.year}年{start.month}-{end.month}月"
    return f"{start.isoformat()} 至 {end.isoformat()}"


KIND_LABELS = {
    "ytd": "年初累计",
    "month": "单月",
    "quarter": "单季",
    "point": "时点",
    "span": "其他期间",
    "none": "未注明",
}


def count_word(raws: list[str]) -> str:
    """The measure word the sources use for a count (户, 家, 个 …), 个 when they differ or give none."""
    words = {m.group(1) for r in raws if r and (m := re.search(r"[\d.]\s*([^\d.\s%])$", r))}
    return words.pop() if len(words) == 1 else "个"


def chart_scale(unit: str, values: list[float], raws: list[str] | None = None) -> tuple[float, str]:
    """Divisor and axis label so a chart reads in the units people write (亿元, 万元, 万吨 …)."""
    top = max((abs(v) for v in values if v is not None), default=0)
    if unit == "CNY":
        return (1e8, "亿元") if top >= 1e8 else (1e4, "万元") if top >= 1e4 else (1, "元")
    if unit == "USD":
        return (1e8, "亿美元") if top >= 1e8 else (1e4, "万美元") if top >= 1e4 else (1, "美元")
    if unit == "%":
        return 1, "%"
    if unit == "pp":
        return 1, "个百分点"
    if unit == "count":
        word = count_word(raws or [])
        return (1e4, "万" + word) if top >= 1e5 else (1, word)
    if unit in ("t", "t/yr"):
        return (1e4, "万吨") if top >= 1e4 else (1, "吨")
    return 1, unit


def _rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]  # every row has one value per column


def _json_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


@dataclass
class Snapshot:
    """The rows of one published snapshot the page is built from."""

    published_at: str | None
    validation: dict | None  # the validation the snapshot passed (its publish_log)
    counts: dict[str, int]  # rows per published mart
    parks: list[dict]
    docs: dict[str, dict]  # doc_id → site, title, date, url
    best: list[dict]  # indicators_best joined to the fact it comes from
    fact_stats: dict[str, dict]  # park_id → facts, documents, flagged, unmapped, latest_published
    projects: list[dict]
    policies: list[dict]  # each with its "targets"
    review: list[dict]  # the first MAX_REVIEW_ROWS of the review queue
    review_by_flag: dict[str, int]
    crawl: list[dict]  # the latest run per site
    unattributed: int  # facts no park was found for


def _query_indicators(con) -> tuple[list[dict], dict[str, dict]]:
    """The best figure per indicator (with its source fact) and the fact statistics per park."""
    best = _rows(
        con,
        """
        select b.park_id, b.indicator_key, b.indicator_code, b.indicator_text, b.measure, b.unit,
               b.period_start, b.period_end, b.value, b.sources_agreeing, b.sources_conflicting,
               b.conflicting_values, b.fact_id, b.url, b.published_date,
               i.raw, i.approx, i.sentence, i.doc_id, i.quality_flags
        from marts.indicators_best b left join marts.indicators i using (fact_id)
        order by b.park_id, b.indicator_key, b.measure, b.period_end""",
    )
    fact_stats = {
        r["park_id"]: r
        for r in _rows(
            con,
            """
        select park_id, count(*) as facts, count(distinct doc_id) as documents,
               count(*) filter (where len(quality_flags) > 0) as flagged,
               count(*) filter (where indicator_code is null) as unmapped,
               max(published_date) as latest_published
        from marts.indicators group by park_id""",
        )
    }
    return best, fact_stats


def _query_policies(con, present: set[str]) -> list[dict]:
    """Policies, each with its targets (from policy_targets, else from the policy's targets_json)."""
    policies = _rows(
        con,
        """
        select doc_id, park_id, title, doc_number, issuer, written_date, published_date, validity, level,
               targets_json, url
        from marts.policies order by park_id, published_date desc nulls last, title""",
    )
    targets = defaultdict(list)
    if "policy_targets" in present:
        for t in _rows(
            con,
            """select doc_id, target_year, indicator_code, indicator_text, value, unit, raw, sentence
                               from marts.policy_targets order by doc_id, target_year nulls last, indicator_text""",
        ):
            targets[t["doc_id"]].append(t)
    for p in policies:
        p["targets"] = targets.get(p["doc_id"]) or [
            {
                "target_year": t.get("year") or t.get("target_year"),
                "indicator_text": t.get("indicator_text"),
                "raw": t.get("raw"),
                "value": t.get("value"),
                "unit": t.get("unit"),
            }
            for t in _json_list(p.pop("targets_json", None))
            if isinstance(t, dict)
        ]
        p.pop("targets_json", None)
    return policies


def _query_review(con) -> tuple[list[dict], dict[str, int]]:
    """The first rows of the review queue, and how many rows each flag has."""
    review = _rows(
        con,
        f"""
        select review_id, flag, reason, park_id, indicator_text, measure, unit, stated_value, expected_value,
               tolerance, sentence, url, fact_id
        from marts.review_queue order by park_id nulls last, flag, indicator_text limit {MAX_REVIEW_ROWS}""",
    )
    review_by_flag = dict(
        con.execute("select flag, count(*) from marts.review_queue group by flag order by 2 desc").fetchall()
    )
    return review, review_by_flag


def _query_crawl(con) -> list[dict]:
    """Crawl health of each site's latest run, failures by reason as a dict."""
    crawl = _rows(
        con,
        """
        select site_id, run_id, logical_date, started_at, finished_at, pages_seen, pages_landed,
               pages_new_content, pages_failed, cast(failed_by_reason as varchar) as failed_by_reason,
               site_documents, documents_with_facts, extraction_yield
        from marts.crawl_health
        qualify row_number() over (partition by site_id order by finished_at desc nulls last, run_id desc) = 1
        order by site_id""",
    )
    for c in crawl:
        try:
            c["failed_by_reason"] = json.loads(c["failed_by_reason"]) if c["failed_by_reason"] else {}
        except ValueError:
            pass
    return crawl


def _query_snapshot(con) -> Snapshot:
    """Everything the page reads from the published file, through one connection."""
    present = set(published_marts(con))
    missing = set(REQUIRED_MARTS) - present
    if missing:
        raise RuntimeError(
            f"the published warehouse lacks marts {', '.join(sorted(missing))}: "
            f"run `parkwatch run` to rebuild and publish"
        )
    snap = snapshot_info(con)
    counts = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in sorted(present)}
    parks = _rows(con, "select park_id, park_name, short_name, level, province, city from marts.parks order by park_id")
    docs = {
        r["doc_id"]: r for r in _rows(con, "select doc_id, site_id, title, published_date, url from marts.documents")
    }
    best, fact_stats = _query_indicators(con)
    projects = _rows(
        con,
        """
        select park_id, project_name, company, investment_cny, capacity_value, capacity_unit, status,
               project_count, count_text, rate_pct, period_start, period_end, sentence, url, published_date, doc_id
        from marts.projects order by park_id, published_date desc nulls last, project_name nulls last""",
    )
    policies = _query_policies(con, present)
    review, review_by_flag = _query_review(con)
    crawl = _query_crawl(con)
    unattributed = con.execute("select count(*) from marts.indicators where park_id is null").fetchone()[0]
    return Snapshot(
        published_at=snap["published_at"],
        validation=snap["validation"],
        counts=counts,
        parks=parks,
        docs=docs,
        best=best,
        fact_stats=fact_stats,
        projects=projects,
        policies=policies,
        review=review,
        review_by_flag=review_by_flag,
        crawl=crawl,
        unattributed=unattributed,
    )


def _latest_validation(validation_path: Path | None) -> dict | None:
    """The last validation run (passed or not), which may be newer than the published snapshot."""
    vpath = validation_path or config.runs_dir() / "validation.json"
    if not vpath.exists():
        return None
    try:
        return json.loads(vpath.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _park_view(snapshot: Snapshot, park: dict, names: dict) -> dict:
    """One park's section: key indicators, trend charts, projects, policies, review rows and fact statistics."""
    pid = park["park_id"]
    rows = [r for r in snapshot.best if r["park_id"] == pid]
    for r in rows:
        r["name"] = names.get(r["indicator_code"], {}).get("name") or r["indicator_text"]
        r["period"] = period_label(r["period_start"], r["period_end"])
        r["kind"] = period_kind(r["period_start"], r["period_end"])
        doc = snapshot.docs.get(r["doc_id"]) or {}
        r["source_title"] = doc.get("title")
        r["site_id"] = doc.get("site_id")
    return {
        **park,
        "key_indicators": key_indicators(rows, names),
        "charts": trend_charts(pid, rows, names),
        "projects": [p for p in snapshot.projects if p["park_id"] == pid],
        "policies": [p for p in snapshot.policies if p["park_id"] == pid],
        "review": [r for r in snapshot.review if r["park_id"] == pid],
        "stats": snapshot.fact_stats.get(pid)
        or {"facts": 0, "documents": 0, "flagged": 0, "unmapped": 0, "latest_published": None},
    }


def _park_order(park: dict) -> tuple:
    """Parks with the most facts, projects and policies first."""
    return -(park["stats"]["facts"] + len(park["projects"]) + len(park["policies"])), park["park_id"]


def load(db: Path | None = None, validation_path: Path | None = None) -> dict:
    """Everything the page shows, from one snapshot of the published marts."""
    names = dictionary()
    with open_published(db) as con:
        snapshot = _query_snapshot(con)
    by_park = {park["park_id"]: _park_view(snapshot, park, names) for park in snapshot.parks}
    return {
        "published_at": snapshot.published_at,
        "validation": snapshot.validation,
        "latest_validation": _latest_validation(validation_path),
        "counts": snapshot.counts,
        "parks": sorted(by_park.values(), key=_park_order),
        "review": snapshot.review,
        "review_total": snapshot.counts.get("review_queue", 0),
        "review_by_flag": snapshot.review_by_flag,
        "crawl": snapshot.crawl,
        "crawl_chart": crawl_chart(snapshot.crawl),
        "unattributed_facts": snapshot.unattributed,
        "unassigned_projects": [p for p in snapshot.projects if p["park_id"] is None],
        "unassigned_policies": [p for p in snapshot.policies if p["park_id"] is None],
    }


def _indicator_order(row: dict, names: dict) -> tuple:
    mapped = row["indicator_code"] in names
    return (
        0 if mapped else 1,
        names.get(row["indicator_code"], {}).get("order", 999),
        row["indicator_key"],
        MEASURE_ORDER.index(row["measure"]) if row["measure"] in MEASURE_ORDER else 9,
        row["unit"],
    )


def key_indicators(rows: list[dict], names: dict) -> list[dict]:
    """The latest figure of each dictionary indicator × measure (most recent period end, then the longest period)."""
    latest: dict[tuple, dict] = {}
    for r in rows:
        if r["indicator_code"] is None:
            continue
        key = (r["indicator_code"], r["measure"], r["unit"])
        have = latest.get(key)
        rank = (r["period_end"], -(r["period_start"] or r["period_end"]).toordinal())
        if have is None or rank > (have["period_end"], -(have["period_start"] or have["period_end"]).toordinal()):
            latest[key] = r
    ordered = sorted(latest.values(), key=lambda r: _indicator_order(r, names))
    return ordered[:MAX_KEY_INDICATORS]


def trend_charts(park_id: str, rows: list[dict], names: dict) -> list[dict]:
    """One chart per indicator × measure × unit with at least two periods of one kind (one series per kind)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["indicator_key"], r["measure"], r["unit"])].append(r)
    charts: list[dict[str, Any]] = []
    for (_key, measure, unit), items in groups.items():
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for r in items:
            by_kind[r["kind"]].append(r)
        series_rows = {k: v for k, v in by_kind.items() if len({r["period_end"] for r in v}) >= 2}
        if not series_rows:
            continue
        divisor, axis_unit = chart_scale(
            unit,
            [r["value"] for v in series_rows.values() for r in v],
            [r["raw"] for v in series_rows.values() for r in v],
        )
        first = items[0]
        series: list[dict[str, Any]] = []
        for kind in sorted(series_rows, key=lambda k: list(KIND_LABELS).index(k)):
            points = sorted(series_rows[kind], key=lambda r: (r["period_end"], r["period_start"] or r["period_end"]))
            series.append(
                {
                    "name": KIND_LABELS[kind],
                    "points": [
                        {
                            "x": r["period_end"].strftime("%Y-%m")
                            if kind in ("ytd", "month", "quarter")
                            else r["period_end"].isoformat(),
                            "y": round(r["value"] / divisor, 4),
                            "period": r["period"],
                            "raw": r["raw"] or "",
                            "url": r["url"],
                        }
                        for r in points
                    ],
                }
            )
        charts.append(
            {
                "id": f"chart-{park_id}-{len(charts)}",
                "title": f"{first['name']} · {MEASURE_LABELS.get(measure, measure)}"
                + (f" · {series[0]['name']}" if len(series) == 1 else ""),
                "unit": axis_unit,
                "order": _indicator_order(first, names),
                "x": sorted({pt["x"] for s in series for pt in s["points"]}),
                "series": series,
                "points": sum(len(s["points"]) for s in series),
            }
        )
    charts.sort(key=lambda c: (c["order"], -c["points"]))
    for c in charts:
        c.pop("order")
    return charts[:MAX_CHARTS_PER_PARK]


def crawl_chart(crawl: list[dict]) -> dict | None:
    if not crawl:
        return None
    return {
        "id": "chart-crawl-health",
        "sites": [c["site_id"] for c in crawl],
        "series": [
            {"name": "抓取页面 pages seen", "data": [c["pages_seen"] or 0 for c in crawl]},
            {"name": "新内容 new", "data": [c["pages_new_content"] or 0 for c in crawl]},
            {"name": "失败 failed", "data": [c["pages_failed"] or 0 for c in crawl]},
        ],
        "yield": [round((c["extraction_yield"] or 0) * 100, 1) for c in crawl],
    }
