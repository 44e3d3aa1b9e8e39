"""Document → indicator facts (the `parkwatch extract` JSONL contract).

Walks the body paragraph by paragraph and sentence by sentence. Each quantity gets a subject
(carried through the sentence when the clause names none: 财政收入5.58亿元,完成年度预算的50.3%),
a measure, a signed value, a period (from the text, the paragraph, and the publication year),
a target flag, and for 其中 parts the total they belong to.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache

from parkwatch.extract.facts.numbers import Quantity, find_quantities
from parkwatch.extract.facts.periods import Period, reporting_periods, shift_year
from parkwatch.extract.facts.records import IndicatorFact
from parkwatch.extract.facts.subjects import (
    SubjectParse,
    is_verb_only,
    noun_after_figure,
    parse_subject_text,
    split_items,
    starts_with_verb,
    strip_park,
    tidy_phrase,
    verb_framed,
)
from parkwatch.extract.lexicon.patterns import PARK_ONLY_RE, SENTENCE_RE
from parkwatch.extract.lexicon.verbs import DOWN_VERBS

# bulletin sections that reprint other governments' news: not facts about the park
EXTERNAL_SECTIONS = re.compile(
    r"重点关注|他山之石|外地动态|各地动态|政策速递|信息参考|媒体聚焦|国内动态|"
    r"外省动态|兄弟园区|经验借鉴|政策法规|要闻速览|国内要闻|国际要闻"
)
_SECTION_RE = re.compile(r"^【([^】]{1,12})】$")
_STRONG_SEP = ",，;；:："
_LIST_JOIN_RE = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")
_TARGET_WORDS_RE = re.compile(
    r"力争|确保|争取|预期|将达|要达到|目标(?:是|为)|规划(?:到|至)|拟(?=新增|投资|引进|实施|安排|达到|建成|扩)|"
    r"(?<!项目)计划(?![,，;；。、的)）”]|$|完成率|完成情况|执行率|完成进度|总投资)"
)
_ACTUAL_REL_RE = re.compile(r"完成[^,，;；]*?(?:目标|计划|任务|预算)[^,，;；]*?的$")
_CAPACITY_RE = re.compile(r"(?:年产(?!值)|年处理|年加工)[^,，;；。]*$")
# a capacity inside a project or facility name (年产15万吨…项目, 15万吨/年钾碱装置) is part of the name
_NAME_AFTER_RE = re.compile(r"^[^,，;；。:：]{0,30}?(?:项目|生产线|装置|基地|工厂|车间|产业园|工程)")
_NOT_CAPACITY_RE = re.compile(r"投资|产值|纳税|税收|营收|收入")
# batch sizes of outside lists (入选全省首批10家) and over-fulfilment margins (超额24.1%)
_SKIP_BEFORE_RE = re.compile(r"(?:入选|成为|列入)[^,，;；。]{0,12}?(?:首批|第[一二三四五六七八九十\d]+批)$|超额$")
_THRESHOLD_SUBJ_RE = re.compile(r"(?:增长率|增速|增幅|降幅)$")
_PARENS_RE = re.compile(r"[(（][^()（）]*$")
_MARKS = {"《": "》", "“": "”", "‘": "’", "〔": "〕"}
_SHORT_QUOTES = ("“", "‘")  # quoted slogans ("三个一批") hold no facts; long quotes are speech


@dataclass(frozen=True)
class _Stated:
    """A fact stated in the paragraph, with the key a later 其中 part finds its total by."""

    fact: IndicatorFact
    key: tuple[str, str]  # (measure, classifier: the counted thing's 个/家/项, else the unit)


@dataclass
class _Para:
    """Running state inside one paragraph."""

    subject: str | None = None
    comparator: str | None = None
    period: Period | None = None
    items: list[str] = field(default_factory=list)
    facts: list[_Stated] = field(default_factory=list)
    prev_sentence_start: int = 0  # para.facts index where the previous sentence's facts begin


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
            opener, s = stack.pop()
            if (opener in _SHORT_QUOTES and i - s <= 20) or (not stack and opener not in _SHORT_QUOTES):
                out.append((s, i + 1))
    return out


def _quantities(sentence: str) -> list[Quantity]:
    masked = _masked_ranges(sentence)
    out = []
    for q in find_quantities(sentence):
        if any(s <= q.start < e for s, e in masked):
            continue
        after = sentence[q.end : q.end + 3]
        if after.startswith(("及以下", "及以上")):
            continue
        before = sentence[: q.start]
        clause = before[_clause_start(sentence, q.start) :]
        cap = _CAPACITY_RE.search(clause)
        capacity = (cap and not _NOT_CAPACITY_RE.search(cap.group(0))) or "/年" in q.unit or q.unit.endswith("/yr")
        item = re.split(r"[、,，;；:：]", before)[-1]
        named = (
            _NAME_AFTER_RE.match(sentence[q.end :])
            or re.search(r"有限公司|股份|集团", item)
            or re.search(r"分别为|分别是|包括", before)
        )
        if (capacity and named) or _SKIP_BEFORE_RE.search(before) or _is_qualifier(q, sentence):
            continue
        if q.kind == "pct" and re.match(r"\s*(?:年度)?目标", sentence[q.end :]) and re.search(r"完成\S{0,4}$", before):
            continue
        out.append(q)
    return out


# starts at the head of a number and is bounded, so a page with a 30 000-digit run stays linear
_AMT = r"(?<![\d.])[\d.]{1,24}\s*(?:万亿|亿|千万|百万|万)?元"
_QUALIFIER_RE = re.compile(
    rf"(?:突破|超过|超|达到|在)\s*{_AMT}(?:\s*[、和及]\s*{_AMT})*\s*(?:以上)?\s*(?=的|且|项目|企业|工业企业|产业项目)"
    rf"|{_AMT}\s*以上\s*(?=的|且|项目|企业|工业企业|产业项目)"
)


# attributes of the thing just counted (…项目9个、总投资55.1亿元; 内资企业133户,注册资本(金)61930万元)
_ATTRIBUTE_RE = re.compile(
    r"^(?:总投资|投资额|协议投资额|计划总投资|总面积|面积|注册资本(?:\(金\))?|资金数额|注册资金)$"
)
_GRANT_RE = re.compile(r"\s*(?:的)?给予([\u4e00-\u9fff]{2,12}?)(?=[,，;；。、]|$)")
_AID_NOUN_RE = re.compile(r"(?:一次性)?(?:后补助|补助|奖励|补贴|贴息|资助)(?=[,，;；。、]|$)")


def _is_qualifier(q: Quantity, sentence: str) -> bool:
    """1亿元以上的工业项目, 10亿元以上项目, 超过1000万元的, 突破10亿元、50亿元的企业: bounds that pick
    what is counted or rewarded, not facts."""
    return q.kind == "amount" and any(m.start() <= q.start < m.end() for m in _QUALIFIER_RE.finditer(sentence))


def _clause_start(sentence: str, pos: int) -> int:
    i = pos - 1
    while i >= 0:
        if sentence[i] in _STRONG_SEP:
            return i + 1
        if (
            sentence[i] == " "
            and 0 < i < len(sentence) - 1
            and not sentence[i - 1].isascii()
            and not sentence[i + 1].isascii()
            and not sentence[i + 1].isdigit()
        ):
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
            if prev.unit == q.unit and _LIST_JOIN_RE.match(sentence[prev.end : q.start]):
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _measure(q: Quantity, subject_parse: SubjectParse) -> str:
    if q.kind == "pp":
        return "pp_change"
    if q.kind == "pct":
        if subject_parse.change_verb and not subject_parse.to_level:
            return "growth_pct"
        if re.search(r"增长率|增速|增幅|降幅", subject_parse.subject) and not subject_parse.is_relation:
            return "growth_pct"
        return "share_pct"
    return q.kind


def _signed(value, measure: str, verb: str | None):
    if measure in ("growth_pct", "pp_change") and verb in DOWN_VERBS:
        return -value
    return value


_REPORTING_KINDS = ("ytd", "months", "half", "quarter", "first_n_quarters", "water_year", "since_year_start")
_ACTUAL_MARK_RE = re.compile(r"目前|现已|已经|已|截至|截止")
_SEGMENT_END_RE = re.compile(r"[;；。]|$")


def _segment_end(text: str, pos: int) -> int:
    """Where the ;-segment holding pos ends: the next ; or 。, else the end of the text."""
    end = _SEGMENT_END_RE.search(text, pos)
    return end.start() if end else len(text)


@lru_cache(maxsize=256)
def _sentence_periods(masked: str, ref_year: int | None, pub_date: str | None) -> tuple:
    return tuple(reporting_periods(masked, ref_year, pub_date))


def _period(masked: str, q_start: int, clause_start: int, para: _Para, ctx: _DocCtx) -> Period | None:
    """Period of the quantity at q_start: the nearest period expression before it in the sentence
    (dates only within its clause; a 由2010年的 … 调整为 base year only up to the 调整为), else the
    paragraph's running period."""
    found = [t for t in _sentence_periods(masked, ctx.ref_year, ctx.pub_date) if t[1] <= q_start]
    found = [t for t in found if t[2].kind not in ("date",) or t[0] >= clause_start]
    found = [
        t
        for t in found
        if not (masked[max(0, t[0] - 1) : t[0]] == "由" and _TO_STATE_RE.search(masked[t[1] : q_start]))
    ]
    if re.search(r"每年|每季度|每月", masked[clause_start:q_start]):
        return None
    if not found:
        seg_end = _segment_end(masked, q_start)
        later = [
            t
            for t in _sentence_periods(masked, ctx.ref_year, ctx.pub_date)
            if q_start <= t[0] < seg_end and t[2].kind in (*_REPORTING_KINDS, "year", "year_end")
        ]
        if later and not re.search(r"已|目前|现有|现已|累计", masked[clause_start:q_start]):
            # 全区实施重点项目53个,2023年开复工45个: the segment's period covers its head too
            return later[0][2]
        return para.period
    p = found[-1][2]
    if p.kind == "now":
        if para.period and para.period.kind in _REPORTING_KINDS:
            return para.period
        return Period(None, ctx.pub_date, "now") if ctx.pub_date else para.period
    return p


_TO_STATE_RE = re.compile(r"调整为|调整到|变为|提高到|提高至|增加到|增至|降至|降低到|下降到|减少到|达到")


def _target(
    masked: str, q_start: int, clause_start: int, ctx: _DocCtx, period: Period | None
) -> tuple[bool, int | None]:
    """(is_target, target_year). Targets: 到2025年 …, a future year, 力争/确保/计划 … governing the
    quantity (until a ; or an 已/目前 marks actuals), or any figure in a policy document."""
    before = masked[:q_start]
    year_ok = not re.search(r"每年|每季度|每月", masked[clause_start:q_start])  # a yearly target has no year
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)", before)]
    future = [y for y in years if ctx.ref_year and y > ctx.ref_year]
    m_to = list(re.finditer(r"(?:到|至)\s*((?:19|20)\d{2})\s*年", before))
    to_year = int(m_to[-1].group(1)) if m_to else None
    year = future[-1] if future else to_year
    if (
        year is None
        and period
        and period.kind in ("year", "year_end")
        and ctx.ref_year
        and period.year
        and period.year > ctx.ref_year
    ):
        year = period.year
    wordy = False
    for m in _TARGET_WORDS_RE.finditer(before):
        gap = before[m.end() :]
        if not re.search(r"[;；]", gap) and not _ACTUAL_MARK_RE.search(gap):
            wordy = True
    clause = masked[clause_start:q_start]
    if _ACTUAL_REL_RE.search(clause):
        wordy = False
    is_target = (
        ctx.policy
        or bool(future)
        or (to_year is not None and (ctx.ref_year is None or to_year >= ctx.ref_year))
        or wordy
    )
    if not is_target:
        return False, None
    if year is None and wordy and re.search(r"全年|年内|今年|本年", before):
        year = ctx.ref_year
    return True, (year if year_ok else None)


def _mask_titles(sentence: str) -> str:
    """The sentence with 《…》 contents blanked (titles carry years and 计划 that are not ours)."""
    return re.sub(r"《[^《》]*》", lambda m: " " * len(m.group(0)), sentence)


@dataclass
class _SentenceState:
    """Running state inside one sentence, from one group of quantities to the next."""

    segment_start: int  # para.facts index of the first fact of the current ";"-segment
    prev_segment_start: int | None = None
    prev_end: int = 0  # where the previous group (or the noun it took from after it) ends
    prev_clause_start: int = -1
    totals: tuple[int, int] | None = None  # para.facts range holding the total of the current 其中 list
    last_noun: str | None = None  # the noun the previous group took from after its figure


@dataclass(frozen=True)
class _Clause:
    """Where a group of quantities sits in its sentence, and what the text before it says."""

    start: int  # start of the clause holding the group's first quantity
    subject_text: str  # from the clause start (or the previous group) to the first quantity
    between: str  # from the previous group to the first quantity
    subject_parse: SubjectParse


@dataclass(frozen=True)
class _Timing:
    """The period a group of quantities covers, and whether it is a target (for which year)."""

    period: Period | None
    is_target: bool
    target_year: int | None


_MEASURE_WORD_RE = re.compile(r"\s*(?:产量|价格|产值|数量|销量|销售额)")
_SAME_PERIOD_OF_RE = re.compile(r"(?:较|比)\s*((?:19|20)\d{2})\s*年同期\s*[(（]\s*$")


def _parent(
    para: _Para, q: Quantity, measure: str, totals: tuple[int, int] | None, relation_of: str | None
) -> str | None:
    """The total a 其中 part belongs to (the last fact stated just before 其中 with the same measure
    and unit), or for a share, the whole it is a share of."""
    if relation_of and measure == "share_pct":
        return relation_of
    if totals is None:
        return None
    key = (measure, _classifier(q))
    for stated in reversed(para.facts[totals[0] : totals[1]]):
        if stated.key == key and stated.fact.unit == q.unit:
            return stated.fact.indicator_text
    return None


def _classifier(q: Quantity) -> str:
    return q.raw.rstrip("余多以上左右")[-1:] if q.kind == "count" else q.unit


def _sentence_facts(sentence: str, para: _Para, ctx: _DocCtx) -> list[IndicatorFact]:
    """The facts of one sentence, group by group of quantities: its clause and subject text, the
    subject of each quantity, the period and target flag, then one fact per quantity."""
    masked = _mask_titles(sentence)
    state = _SentenceState(segment_start=len(para.facts))
    out: list[IndicatorFact] = []
    for group in _groups(sentence, _quantities(sentence)):
        clause = _clause_context(sentence, group, state)
        _open_segment(sentence, group[0], clause, state, para)
        pairs, consumed = _subjects_for(sentence, group, clause, para)
        timing = _period_and_target(masked, group[0].start, clause.start, para, ctx)
        _mark_totals(sentence, group[0], clause.between, state, para)
        for q, subject in pairs:
            stated = _make_fact(q, subject, sentence, clause, timing, state, para, ctx)
            if stated is not None:
                out.append(stated.fact)
                para.facts.append(stated)
        if clause.subject_parse.comparator:
            para.comparator = clause.subject_parse.comparator
        state.prev_end = max(group[-1].end, consumed or 0)
        state.last_noun = pairs[-1][1] if consumed and pairs else None
        state.prev_clause_start = clause.start
    return out


def _clause_context(sentence: str, group: list[Quantity], state: _SentenceState) -> _Clause:
    """The clause of a group's first quantity and the text that names its subject: from the clause
    start, or within a clause already holding figures, from the previous group (after its last 、)."""
    first = group[0]
    clause_start = _clause_start(sentence, first.start)
    same_clause = state.prev_clause_start == clause_start and state.prev_end > clause_start
    subject_start = max(clause_start, state.prev_end) if same_clause else clause_start
    subject_text = sentence[subject_start : first.start]
    if same_clause and "、" in subject_text:
        subject_text = subject_text[subject_text.rfind("、") + 1 :]
    if state.last_noun and subject_start == state.prev_end and _MEASURE_WORD_RE.match(subject_text):
        subject_text = (
            state.last_noun + subject_text
        )  # 46种[工业产品]产量同比增长27种: the measure belongs to that noun
    return _Clause(clause_start, subject_text, sentence[state.prev_end : first.start], parse_subject_text(subject_text))


def _open_segment(sentence: str, first: Quantity, clause: _Clause, state: _SentenceState, para: _Para) -> None:
    """A ; before the group opens a new segment; it closes the 其中 list when the new segment
    states a change, opens its own 其中 or starts with an action."""
    if not re.search(r"[;；]", clause.between):
        return
    state.prev_segment_start, state.segment_start = state.segment_start, len(para.facts)
    rest = sentence[first.start : _segment_end(sentence, first.start)]
    if state.totals and (
        clause.subject_parse.change_verb or "其中" in rest or starts_with_verb(tidy_phrase(clause.subject_text))
    ):
        state.totals = None


def _mark_totals(sentence: str, first: Quantity, between: str, state: _SentenceState, para: _Para) -> None:
    """Where the totals of the parts that follow are: the fact just stated before …中, or before a
    bracketed list (…456户(企业147户、个体工商户309户)); the facts of the segment (or the sentence)
    before a 其中."""
    here = len(para.facts)
    if (
        here > state.segment_start
        and (
            re.match(r"\s*中\s*[,，:：]", between)  # 重点监测的36种工业产品中,增长的17种…
            or (re.match(r"\s*[(（][^()（）]*$", between) and re.match(r"[^()（）]*[、,，]", sentence[first.end :]))
        )
    ):
        state.totals = (here - 1, here)
    if "其中" in between:
        if here > state.segment_start:
            state.totals = (state.segment_start, here)
        elif state.prev_segment_start is not None:
            state.totals = (state.prev_segment_start, here)
        else:
            state.totals = (para.prev_sentence_start, here)


def _period_and_target(masked: str, q_start: int, clause_start: int, para: _Para, ctx: _DocCtx) -> _Timing:
    """The group's period and target flag; a target for a named year covers that year."""
    period = _period(masked, q_start, clause_start, para, ctx)
    is_target, target_year = _target(masked, q_start, clause_start, ctx, period)
    if (
        is_target
        and target_year
        and (period is None or period.year != target_year or period.kind in ("now", "full_year"))
    ):
        period = Period(f"{target_year:04d}-01-01", f"{target_year:04d}-12-31", "year", target_year)
    return _Timing(period, is_target, target_year)


def _make_fact(
    q: Quantity,
    subject: str,
    sentence: str,
    clause: _Clause,
    timing: _Timing,
    state: _SentenceState,
    para: _Para,
    ctx: _DocCtx,
) -> _Stated | None:
    """The fact one quantity states, or None (a threshold, or nothing names it)."""
    subject_parse = clause.subject_parse
    if _is_threshold(q, subject_parse, sentence[clause.start : q.start]):
        return None
    measure = _measure(q, subject_parse)
    text = _indicator_text(subject, measure, subject_parse, state, para)
    if not text:
        return None
    if text.startswith("亩均") and q.unit == "CNY":  # 亩均税收58万元: per mu of land
        q = dataclasses.replace(q, unit="CNY/mu")
    period = _part_period(sentence, q, clause.start, timing.period)
    value, approx = _signed(q.value, measure, subject_parse.change_verb), q.approx
    if q.low is not None:
        value, approx = _signed(q.low, measure, subject_parse.change_verb), approx or "区间"
    fact = IndicatorFact(
        doc=ctx.ref,
        indicator_text=text,
        measure=measure,
        value=value,
        unit=q.unit,
        raw=q.raw,
        approx=approx,
        is_target=timing.is_target,
        target_year=timing.target_year,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        sentence=sentence.strip(),
        parent_indicator_text=_parent(para, q, measure, state.totals, subject_parse.relation_of),
    )
    return _Stated(fact, (measure, _classifier(q)))


def _indicator_text(subject: str, measure: str, subject_parse: SubjectParse, state: _SentenceState, para: _Para) -> str:
    """What a figure measures: its subject, an attribute of the thing just counted (项目共425个,
    总投资… → 项目总投资), or for an absolute change, the subject with its verb (…同比增加)."""
    text = subject
    owner = para.facts[-1].fact if len(para.facts) > state.segment_start else None
    if (
        measure == "amount"
        and _ATTRIBUTE_RE.match(subject)
        and owner
        and owner.measure == "count"
        and not owner.indicator_text.endswith(subject)
    ):
        text = owner.indicator_text + subject
    if measure in ("amount", "count") and subject_parse.change_verb and not subject_parse.to_level:
        text = f"{subject}{subject_parse.comparator or para.comparator or ''}{subject_parse.change_verb}"
    return text


def _part_period(sentence: str, q: Quantity, clause_start: int, period: Period | None) -> Period | None:
    """A figure in brackets after 较2023年同期 is that year's, over the same span."""
    in_parens = bool(_PARENS_RE.search(sentence[clause_start : q.start]))
    base = _SAME_PERIOD_OF_RE.search(sentence[: q.start]) if in_parens else None
    if base:
        return shift_year(period, int(base.group(1))) if period else None
    return period


def _is_threshold(q: Quantity, subject_parse: SubjectParse, clause_before: str) -> bool:
    """20种产品增长率超过20%, 6家产值超100亿元企业: a bar the counted items pass, not a fact."""
    if q.approx not in ("超过", "超", "以上", "逾"):
        return False
    counted = any(x.kind == "count" for x in find_quantities(clause_before))
    if q.kind == "pct":
        return counted and bool(_THRESHOLD_SUBJ_RE.search(subject_parse.subject))
    return counted and q.kind == "amount" and bool(re.search(r"(?:产值|营收|营业收入|规模|投资)$", clause_before))


_Pairs = list[tuple[Quantity, str]]


def _subjects_for(sentence: str, group: list[Quantity], clause: _Clause, para: _Para) -> tuple[_Pairs, int | None]:
    """(quantity, subject) pairs for a quantity or a 、/和 list of them, and where the noun taken
    from after the figure ends (None when none was); updates the carried subject.

    Lists map item by item (A、B和C占…分别为x、y和z); "A、B均达到x" gives x to each item.
    """
    subject_parse, subject_text = clause.subject_parse, clause.subject_text
    subject = subject_parse.subject
    if len(group) > 1:
        if is_verb_only(subject):
            subject = ""
        listed = _list_subjects(sentence, group, subject, para)
        if listed is not None:
            return listed, None
    named = _named_by_phrase(sentence, group, subject, subject_text)
    if named is not None:
        return named, None
    subject, consumed = _noun_after(sentence, group[0], subject_parse, subject_text, subject)
    subject = _carried_subject(subject, group[0], subject_parse, para)
    return [(x, subject) for x in group], consumed


def _list_subjects(sentence: str, group: list[Quantity], subject: str, para: _Para) -> _Pairs | None:
    """A list of figures takes the subject's items, the carried items, or the noun after its last
    figure (分别给予50万元、100万元、200万元奖励); None when none fits."""
    items = split_items(subject) if subject else []
    if len(items) == len(group):
        para.items, para.subject = items, subject
        return list(zip(group, items, strict=True))
    if not subject and len(para.items) == len(group):
        return list(zip(group, para.items, strict=True))
    carried = split_items(para.subject or "")
    if not subject and len(carried) == len(group):
        return list(zip(group, carried, strict=True))
    if not subject:
        tail_noun = noun_after_figure(sentence[group[-1].end : _clause_end(sentence, group[-1].end)])
        if tail_noun:
            return [(x, tail_noun) for x in group]
    return None


def _named_by_phrase(sentence: str, group: list[Quantity], subject: str, subject_text: str) -> _Pairs | None:
    """Figures a phrase around them names: 年产 (a capacity), 给予… (a grant), …补助 (aid), and
    "A、B均达到x"; None otherwise."""
    q = group[0]
    cap = (
        re.search(r"年产([\u4e00-\u9fffA-Za-z]*)$", tidy_phrase(subject_text))
        if q.kind in ("amount", "count")
        else None
    )
    if cap:  # 建成后可年产特种钢材10万吨 / 形成年产10万吨特种钢材的生产能力
        product = cap.group(1) or noun_after_figure(sentence[q.end : _clause_end(sentence, q.end)])
        return [(x, "年产" + product) for x in group]
    granted = _GRANT_RE.match(sentence[q.end :])
    if granted:  # 按设备投资额的8%给予补助 / 按每人每月300元给予社会保险补贴
        noun = granted.group(1)
        return [(x, noun + "比例" if x.kind == "pct" else noun) for x in group]
    aid = _AID_NOUN_RE.match(sentence[q.end :]) if q.kind == "pct" else None
    if aid:  # 给予40%补助
        return [(x, aid.group(0) + "比例") for x in group]
    if len(group) == 1 and subject and "、" in subject and re.search(r"均(?:达到?|为|是)?\s*$", subject_text):
        return [(q, item) for item in split_items(subject)]
    return None


def _noun_after(
    sentence: str, q: Quantity, subject_parse: SubjectParse, subject_text: str, subject: str
) -> tuple[str, int | None]:
    """The subject when the counted noun follows the figure (开展12场招聘会, 新增企业的12家…), and
    where that noun ends; park names and bare verbs name nothing."""
    after = sentence[q.end : _clause_end(sentence, q.end)]
    noun = noun_after_figure(after) if q.kind in ("count", "amount") else ""
    consumed = None
    if strip_park(subject + "x") == "x" or PARK_ONLY_RE.match(subject):
        subject = ""
    if noun and (
        is_verb_only(subject)
        or after.lstrip().startswith("的")
        or subject_text.rstrip().endswith(("的", "等"))
        or len(subject) <= 2
        or verb_framed(subject)
    ):
        modifier = tidy_phrase(subject_text).removesuffix("的")
        short_modifier = (
            subject_text.rstrip().endswith("的")
            and 2 <= len(subject) <= 4
            and not verb_framed(subject)
            and subject == modifier
        )
        subject = subject + noun if short_modifier else noun
        at = sentence.find(noun[:2], q.end)
        consumed = at + len(noun) if at >= 0 and not find_quantities(sentence[q.end : at]) else None
    elif is_verb_only(subject) and subject and not subject_parse.change_verb and not noun and q.kind == "count":
        tail = tidy_phrase(after)
        if 2 <= len(tail) <= 20 and not find_quantities(tail):
            subject = subject + tail
            consumed = q.end + len(after)
    elif is_verb_only(subject) and not subject_parse.change_verb:
        subject = "" if subject in ("为", "有", "共", "达", "了", "的") else subject
    return subject, consumed


def _carried_subject(subject: str, q: Quantity, subject_parse: SubjectParse, para: _Para) -> str:
    """The subject, or the paragraph's carried one when the clause names none (财政收入5.58亿元,
    完成年度预算的50.3%); a named subject is carried on."""
    if re.fullmatch(r"增速|增幅|增长率|占比|比重", subject) and para.subject:
        subject = re.sub(r"(?:增速|增幅|增长率|占比|比重)$", "", para.subject) + subject  # 增速较一季度提高…
    if not subject or (is_verb_only(subject) and (subject_parse.is_relation or subject_parse.change_verb)):
        subject = para.subject or ""
        if q.kind == "amount" and q.approx in ("最高", "最多", "不超过") and subject.endswith("比例"):
            subject = subject[:-2]  # …给予补助比例8%,最高500万元: the cap is on the aid itself
    elif not subject_parse.is_relation:
        para.subject = subject
        para.items = []
    return tidy_phrase(subject)


# Real sentences stay under ~500 characters; a longer run (a hostile page, a text without full
# stops) is cut at a clause mark, so the per-sentence work (quadratic in its length) stays bounded.
_MAX_SENTENCE = 1000
_CLAUSE_MARKS = ",，;；、 "


def _sentences(paragraph: str):
    for m in SENTENCE_RE.finditer(paragraph):
        sentence = m.group(0)
        while len(sentence) > _MAX_SENTENCE:
            window = sentence[:_MAX_SENTENCE]
            cut = max(window.rfind(c) for c in _CLAUSE_MARKS) + 1
            if cut < _MAX_SENTENCE // 2:
                cut = _MAX_SENTENCE
            yield sentence[:cut]
            sentence = sentence[cut:]
        yield sentence


def _paragraph_facts(paragraph: str, ctx: _DocCtx) -> list[IndicatorFact]:
    para = _Para()
    out: list[IndicatorFact] = []
    for i, sentence in enumerate(_sentences(paragraph)):
        if not sentence.strip():
            continue
        start = len(para.facts)
        out.extend(_sentence_facts(sentence, para, ctx))
        if len(para.facts) > start:
            para.prev_sentence_start = start
        found = reporting_periods(_mask_titles(sentence), ctx.ref_year, ctx.pub_date)
        good = [
            p
            for _, _, p in found
            if p.kind not in ("date", "now") and (i == 0 or p.kind not in ("full_year", "since_year_start"))
        ]
        if good and (i == 0 or para.period is None or para.period.kind == "now"):
            para.period = good[0] if i == 0 else good[-1]
        elif good and i > 0:
            para.period = good[-1]
    return out


def indicator_facts_from_text(
    body: str,
    ref: str | None,
    published_date: str | None = None,
    title: str | None = None,
    policy: bool = False,
    bulletin: bool = False,
) -> list[IndicatorFact]:
    """Indicator facts from a body text (paragraphs separated by newlines).

    In a bulletin, a figure stated without any period takes the issue's reporting period (the
    period most of its dated figures share)."""
    ctx = _DocCtx(ref, reference_year(published_date, title), published_date, policy)
    out: list[IndicatorFact] = []
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
    if bulletin:
        out = _default_period(out)
    return _dedupe(out)


def extract_indicators_from_text(
    body: str,
    ref: str | None,
    published_date: str | None = None,
    title: str | None = None,
    policy: bool = False,
    bulletin: bool = False,
) -> list[dict]:
    """`indicator_facts_from_text` as dicts: the ``parkwatch extract --format jsonl`` objects."""
    return [f.to_dict() for f in indicator_facts_from_text(body, ref, published_date, title, policy, bulletin)]


def _default_period(facts: list[IndicatorFact]) -> list[IndicatorFact]:
    """Give undated, non-target facts the most common full (start and end) period of the others."""
    spans = [(f.period_start, f.period_end) for f in facts if f.period_start and f.period_end and not f.is_target]
    if not spans:
        return facts
    start, end = max(set(spans), key=lambda s: (spans.count(s), -spans.index(s)))
    return [
        dataclasses.replace(f, period_start=start, period_end=end)
        if f.period_start is None and f.period_end is None and not f.is_target
        else f
        for f in facts
    ]


def _dedupe(facts: list[IndicatorFact]) -> list[IndicatorFact]:
    """Drop a fact restated in another sentence (a headline repeated in the text); repeats
    within one sentence are separate statements and stay."""
    seen: dict[tuple, str] = {}
    out = []
    for f in facts:
        key = (f.indicator_text, f.measure, f.value, f.unit, f.period_start, f.period_end, f.raw)
        if key in seen and seen[key] != f.sentence:
            continue
        seen.setdefault(key, f.sentence)
        out.append(f)
    return out
