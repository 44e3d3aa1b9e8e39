"""Projects and policies from hand-written snippets; robustness of the whole chain."""

import random

import pytest

from parkwatch.extract import Document, parse_document
from parkwatch.extract.facts import extract_file, extract_indicators, extract_policy, extract_projects
from parkwatch.extract.facts.policy import cited_documents, normalize_doc_number, policy_level, responsible_units
from parkwatch.extract.facts.projects import project_status
from parkwatch.extract.rows import PROJECT_FIELDS


def _doc(body, doc_type="news", date="2024-06-20", title="示范高新区项目建设加速", metadata=None):
    return Document(url="u", title=title, published_date=date, body=body, doc_type=doc_type,
                    metadata=metadata or {})


def test_named_project_with_company_capacity_investment_status():
    body = "6月18日,示范新能源材料有限公司年产8万吨磷酸铁锂项目在示范高新区开工。项目总投资21.5亿元。"
    (p,) = [x for x in extract_projects(_doc(body)) if x["name"]]
    assert p["company"] == "示范新能源材料有限公司"
    assert p["name"] == "示范新能源材料有限公司年产8万吨磷酸铁锂项目"
    assert (p["capacity_value"], p["capacity_unit"]) == (80000, "t/yr")
    assert p["investment_cny"] == 2150000000 and p["status"] == "开工"
    assert set(p) == set(PROJECT_FIELDS)


def test_project_counts_and_rates_and_enumeration():
    body = ("上半年,园区开复工项目26个,开复工率92.9%,完成投资18.3亿元。\n"
            "园区三个项目完成备案。分别为示范化工有限公司年产2万吨环氧树脂、示范光电有限公司年产50万片硅片。")
    recs = extract_projects(_doc(body))
    counts = [r for r in recs if r["count"] is not None]
    rates = [r for r in recs if r["rate_pct"] is not None]
    named = [r for r in recs if r["name"]]
    assert counts[0]["count"] == 26 and counts[0]["status"] == "开工"
    assert counts[0]["period_end"] == "2024-06-30"
    assert rates[0]["rate_pct"] == 92.9
    assert [r["company"] for r in named] == ["示范化工有限公司", "示范光电有限公司"]
    assert all(r["status"] == "备案" for r in named)


@pytest.mark.parametrize("text, status", [("项目正式投产", "投产"), ("计划2025年投产", None), ("主体结构封顶", "在建"),
                                          ("签约落户园区", "签约"), ("进入投产前调试阶段", "在建")])
def test_project_status(text, status):
    assert project_status(text) == status


def test_policy_record():
    meta = {"发文字号": "示管发[2023] 7号", "发文机构": "示范高新区管理委员会", "成文日期": "2023-03-01",
            "发布日期": "2023-03-03", "有效性": "有效"}
    body = ("为落实《某省人民政府关于推动开发区高质量发展的意见》(某政发﹝2022﹞12号),制定本方案。\n"
            "到2025年,园区高新技术企业达到150家。(责任单位:科技局、经发局)\n"
            "规上工业企业研发机构覆盖率达到60%。(责任单位:经发局、财政局)")
    pol = extract_policy(_doc(body, doc_type="policy", title="关于印发示范园区创新行动方案的通知", metadata=meta))
    assert pol["doc_number"] == "示管发〔2023〕7号"
    assert pol["issuer"] == "示范高新区管理委员会" and pol["level"] == "park"
    assert (pol["written_date"], pol["published_date"], pol["validity"]) == ("2023-03-01", "2023-03-03", "有效")
    assert pol["cited"] == [{"title": "某省人民政府关于推动开发区高质量发展的意见", "number": "某政发〔2022〕12号"}]
    assert pol["responsible_units"] == ["科技局", "经发局", "财政局"]
    assert {(t["year"], t["value"]) for t in pol["targets"]} == {(2025, 150), (None, 60.0)}
    assert extract_policy(_doc(body)) is None  # news is not a policy


@pytest.mark.parametrize("number, issuer, level", [("国发〔2020〕7号", None, "national"), ("内政发〔2019〕21号", None, "provincial"),
                                                   ("乌海政发〔2022〕23号", "工业和信息化局", "city"),
                                                   ("某府发〔2024〕2号", "某市人民政府", "city"),
                                                   ("某高管发〔2023〕1号", None, "park")])
def test_policy_level(number, issuer, level):
    assert policy_level(number, issuer, None) == level


def test_helpers():
    assert normalize_doc_number("某政发（2021）13号") == "某政发〔2021〕13号"
    assert cited_documents("《甲办法》和《乙方案》(乙发〔2020〕1号)") == [
        {"title": "甲办法", "number": None}, {"title": "乙方案", "number": "乙发〔2020〕1号"}]
    assert responsible_units("(责任单位:甲局、乙局按照职能负责)(牵头单位:甲局)") == ["甲局", "乙局"]


def test_fuzz_never_raises():
    rng = random.Random(7)
    pieces = ["<p>", "</p>", "<div class='TRS_Editor'>", "亿元", "万元", "同比增长", "下降", "其中", "%", "个百分点",
              "截至6月末", "1-6月", "。", ",", "、", "(", ")", "《", "》", "“", "2024年", "到2025年", "项目", "有限公司",
              "年产", "万吨", "3.5", "12", "一千零一", "余", "约", "\x00", "\ufffd", "<table><tr><td>发文字号:</td>"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        for data in (text, text.encode("utf-8"), text.encode("gb18030", "ignore")):
            doc = parse_document(data)
            extract_indicators(doc)
            extract_projects(doc)
            extract_policy(doc)


def test_extract_file_missing_and_txt(tmp_path):
    doc, facts = extract_file(str(tmp_path / "nope.html"))
    assert doc.error and facts == []
    f = tmp_path / "a.txt"
    f.write_bytes("示范园区新闻\n上半年,园区实现税收收入2.4亿元,同比下降3%。".encode("gb18030"))
    doc, facts = extract_file(str(f))
    assert doc.title == "示范园区新闻"
    assert {(x["measure"], x["value"]) for x in facts} == {("amount", 240000000), ("growth_pct", -3.0)}
    assert all(x["doc"] == str(f) for x in facts)


def test_a_long_number_before_项目_does_not_backtrack_for_ever():
    """Found by the long fuzz run: a 60-digit run before 项目 made the generic-name regex split the
    digits every possible way (24 digits: 4 s; 60: hours). Now linear: a hang bound, not a benchmark."""
    import time

    from parkwatch.extract.facts.projects import named_projects

    started = time.monotonic()
    for digits in ("1234567890" * 6, "一二三四五六七八九十" * 6):
        named_projects(f"园区{digits}亿元项目开工。")
    assert time.monotonic() - started < 2.0
