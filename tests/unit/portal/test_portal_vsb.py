"""博达 VSB style site: backwards-numbered list pages, /info/<col>/<id>.htm, download.jsp."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from tests.helpers.http import fetch

SITE = "tongjiang-hitech"


@pytest.fixture(scope="module")
def base(portal):
    url = portal.site_urls[SITE]
    assert url == f"http://127.0.1.4:{portal.port}/"
    return url


def walk(start: str) -> tuple[list[str], list[str]]:
    """Follow 下页 from a VSB list; return (list page urls, detail urls in order)."""
    pages, details, url = [], [], start
    while url:
        html = fetch(url)[2].decode("utf-8")
        pages.append(url)
        details += [urljoin(url, h) for h in re.findall(r'<li id="line_u8_\d+"><a href="([^"]+)"', html)]
        nxt = re.search(r'<span class="p_next"><a href="([^"]+)">下页</a>', html)
        url = urljoin(url, nxt.group(1)) if nxt else None
    return pages, details


def test_list_pages_numbered_backwards(base):
    pages, details = walk(base + "xwdt.htm")
    assert pages == [base + "xwdt.htm", base + "xwdt/2.htm", base + "xwdt/1.htm"]
    assert len(details) == len(set(details)) == 7
    assert all(re.fullmatch(re.escape(base) + r"info/1052/\d+\.htm", d) for d in details)
    assert fetch(base + "xwdt/3.htm")[0] == 404
    last = fetch(base + "xwdt/1.htm")[2].decode()
    assert '<a href="../xwdt.htm">首页</a>' in last and '<a href="2.htm">上页</a>' in last


def test_detail_pages(base):
    for col in ("yqxx", "zcfg", "xwdt"):
        for url in walk(base + f"{col}.htm")[1]:
            status, headers, body = fetch(url)
            html = body.decode("utf-8")
            assert status == 200 and "charset=UTF-8" in html
            assert '<div id="vsb_content"><div class="v_news_content">' in html
            assert re.search(r"发布时间:202[45]-\d{2}-\d{2}", html) and "来源:" in html


def test_bulletin_figures(base):
    html = fetch(base + "info/1061/4127.htm")[2].decode()
    body = html.split('<div class="v_news_content">', 1)[1]
    for s in (
        "【主要指标】", "【重点工作】", "【工作动态】",
        "规模以上工业总产值412.68亿元,同比增长11.6%",
        "完成一般公共预算收入12.47亿元,同比增长8.2%,其中税收收入10.35亿元,税收占比83.0%",
        "新增市场主体756户,其中企业268户、个体工商户488户",
        "实际使用外资3862万美元",
        "高层次人才142名,其中博士37名、硕士105名",
        "开复工项目44个,其中新开工项目21个、续建项目23个",
    ):
        assert s in body


def test_policy_and_download(base):
    html = fetch(base + "info/1073/4012.htm")[2].decode()
    for label in ("索引号", "主题分类", "发文机关", "发文字号", "成文日期", "发布日期", "有效性"):
        assert f"<th>{label}</th>" in html
    assert "桐高新〔2024〕15号" in html and "到2025年" in html and "责任单位:" in html
    href = re.search(r'附件【<a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert href.startswith("/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1362782915&wbfileid=")
    status, headers, body = fetch(urljoin(base, href))
    assert status == 200 and body.startswith(b"%PDF") and headers["content-type"] == "application/pdf"
    assert fetch(urljoin(base, href.replace("wbfileid=", "wbfileid=1")))[0] == 404
