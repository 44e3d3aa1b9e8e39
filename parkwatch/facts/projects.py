"""Document → project facts: named projects (company, investment, capacity, status) and project
counts (开复工项目40个, 开复工率100%)."""

from __future__ import annotations

import re

from parkwatch.facts.numbers import find_quantities

STATUSES = ("签约", "备案", "开工", "在建", "投产", "竣工")
_STATUS_WORDS = [
    ("竣工", "竣工"), ("建成投产", "投产"), ("投产", "投产"), ("达产", "投产"), ("在建", "在建"),
    ("开复工", "开工"), ("复工", "开工"), ("开工", "开工"), ("动工", "开工"), ("备案", "备案"),
    ("签约", "签约"), ("签订", "签约"), ("落地", "签约"),
]
_COMPANY_RE = re.compile(
    r"([\u4e00-\u9fff（）()A-Za-z0-9]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|研究院|厂))"
)
_PROJECT_NAME_RE = re.compile(r"([^,，;；:：、。“”《》\s]{2,60}?项目)(?:\s*[(（][^)）]{1,10}[)）])?")
_COUNT_RE = re.compile(
    r"(?P<text>(?P<label>[\u4e00-\u9fff]{0,12}项目)(?:共|达到?|为)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?:余)?个)"
)
_RATE_RE = re.compile(r"(?P<text>(?P<label>[\u4e00-\u9fff]{2,6}率)(?:达到?|为)?\s*(?P<num>\d+(?:\.\d+)?)%)")
_LIST_RE = re.compile(r"(?:分别为|分别是|包括|即)[:：]?(?P<items>[^。]+)")
_SENT_RE = re.compile(r"[^。!?！？]+[。!?！？]?")
_CAPACITY_RE = re.compile(r"(?:年产|年处理|年加工|产能)?\s*\d")


def _status(text: str) -> str | None:
    for word, status in _STATUS_WORDS:
        if word in text:
            return status
    return None


def _capacity(text: str) -> tuple[float | int | None, str | None]:
    for q in find_quantities(text):
        if q.kind in ("amount", "count") and q.unit not in ("CNY", "USD", "d"):
            unit = q.unit
            if "/" not in unit and re.search(r"年产|年处理|年加工", text[:q.start + 4]):
                unit = f"{unit}/yr"
            return q.value, unit
    return None, None


def _investment(text: str) -> float | int | None:
    for q in find_quantities(text):
        if q.unit == "CNY":
            return q.value
    return None


def _named(item: str, sentence: str, status: str | None) -> dict:
    item = item.strip(" ,，;；。")
    company = None
    m = _COMPANY_RE.match(item)
    if m:
        company = m.group(1)
        item = item[m.end():].strip()
    name = item if item.endswith("项目") else f"{item}项目"
    cap_value, cap_unit = _capacity(item)
    return {
        "name": name, "company": company, "investment_cny": _investment(item),
        "capacity_value": cap_value, "capacity_unit": cap_unit, "status": status,
        "sentence": sentence.strip(),
    }


def _list_projects(sentence: str, context: str) -> list[dict]:
    m = _LIST_RE.search(sentence)
    if not m:
        return []
    items = re.split(r"、|以及|;|；", m.group("items"))
    status = _status(context + sentence)
    return [_named(it, sentence, status) for it in items if len(it.strip()) >= 4]


def _counts(sentence: str) -> list[dict]:
    out = []
    for m in _COUNT_RE.finditer(sentence):
        out.append({
            "name": None, "company": None, "investment_cny": None, "capacity_value": None,
            "capacity_unit": None, "status": _status(m.group("label")), "count_text": m.group("text"),
            "count": int(float(m.group("num"))), "sentence": sentence.strip(),
        })
    for m in _RATE_RE.finditer(sentence):
        if "开复工" in m.group("label") or "开工" in m.group("label") or "项目" in sentence:
            out.append({
                "name": None, "company": None, "investment_cny": None, "capacity_value": None,
                "capacity_unit": None, "status": _status(m.group("label")), "count_text": m.group("text"),
                "count": None, "rate_pct": float(m.group("num")), "sentence": sentence.strip(),
            })
    return out


def _single(sentence: str) -> list[dict]:
    """A sentence that names one project: company + capacity/investment + 项目."""
    m = _COMPANY_RE.search(sentence)
    if not m:
        return []
    rest = sentence[m.end():]
    pm = _PROJECT_NAME_RE.match(rest.strip())
    if not pm or not _CAPACITY_RE.search(pm.group(1)):
        return []
    name = pm.group(1)
    cap_value, cap_unit = _capacity(name)
    return [{
        "name": name, "company": m.group(1), "investment_cny": _investment(sentence),
        "capacity_value": cap_value, "capacity_unit": cap_unit, "status": _status(sentence),
        "sentence": sentence.strip(),
    }]


def extract_projects_from_text(body: str) -> list[dict]:
    """Project facts from a body text."""
    out: list[dict] = []
    for paragraph in (body or "").split("\n"):
        sentences = [m.group(0) for m in _SENT_RE.finditer(paragraph) if m.group(0).strip()]
        for i, s in enumerate(sentences):
            if "项目" not in s and "公司" not in s:
                continue
            listed = _list_projects(s, sentences[i - 1] if i else "")
            out.extend(listed or _single(s))
            out.extend(_counts(s))
    return out
