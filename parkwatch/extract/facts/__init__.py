"""Document → facts: indicators (the JSONL contract), projects, policies.

All functions are pure except `extract_file`, which only reads the file it is given.
"""

from __future__ import annotations

import re

from parkwatch.extract.document import Document, parse_document
from parkwatch.extract.common import parse_date
from parkwatch.extract.facts.indicators import CONTRACT_FIELDS, extract_indicators_from_text, reference_year
from parkwatch.extract.facts.policy import (
    cited_documents,
    find_doc_number,
    policy_level,
    responsible_units,
    signature_date,
    validity,
)
from parkwatch.extract.facts.projects import extract_projects_from_text

__all__ = [
    "CONTRACT_FIELDS",
    "extract_indicators",
    "extract_projects",
    "extract_policy",
    "extract_file",
    "reference_year",
]

POLICY_TYPES = ("policy", "policy_interpretation")


def extract_indicators(doc: Document, doc_ref: str | None = None) -> list[dict]:
    """Indicator facts of a document; `doc` field is doc_ref, else the document's url."""
    if doc is None or doc.error or not doc.body:
        return []
    return extract_indicators_from_text(
        doc.body, doc_ref if doc_ref is not None else doc.url, doc.published_date, doc.title,
        policy=doc.doc_type == "policy", bulletin=doc.doc_type == "bulletin",
    )


def extract_projects(doc: Document, indicators: list[dict] | None = None) -> list[dict]:
    """Named projects (company, investment, capacity, status) and project counts/rates of a document.
    ``indicators``: the document's indicator facts if already extracted (saves extracting twice)."""
    if doc is None or doc.error or not doc.body:
        return []
    return extract_projects_from_text(doc.body, extract_indicators(doc) if indicators is None else indicators)


def _issuer(doc: Document) -> str | None:
    meta = doc.metadata or {}
    for key in ("发文机构", "发布机构", "所属机构"):
        if meta.get(key):
            return meta[key]
    m = re.match(r"《?([\u4e00-\u9fff]{2,20}?)关于", doc.title or "")
    if m:
        return m.group(1)
    return doc.source


def extract_policy(doc: Document, indicators: list[dict] | None = None) -> dict | None:
    """Policy record for policy-like documents (None for bulletins, news, notices); its targets are
    the target facts among ``indicators`` (extracted here when not given)."""
    if doc is None or doc.error or doc.doc_type not in POLICY_TYPES:
        return None
    meta = doc.metadata or {}
    number = find_doc_number(meta, doc.body, doc.title)
    issuer = _issuer(doc)
    written = parse_date(meta.get("成文日期")) or parse_date(meta.get("发文日期")) or signature_date(doc.body)
    published = parse_date(meta.get("公开日期")) or parse_date(meta.get("发布日期")) or doc.published_date
    targets = [
        {k: f[k] for k in ("indicator_text", "value", "unit", "raw", "sentence")} | {"year": f["target_year"]}
        for f in (extract_indicators(doc) if indicators is None else indicators) if f["is_target"]
    ]
    return {
        "title": doc.title,
        "doc_number": number,
        "issuer": issuer,
        "written_date": written,
        "published_date": published,
        "validity": validity(meta),
        "level": policy_level(number, issuer, doc.title),
        "cited": cited_documents(doc.body),
        "targets": targets,
        "responsible_units": responsible_units(doc.body),
        "attachments": list(doc.attachments or []),
    }


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
    except Exception as exc:  # noqa: BLE001 - a file never stops a batch; the reason travels on the doc
        doc.error = f"facts: {type(exc).__name__}: {exc}"[:500]
        return doc, []
