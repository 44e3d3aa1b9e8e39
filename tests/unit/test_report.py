"""The report page from a small published warehouse made here (no crawl, no dbt): what it shows,
that every figure links to its source with its sentence, that it needs nothing from the network,
and that text from the sources cannot break out of the page."""
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from parkwatch.serve.report import generate_report
from parkwatch.serve.report.data import chart_scale, count_word, load, period_kind, period_label
from parkwatch.serve.report.render import ECHARTS, highlight, quantity, show_value

URL = "http://127.0.1.1:8700/jb/202407/t20240712_1.html"
EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"

MARTS_SQL = f"""
create schema marts;
create table marts.parks as select * from (values
    ('qingchuan-hitech', '青川高新技术产业开发区', '青川高新区', ['青川高新區'], 'national', '江西省', '青川市'),
    ('empty-park', '空白经济技术开发区', '空白经开区', [], 'provincial', '河南省', '空白市'))
    t(park_id, park_name, short_name, aliases, level, province, city);
create table marts.documents as select * from (values
    ('d1', 'qingchuan-hitech', 'qingchuan-hitech', '{URL}', '青川高新区工作简报(2024年第7期)', date '2024-07-12',
     null, 'bulletin', 'news', timestamptz '2024-07-12 08:00:00+00', null, '0.3.0'),
    ('d2', 'qingchuan-hitech', 'qingchuan-hitech', 'http://127.0.1.1:8700/jb/202404/t1.html', '简报 第4期',
     date '2024-04-10', null, 'bulletin', 'news', timestamptz '2024-04-10 08:00:00+00', null, '0.3.0'))
    t(doc_id, park_id, site_id, url, title, published_date, source, doc_type, section_kind, first_seen_at,
      parse_error, extractor_version);
create table marts.indicators as select * from (values
    ('f1', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'fiscal_revenue', '财政收入', null, 'amount',
     8.36e8, 'CNY', '8.36亿元', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '1-6月,高新区完成财政收入8.36亿元,同比增长6.8%。', '0.3.0', []::varchar[]),
    ('f2', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'fiscal_revenue', '财政收入', null, 'growth_pct',
     6.8, '%', '6.8%', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '1-6月,高新区完成财政收入8.36亿元,同比增长6.8%。', '0.3.0', []::varchar[]),
    ('f3', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'fiscal_revenue', '财政收入', null, 'amount',
     4.18e8, 'CNY', '4.18亿元', null, false, null, date '2024-01-01', date '2024-03-31', 'd2',
     'http://127.0.1.1:8700/jb/202404/t1.html', date '2024-04-10', '一季度财政收入4.18亿元。', '0.3.0', []::varchar[]),
    ('f4', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'market_entities', '新增市场主体', null, 'count',
     512, 'count', '512户', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '新增市场主体512户{EVIL}', '0.3.0', ['parts_exceed_total']),
    ('f5', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', null, '咖啡馆', null, 'count',
     3, 'count', '3家', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '新开咖啡馆3家。', '0.3.0', []::varchar[]))
    t(fact_id, park_id, park_mention, park_name, indicator_code, indicator_text, parent_indicator_text, measure, value,
      unit, raw, approx, is_target, target_year, period_start, period_end, doc_id, url, published_date, sentence,
      extractor_version, quality_flags);
create table marts.indicators_best as
    select park_id, park_name, coalesce(indicator_code, indicator_text) as indicator_key, indicator_code, indicator_text,
           measure, unit, period_start, period_end, value, 1::bigint as sources_agreeing, 0::bigint as sources_conflicting,
           []::double[] as conflicting_values, fact_id, url, published_date
    from marts.indicators;
create table marts.projects as select * from (values
    ('p1', 'qingchuan-hitech', '青川高新技术产业开发区', '青川锐能年产15万吨正极材料项目', '青川锐能', 2.6e9, 150000.0, 't/yr', '开工',
     null, null, null, null, null, '青川锐能年产15万吨正极材料项目开工,总投资26亿元。', 'd1', '{URL}', date '2024-07-12', '0.3.0'),
    ('p2', 'qingchuan-hitech', '青川高新技术产业开发区', null, null, null, null, null, '开工',
     40.0, '开复工项目40个', 76.9, date '2024-01-01', date '2024-06-30', '开复工项目40个,开复工率76.9%。', 'd1', '{URL}',
     date '2024-07-12', '0.3.0'))
    t(project_id, park_id, park_name, project_name, company, investment_cny, capacity_value, capacity_unit, status,
      project_count, count_text, rate_pct, period_start, period_end, sentence, doc_id, url, published_date,
      extractor_version);
create table marts.policies as select * from (values
    ('d9', 'qingchuan-hitech', '青川高新技术产业开发区', '关于促进青川高新区高质量发展的实施意见', '青府发〔2024〕9号',
     '青川市人民政府', date '2024-04-18', date '2024-04-25', '有效', 'city', '[]'::json,
     '[{{"year": 2025, "indicator_text": "工业总产值", "raw": "2000亿元"}}]'::json, '[]'::json, '[]'::json,
     'http://127.0.1.2:8700/zcwj/t9.html', '0.3.0'))
    t(doc_id, park_id, park_name, title, doc_number, issuer, written_date, published_date, validity, level, cited_json,
      targets_json, responsible_units_json, attachments_json, url, extractor_version);
create table marts.policy_targets as select * from (values
    ('t1', 'd9', 'qingchuan-hitech', '关于促进青川高新区高质量发展的实施意见', '青府发〔2024〕9号', 2025, 'industrial_output',
     '工业总产值', 2e11, 'CNY', '2000亿元', '到2025年,工业总产值突破2000亿元。', 'http://127.0.1.2:8700/zcwj/t9.html'))
    t(target_id, doc_id, park_id, policy_title, doc_number, target_year, indicator_code, indicator_text, value, unit, raw,
      sentence, url);
create table marts.review_queue as select * from (values
    ('r1', 'parts_exceed_total', '新增市场主体: parts 8948 exceed the total 512', 'qingchuan-hitech', '新增市场主体',
     'count', 'count', 8948.0, 512.0, 0.5, '新增市场主体512户{EVIL}', '{URL}', 'f4'))
    t(review_id, flag, reason, park_id, indicator_text, measure, unit, stated_value, expected_value, tolerance,
      sentence, url, fact_id);
create table marts.crawl_health as select * from (values
    ('qingchuan-hitech', 'run1', date '2024-07-12', timestamptz '2024-07-12 06:00:00+00',
     timestamptz '2024-07-12 06:01:00+00', 21, 21, 3, 1, '{{"http_404": 1}}'::json, 21, 16, 0.762))
    t(site_id, run_id, logical_date, started_at, finished_at, pages_seen, pages_landed, pages_new_content,
      pages_failed, failed_by_reason, site_documents, documents_with_facts, extraction_yield);
create table marts.publish_log as select timestamptz '2024-07-12 07:00:00+00' as published_at,
    '{{"success": true, "warnings": 1, "validated_at": "2024-07-12T06:59:00+00:00", "data_docs": "file:///tmp/dd/index.html",
      "suites": [{{"suite": "indicators_errors", "severity": "error", "rows": 5, "expectations": 19, "success": true,
                   "failed": []}}]}}' as validation_json;
"""


def make_published(path: Path) -> Path:
    """A parks.duckdb with the published marts' columns and a handful of rows."""
    with duckdb.connect(str(path)) as con:
        con.execute(MARTS_SQL)
    return path


@pytest.fixture
def published(tmp_path, monkeypatch):
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path))
    return make_published(tmp_path / "parks.duckdb")


class Page(HTMLParser):
    """Collects links, script sources, ids and text of the generated page."""

    def __init__(self):
        super().__init__()
        self.links, self.srcs, self.ids, self.scripts, self.text = [], [], set(), [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a":
            self.links.append(a)
        for key in ("src", "srcset") if tag != "a" else ():
            if key in a:
                self.srcs.append(a[key])
        if tag == "link" and a.get("href"):
            self.srcs.append(a["href"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_period_labels_and_kinds():
    assert period_label(date(2024, 1, 1), date(2024, 6, 30)) == "2024年1-6月"
    assert period_label(date(2024, 1, 1), date(2024, 12, 31)) == "2024年"
    assert period_label(date(2024, 7, 1), date(2024, 7, 31)) == "2024年7月"
    assert period_label(date(2024, 7, 1), date(2024, 9, 30)) == "2024年7-9月"
    assert period_label(None, date(2024, 7, 12)) == "截至2024年7月12日"
    assert period_kind(date(2024, 1, 1), date(2024, 6, 30)) == "ytd"
    assert period_kind(date(2024, 1, 1), date(2024, 1, 31)) == "month"
    assert period_kind(date(2024, 4, 1), date(2024, 6, 30)) == "quarter"
    assert period_kind(None, date(2024, 6, 30)) == "point"


def test_chart_units_follow_what_sources_write():
    assert chart_scale("CNY", [8.36e8, 4.18e8]) == (1e8, "亿元")
    assert chart_scale("CNY", [5.5e6]) == (1e4, "万元")
    assert chart_scale("%", [6.8]) == (1, "%")
    assert chart_scale("count", [512, 336], ["512户", "336户"]) == (1, "户")
    assert count_word(["512户", "3家"]) == "个"
    assert quantity(6.475e9, "CNY") == "64.75亿元" and quantity(12.4, "%") == "12.4%"
    assert show_value({"raw": None, "unit": "pp", "value": -0.6}) == "-0.6个百分点"


def test_highlight_escapes_the_sentence_and_marks_the_figure():
    out = str(highlight("完成财政收入8.36亿元<b>", "8.36亿元"))
    assert out == "完成财政收入<mark>8.36亿元</mark>&lt;b&gt;"


def test_load_reads_one_snapshot(published):
    d = load(published)
    assert d["published_at"].startswith("2024-07-12T07:00")
    assert d["validation"]["warnings"] == 1
    park = d["parks"][0]
    assert park["park_id"] == "qingchuan-hitech"  # parks with data first
    keys = [(k["indicator_code"], k["measure"]) for k in park["key_indicators"]]
    assert ("fiscal_revenue", "amount") in keys and ("fiscal_revenue", "growth_pct") in keys
    assert ("咖啡馆" not in [k["indicator_key"] for k in park["key_indicators"]])  # unmapped: not a key indicator
    revenue = next(k for k in park["key_indicators"] if k["indicator_code"] == "fiscal_revenue" and k["measure"] == "amount")
    assert revenue["raw"] == "8.36亿元" and revenue["period"] == "2024年1-6月"  # the latest period
    assert revenue["source_title"] == "青川高新区工作简报(2024年第7期)"
    [chart] = park["charts"]  # only fiscal revenue has two periods
    assert chart["unit"] == "亿元" and [p["y"] for p in chart["series"][0]["points"]] == [4.18, 8.36]
    assert park["policies"][0]["targets"][0]["raw"] == "2000亿元"
    assert d["review_total"] == 1 and d["crawl"][0]["failed_by_reason"] == {"http_404": 1}


def test_report_page_links_every_figure_to_its_source_and_sentence(published):
    result = generate_report()
    html = Path(result["report"]).read_text(encoding="utf-8")
    page = parse(html)
    figure_links = [a for a in page.links if a.get("title")]  # key-indicator figures carry their sentence
    assert figure_links and all(a["href"].startswith("http") for a in figure_links)
    assert any(a["href"] == URL and "8.36亿元" in a["title"] for a in figure_links)
    assert "<mark>8.36亿元</mark>" in html  # the sentence shown, with the figure marked
    for text in ("青川高新技术产业开发区", "关键指标", "趋势", "项目", "政策", "待核查", "数据质量", "抓取健康",
                 "青府发〔2024〕9号", "2025年 工业总产值 2000亿元", "开复工项目40个", "76.9%", "15万吨/年", "26.00亿元",
                 "空白经济技术开发区", "尚无已发布的数据", "Data Docs"):
        assert text in html, text
    assert result["charts"] == 2  # fiscal revenue trend + crawl health
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1))
    assert {c["id"] for c in data["charts"]} <= page.ids and data["crawl"]["id"] in page.ids


def test_report_needs_nothing_from_the_network(published):
    html = Path(generate_report()["report"]).read_text(encoding="utf-8")
    page = parse(html)
    assert page.srcs == []  # no external script, stylesheet, image or font
    assert not re.search(r"""@import|url\(\s*['"]?https?:""", html)
    assert "echarts" in html and len(html) > len(ECHARTS.read_text(encoding="utf-8"))


def test_source_text_cannot_break_out_of_the_page(published):
    html = Path(generate_report()["report"]).read_text(encoding="utf-8")
    page = parse(html)
    # exactly the three scripts the page itself has: data, ECharts, drawing code
    assert html.count("<script") == 3
    assert "alert(1)</script>" not in html and "<img src=x" not in html
    assert any(EVIL in t for t in page.text)  # shown as text


def test_report_is_replaced_atomically_and_says_when_nothing_is_published(tmp_path, monkeypatch):
    from parkwatch.publish.export import NotPublished

    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path))
    with pytest.raises(NotPublished, match="parkwatch run"):
        generate_report()
    make_published(tmp_path / "parks.duckdb")
    generate_report()
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == ["index.html"]  # no temp file left


def test_vendored_echarts_is_the_documented_build():
    digest = hashlib.sha256(ECHARTS.read_bytes()).hexdigest()
    readme = (ECHARTS.parent / "README.md").read_text(encoding="utf-8")
    assert digest in readme
    assert (ECHARTS.parent / "ECHARTS-LICENSE.txt").exists() and (ECHARTS.parent / "ECHARTS-NOTICE.txt").exists()
