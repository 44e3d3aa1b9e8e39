"""Typed fact records and the extraction vocabulary: each field list and each shared pattern is
declared once, the JSONL contract keeps its shape, and the lexicon modules hold data only."""
from __future__ import annotations

import ast
import dataclasses
import json
import re
from pathlib import Path

import pytest

from parkwatch.extract import Document
from parkwatch.extract.facts import CONTRACT_FIELDS, extract_indicators, extract_policy, extract_projects
from parkwatch.extract.facts.records import IndicatorFact, PolicyRecord, ProjectRecord, row_fields
from parkwatch.extract.lexicon import patterns
from parkwatch.extract.rows import INDICATOR_FIELDS, POLICY_FIELDS, PROJECT_FIELDS, parse_page

PACKAGE = Path(__file__).resolve().parents[3] / "parkwatch"
LEXICON = PACKAGE / "extract" / "lexicon"

# the `parkwatch extract --format jsonl` object, key for key (docs/extract.md)
JSONL_KEYS = ("doc", "indicator_text", "measure", "value", "unit", "raw", "approx", "is_target",
              "period_start", "period_end", "sentence", "parent_indicator_text", "target_year")
PROJECT_KEYS = ("name", "company", "investment_cny", "capacity_value", "capacity_unit", "status", "count_text",
                "count", "rate_pct", "period_start", "period_end", "sentence")
POLICY_KEYS = ("title", "doc_number", "issuer", "written_date", "published_date", "validity", "level", "cited",
               "targets", "responsible_units", "attachments")
BODY = "1-6月,高新区规模以上工业增加值同比增长9.1%,固定资产投资完成12.5亿元。"


def _doc(body: str = BODY, **kw) -> Document:
    return Document(url="page.html", body=body, published_date=kw.pop("date", "2024-07-15"), **kw)


def test_jsonl_objects_keep_their_keys_and_order():
    facts = extract_indicators(_doc())
    assert [tuple(f) for f in facts] == [JSONL_KEYS, JSONL_KEYS]
    assert CONTRACT_FIELDS == JSONL_KEYS[:11]
    # the example of docs/extract.md, byte for byte
    assert json.dumps(facts[1], ensure_ascii=False) == (
        '{"doc": "page.html", "indicator_text": "固定资产投资", "measure": "amount", "value": 1250000000, '
        '"unit": "CNY", "raw": "12.5亿元", "approx": null, "is_target": false, "period_start": "2024-01-01", '
        '"period_end": "2024-06-30", "sentence": "1-6月,高新区规模以上工业增加值同比增长9.1%,固定资产投资完成12.5亿元。", '
        '"parent_indicator_text": null, "target_year": null}')


def test_project_and_policy_dicts_keep_their_keys():
    projects = extract_projects(_doc("园区开复工项目26个,开复工率92.9%。示范化工有限公司年产5万吨新材料项目开工建设。"))
    assert projects and all(tuple(p) == PROJECT_KEYS for p in projects)
    policy = extract_policy(_doc("到2025年,园区工业总产值力争达到150亿元。", doc_type="policy", title="关于印发行动方案的通知"))
    assert policy is not None and tuple(policy) == POLICY_KEYS
    (target,) = policy["targets"]
    assert tuple(target) == ("indicator_text", "value", "unit", "raw", "sentence", "year")
    assert (target["value"], target["unit"], target["raw"], target["year"]) == (15000000000, "CNY", "150亿元", 2025)


def test_warehouse_fields_are_derived_from_the_records():
    # the order dbt/macros/unnest_indicator_facts.sql unnests (the JSONL object has no other owner for it)
    assert INDICATOR_FIELDS == row_fields(IndicatorFact) == (
        "indicator_text", "parent_indicator_text", "measure", "value", "unit", "raw", "approx", "is_target",
        "target_year", "period_start", "period_end", "sentence")
    assert set(INDICATOR_FIELDS) | {"doc"} == set(JSONL_KEYS)
    assert PROJECT_FIELDS == PROJECT_KEYS and POLICY_FIELDS == POLICY_KEYS
    assert isinstance(INDICATOR_FIELDS, tuple)


def test_parse_page_writes_the_record_rows():
    html = (f"<html><head><title>示范区经济运行简报</title></head><body><div class='TRS_Editor'><p>{BODY}</p>"
            "<p>园区开复工项目26个,开复工率92.9%。</p></div></body></html>").encode()
    row = parse_page("d1", html, "http://example.test/a.html", "text/html")
    assert row["parse_error"] is None
    indicators = json.loads(row["indicators_json"])
    assert indicators and all(list(f) == ["fact_seq", *INDICATOR_FIELDS, "sentence_parks"] for f in indicators)
    projects = json.loads(row["projects_json"])
    assert projects and all(list(p) == ["project_seq", *PROJECT_FIELDS] for p in projects)


@pytest.mark.parametrize("record", [
    IndicatorFact(doc=None, indicator_text="x", parent_indicator_text=None, measure="count", value=1, unit="count",
                  raw="1个", approx=None, is_target=False, target_year=None, period_start=None, period_end=None,
                  sentence="x1个。"),
    ProjectRecord(name="x项目"),
    PolicyRecord(title="t", doc_number=None, issuer=None, written_date=None, published_date=None, validity=None,
                 level=None),
])
def test_records_are_frozen(record):
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.sentence = "changed"  # type: ignore[misc]


def test_lexicon_modules_hold_data_only():
    modules = sorted(LEXICON.glob("*.py"))
    assert {m.stem for m in modules} >= {"units", "verbs", "labels", "selectors", "patterns"}
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        logic = [type(n).__name__ for n in ast.walk(tree)
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
        assert not logic, f"{module.name} defines {logic}"


def test_unit_table_has_no_repeated_keys():
    """A dict literal with a key twice keeps only the last value, silently."""
    for module in sorted(LEXICON.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                assert len(keys) == len(set(keys)), (module.name, [k for k in keys if keys.count(k) > 1])


# literal pieces of the shared patterns: found anywhere else in the package, the pattern has a second owner
SHARED_PATTERN_PIECES = {
    "document number": r"(?:19|20)\d{2}\s*[〕",
    "sentence": "[^。!?！？]+[。!?！？]?",
    "attachment extension": "pdf|",
    "attachment extension (docx?)": "docx?",
    "park kinds": "高新区|开发区",
}


@pytest.mark.parametrize("name,piece", sorted(SHARED_PATTERN_PIECES.items()))
def test_shared_patterns_have_one_owner(name, piece):
    owners = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if piece in p.read_text(encoding="utf-8")]
    assert owners in ([], ["extract/lexicon/patterns.py"]), (name, owners)


@pytest.mark.parametrize("url,document,attachment", [
    ("http://a/files/P0202208.pdf", True, True),
    ("http://a/files/x.DOCX", True, True),
    ("http://a/files/x.et", True, True),
    ("http://a/files/x.zip", False, True),
    ("http://a/files/x.csv?v=2", False, True),
    ("http://a/news/t20240712_1.html", False, False),
])
def test_attachment_patterns(url, document, attachment):
    path = re.sub(r"\?.*$", "", url)
    assert bool(patterns.DOCUMENT_FILE_RE.search(path)) is document
    assert bool(patterns.ATTACHMENT_FILE_RE.search(url)) is attachment
    assert bool(patterns.ATTACHMENT_HINT_RE.search(url)) is document
