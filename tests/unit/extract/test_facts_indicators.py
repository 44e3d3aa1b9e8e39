"""Indicator facts from hand-written sentences: values, units, signs, subjects, periods, targets."""

import pytest

from parkwatch.extract import Document
from parkwatch.extract.facts import CONTRACT_FIELDS, extract_indicators
from parkwatch.extract.facts.numbers import find_quantities


def _doc(body, date="2024-08-05", title="示范高新区经济运行简报", doc_type="bulletin"):
    return Document(url="u", title=title, published_date=date, body=body, doc_type=doc_type)


def _one(facts, **kw):
    hits = [f for f in facts if all(f[k] == v for k, v in kw.items())]
    assert len(hits) == 1, (kw, facts)
    return hits[0]


@pytest.mark.parametrize(
    "text, value, unit, kind",
    [
        ("5.58亿元", 558000000, "CNY", "amount"),
        ("65161万元", 651610000, "CNY", "amount"),
        ("2000.09万立方米", 20000900, "m3", "amount"),
        ("12.5万吨", 125000, "t", "amount"),
        ("3.2万平方米", 32000, "m2", "amount"),
        ("1.8亿千瓦时", 180000000, "kWh", "amount"),
        ("40余家", 40, "count", "count"),
        ("一千零一户", 1001, "count", "count"),
        ("两千万元", 20000000, "CNY", "amount"),
        ("8.7个百分点", 8.7, "pp", "pp"),
        ("12.5%", 12.5, "%", "pct"),
        ("百分之十五", 15.0, "%", "pct"),
        ("8万元/亩", 80000, "CNY/mu", "amount"),
        ("26.4公顷", 26.4, "ha", "amount"),
    ],
)
def test_quantities(text, value, unit, kind):
    (q,) = find_quantities(text)
    assert (q.value, q.unit, q.kind) == (value, unit, kind)


@pytest.mark.parametrize("text", ["三个一批", "第7期", "10千伏线路", "十四五", "6个月", "打造千亿元园区"])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_contract_fields_and_subject_carry():
    facts = extract_indicators(_doc("截至6月末,园区税收收入3.27亿元,完成年度预算的48.6%。"), doc_ref="a.html")
    assert facts and all(set(CONTRACT_FIELDS) <= set(f) for f in facts)
    amount = _one(facts, measure="amount")
    share = _one(facts, measure="share_pct")
    assert amount["indicator_text"] == share["indicator_text"] == "税收收入"
    assert amount["value"] == 327000000 and amount["unit"] == "CNY" and amount["doc"] == "a.html"
    assert share["value"] == 48.6 and share["unit"] == "%"
    assert (amount["period_start"], amount["period_end"]) == ("2024-01-01", "2024-06-30")
    assert amount["is_target"] is False and amount["approx"] is None


def test_growth_signed_and_pp():
    facts = extract_indicators(_doc("上半年,园区能耗总量同比下降3%,研发投入强度提高1.6个百分点,出口额同比增长12.4%。"))
    assert _one(facts, indicator_text="能耗总量")["value"] == -3.0
    assert _one(facts, measure="pp_change")["value"] == 1.6
    g = _one(facts, indicator_text="出口额")
    assert g["measure"] == "growth_pct" and g["value"] == 12.4
    assert (g["period_start"], g["period_end"]) == ("2024-01-01", "2024-06-30")


def test_amount_then_growth_same_subject():
    facts = extract_indicators(_doc("1-6月,规上工业增加值23.6亿元,同比增长8.2%。"))
    a = _one(facts, measure="amount")
    g = _one(facts, measure="growth_pct")
    assert a["indicator_text"] == g["indicator_text"] == "规上工业增加值"
    assert g["value"] == 8.2


def test_qizhong_parts_link_to_total():
    facts = extract_indicators(_doc("截至7月末,园区新登记市场主体218户,其中企业96户、个体工商户122户。"))
    total = _one(facts, value=218)
    assert total["parent_indicator_text"] is None
    assert _one(facts, value=96)["parent_indicator_text"] == total["indicator_text"]
    assert _one(facts, value=122)["parent_indicator_text"] == total["indicator_text"]
    assert total["period_end"] == "2024-07-31"


def test_targets_and_policy():
    doc = _doc("到2027年,园区工业总产值突破800亿元,高新技术企业达到120家以上。", date="2023-05-01",
               title="关于推动示范高新区高质量发展的实施意见", doc_type="policy")
    facts = extract_indicators(doc)
    v = _one(facts, unit="CNY")
    assert v["is_target"] is True and v["target_year"] == 2027 and v["approx"] == "突破"
    assert (v["period_start"], v["period_end"]) == ("2027-01-01", "2027-12-31")
    c = _one(facts, unit="count")
    assert c["value"] == 120 and c["approx"] == "以上" and c["is_target"]


def test_quarter_and_full_year_periods():
    facts = extract_indicators(_doc("一季度,园区实际利用外资1.2亿美元。全年计划新开工项目30个。", date="2024-04-20"))
    q = _one(facts, unit="USD")
    assert (q["period_start"], q["period_end"]) == ("2024-01-01", "2024-03-31")
    t = _one(facts, unit="count")
    assert t["is_target"] and (t["period_start"], t["period_end"]) == ("2024-01-01", "2024-12-31")


def test_external_sections_skipped():
    body = "【园区动态】\n园区新增专精特新企业5家。\n【重点关注】\n某省近日印发意见,到2027年培育企业1000家。"
    facts = extract_indicators(_doc(body))
    assert [f["value"] for f in facts] == [5]


def test_empty_and_error_documents():
    assert extract_indicators(Document(error="boom")) == []
    assert extract_indicators(_doc("")) == []
