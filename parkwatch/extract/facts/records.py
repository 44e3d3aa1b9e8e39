"""Typed records of what a document states: indicator facts, projects and policies.

Each record declares its fields once, here. `to_dict()` gives the record as the fact functions
return it (one ``parkwatch extract --format jsonl`` object); `to_row()` gives the object
`parkwatch.extract.rows` writes into the warehouse JSON, whose fields `row_fields()` lists in order
(the dbt models unnest them by these names).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# field metadata: part of the documented JSONL contract (docs/extract.md) / left out of the warehouse row
_CONTRACT = {"contract": True}
_NOT_IN_ROW = {"row": False}


def row_fields(record_type: type) -> tuple[str, ...]:
    """Names of the fields a record writes into the warehouse JSON, in order."""
    return tuple(f.name for f in fields(record_type) if f.metadata.get("row", True))


def contract_fields(record_type: type) -> tuple[str, ...]:
    """Names of the fields of the documented JSONL contract, in order."""
    return tuple(f.name for f in fields(record_type) if f.metadata.get("contract"))


@dataclass(frozen=True)
class IndicatorFact:
    """One figure a document states: what it measures, its value in the base unit, the period it
    covers, and whether it is a target. The field order is the warehouse row's (after `doc`)."""

    doc: str | None = field(metadata={**_CONTRACT, **_NOT_IN_ROW})  # the document's reference (url or path)
    indicator_text: str = field(metadata=_CONTRACT)  # the thing measured, in the page's words
    parent_indicator_text: str | None  # the total a 其中 part belongs to, or the whole of a share
    measure: str = field(metadata=_CONTRACT)  # amount | count | growth_pct | share_pct | pp_change
    value: float | int = field(metadata=_CONTRACT)  # in the base unit; signed for changes
    unit: str = field(metadata=_CONTRACT)  # base unit: CNY, t, m3, %, pp, count …
    raw: str = field(metadata=_CONTRACT)  # the quantity as written
    approx: str | None = field(metadata=_CONTRACT)  # the approximation marker as written, or 区间 for a range
    is_target: bool = field(metadata=_CONTRACT)
    target_year: int | None
    period_start: str | None = field(metadata=_CONTRACT)  # ISO dates
    period_end: str | None = field(metadata=_CONTRACT)
    sentence: str = field(metadata=_CONTRACT)

    def to_dict(self) -> dict[str, Any]:
        """The fact as the JSONL contract gives it: the contract's fields first, then the others."""
        return {name: getattr(self, name) for name in _FACT_KEYS}

    def to_row(self) -> dict[str, Any]:
        """The fact as written into the warehouse JSON (`INDICATOR_FIELDS` in `parkwatch.extract.rows`)."""
        return {name: getattr(self, name) for name in _FACT_ROW}

    def as_target(self) -> dict[str, Any]:
        """The fact as one of a policy's targets."""
        return {
            "indicator_text": self.indicator_text,
            "value": self.value,
            "unit": self.unit,
            "raw": self.raw,
            "sentence": self.sentence,
            "year": self.target_year,
        }


CONTRACT_FIELDS = contract_fields(IndicatorFact)
_FACT_KEYS = CONTRACT_FIELDS + tuple(f.name for f in fields(IndicatorFact) if f.name not in CONTRACT_FIELDS)
_FACT_ROW = row_fields(IndicatorFact)


@dataclass(frozen=True)
class ProjectRecord:
    """A named project (company, investment, capacity, status), or a project count or rate stated
    as an indicator (开复工项目40个, 开复工率100%)."""

    name: str | None = None
    company: str | None = None
    investment_cny: float | int | None = None
    capacity_value: float | int | None = None
    capacity_unit: str | None = None
    status: str | None = None  # 签约 | 备案 | 开工 | 在建 | 投产 | 竣工
    count_text: str | None = None  # a count or rate: the indicator text and the figure as written
    count: float | int | None = None
    rate_pct: float | int | None = None
    period_start: str | None = None
    period_end: str | None = None
    sentence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as `extract_projects` gives it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_row(self) -> dict[str, Any]:
        """The record as written into the warehouse JSON."""
        return {name: getattr(self, name) for name in row_fields(ProjectRecord)}


@dataclass(frozen=True)
class PolicyRecord:
    """What a policy document says about itself: number, issuer, dates, validity, level, the
    documents it cites, its targets, the units it makes responsible, its attachments."""

    title: str | None
    doc_number: str | None  # 发文字号, brackets normalised to 〔〕
    issuer: str | None
    written_date: str | None
    published_date: str | None
    validity: str | None  # 有效性 as written (有效 / 失效 / 废止 …)
    level: str | None  # national | provincial | city | park
    cited: list[dict] = field(default_factory=list)  # {"title", "number"}
    targets: list[dict] = field(default_factory=list)  # IndicatorFact.as_target()
    responsible_units: list[str] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)  # {"name", "url"}

    def to_dict(self) -> dict[str, Any]:
        """The record as `extract_policy` gives it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_row(self) -> dict[str, Any]:
        """The record as written into the warehouse JSON."""
        return {name: getattr(self, name) for name in row_fields(PolicyRecord)}
