"""Dates in page text and in records: the one owner of date parsing.

`find_date` reads the first calendar date written in text (2024-07-12, 2024/7/12, 2024.07.12,
2024年7月12日, 二〇二四年七月十二日); `parse_date` gives it as ISO text; `iso_day` reads the day of
an ISO date or timestamp stored in a record. Invalid dates (2024-02-30) are skipped, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import re

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
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
}
# One separator throughout (2024-07-12, 2024/7/12, 2024.07.12) or 年月日: "2024年1-6月" is a period, not a date.
DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|"
    r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)(?!\d)"
)
_CN_DATE_RE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


def _cn_small(s: str) -> int:
    """一 … 三十一 as an int."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if len(s) == 3 and s[1] == "十":
        return _CN_DIGITS[s[0]] * 10 + _CN_DIGITS[s[2]]
    if s.endswith("十"):
        return _CN_DIGITS[s[0]] * 10
    return _CN_DIGITS[s]


def _day(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def find_date(text: str | None) -> _dt.date | None:
    """The first valid date written in ``text`` (Arabic digits first, then Chinese numerals)."""
    if not text:
        return None
    for m in DATE_RE.finditer(text):
        month, dom = (m.group(3), m.group(4)) if m.group(2) else (m.group(5), m.group(6))
        day = _day(int(m.group(1)), int(month), int(dom))
        if day:
            return day
    cn = _CN_DATE_RE.search(text)
    if cn:
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in cn.group(1)))
            return _day(year, _cn_small(cn.group(2)), _cn_small(cn.group(3)))
        except (KeyError, IndexError):
            return None
    return None


def parse_date(text: str | None) -> str | None:
    """First date in ``text`` as ISO yyyy-mm-dd (2022-08-11, 2022/8/11, 2022年8月11日, 二〇二二年八月十一日)."""
    day = find_date(text)
    return day.isoformat() if day else None


def iso_day(value: object) -> _dt.date | None:
    """The day of an ISO date or timestamp held in a record (``2024-07-12T06:00:00Z`` → 2024-07-12)."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
