"""Reporting periods in Chinese text (截至6月末, 上半年, 1-6月, 一季度, 全年, 2023—2024调度年 …)
resolved to ISO (start, end) with a reference year taken from the publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_CN_MONTH = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
    "1": 1,
}
_M = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_Y = r"((?:19|20)\d{2})\s*年"
_DASH = r"\s*(?:—|–|-|~|～|至|到)\s*"

# comparison bases and denominators: their years are not the fact's period
COMPARISON_RE = re.compile(
    rf"(?:较|比|与|同|相比|对比)\s*(?:(?:19|20)\d{{2}}(?:{_DASH}(?:19|20)\d{{2}})?\s*(?:年|调度年)?)"
    r"(?:同期|末|底|年度|全年)?|"
    rf"(?:较|比)\s*(?:上年同期|去年同期|上年末|去年末|上年|去年|同期|年初|上月|上季度|上半年|下半年|"
    rf"第?[一二三四1-4]季度|前三季度|\d{{1,2}}{_DASH}\d{{1,2}}\s*月(?:份)?|\d{{1,2}}\s*月(?:份|末|底)?)|"
    r"去年同期|上年同期"
)


@dataclass(frozen=True)
class Period:
    """A resolved period; kind tells how it was written (ytd, half, quarter, year, …)."""

    start: str | None
    end: str | None
    kind: str
    year: int | None = None


def _month(s: str) -> int | None:
    if s.isdigit():
        m = int(s)
    else:
        m = _CN_MONTH.get(s, 0)
    return m if 1 <= m <= 12 else None


def _end_of(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _span(y: int | None, m1: int, m2: int, kind: str) -> Period | None:
    if y is None:
        return Period(None, None, kind)
    return Period(f"{y:04d}-{m1:02d}-01", _end_of(y, m2), kind, y)


_QUARTER = {"一": 1, "1": 1, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("water_year", re.compile(rf"((?:19|20)\d{{2}}){_DASH}((?:19|20)\d{{2}})\s*(?:年)?\s*调度年")),
    ("ytd", re.compile(rf"(?:截至|截止到|截止|到|至)\s*(?:{_Y})?\s*{_M}\s*月\s*(?:末|底|份|止)")),
    ("months", re.compile(rf"(?:{_Y})?\s*{_M}{_DASH}{_M}\s*月(?:份)?")),
    ("first_n_quarters", re.compile(rf"(?:{_Y})?\s*前([一二三])季度")),
    ("quarter", re.compile(rf"(?:{_Y})?\s*(?:第)?([一二三四1-4])季度")),
    ("half", re.compile(rf"(?:{_Y})?\s*([上下])半年")),
    ("since_year_start", re.compile(r"今年以来|年初以来|今年来")),
    ("date", re.compile(rf"(?:{_Y})?\s*{_M}\s*月\s*(\d{{1,2}})\s*日")),
    ("month", re.compile(rf"{_Y}\s*{_M}\s*月(?:份)?(?![\d末底])")),
    ("month", re.compile(r"(?<![\d\-—–~～至到年个])(\d{1,2})\s*月份")),
    ("year", re.compile(rf"{_Y}\s*全年")),
    ("year_end", re.compile(rf"(?:到|至|截至)?\s*{_Y}\s*(?:底|末)(?:前)?")),
    ("year", re.compile(rf"(?:到|至)?\s*{_Y}(?!\s*\d{{1,2}}\s*月)")),
    ("full_year", re.compile(r"全年|年内|今年|本年度|年度内")),
    ("now", re.compile(r"截至目前|截止目前|截至当前|截至发稿|至目前|目前|当前|现已")),
]


def _resolve(kind: str, m: re.Match, ref_year: int | None, pub_date: str | None) -> Period | None:
    g = m.groups()
    if kind == "water_year":
        y1, y2 = int(g[0]), int(g[1])
        return Period(f"{y1:04d}-07-01", f"{y2:04d}-06-30", kind, y2)
    if kind == "ytd":
        y = int(g[0]) if g[0] else ref_year
        mo = _month(g[1])
        return _span(y, 1, mo, kind) if mo else None
    if kind == "months":
        y = int(g[0]) if g[0] else ref_year
        m1, m2 = _month(g[1]), _month(g[2])
        return _span(y, m1, m2, kind) if m1 and m2 and m1 <= m2 else None
    if kind == "first_n_quarters":
        y = int(g[0]) if g[0] else ref_year
        return _span(y, 1, 3 * _QUARTER[g[1]], kind)
    if kind == "quarter":
        y = int(g[0]) if g[0] else ref_year
        q = _QUARTER[g[1]]
        return _span(y, 3 * q - 2, 3 * q, kind)
    if kind == "half":
        y = int(g[0]) if g[0] else ref_year
        return _span(y, 1, 6, kind) if g[1] == "上" else _span(y, 7, 12, kind)
    if kind == "since_year_start":
        return Period(f"{ref_year:04d}-01-01" if ref_year else None, pub_date, kind, ref_year)
    if kind == "date":
        y = int(g[0]) if g[0] else ref_year
        mo = _month(g[1])
        if not (y and mo):
            return Period(None, None, kind)
        try:
            d = f"{y:04d}-{mo:02d}-{int(g[2]):02d}"
            calendar.weekday(y, mo, int(g[2]))
        except ValueError:
            return None
        return Period(d, d, kind, y)
    if kind == "month":
        if len(g) == 1:
            mo = _month(g[0])
            return _span(ref_year, mo, mo, kind) if mo else None
        mo = _month(g[1])
        return _span(int(g[0]), mo, mo, kind) if mo else None
    if kind in ("year_end", "year"):
        y = int(g[0])
        return Period(f"{y:04d}-01-01", f"{y:04d}-12-31", kind, y)
    if kind == "full_year":
        return _span(ref_year, 1, 12, kind) if ref_year else Period(None, None, kind)
    if kind == "now":
        return Period(None, pub_date, kind)
    return None


def mask_comparisons(text: str) -> str:
    """Text with comparison bases (较2023年同期, 比2020年 …) blanked out, same length."""
    return COMPARISON_RE.sub(lambda m: " " * len(m.group(0)), text)


_EVENT_BEFORE_RE = re.compile(r"(?:计划|预计|预期|将于|将|于|从|自)\s*$")
_EVENT_AFTER_RE = re.compile(
    r"^\s*(?:前|以前|之前|起|开工|投产|建成|竣工|试生产|试运行|施行|到期|完工|开业)(?![率数项])"
)


def find_periods(text: str, ref_year: int | None, pub_date: str | None = None) -> list[tuple[int, int, Period]]:
    """(start, end, Period) for every period expression, comparison bases excluded, by position.

    Event dates (计划2025年6月投产, 从2023年3月开工, 自2024年9月1日起) and years naming someone else's
    subject (对2023年度…企业进行表彰) are not reporting periods and are left out."""
    masked = mask_comparisons(text)
    taken: list[tuple[int, int, Period]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(masked):
            if any(s < m.end() and m.start() < e for s, e, _ in taken):
                continue
            if (
                kind not in ("now", "full_year", "since_year_start")
                and masked[m.start()] not in "到至"
                and (
                    _EVENT_BEFORE_RE.search(masked[max(0, m.start() - 3) : m.start()])
                    or _EVENT_AFTER_RE.match(masked[m.end() : m.end() + 4])
                )
            ):
                taken.append((m.start(), m.end(), Period(None, None, "event")))
                continue
            p = _resolve(kind, m, ref_year, pub_date)
            if p is not None:
                taken.append((m.start(), m.end(), p))
    return sorted(taken, key=lambda t: t[0])


def reporting_periods(text: str, ref_year: int | None, pub_date: str | None = None) -> list[tuple[int, int, Period]]:
    """find_periods without the event dates."""
    return [t for t in find_periods(text, ref_year, pub_date) if t[2].kind != "event"]


def shift_year(p: Period, year: int) -> Period:
    """The same span moved to another year (for 较2023年同期)."""
    if p.start is None or p.end is None or p.kind == "water_year":
        return Period(None, None, p.kind)
    s = f"{year:04d}{p.start[4:]}"
    e = f"{year:04d}{p.end[4:]}"
    if e.endswith("-02-29") and not calendar.isleap(year):
        e = e[:-2] + "28"
    return Period(s, e, p.kind, year)


def period_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of period expressions (to remove them from subjects)."""
    return [(s, e) for s, e, _ in find_periods(text, 2000, None)]
