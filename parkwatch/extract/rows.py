"""One parsed row per landed page, for the dbt model ``int_parsed_pages``.

The page is parsed once: document fields, and its indicator, project and policy facts as
JSON lists (SQL models downstream unnest them). Nothing here raises on a bad page: the row
carries ``parse_error`` instead.
"""
from __future__ import annotations

import json
import re

from parkwatch.extract.document import EXTRACTOR_VERSION, parse_document
from parkwatch.extract.facts import extract_indicators, extract_policy, extract_projects

INDICATOR_FIELDS = ["indicator_text", "parent_indicator_text", "measure", "value", "unit", "raw", "approx",
                    "is_target", "target_year", "period_start", "period_end", "sentence"]
PROJECT_FIELDS = ["name", "company", "investment_cny", "capacity_value", "capacity_unit", "status", "count",
                  "count_text", "rate_pct", "period_start", "period_end", "sentence"]
POLICY_FIELDS = ["title", "doc_number", "issuer", "written_date", "published_date", "validity", "level", "cited",
                 "targets", "responsible_units", "attachments"]
PARSED_COLUMNS = ["doc_id", "title", "published_date", "source", "doc_type", "body", "metadata_json",
                  "attachments_json", "encoding", "title_parks_json", "indicators_json", "projects_json",
                  "policy_json", "parse_error", "extractor_version"]

# A park named in text: a 2–4 character place name right after a delimiter, then the zone kind.
_PARK_MENTION = re.compile(
    r"(?:^|[,，。;；、:：\s\"“”（(与和及在的为])([\u4e00-\u9fff]{2,4}?)"
    r"(高新技术产业开发区|经济技术开发区|高新区|经开区|开发区|工业园区)")
# Characters that mark a common phrase rather than a place name (每个开发区, 支持开发区, 一季度高新区).
_NOT_A_PLACE = re.compile(r"[每支组推促加引建设年月季度全各该本我两多等级和与及的在为对向从到由其中入进省国市县区]")


def park_mentions(text: str | None) -> list[str]:
    """Park names as written in ``text`` (e.g. 郑州高新区), without generic 高新区/全市各开发区."""
    found = []
    for m in _PARK_MENTION.finditer(text or ""):
        # the longest tail of the captured characters that reads as a place (推动青川 → 青川)
        place = next((m.group(1)[-k:] for k in range(len(m.group(1)), 1, -1)
                      if not _NOT_A_PLACE.search(m.group(1)[-k:])), None)
        if not place:
            continue
        name = place + m.group(2)
        if name not in found:
            found.append(name)
    return found


def _pick(record: dict, fields: list[str]) -> dict:
    return {k: record.get(k) for k in fields}


def parse_page(doc_id: str, body: bytes, url: str | None, content_type: str | None) -> dict:
    """Document fields plus facts as JSON for one page version; errors recorded, never raised."""
    row = dict.fromkeys(PARSED_COLUMNS)
    row.update(doc_id=doc_id, extractor_version=EXTRACTOR_VERSION, indicators_json="[]", projects_json="[]")
    try:
        doc = parse_document(body, url=url, content_type=content_type)
        row.update(title=doc.title, published_date=doc.published_date, source=doc.source, doc_type=doc.doc_type,
                   body=doc.body, encoding=doc.encoding, parse_error=doc.error,
                   metadata_json=json.dumps(doc.metadata, ensure_ascii=False),
                   attachments_json=json.dumps(doc.attachments, ensure_ascii=False),
                   title_parks_json=json.dumps(park_mentions(doc.title), ensure_ascii=False))
        if doc.error:
            return row
        facts = extract_indicators(doc, doc_ref=url)  # once: projects and the policy's targets reuse them
        indicators = [{"fact_seq": i, **_pick(f, INDICATOR_FIELDS), "sentence_parks": park_mentions(f.get("sentence"))}
                      for i, f in enumerate(facts)]
        projects = [{"project_seq": i, **_pick(p, PROJECT_FIELDS)} for i, p in enumerate(extract_projects(doc, facts))]
        policy = extract_policy(doc, facts)
        row.update(indicators_json=json.dumps(indicators, ensure_ascii=False, default=str),
                   projects_json=json.dumps(projects, ensure_ascii=False, default=str),
                   policy_json=json.dumps(_pick(policy, POLICY_FIELDS), ensure_ascii=False, default=str)
                   if policy else None)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the build
        row["parse_error"] = f"{type(exc).__name__}: {exc}"
    return row
