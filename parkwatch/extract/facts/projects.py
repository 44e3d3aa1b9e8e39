"""Document → project facts: named projects (company, investment, capacity, status) and project
counts and rates (开复工项目40个, 开复工率100%).

Every record is a `ProjectRecord` (parkwatch.extract.facts.records).
"""

from __future__ import annotations

import dataclasses
import re

from parkwatch.extract.facts.numbers import find_quantities
from parkwatch.extract.facts.records import IndicatorFact, ProjectRecord
from parkwatch.extract.lexicon.patterns import SENTENCE_RE
from parkwatch.extract.lexicon.verbs import PROJECT_STATUS_WORDS

_FUTURE_RE = re.compile(r"(?:计划|预计|即将|将于|将|拟|力争|争取)[^,，;；。]{0,12}$")
_COMPANY_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()（）]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团公司|集团)")
_NAME_RE = re.compile(r"([^,，;；:：。、“”《》()（）\s]{2,60}?项目)")
_NAME_CUT_RE = re.compile(
    r"^.*(?:[在与和及为是对的将把等]|签约|签订|开工|投产|建设|实施|推进|推动|引进|落户|备案|完成|分别为|包括|其中|"
    r"主会场开工的|即将开工|纳入|列入|了)(?=.{4,})"
)
_GENERIC_RE = re.compile(
    # possessive digit run: a plain `+` inside the outer `*` splits a long number every possible way
    # (exponential backtracking: 24 digits took 4 s, a fuzzed page hung)
    r"^(?:[\d一二三四五六七八九十两百千]++[个项]?|[省市盟区县]?级?|新|续建|新开工|开复工|已开复工|签约|新签约|现场签约|"
    r"重点|重大|重点建设|市级重大|盟级重点|省重点|市重点|自治区重点|工业|基础设施|社会民生|产业|服务业|亿元以上|"
    r"10亿元以上|治理|灾后恢复重建|节点绿化提升改造|投资|拟建企业投资|联审联批|招商引资|集中开工|新落地|落地|"
    r"“?三个一批”?|人才|备案|优质|中央预算内投资|地方政府专项债|市级全生命周期监管平台|建设|配套|各类|该|此|本|这)*"
    r"(?:的)?$"
)
_CAPACITY_HINT_RE = re.compile(r"年产|万吨|/年|吨/|产能|平方米|千瓦|兆瓦")
_INVEST_RE = re.compile(r"(?:计划)?总投资|投资")
_RATE_RE = re.compile(r"开复工率|开工率|投产率|竣工率|履约率|达效率|签约率")
_SHORT_COMPANY_RE = re.compile(r"^(?![一二三四五六七八九]期|年产)([\u4e00-\u9fff]{2,8}?)(?<![盟市区县旗省镇])(?=年产)")
_PLACE_KIND_RE = re.compile(
    r"(?:产业园|物流园|科技园|基地|工程|中心|厂|生产线|装置|电站|管网|公路|铁路|专用线|修复|"
    r"园区|综合体|设施)项目$"
)
_ORDINAL_PHASE_RE = re.compile(r"^[一二三四五六七八九]期")


def project_status(text: str) -> str | None:
    """The status a sentence gives a project, ignoring planned ones (计划2025年投产)."""
    for word, status in PROJECT_STATUS_WORDS:
        for m in re.finditer(word + "(?!前)", text):
            if not _FUTURE_RE.search(text[: m.start()]):
                return status
    return None


def _capacity(name: str) -> tuple[float | int | None, str | None]:
    for q in find_quantities(name):
        if q.unit not in ("CNY", "USD", "d", "%", "pp") and q.kind in ("amount", "count"):
            unit = q.unit
            if "/" not in unit and re.search(r"年产|年处理|年加工", name[: q.start]):
                unit = f"{unit}/yr"
            return q.value, unit
    return None, None


def _company(name: str) -> tuple[str | None, str]:
    m = _COMPANY_RE.match(name)
    if m:
        return m.group(0), name[m.end() :]
    m = _SHORT_COMPANY_RE.match(name)
    if m and "年产" in name:
        return m.group(1), name[m.end() :]
    return None, name


def _clean_name(name: str) -> str:
    """Name without a leading period, park name or count (1-6月…, 青川高新区…)."""
    from parkwatch.extract.facts.periods import period_spans
    from parkwatch.extract.facts.subjects import blank_spans, strip_park

    name = re.sub(r"\s+", "", blank_spans(name, period_spans(name)))
    return strip_park(name)


def _is_named(name: str) -> bool:
    core = re.sub(r"项目$", "", name)
    counted = any(q.kind == "count" and "/" not in q.unit for q in find_quantities(re.sub(r"年产.*", "", core)))
    # generic descriptors are short ("新开工市级重大项目"); the length bound keeps the regex linear
    if (len(core) <= 40 and _GENERIC_RE.match(core)) or (counted and not _COMPANY_RE.search(core)):
        return False
    return bool(_CAPACITY_HINT_RE.search(name) or _COMPANY_RE.search(name) or _PLACE_KIND_RE.search(name))


def _investment(sentence: str, after: int, following: str) -> float | int | None:
    """First CNY amount introduced by 总投资/投资 after the name, else in the next sentence when it
    speaks of the same project (项目总投资…)."""
    for text, start in ((sentence, after), (following, 0)):
        if text is following and not re.match(r"\s*(?:据介绍[,，]\s*)?(?:该|此)?项目(?:计划)?总投资", following):
            break
        for q in find_quantities(text[start:]):
            head = text[max(start, start + q.start - 6) : start + q.start]
            if q.unit == "CNY" and _INVEST_RE.search(head):
                return q.value
            if q.unit == "CNY":
                break
    return None


def named_projects(sentence: str, following: str = "") -> list[ProjectRecord]:
    """Named projects in one sentence."""
    out = []
    for m in _NAME_RE.finditer(sentence):
        raw = m.group(1)
        cut = _NAME_CUT_RE.match(raw)
        name = _clean_name(raw[cut.end() :] if cut else raw).replace("等项目", "项目")
        if len(name) < 4 or not _is_named(name) or sentence[m.end() : m.end() + 2] == "现场":
            continue
        company, _ = _company(name)
        if company is None:  # 由X公司投资建设的…项目 / X公司 15万吨/年…项目
            window = sentence[max(0, m.start() - 40) : m.start() + (cut.end() if cut else 0)]
            found = list(_COMPANY_RE.finditer(window))
            if found and re.fullmatch(r"\s*(?:投资建设的|建设的|投资的|实施的|的)?\s*", window[found[-1].end() :]):
                company = re.sub(r"^(?:由|与|和|是|为)", "", found[-1].group(0))
        cap_value, cap_unit = _capacity(name)
        out.append(
            ProjectRecord(
                name=name,
                company=company,
                investment_cny=_investment(sentence, m.end(), following),
                capacity_value=cap_value,
                capacity_unit=cap_unit,
                status=project_status(sentence[m.start() :]),
                sentence=sentence.strip(),
            )
        )
    return out


_DENG_RE = re.compile(r"等(?:重点|新建|重大)?项目")
_CLAUSE_RE = re.compile(r"[^,，;；:：。]+")


def _items_deng(sentence: str) -> tuple[str, int] | None:
    """(items, end) of the first "A、B等重点项目" clause: the text from the clause start up to the
    first 等…项目 in it. (The regex ``[^,…]+?等项目`` gave the same, in quadratic time on a long
    clause; this scans each clause once.)"""
    for clause in _CLAUSE_RE.finditer(sentence):
        m = _DENG_RE.search(sentence, clause.start() + 1, clause.end())
        if m:
            return sentence[clause.start() : m.start()], m.end()
    return None


def _listed_with_capacity(sentence: str) -> list[ProjectRecord]:
    """年产340亿只一次性手套、30万吨医药中间体等重点项目: each item with a capacity is a project."""
    found = _items_deng(sentence)
    if not found:
        return []
    items, end = found
    status = project_status(sentence[end:])
    out = []
    for item in re.split(r"、|和|及", items):
        cap_value, cap_unit = _capacity(item)
        if cap_value is not None:
            out.append(
                ProjectRecord(
                    name=f"{item.strip()}项目",
                    capacity_value=cap_value,
                    capacity_unit=cap_unit,
                    status=status,
                    sentence=sentence.strip(),
                )
            )
    return out


def _enumerated(sentence: str, context: str) -> list[ProjectRecord]:
    """ "五个项目完成线上备案。分别为A、B、C": each item a project with the status of the lead."""
    m = re.search(r"(?:分别为|分别是|包括)[:：]?(?P<items>[^。]+)", sentence)
    if not m or "项目" not in context + sentence:
        return []
    status = project_status(context) or project_status(sentence)
    out = []
    for item in re.split(r"、|以及|;|；", m.group("items")):
        item = item.strip(" ,，。")
        if len(item) < 4:
            continue
        name = item if item.endswith("项目") else f"{item}项目"
        company, _ = _company(item)
        cap_value, cap_unit = _capacity(item)
        out.append(
            ProjectRecord(
                name=name,
                company=company,
                capacity_value=cap_value,
                capacity_unit=cap_unit,
                status=status,
                sentence=sentence.strip(),
            )
        )
    return out


def counts_and_rates(facts: list[IndicatorFact]) -> list[ProjectRecord]:
    """Project counts (开复工项目40个) and rates (开复工率100%) from indicator facts."""
    out = []
    for f in facts:
        text = f.indicator_text
        if f.measure == "count" and "项目" in text and not f.is_target:
            out.append(
                ProjectRecord(
                    status=project_status(text),
                    count_text=f"{text}{f.raw}",
                    count=f.value,
                    period_start=f.period_start,
                    period_end=f.period_end,
                    sentence=f.sentence,
                )
            )
        elif f.measure == "share_pct" and _RATE_RE.search(text) and not f.is_target:
            out.append(
                ProjectRecord(
                    status=project_status(text),
                    count_text=f"{text}{f.raw}",
                    rate_pct=f.value,
                    period_start=f.period_start,
                    period_end=f.period_end,
                    sentence=f.sentence,
                )
            )
    return out


def extract_projects_from_text(body: str, facts: list[IndicatorFact] | None = None) -> list[ProjectRecord]:
    """Named projects from a body text, plus counts and rates from its indicator facts."""
    out: list[ProjectRecord] = []
    paragraphs = [[m.group(0) for m in SENTENCE_RE.finditer(p) if m.group(0).strip()] for p in (body or "").split("\n")]
    for n, sentences in enumerate(paragraphs):
        after = next((p[0] for p in paragraphs[n + 1 :] if p), "")
        for i, s in enumerate(sentences):
            prev = sentences[i - 1] if i else ""
            if "项目" not in s and not ("项目" in prev and re.search(r"分别为|分别是|包括", s)):
                continue
            nxt = sentences[i + 1] if i + 1 < len(sentences) else after
            found = _enumerated(s, prev) or named_projects(s, nxt)
            for rec in found + _listed_with_capacity(s):
                _merge(out, rec)
    return out + counts_and_rates(facts or [])


def _merge(records: list[ProjectRecord], rec: ProjectRecord) -> None:
    """Add rec, or fill the gaps of an earlier record naming the same project (with or without
    its company in front)."""
    name = rec.name or ""
    key = _ORDINAL_PHASE_RE.sub("", name)
    for i, old in enumerate(records):
        if old.name is not None and (old.name == name or old.name.endswith(key) or key.endswith(old.name)):
            gaps = {
                f.name: getattr(rec, f.name)
                for f in dataclasses.fields(rec)
                if getattr(old, f.name) is None and getattr(rec, f.name) is not None
            }
            records[i] = dataclasses.replace(old, **gaps)
            return
    records.append(rec)
