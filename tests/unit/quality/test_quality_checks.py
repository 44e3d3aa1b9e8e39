"""Warn-level checks on the seeds: their breakdowns pass; a doctored figure is flagged."""
import copy
from pathlib import Path

import pytest

from parkwatch.quality.checks import document_checks, parts_vs_total, shares_sum_to_100, written_tolerance
from parkwatch.quality.rederive import matches_raw, rederive

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def seed_facts(prefix: str) -> list[dict]:
    from parkwatch.extract.facts import extract_file

    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not found under {SEEDS} (../shared/seeds is absent)")
    _, facts = extract_file(str(paths[0]))
    for i, f in enumerate(facts):
        f.update(fact_seq=i, doc_id=prefix)
    return facts


def fact(seq, text, value, raw, measure="amount", unit="CNY", parent=None, sentence="s"):
    return {"doc_id": "d", "fact_seq": seq, "indicator_text": text, "value": value, "raw": raw, "measure": measure,
            "unit": unit, "parent_indicator_text": parent, "sentence": sentence, "is_target": False}


def test_written_tolerance_follows_the_written_precision():
    assert written_tolerance(fact(0, "x", 675700.0, "67.57万元")) == pytest.approx(50.0)  # ±0.005万元
    assert written_tolerance(fact(0, "x", 465, "465户", "count", "count")) == pytest.approx(0.5)


def test_parts_may_fall_short_but_not_exceed():
    facts = [fact(0, "新增市场主体", 465, "465户", "count", "count"),
             fact(1, "企业", 133, "133户", "count", "count", parent="新增市场主体"),
             fact(2, "个体工商户", 322, "322户", "count", "count", parent="新增市场主体")]
    assert [r["passed"] for r in parts_vs_total(facts)] == [True]
    facts[0].update(value=400, raw="400户")
    [row] = parts_vs_total(facts)
    assert not row["passed"] and row["fact_seqs"] == [0, 1, 2] and "exceed" in row["reason"]


@pytest.mark.parametrize("total,expected", [(67.57, True), (67.56, False)])
def test_subsidy_breakdown_within_written_precision(total, expected):
    items = [25.5591, 13.7764, 8.918, 3.3, 0.1239, 0.3, 6.04, 0.105, 1.19, 5.8, 1.0591, 1.3944]  # sum 67.5659
    facts = [fact(0, "民生补贴资金", total * 1e4, f"{total}万元")]
    facts += [fact(i + 1, f"item{i}", v * 1e4, f"{v}万元", parent="民生补贴资金") for i, v in enumerate(items)]
    assert parts_vs_total(facts)[0]["passed"] is expected


def test_seed_000_breakdowns_pass_and_a_doctored_total_is_flagged():
    facts = seed_facts("000")
    rows = [r for r in parts_vs_total(facts)]
    by_total = {facts[r["fact_seqs"][0]]["raw"]: r for r in rows}
    for raw in ("465户", "65161万元", "67.57万元", "411人"):
        assert by_total[raw]["passed"], by_total[raw]
    doctored = copy.deepcopy(facts)
    total = next(f for f in doctored if f["raw"] == "67.57万元")
    total.update(value=605700.0, raw="60.57万元")
    failed = [r for r in parts_vs_total(doctored) if not r["passed"]]
    assert any(r["fact_seqs"][0] == total["fact_seq"] for r in failed)


def test_seed_003_shares_sum_to_100_and_a_doctored_share_is_flagged():
    facts = seed_facts("003")
    groups = shares_sum_to_100(facts)
    assert len(groups) >= 2 and all(g["passed"] for g in groups)
    doctored = copy.deepcopy(facts)
    share = next(f for f in doctored if f["raw"] == "44.3%")
    share.update(value=54.3, raw="54.3%")
    assert any(not g["passed"] for g in shares_sum_to_100(doctored))


def test_seed_000_growth_agrees_with_its_levels():
    rows = [r for r in document_checks(seed_facts("000")) if r["check"] == "growth_disagrees_with_levels"]
    assert rows and all(r["passed"] for r in rows)  # 3692.69万元 against 1692.27万元 is +118.2%


def test_growth_against_levels_flags_a_wrong_rate():
    facts = [fact(0, "收费", 36926900.0, "3692.69万元"), fact(1, "收费", 16922700.0, "1692.27万元"),
             fact(2, "收费", 108.2, "108.2%", "growth_pct", "%")]
    facts[0]["period_end"], facts[1]["period_end"], facts[2]["period_end"] = "2024-06-30", "2023-06-30", "2024-06-30"
    [row] = [r for r in document_checks(facts) if r["check"] == "growth_disagrees_with_levels"]
    assert not row["passed"] and "+118.2%" in row["reason"]


@pytest.mark.parametrize("raw,value", [("5.58亿元", 558000000), ("65161万元", 651610000), ("8.7个百分点", 8.7),
                                       ("2000.09万立方米", 20000900), ("40余家", 40), ("3862万美元", 38620000)])
def test_rederive_reads_plain_forms(raw, value):
    assert rederive(raw) == pytest.approx(value)
    assert matches_raw(value, raw) is True
    assert matches_raw(value * 10, raw) is False


def test_rederive_leaves_unreadable_forms_unchecked():
    assert rederive("五个") is None and matches_raw(5, "五个") is None
