"""One parsed row per landed page, for the dbt model ``int_parsed_pages``.

The page is parsed once: document fields, and its indicator, project and policy facts as
JSON lists (SQL models downstream unnest them). Nothing here raises on a bad page: the row
carries ``parse_error`` instead.
"""

from __future__ import annotations

import json

from parkwatch.extract.document import EXTRACTOR_VERSION, parse_document
from parkwatch.extract.facts import indicator_facts, policy_record, project_records
from parkwatch.extract.facts.records import IndicatorFact, PolicyRecord, ProjectRecord, row_fields
from parkwatch.extract.lexicon.patterns import NOT_A_PLACE_RE, PARK_MENTION_RE

# The fields of each record in the JSON lists below, in order: the SQL that unnests them
# (dbt/macros/unnest_indicator_facts.sql, int_projects, int_policies) reads these names.
INDICATOR_FIELDS = row_fields(IndicatorFact)
PROJECT_FIELDS = row_fields(ProjectRecord)
POLICY_FIELDS = row_fields(PolicyRecord)
PARSED_COLUMNS = [
    "doc_id",
    "title",
    "published_date",
    "source",
    "doc_type",
    "body",
    "metadata_json",
    "attachments_json",
    "encoding",
    "title_parks_json",
    "indicators_json",
    "projects_json",
    "policy_json",
    "parse_error",
    "extractor_version",
]


def park_mentions(text: str | None) -> list[str]:
    """Park names as written in ``text`` (e.g. 郑州高新区), without generic 高新区/全市各开发区."""
    found = []
    for m in PARK_MENTION_RE.finditer(text or ""):
        # the longest tail of the captured characters that reads as a place (推动青川 → 青川)
        place = next(
            (m.group(1)[-k:] for k in range(len(m.group(1)), 1, -1) if not NOT_A_PLACE_RE.search(m.group(1)[-k:])), None
        )
        if not place:
            continue
        name = place + m.group(2)
        if name not in found:
            found.append(name)
    return found


def parse_page(doc_id: str, body: bytes, url: str | None, content_type: str | None) -> dict:
    """Document fields plus facts as JSON for one page version; errors recorded, never raised."""
    row = dict.fromkeys(PARSED_COLUMNS)
    row.update(doc_id=doc_id, extractor_version=EXTRACTOR_VERSION, indicators_json="[]", projects_json="[]")
    try:
        doc = parse_document(body, url=url, content_type=content_type)
        row.update(
            title=doc.title,
            published_date=doc.published_date,
            source=doc.source,
            doc_type=doc.doc_type,
            body=doc.body,
            encoding=doc.encoding,
            parse_error=doc.error,
            metadata_json=json.dumps(doc.metadata, ensure_ascii=False),
            attachments_json=json.dumps(doc.attachments, ensure_ascii=False),
            title_parks_json=json.dumps(park_mentions(doc.title), ensure_ascii=False),
        )
        if doc.error:
            return row
        facts = indicator_facts(doc, doc_ref=url)  # once: projects and the policy's targets reuse them
        indicators = [
            {"fact_seq": i, **f.to_row(), "sentence_parks": park_mentions(f.sentence)} for i, f in enumerate(facts)
        ]
        projects = [{"project_seq": i, **p.to_row()} for i, p in enumerate(project_records(doc, facts))]
        policy = policy_record(doc, facts)
        row.update(
            indicators_json=json.dumps(indicators, ensure_ascii=False, default=str),
            projects_json=json.dumps(projects, ensure_ascii=False, default=str),
            policy_json=json.dumps(policy.to_row(), ensure_ascii=False, default=str) if policy else None,
        )
    except Exception as exc:
        row["parse_error"] = f"{type(exc).__name__}: {exc}"
    return row
