"""Quantities in Chinese text: numerals (Arabic and Chinese), 万/亿 scales, units, approximation.

`find_quantities(text)` returns Quantity records with positions; values are in the base unit
(亿元 → ×1e8 CNY, 万吨 → ×1e4 t). Pure regex + cn2an; no sentence logic here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from parkwatch.extract.lexicon.units import (
    AMOUNT_UNITS,
    APPROX_POST,
    APPROX_PRE,
    BAD_FOLLOW,
    CN_NUM_CHARS,
    CN_SCALED_SINGLE,
    COUNT_UNITS,
    PER_UNITS,
    SCALES,
)

__all__ = ["APPROX_POST", "APPROX_PRE", "QUANTITY_RE", "Quantity", "find_quantities", "parse_number"]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Numerals start where a run of digits (or of Chinese numeral characters) starts, and Chinese
# runs are bounded: a match can then only begin at the head of a run, so scanning stays linear
# on hostile text (a page of 20 000 digits or numeral characters) instead of quadratic.
_CN = f"[{CN_NUM_CHARS}]"
_NUM_AR = r"(?<!\d)(?:\d{1,3}(?:,\d{3}){1,6}(?:\.\d+)?|\d+(?:\.\d+)?)"
# (a numeral stops before the 千 of 千瓦/千克/千米: 十一千瓦 is 11 kW, not 十一千 + 瓦)
_NUM_CN = rf"(?<!{_CN})(?:{_CN}{{1,24}}?(?=千[瓦克米])|{_CN}{{1,24}}(?:点[零〇一二三四五六七八九]{{1,16}})?)"
# Compound numerals whose 亿/万 sits inside the number: 三万五千, 一亿二千万, 两亿零五百万, 3亿5000万,
# 1亿2千万, 1万5千. Without them 三万五千元 would be read as 五千元.
_NOT_KILO = r"(?!(?<=千)[瓦克米])"  # the 千 of 千瓦/千克/千米 belongs to the unit
_NUM_COMPOUND = (
    rf"(?:(?<!{_CN}){_CN}{{1,8}}亿(?:{_CN}{{1,8}}万{_CN}{{0,8}}|{_CN}{{1,8}})"
    rf"|(?<!{_CN}){_CN}{{1,8}}万{_CN}{{1,8}}"
    r"|(?<!\d)\d{1,6}亿(?:\d{1,4}|\d千)万"
    rf"|(?<!\d)\d{{1,6}}万\d千(?:\d百)?){_NOT_KILO}"
)
_UNIT_ALT = _alt(list(AMOUNT_UNITS) + list(COUNT_UNITS))
QUANTITY_RE = re.compile(
    rf"(?P<pre>{_alt(APPROX_PRE)}|(?<![签节制合公条预相践特契违履邀集])约)?"
    rf"(?:(?P<lo>{_NUM_AR})\s*(?:—|–|-|~|至|到)\s*)?"
    rf"(?P<num>{_NUM_COMPOUND}|{_NUM_AR}|{_NUM_CN})\s*"
    rf"(?P<mid>余|多)?"
    rf"(?:(?P<pct>%|％)|(?P<pp>个百分点|百分点)|"
    rf"(?P<scale>{_alt(SCALES)})?(?P<mid2>余|多)?(?P<unit>{_UNIT_ALT})"
    rf"(?:/(?P<per>{_alt(PER_UNITS)}))?)"
    rf"(?P<post>{_alt(APPROX_POST)})?"
)
_CN_PERCENT_RE = re.compile(rf"(?P<base>百分之|千分之)(?P<num>{_NUM_CN}|{_NUM_AR})")
_TENTHS_RE = re.compile(r"(?P<num>[一二三四五六七八九])成(?P<post>以上|左右|多)?(?=以上|左右|多|[,，;；。、]|$)")


@dataclass(frozen=True)
class Quantity:
    """One quantity as found in text."""

    start: int
    end: int
    raw: str
    value: float | int
    unit: str  # base unit: CNY, t, m3, %, pp, count …
    kind: str  # amount | count | pct | pp
    approx: str | None
    low: float | int | None = None  # lower bound of a range (value is then the upper bound)
    chinese_numeral: bool = False


_ARABIC_RE = re.compile(r"\d+(?:\.\d+)?")
_GROUPED_RE = re.compile(r"(?:(?P<yi>[^亿万]+)亿)?(?:(?P<wan>[^亿万]+)万)?(?P<rest>[^亿万]*)")


def parse_number(s: str) -> Decimal | None:
    """Arabic ("1,234.5") or Chinese ("一千零一", "两", "三点五", 大写) numeral → Decimal.

    Compound numerals with 亿/万 inside ("三万五千", "3亿5000万", "1万5千") are read whole.
    Anything else (NaN, 1e5, mixed garbage) → None; never raises on str input.
    """
    s = s.strip().replace(",", "")
    if not s:
        return None
    if _ARABIC_RE.fullmatch(s):
        return Decimal(s)
    if any(c.isdigit() for c in s):
        return _parse_grouped(s)
    if len(s) >= 2 and all(c in "零〇一二三四五六七八九两" for c in s):
        return None  # 一一, 二〇二二: digit strings, not quantities
    try:
        import cn2an

        return Decimal(str(cn2an.cn2an(s, "normal")))
    except Exception:
        pass
    if s[0] in "十百千万亿":  # 千人, 百余家: an implied 一
        return parse_number("一" + s)
    return None


def _small_group(part: str) -> Decimal | None:
    """One group of a grouped numeral: "5000", "2千", "5千3百", "零五百", "三千四百五十六"."""
    part = part.lstrip("零〇") or "零"
    if _ARABIC_RE.fullmatch(part):
        return Decimal(part)
    try:
        import cn2an

        value = Decimal(str(cn2an.cn2an(part, "smart")))
    except Exception:
        return None
    return value if value.is_finite() and value == value.to_integral_value() else None


def _parse_grouped(s: str) -> Decimal | None:
    """Arabic digits grouped by 亿/万: "3亿5000万" → 350000000, "1万5千" → 15000."""
    m = _GROUPED_RE.fullmatch(s)
    if not m or not any(m.groups()):
        return None
    if not (m.group("yi") or m.group("wan")):  # no 亿/万 at all: not a grouped numeral
        return None
    total = Decimal(0)
    for key, scale in (("yi", Decimal(10) ** 8), ("wan", Decimal(10) ** 4), ("rest", Decimal(1))):
        part = m.group(key)
        if not part:
            continue
        value = _small_group(part)
        if value is None or (key != "yi" and value >= 10**4):
            return None
        total += value * scale
    return total


# No figure on a page is this large (a country's GDP is ~1e14 CNY); a run of 40 digits is noise,
# and past 28 digits Decimal rounding (and JSON consumers) fail.
_MAX_VALUE = Decimal(10) ** 18


def _in_range(d: Decimal) -> bool:
    return d.is_finite() and abs(d) < _MAX_VALUE


def _num_out(d: Decimal, as_float: bool = False) -> float | int:
    if not as_float and d == d.to_integral_value():
        return int(d)
    return float(round(d, 10))


def _unit_of(m: re.Match) -> tuple[str, Decimal, str]:
    if m.group("pct"):
        return "%", Decimal(1), "pct"
    if m.group("pp"):
        return "pp", Decimal(1), "pp"
    unit = m.group("unit")
    scale = SCALES.get(m.group("scale") or "", Decimal(1))
    if unit in AMOUNT_UNITS:
        base, factor = AMOUNT_UNITS[unit]
        kind = "amount"
    else:
        base, factor, kind = "count", Decimal(1), "count"
    if m.group("per"):
        base = f"{base}/{PER_UNITS[m.group('per')]}"
    return base, scale * factor, kind


def _plausible(m: re.Match, text: str) -> bool:
    """Reject matches that are parts of words, dates, ordinals or bare Chinese numerals."""
    num = m.group("num")
    before = text[max(0, m.start() - 1) : m.start()]
    after = text[m.end() : m.end() + 1]
    unit = m.group("unit")
    if before in ("第", "×", "*", "x", "X", "+", "/") or (before.isdigit()):
        return False
    if unit and not m.group("post") and after and after in BAD_FOLLOW.get(unit, ()):
        return False
    if unit == "方" and not re.match(r"\d", num):
        return False
    if unit in ("个", "期") and after == "月":
        return False
    if before == "前" and unit in ("位", "名"):
        return False  # 进入前100位: a rank, not a count
    if unit == "分" and not re.search(r"(?:得分|评分|总分|分数|分值)\S{0,3}$", text[max(0, m.start() - 6) : m.start()]):
        return False
    if num and num[0] in CN_NUM_CHARS:
        if after in ("一", "第") or before in ("之", "其", "前", "后", "这", "那", "每", "等"):
            return False
        # 三万元, 一亿元: a digit with a scale is a figure (千亿元/百万元 alone are idioms: 千亿元级产业)
        scaled_digit = bool(m.group("scale")) and num in CN_SCALED_SINGLE
        if len(num) < 2 and not (m.group("pre") or scaled_digit or before == "达" or _single_numeral_count(m, text)):
            return False
    return True


_SINGLE_CN_OK = re.compile(r"[二两三四五六七八九](?:个|家|项|座|所|名)$")
_NOUN_START = re.compile(r"[\u4e00-\u9fff]")


def _single_numeral_count(m: re.Match, text: str) -> bool:
    """五个项目, 两家企业: a one-character numeral counting the noun right after it."""
    if m.group("pct") or m.group("pp") or not _SINGLE_CN_OK.match(m.group(0)):
        return False
    nxt = text[m.end() : m.end() + 2]
    return bool(_NOUN_START.match(nxt)) and nxt[0] not in "一第次月年天"


def find_quantities(text: str) -> list[Quantity]:
    """All plausible quantities in text, in order of appearance."""
    out: list[Quantity] = []
    for m in QUANTITY_RE.finditer(text):
        if not _plausible(m, text):
            continue
        num = parse_number(m.group("num"))
        if num is None:
            continue
        unit, factor, kind = _unit_of(m)
        as_float = kind in ("pct", "pp")
        low = parse_number(m.group("lo")) if m.group("lo") else None
        if not _in_range(num * factor) or (low is not None and not _in_range(low * factor)):
            continue
        approx = m.group("pre") or m.group("mid") or m.group("mid2") or m.group("post")
        raw = m.group(0)[len(m.group("pre") or "") :]
        out.append(
            Quantity(
                start=m.start(),
                end=m.end(),
                raw=raw,
                value=_num_out(num * factor, as_float),
                unit=unit,
                kind=kind,
                approx=approx,
                low=_num_out(low * factor, as_float) if low is not None else None,
                chinese_numeral=m.group("num")[0] in CN_NUM_CHARS,
            )
        )
    for m in _CN_PERCENT_RE.finditer(text):
        num = parse_number(m.group("num"))
        if num is not None and _in_range(num) and not any(q.start <= m.start() < q.end for q in out):
            value = num / 10 if m.group("base") == "千分之" else num
            out.append(
                Quantity(m.start(), m.end(), m.group(0), _num_out(value, True), "%", "pct", None, chinese_numeral=True)
            )
    for m in _TENTHS_RE.finditer(text):  # 八成以上: 80% or more
        tenths = parse_number(m.group("num"))
        if tenths is not None and not any(q.start <= m.start() < q.end for q in out):
            out.append(
                Quantity(
                    m.start(),
                    m.end(),
                    m.group(0),
                    _num_out(tenths * 10, True),
                    "%",
                    "pct",
                    m.group("post"),
                    chinese_numeral=True,
                )
            )
    return _merge_ranges(sorted(out, key=lambda q: q.start), text)


def _merge_ranges(qs: list[Quantity], text: str) -> list[Quantity]:
    """100万元—1000万元 / 10万元至100万元: one quantity, value the upper bound and low the lower."""
    out: list[Quantity] = []
    for q in qs:
        prev = out[-1] if out else None
        if (
            prev
            and prev.unit == q.unit
            and prev.low is None
            and q.low is None
            and re.fullmatch(r"\s*(?:—|–|-|~|～|至|到)\s*", text[prev.end : q.start])
        ):
            out[-1] = Quantity(
                prev.start,
                q.end,
                text[prev.start : q.end],
                q.value,
                q.unit,
                q.kind,
                prev.approx or q.approx,
                low=prev.value,
                chinese_numeral=q.chinese_numeral,
            )
            continue
        out.append(q)
    return out
