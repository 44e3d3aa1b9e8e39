"""Turn the report data into one self-contained HTML page (styles, data, ECharts all inlined)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from parkwatch.serve.report.data import FLAG_LABELS, MEASURE_LABELS, period_label

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ECHARTS = HERE / "vendor" / "echarts.min.js"
ECHARTS_VERSION = "6.1.0"
LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "city": "市级", "park": "园区"}


def _version() -> str:
    try:
        return metadata.version("parkwatch")
    except metadata.PackageNotFoundError:
        return "dev"


def money(value) -> str:
    if value is None:
        return ""
    v = float(value)
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.2f}亿元"
    if abs(v) >= 1e4:
        return f"{v / 1e4:,.2f}万元"
    return f"{v:,.0f}元"


def number(value) -> str:
    if value is None:
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"


def pct(value) -> str:
    return "" if value is None else f"{float(value):.1f}%"


def quantity(value, unit: str | None) -> str:
    """A value in its base unit, written the way the sources write it (亿元, %, 个百分点)."""
    if value is None:
        return ""
    if unit == "CNY":
        return money(value)
    if unit == "%":
        return f"{float(value):g}%"
    if unit == "pp":
        return f"{float(value):g}个百分点"
    if unit == "count":
        return number(value)
    return f"{number(value)} {unit or ''}".strip()


def capacity(row: dict) -> str:
    v, unit = row.get("capacity_value"), row.get("capacity_unit") or ""
    if v is None:
        return ""
    v = float(v)
    base, _, per = unit.partition("/")
    per_zh = {"yr": "/年", "d": "/日", "h": "/小时"}.get(per, f"/{per}" if per else "")
    if base == "t":
        text = f"{v / 1e4:g}万吨" if v >= 1e4 else f"{v:g}吨"
    elif base == "m2":
        text = f"{v / 1e4:g}万平方米" if v >= 1e4 else f"{v:g}平方米"
    else:
        text = f"{number(v)} {base}"
    return text + per_zh


def show_value(row: dict) -> str:
    """The figure as the source wrote it (5.58亿元, 9%), else formatted from the value."""
    raw = row.get("raw")
    if raw:
        return raw
    unit, v = row.get("unit"), row.get("value")
    if unit == "CNY":
        return money(v)
    if unit == "%":
        return pct(v)
    if unit == "pp":
        return f"{v:+g}个百分点"
    return f"{number(v)} {unit or ''}".strip()


def highlight(sentence: str | None, raw: str | None) -> Markup:
    """The sentence, escaped, with the figure marked where it occurs."""
    if not sentence:
        return Markup("")
    text = str(escape(sentence))
    if raw:
        needle = str(escape(raw))
        i = text.find(needle)
        if i >= 0:
            text = text[:i] + "<mark>" + needle + "</mark>" + text[i + len(needle) :]
    return Markup(text)


def other_values(row: dict) -> str:
    vals = row.get("conflicting_values") or []
    if not vals:
        return ""
    unit = row.get("unit")
    shown = [money(v) if unit == "CNY" else (pct(v) if unit == "%" else number(v)) for v in vals[:3]]
    return "（" + "、".join(shown) + ("…" if len(vals) > 3 else "") + "）"


def dt(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone()  # the reader's zone on this machine
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _script_json(obj) -> Markup:
    """JSON safe inside <script>: no '</' can close the element early."""
    text = json.dumps(obj, ensure_ascii=False, default=str, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))


def chart_payload(d: dict) -> dict:
    return {"charts": [c for p in d["parks"] for c in p["charts"]], "crawl": d.get("crawl_chart")}


def render(d: dict, generated_at: datetime, db_path: str) -> str:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.loopcontrols"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = dt
    short = {p["park_id"]: p["short_name"] or p["park_name"] for p in d["parks"]}
    echarts_js = ECHARTS.read_text(encoding="utf-8")
    if re.search(r"</script", echarts_js, re.I):
        raise RuntimeError(f"{ECHARTS} contains '</script' and cannot be inlined")
    template = env.get_template("report.html.j2")
    return template.render(
        d=d,
        generated_at=generated_at,
        db_path=db_path,
        version=_version(),
        echarts_version=ECHARTS_VERSION,
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        echarts_js=Markup(echarts_js),
        report_js=Markup((TEMPLATES / "report.js").read_text(encoding="utf-8")),
        chart_json=_script_json(chart_payload(d)),
        money=money,
        number=number,
        quantity=quantity,
        pct=pct,
        capacity=capacity,
        show_value=show_value,
        highlight=highlight,
        other_values=other_values,
        period=period_label,
        measure_label=lambda m: MEASURE_LABELS.get(m, m or ""),
        flag_label=lambda f: FLAG_LABELS.get(f, f or ""),
        level_label=lambda lv: LEVEL_LABELS.get(lv, lv or ""),
        park_name=lambda pid: short.get(pid) or pid or "未归属",
    )
