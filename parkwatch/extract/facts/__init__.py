"""Document → facts: indicators (the JSONL contract), projects, policies.

The typed functions (`indicator_facts`, `project_records`, `policy_record`) give the records of
`parkwatch.extract.facts.records`; the `extract_*` functions give the same as dicts (the
``parkwatch extract --format jsonl`` objects). All are pure except `extract_file`, which only
reads the file it is given.
"""

from __future__ import annotations

import re

from parkwatch.common.dates import parse_date
from parkwatch.extract.document import Document, parse_document
from parkwatch.extract.facts.indicators import indicator_facts_from_text, reference_year
from parkwatch.extract.facts.policy import (
    cited_documents,
    find_doc_number,
    policy_level,
    responsible_units,
    signature_date,
    validity,
)
from parkwatch.extract.facts.projects import extract_projects_from_text
from parkwatch.extract.facts.records import CONTRACT_FIELDS, IndicatorFact, PolicyRecord, ProjectRecord
from parkwatch.extract.lexicon.labels import ISSUER_LABELS

__all__ = [
    "CONTRACT_FIELDS",
    "IndicatorFact",
    "PolicyRecord",
    "ProjectRecord",
    "extract_file",
    "extract_indicators",
    "extract_policy",
    "extract_projects",
    "indicator_facts",
    "policy_record",
    "project_records",
    "reference_year",
]

POLICY_TYPES = ("policy", "policy_interpretation")


def indicator_facts(doc: Document, doc_ref: str | None = None) -> list[IndicatorFact]:
    """Indicator facts of a document; their `doc` is doc_ref, else the document's url."""
    if doc is None or doc.error or not doc.body:
        return []
    return indicator_facts_from_text(
        doc.body,
        doc_ref if doc_ref is not None else doc.url,
        doc.published_date,
        doc.title,
        policy=doc.doc_type == "policy",
        bulletin=doc.doc_type == "bulletin",
    )


def extract_indicators(doc: Document, doc_ref: str | None = None) -> list[dict]:
    """`indicator_facts` as dicts (the JSONL contract)."""
    return [f.to_dict() for f in indicator_facts(doc, doc_ref)]


def project_records(doc: Document, facts: list[IndicatorFact] | None = None) -> list[ProjectRecord]:
    """Named projects (company, investment, capacity, status) and project counts/rates of a document.
    ``facts``: the document's indicator facts if already extracted (saves extracting twice)."""
    if doc is None or doc.error or not doc.body:
        return []
    return extract_projects_from_text(doc.body, indicator_facts(doc) if facts is None else facts)


def extract_projects(doc: Document, facts: list[IndicatorFact] | None = None) -> list[dict]:
    """`project_records` as dicts."""
    return [p.to_dict() for p in project_records(doc, facts)]


def _issuer(doc: Document) -> str | None:
    meta = doc.metadata or {}
    for key in ISSUER_LABELS:
        if meta.get(key):
            return meta[key]
    m = re.match(r"《?([\u4e00-\u9fff]{2,20}?)关于", doc.title or "")
    if m:
        return m.group(1)
    return doc.source


def policy_record(doc: Document, facts: list[IndicatorFact] | None = None) -> PolicyRecord | None:
    """Policy record for policy-like documents (None for bulletins, news, notices); its targets are
    the target facts among ``facts`` (extracted here when not given)."""
    if doc is None or doc.error or doc.doc_type not in POLICY_TYPES:
        return None
    meta = doc.metadata or {}
    number = find_doc_number(meta, doc.body, doc.title)
    issuer = _issuer(doc)
    facts = indicator_facts(doc) if facts is None else facts
    return PolicyRecord(
        title=doc.title,
        doc_number=number,
        issuer=issuer,
        written_date=parse_date(meta.get("成文日期")) or parse_date(meta.get("发文日期")) or signature_date(doc.body),
        published_date=parse_date(meta.get("公开日期")) or parse_date(meta.get("发布日期")) or doc.published_date,
        validity=validity(meta),
        level=policy_level(number, issuer, doc.title),
        cited=cited_documents(doc.body),
        targets=[f.as_target() for f in facts if f.is_target],
        responsible_units=responsible_units(doc.body),
        attachments=list(doc.attachments or []),
    )


def extract_policy(doc: Document, facts: list[IndicatorFact] | None = None) -> dict | None:
    """`policy_record` as a dict, or None."""
    record = policy_record(doc, facts)
    return record.to_dict() if record else None


def extract_file(path: str) -> tuple[Document, list[dict]]:
    """Read a file (HTML in any encoding, or .txt), parse it, and extract indicators with doc=path."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Document(url=None, error=f"cannot read {path}: {exc}"), []
    content_type = "text/plain" if str(path).lower().endswith(".txt") else None
    doc = parse_document(data, url=None, content_type=content_type)
    try:
        return doc, extract_indicators(doc, doc_ref=str(path))
    except Exception as exc:
        doc.error = f"facts: {type(exc).__name__}: {exc}"[:500]
        return doc, []
