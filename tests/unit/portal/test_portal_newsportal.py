"""GBK news portal: charset declared in meta, only in the header, wrongly; Traditional Chinese
with pinyin glosses; teasers about other parks under the main story."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from parkwatch.portal import Portal
from parkwatch.portal.content import yuanqu, yuanqu_trad
from tests.helpers.http import fetch

SITE = "yuanqu-news"
GLOSS = re.compile(r"\([a-zü]+\)|【[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+】")


@pytest.fixture(scope="module")
def base(portal):
    url = portal.site_urls[SITE]
    assert url == f"http://127.0.1.5:{portal.port}/"
    return url


def path(article) -> str:
    d = article.date
    return f"yqdt/{d:%Y-%m}/{d:%d}/content_{article.id}.shtml"


def test_lists_paginate_and_reach_every_story(base):
    url, found, pages = base + "yqdt/index.shtml", [], []
    while url:
        status, headers, body = fetch(url)
        html = body.decode("gbk")
        pages.append(url)
        found += re.findall(r'<ul class="list">(.*?)</ul>', html, re.S)[0].split("</li>")[:-1]
        nxt = re.search(r'<a href="([^"]+)">下一页</a>', html)
        url = urljoin(url, nxt.group(1)) if nxt else None
    assert pages == [base + "yqdt/index.shtml", base + "yqdt/index_2.shtml", base + "yqdt/index_3.shtml"]
    assert len(found) == len(yuanqu.SITE.articles) == 9


def test_default_pages_declare_gbk_in_meta_only(base):
    status, headers, body = fetch(base + path(yuanqu.TEASER_MAIN))
    assert status == 200 and headers["content-type"] == "text/html"
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=gbk" />' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "完成一般公共预算收入3.18亿元" in body.decode("gbk")


def test_charset_only_in_http_header(base):
    status, headers, body = fetch(base + path(yuanqu.HEADER_ONLY))
    assert headers["content-type"] == "text/html; charset=GBK"
    assert b"charset" not in body.lower()
    assert "外贸进出口总额13.64亿元,同比增长15.8%,其中出口9.02亿元、进口4.62亿元" in body.decode("gbk")


def test_wrongly_declared_utf8(base):
    status, headers, body = fetch(base + path(yuanqu.WRONG_DECL))
    assert headers["content-type"] == "text/html"
    assert b'charset=utf-8' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "上半年锂电材料产业实现产值68.4亿元,同比增长21.6%" in body.decode("gbk")


def test_gb2312_label_with_gbk_only_characters(base):
    status, headers, body = fetch(base + path(yuanqu.GB2312_DECL))
    assert b"charset=gb2312" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    html = body.decode("gbk")
    assert "记者 王喆" in html and "2023年实现产值46.8亿元" in html


def test_traditional_page_with_both_gloss_forms(base):
    html = fetch(base + path(yuanqu.TRADITIONAL))[2].decode("gbk")
    body = html.split('<div id="artibody" class="content">', 1)[1].split("</div>", 1)[0]
    assert re.search(r"[經濟開發區億產業][(][a-z]+[)]", body)  # 經(jing) form
    assert re.search(r"[\u4e00-\u9fff]【[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+】", body)  # 济【jì】 form
    assert "營業收入186.52億元" in GLOSS.sub("", body)
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", body)
    assert len(paragraphs) == len(yuanqu_trad.SOURCE_PARAGRAPHS)
    opencc = pytest.importorskip("opencc")
    t2s = opencc.OpenCC("t2s")
    for p, src in zip(paragraphs, yuanqu_trad.SOURCE_PARAGRAPHS):
        assert t2s.convert(GLOSS.sub("", p)) == src
    shares = [41.6, 33.2, 17.5, 7.7]
    assert round(sum(shares), 1) == 100.0


def test_teasers_follow_the_main_story(base):
    html = fetch(base + path(yuanqu.TEASER_MAIN))[2].decode("gbk")
    story, rest = html.split('<div id="artibody" class="content">', 1)[1].split("</div>", 1)
    assert "规模以上工业增加值同比增长9.5%" in story and "拉动规上工业增加值增长5.2个百分点" in story
    related = rest.split('<div class="related">', 1)[1]
    for s in ("青川高新区锂电材料产业链加速成型", "46.8亿元", "澄湖经济开发区规模以上工业增加值同比增长7.2%"):
        assert s in related and s not in story
    assert "……" not in related  # teasers end on a sentence


def test_clock_and_revision_free(base):
    with Portal(today="2024-07-12") as p:
        html = fetch(p.site_urls[SITE] + "yqdt/index.shtml")[2].decode("gbk")
        assert "content_203512" in html and "content_203817" not in html
