"""Document → indicator facts (the `parkwatch extract` JSONL contract).

Walks the body paragraph by paragraph and sentence by sentence. Each quantity gets a subject
(carried through the sentence when the clause names none: 财政收入5.58亿元,完成年度预算的50.3%),
a measure, a signed value, a period (from the text, the paragraph, and the publication year),
a target flag, and for 其中 parts the total they belong to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parkwatch.facts.numbers import Quantity, find_quantities
from parkwatch.facts.periods import Period, find_periods, shift_year
from parkwatch.facts.subjects import (
    DOWN_VERBS,
    SubjectParse,
    is_verb_only,
    parse_pre,
    post_noun,
    split_items,
    tidy,
)

CONTRACT_FIELDS = (
    "doc", "indicator_text", "measure", "value", "unit", "raw", "approx", "is_target",
    "period_start", "period_end", "sentence",
)
# bulletin sections that reprint other governments' news: not facts about the park
EXTERNAL_SECTIONS = re.compile(r"重点关注|他山之石|外地动态|各地动态|政策速递|信息参考|媒体聚焦|国内动态|"
                               r"外省动态|兄弟园区|经验借鉴|政策法规|要闻速览|国内要闻|国际要闻")
_SECTION_RE = re.compile(r"^【([^】]{1,12})】$")
_SENT_RE = re.compile(r"[^。!?！？]+[。!?！？]?")
_STRONG_SEP = ",，;；:："
_LIST_JOIN_RE = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")
_TARGET_WORDS_RE = re.compile(r"力争|确保|计划(?!的)|目标(?:是|为)|预期|争取|将达|规划(?:到|至)|要达到|达到\d")
_ACTUAL_REL_RE = re.compile(r"完成[^,，;；]*?(?:目标|计划|任务|预算)[^,，;；]*?的$")
_CAPACITY_RE = re.compile(r"年产\s*$|年处理\s*$|年加工\s*$")
_PARENS_RE = re.compile(r"[(（][^()（）]*$")
_MARKS = {"《": "》", "“": "”", "〔": "〕"}


@dataclass
class _Para:
    """Running state inside one paragraph."""

    subject: str | None = None
    comparator: str | None = None
    period: Period | None = None
    items: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class _DocCtx:
    ref: str | None
    ref_year: int | None
    pub_date: str | None
    policy: bool


def reference_year(published_date: str | None, title: str | None) -> int | None:
    """Year used to resolve 上半年 etc.: the publication year, else a year in the title."""
    if published_date and re.match(r"\d{4}", published_date):
        return int(published_date[:4])
    m = re.search(r"((?:19|20)\d{2})\s*年", title or "")
    return int(m.group(1)) if m else None


def _masked_ranges(text: str) -> list[tuple[int, int]]:
    """Spans inside 《》, “” and 〔〕: titles, slogans and document numbers hold no facts."""
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch in _MARKS:
            stack.append((ch, i))
        elif stack and ch == _MARKS[stack[-1][0]]:
            _, s = stack.pop()
            if not stack:
                out.append((s, i + 1))
    return out


def _quantities(sentence: str) -> list[Quantity]:
    masked = _masked_ranges(sentence)
    out = []
    for q in find_quantities(sentence):
        if any(s <= q.start < e for s, e in masked):
            continue
        after = sentence[q.end:q.end + 3]
        if after.startswith(("及以下", "及以上")) or "/年" in q.unit or q.unit.endswith("/yr"):
            continue
        if _CAPACITY_RE.search(sentence[max(0, q.start - 4):q.start]):
            continue
        out.append(q)
    return out


def _clause_start(sentence: str, pos: int) -> int:
    i = pos - 1
    while i >= 0:
        if sentence[i] in _STRONG_SEP:
            return i + 1
        if sentence[i] == " " and 0 < i < len(sentence) - 1 and not sentence[i - 1].isascii() \
                and not sentence[i + 1].isascii() and not sentence[i + 1].isdigit():
            return i + 1
        i -= 1
    return 0


def _clause_end(sentence: str, pos: int) -> int:
    for i in range(pos, len(sentence)):
        if sentence[i] in _STRONG_SEP + "。!?！？、":
            return i
    return len(sentence)


def _groups(sentence: str, qs: list[Quantity]) -> list[list[Quantity]]:
    """Quantities joined only by 、/和/及 with the same unit form one list (分别 …)."""
    groups: list[list[Quantity]] = []
    for q in qs:
        if groups:
            prev = groups[-1][-1]
            if prev.unit == q.unit and _LIST_JOIN_RE.match(sentence[prev.end:q.start]):
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _measure(q: Quantity, sp: SubjectParse) -> str:
    if q.kind == "pp":
        return "pp_change"
    if q.kind == "pct":
        if sp.change_verb and not sp.to_level:
            return "growth_pct"
        if re.search(r"增长率|增速|增幅|降幅", sp.subject) and not sp.is_relation:
            return "growth_pct"
        return "share_pct"
    return q.kind


def _signed(value, measure: str, verb: str | None):
    if measure in ("growth_pct", "pp_change") and verb in DOWN_VERBS:
        return -value
    return value


def _period(sentence: str, q_start: int, clause_start: int, para: _Para, ctx: _DocCtx,
            target_year: int | None) -> Period | None:
    found = [(s, e, p) for s, e, p in find_periods(sentence[:q_start], ctx.ref_year, ctx.pub_date)]
    found = [t for t in found if t[2].kind != "date" or t[0] >= clause_start]
    if found:
        p = found[-1][2]
        if p.kind == "now" and para.period and para.period.kind != "now":
            return para.period
        if p.kind == "year" and target_year is None and ctx.ref_year and p.year and p.year > ctx.ref_year:
            return p
        return p
    if target_year:
        return Period(f"{target_year:04d}-01-01", f"{target_year:04d}-12-31", "year", target_year)
    return para.period


def _target(sentence: str, q_start: int, clause_start: int, ctx: _DocCtx) -> tuple[bool, int | None]:
    before = sentence[:q_start]
    years = [int(y) for y in re.findall(r"(?:到|至|截至|力争到|力争)?\s*((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)",
                                        before)]
    future = [y for y in years if ctx.ref_year and y > ctx.ref_year]
    m_to = re.search(r"(?:到|至)\s*((?:19|20)\d{2})\s*年", before)
    clause = sentence[clause_start:q_start]
    wordy = bool(_TARGET_WORDS_RE.search(before)) and not _ACTUAL_REL_RE.search(clause)
    year = future[-1] if future else (int(m_to.group(1)) if m_to else None)
    if ctx.policy:
        return True, year
    if future or (m_to and (ctx.ref_year is None or int(m_to.group(1)) >= ctx.ref_year)):
        return True, year
    if wordy:
        if year is None and re.search(r"全年|年内|今年|本年", before):
            year = ctx.ref_year
        return True, year
    return False, None


def _fact(ctx: _DocCtx, q: Quantity, subject: str, measure: str, verb: str | None, period: Period | None,
          is_target: bool, target_year: int | None, sentence: str, parent: str | None) -> dict:
    value = _signed(q.value, measure, verb)
    approx = q.approx
    if q.low is not None:
        value, approx = _signed(q.low, measure, verb), approx or "区间"
    return {
        "doc": ctx.ref,
        "indicator_text": subject,
        "measure": measure,
        "value": value,
        "unit": q.unit,
        "raw": q.raw,
        "approx": approx,
        "is_target": is_target,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "sentence": sentence.strip(),
        "parent_indicator_text": parent,
        "target_year": target_year,
    }


def _parent(para: _Para, sentence: str, q_start: int, measure: str, unit: str, in_qizhong: bool,
            relation_of: str | None) -> str | None:
    if relation_of and measure == "share_pct":
        return relation_of
    if not in_qizhong:
        return None
    for f in reversed(para.facts):
        if f["measure"] == measure and f["unit"] == unit and f.get("_before_qizhong"):
            return f["indicator_text"]
    return None


def _sentence_facts(sentence: str, para: _Para, ctx: _DocCtx) -> list[dict]:
    qs = _quantities(sentence)
    out: list[dict] = []
    qz = sentence.find("其中")
    prev_end = 0
    prev_clause = -1
    for group in _groups(sentence, qs):
        first = group[0]
        cstart = _clause_start(sentence, first.start)
        same_clause = prev_clause == cstart and prev_end > cstart
        lo = max(cstart, prev_end) if same_clause else cstart
        pre = sentence[lo:first.start]
        if same_clause and "、" in pre:
            pre = pre[pre.rfind("、") + 1:]
        sp = parse_pre(pre)
        subjects = _group_subjects(sentence, group, sp, pre, para)
        is_target, target_year = _target(sentence, first.start, cstart, ctx)
        period = _period(sentence, first.start, cstart, para, ctx, target_year if is_target else None)
        for q, subject in zip(group, subjects):
            measure = _measure(q, sp)
            in_paren = bool(_PARENS_RE.search(sentence[cstart:q.start]))
            q_period = period
            if in_paren and re.search(r"(?:较|比)\s*((?:19|20)\d{2})\s*年同期\s*[(（]\s*$", sentence[:q.start]):
                y = int(re.search(r"((?:19|20)\d{2})\s*年同期\s*[(（]\s*$", sentence[:q.start]).group(1))
                q_period = shift_year(period, y) if period else None
            text = subject
            if measure in ("amount", "count") and sp.change_verb and not sp.to_level:
                text = f"{subject}{sp.comparator or para.comparator or ''}{sp.change_verb}"
            if not text:
                continue
            parent = _parent(para, sentence, q.start, measure, q.unit, 0 <= qz < q.start, sp.relation_of)
            f = _fact(ctx, q, text, measure, sp.change_verb, q_period, is_target, target_year, sentence, parent)
            f["_before_qizhong"] = qz < 0 or q.start < qz
            out.append(f)
            para.facts.append(f)
        if sp.comparator:
            para.comparator = sp.comparator
        prev_end = group[-1].end
        prev_clause = cstart
    return out


def _group_subjects(sentence: str, group: list[Quantity], sp: SubjectParse, pre: str, para: _Para) -> list[str]:
    """Subjects for a quantity or a 、/和 list of them; updates the paragraph's carried subject."""
    subject = sp.subject
    if len(group) > 1:
        items = split_items(subject) if subject else []
        if len(items) == len(group):
            para.items = items
            para.subject = subject
            return items
        if not subject and len(para.items) == len(group):
            return list(para.items)
    q = group[0]
    after = sentence[q.end:_clause_end(sentence, q.end)]
    noun = post_noun(after) if q.kind in ("count", "amount") else ""
    if noun and (is_verb_only(subject) or after.lstrip().startswith("的") or pre.rstrip().endswith(("的", "等"))):
        subject = noun
    elif is_verb_only(subject) and not sp.change_verb:
        subject = "" if subject in ("为", "有", "共", "达", "了", "的") else subject
    if not subject or (is_verb_only(subject) and (sp.is_relation or sp.change_verb)):
        subject = para.subject or ""
    elif not sp.is_relation:
        para.subject = subject
        para.items = []
    subject = tidy(subject)
    return [subject] * len(group)


def _paragraph_facts(paragraph: str, ctx: _DocCtx) -> list[dict]:
    para = _Para()
    out: list[dict] = []
    for i, m in enumerate(_SENT_RE.finditer(paragraph)):
        sentence = m.group(0)
        if not sentence.strip():
            continue
        out.extend(_sentence_facts(sentence, para, ctx))
        found = find_periods(sentence, ctx.ref_year, ctx.pub_date)
        good = [p for _, _, p in found if p.kind not in ("date", "now")]
        if good and (i == 0 or para.period is None or para.period.kind == "now"):
            para.period = good[0] if i == 0 else good[-1]
        elif good and i > 0:
            para.period = good[-1]
    return out


def extract_indicators_from_text(body: str, ref: str | None, published_date: str | None = None,
                                 title: str | None = None, policy: bool = False) -> list[dict]:
    """Indicator facts from a body text (paragraphs separated by newlines)."""
    ctx = _DocCtx(ref, reference_year(published_date, title), published_date, policy)
    out: list[dict] = []
    external = False
    for paragraph in (body or "").split("\n"):
        paragraph = paragraph.strip()
        sec = _SECTION_RE.match(paragraph)
        if sec:
            external = bool(EXTERNAL_SECTIONS.search(sec.group(1)))
            continue
        if external or not paragraph:
            continue
        out.extend(_paragraph_facts(paragraph, ctx))
    return _dedupe(out)


def _dedupe(facts: list[dict]) -> list[dict]:
    seen, out = set(), []
    for f in facts:
        f.pop("_before_qizhong", None)
        key = (f["indicator_text"], f["measure"], f["value"], f["unit"], f["period_start"], f["period_end"],
               f["raw"])
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
