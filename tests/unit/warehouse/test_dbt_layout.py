"""The dbt project's layout and the facts it shares with the Python code, checked without dbt.

Every model has a YAML entry beside it; each contracted mart has its own ``<mart>.yml`` (columns,
contract and unit tests together); the indicator-fact JSON schema in the dbt macro equals the fields
``parkwatch.extract.rows`` writes; the failure-reason seed equals ``parkwatch.crawl.reasons``.
"""
from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

import jinja2
import pytest
import yaml

from parkwatch.crawl import reasons
from parkwatch.crawl.reasons import NO_RETRY, SKIP_REASONS
from parkwatch.extract.rows import INDICATOR_FIELDS

DBT = Path(__file__).resolve().parents[3] / "dbt"
MODELS = DBT / "models"


def _model_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(MODELS.rglob("*")) if p.suffix in (".sql", ".py")}


def _yaml_files() -> list[tuple[Path, dict]]:
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8")) or {}) for p in sorted(MODELS.rglob("*.yml"))]


def _model_entries() -> dict[str, tuple[Path, dict]]:
    entries: dict[str, tuple[Path, dict]] = {}
    for path, doc in _yaml_files():
        for model in doc.get("models") or []:
            assert model["name"] not in entries, f"{model['name']} is described twice"
            entries[model["name"]] = (path, model)
    return entries


def _macro_module():
    text = (DBT / "macros" / "unnest_indicator_facts.sql").read_text(encoding="utf-8")
    return jinja2.Environment().from_string(text).module


def test_every_model_has_a_yaml_entry_beside_it():
    files, entries = _model_files(), _model_entries()
    assert set(files) == set(entries), "models without YAML, or YAML without a model"
    for name, (path, _model) in entries.items():
        assert path.parent == files[name].parent, f"{name} is described in {path}, away from its model"


def test_each_contracted_mart_has_its_own_yaml():
    contracted = {name: path for name, (path, model) in _model_entries().items()
                  if (model.get("config") or {}).get("contract", {}).get("enforced")}
    assert {"indicators", "indicators_best", "projects", "policies", "policy_targets", "review_queue"} <= set(contracted)
    for name, path in contracted.items():
        assert path.name == f"{name}.yml" and (MODELS / "marts") in path.parents, f"{name} is described in {path}"
        assert [m["name"] for m in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]] == [name]


def test_unit_tests_sit_beside_their_model():
    entries = _model_entries()
    unit_tests = [(path, test) for path, doc in _yaml_files() for test in doc.get("unit_tests") or []]
    assert unit_tests, "the unit tests went missing"
    for path, test in unit_tests:
        assert entries[test["model"]][0] == path, f"unit test {test['name']} is not in its model's YAML"


def test_indicator_fact_schema_is_the_fields_rows_writes():
    schema = json.loads(str(_macro_module().indicator_fact_json_schema()))
    assert isinstance(schema, list) and len(schema) == 1
    # parse_page writes fact_seq, then INDICATOR_FIELDS in order, then the parks the sentence names
    assert list(schema[0]) == ["fact_seq", *INDICATOR_FIELDS, "sentence_parks"]


@pytest.mark.parametrize("model", ["int_indicator_mentions", "indicator_versions"])
def test_models_unnest_indicator_facts_through_the_macro(model):
    sql = _model_files()[model].read_text(encoding="utf-8")
    assert "{{ unnest_indicator_facts('indicators_json') }}" in sql
    assert "from_json(indicators_json" not in sql


def _failure_reasons() -> list[dict]:
    with open(DBT / "seeds" / "seed_failure_reasons.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert row["is_policy_skip"] in ("true", "false") and row["retry"] in ("true", "false"), row
    return rows


def test_failure_reason_seed_mirrors_the_python_sets():
    rows = _failure_reasons()
    assert len({r["reason"] for r in rows}) == len(rows)
    assert {r["reason"] for r in rows if r["is_policy_skip"] == "true"} == set(SKIP_REASONS)
    assert {r["reason"] for r in rows if r["retry"] == "false"} == set(NO_RETRY)


def test_failure_reason_seed_lists_every_reason_failure_reason_names():
    tree = ast.parse(Path(reasons.__file__).read_text(encoding="utf-8"))
    named = {node.value.value for node in ast.walk(tree)
             if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
    assert named and named <= {r["reason"] for r in _failure_reasons()}


def test_crawl_health_takes_skips_from_the_seed():
    sql = _model_files()["crawl_health"].read_text(encoding="utf-8")
    assert "ref('seed_failure_reasons')" in sql
    assert not any(f"'{reason}'" in sql for reason in SKIP_REASONS)
