"""The report page from a small published warehouse made here (no crawl, no dbt): what it shows,
that every figure links to its source with its sentence, that it needs nothing from the network,
and that text from the sources cannot break out of the page."""
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from parkwatch.serve.report import generate_report
from parkwatch.serve.report.data import chart_scale, count_word, load, period_kind, period_label
from parkwatch.serve.report.render import ECHARTS, highlight, quantity, show_value
from tests.helpers.published import EVIL, URL


@pytest.fixture
def published(published_db):
    return published_db()


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


def test_report_is_replaced_atomically_and_says_when_nothing_is_published(warehouse_home, published_db):
    from parkwatch.publish.marts import NotPublished

    with pytest.raises(NotPublished, match="parkwatch run"):
        generate_report()
    published_db()
    generate_report()
    assert sorted(p.name for p in (warehouse_home / "report").iterdir()) == ["index.html"]  # no temp file left


def test_vendored_echarts_is_the_documented_build():
    digest = hashlib.sha256(ECHARTS.read_bytes()).hexdigest()
    readme = (ECHARTS.parent / "README.md").read_text(encoding="utf-8")
    assert digest in readme
    assert (ECHARTS.parent / "ECHARTS-LICENSE.txt").exists() and (ECHARTS.parent / "ECHARTS-NOTICE.txt").exists()
