"""Stage 3, extract: page bytes → Document → facts. Pure functions (no network, no database).

Takes the bytes of a landed page (any charset, declared or not; HTML or plain text) and gives a
`Document` (title, dates, source, body, metadata, attachments, document type), then its indicator
facts (the ``parkwatch extract --format jsonl`` contract, see docs/extract.md), projects and policy
fields, and the row a page version becomes in the warehouse (`parkwatch.extract.rows`). Facts are
typed records (`IndicatorFact`, `ProjectRecord`, `PolicyRecord`); the `extract_*` functions give
them as dicts. The vocabulary (units, verbs, labels, selectors, shared patterns) is data in
`parkwatch.extract.lexicon`.

This package is the public face other stages and outside tools import from.
"""

from parkwatch.common.dates import parse_date
from parkwatch.extract.decode import decode_html
from parkwatch.extract.document import DOC_TYPES, EXTRACTOR_VERSION, Document, parse_document
from parkwatch.extract.facts import (
    IndicatorFact,
    PolicyRecord,
    ProjectRecord,
    extract_file,
    extract_indicators,
    extract_policy,
    extract_projects,
    indicator_facts,
    policy_record,
    project_records,
)
from parkwatch.extract.facts.indicators import extract_indicators_from_text
from parkwatch.extract.facts.numbers import APPROX_PRE, Quantity, find_quantities, parse_number
from parkwatch.extract.facts.periods import Period, find_periods
from parkwatch.extract.text import clean_text

__all__ = [
    "APPROX_PRE",
    "DOC_TYPES",
    "EXTRACTOR_VERSION",
    "Document",
    "IndicatorFact",
    "Period",
    "PolicyRecord",
    "ProjectRecord",
    "Quantity",
    "clean_text",
    "decode_html",
    "extract_file",
    "extract_indicators",
    "extract_indicators_from_text",
    "extract_policy",
    "extract_projects",
    "find_periods",
    "find_quantities",
    "indicator_facts",
    "parse_date",
    "parse_document",
    "parse_number",
    "policy_record",
    "project_records",
]
