"""Decoding and HTML/plain-text parsing into Document, on small hand-written pages."""

import json

import pytest

from parkwatch.extract import EXTRACTOR_VERSION, Document, decode_html, parse_document

PAGE = """<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于印发《示范园区企业研发补助办法》的通知_示范高新区管委会</title>
<meta name="ArticleTitle" content="关于印发《示范园区企业研发补助办法》的通知">
</head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zc">政策文件</a></div>
<table class="xxgk">
<tr><td>索 引 号:</td><td>SFGX-2023-00017</td><td>发文字号:</td><td>示高管发[2023]9号</td></tr>
<tr><td>发文机构:</td><td>示范高新区管委会</td><td>成文日期:</td><td>2023-03-02</td></tr>
<tr><td>发布日期:</td><td>2023-03-06</td><td>有 效 性:</td><td>有效</td></tr>
</table>
<div id="zoom">
<p>各部门:</p>
<p>现将《示范园区企业研发补助办法》印发给你们，请认真贯彻执行。</p>
<p>到2025年，园区规上工业企业研发投入突破１５亿元。</p>
<p>附件：<a href="/files/2023/banfa.docx">示范园区企业研发补助办法.docx</a></p>
</div>
<div class="footer">版权所有 示范高新区管委会 ICP备00000000号</div>
<ul class="related"><li><a href="/x">邻区高新区召开招商推介会…</a></li></ul>
</body></html>"""


def test_version_is_set():
    assert EXTRACTOR_VERSION and EXTRACTOR_VERSION.count(".") == 2


@pytest.mark.parametrize("charset, codec", [("gb2312", "gb18030"), ("GBK", "gb18030"), ("utf-8", "utf-8")])
def test_decode_declared_meta_charset(charset, codec):
    data = PAGE.format(charset=charset).encode(codec)
    text, used = decode_html(data)
    assert "研发补助办法" in text
    assert used == codec


def test_decode_header_wins_and_wrong_declaration_is_detected():
    data = PAGE.format(charset="utf-8").encode("gb18030")  # meta lies
    text, used = decode_html(data, declared="gbk")
    assert used == "gb18030" and "研发补助办法" in text
    text, used = decode_html(data)  # no header, wrong meta: detection
    assert "研发补助办法" in text
    utf8 = PAGE.format(charset="gb2312").encode("utf-8")  # meta says GB, bytes are UTF-8
    text, used = decode_html(utf8)
    assert used == "utf-8" and "研发补助办法" in text


def test_decode_undeclared_gbk_page():
    data = "<html><body><p>园区今年新增高新技术企业十二家，累计达到八十五家。</p></body></html>".encode("gbk")
    text, used = decode_html(data)
    assert "高新技术企业" in text


def test_parse_html_page():
    doc = parse_document(PAGE.format(charset="gbk").encode("gbk"), url="http://sf.example.gov.cn/zc/t20230306_17.html",
                         content_type="text/html; charset=GBK")
    assert doc.error is None
    assert doc.title == "关于印发《示范园区企业研发补助办法》的通知"
    assert doc.published_date == "2023-03-06"
    assert doc.metadata["索引号"] == "SFGX-2023-00017"
    assert doc.metadata["发文字号"] == "示高管发[2023]9号"
    assert doc.metadata["有效性"] == "有效"
    assert doc.doc_type == "policy"
    assert "研发投入突破15亿元" in doc.body
    assert "首页" not in doc.body and "版权所有" not in doc.body and "招商推介会" not in doc.body
    assert doc.attachments == [{"name": "示范园区企业研发补助办法.docx",
                                "url": "http://sf.example.gov.cn/files/2023/banfa.docx"}]
    assert doc.encoding == "gb18030"
    json.dumps(doc.to_dict(), ensure_ascii=False)


def test_density_fallback_without_cms_selector():
    html = """<html><body><div class="top"><a href="/">首页</a><a href="/a">园区概况</a><a href="/b">新闻</a></div>
    <div class="main"><div class="left"><ul><li><a href="/n1">某某新闻一</a></li><li><a href="/n2">某某新闻二</a></li></ul></div>
    <div class="wrap"><h1>示范高新区上半年经济运行平稳</h1>
    <p>今年以来，示范高新区规上工业增加值同比增长7.2%，高于全市平均水平。</p>
    <p>上半年，全区完成固定资产投资41.6亿元，同比增长11.3%，其中工业投资28.9亿元。</p>
    <p>新签约项目18个，协议总投资96亿元。</p></div></div>
    <div class="bottom">主办单位：示范高新区管委会</div></body></html>"""
    doc = parse_document(html)
    assert doc.title == "示范高新区上半年经济运行平稳"
    assert doc.body.startswith("今年以来")
    assert "某某新闻" not in doc.body and "主办单位" not in doc.body
    assert doc.doc_type == "news"


def test_plain_text_document():
    text = "首页 > 工作动态\n园区召开二季度经济运行分析会\n来源:经济发展局 发布日期:2024-07-09 浏览次数:12\n" \
           "7月8日，园区召开二季度经济运行分析会。上半年，园区实现工业总产值58.4亿元，同比增长6.5%。\n上一篇:园区开展安全生产检查\n"
    doc = parse_document(text.encode("utf-8"), content_type="text/plain")
    assert doc.title == "园区召开二季度经济运行分析会"
    assert doc.published_date == "2024-07-09"
    assert doc.source == "经济发展局"
    assert doc.body.startswith("7月8日")
    assert "上一篇" not in doc.body and "首页" not in doc.body


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02\xff\xfe", "   ", None, 12345, b"<html><body></body></html>",
                                  "<html><body><div><p>未闭合".encode("utf-8"), b"\xff" * 5000])
def test_never_raises(data):
    doc = parse_document(data)
    assert isinstance(doc, Document)
    if doc.error is None:
        assert isinstance(doc.body, str)


def test_plain_text_without_tags_is_text():
    doc = parse_document("园区今年新增企业12家。")
    assert doc.error is None and doc.body == "园区今年新增企业12家。"


VSB_PAGE = """<html><head><meta charset="utf-8"><title>园区信息(2024年第3期)-示范高新区</title></head><body>
<div class="menu"><ul><li><a href="/">首页</a></li><li><a href="/yqxx.htm">园区信息</a></li></ul></div>
<div class="dqwz">当前位置: <a href="/">首页</a> &gt;&gt; 园区信息 &gt;&gt; 正文</div>
<form name="_newscontent_fromname">
<div class="content-title"><h1>园区信息(2024年第3期)</h1></div>
<div class="content-info">发布时间:2024-04-16　来源:示范高新区办公室　点击数:<script>x()</script></div>
<div id="vsb_content"><div class="v_news_content">
<p>【主要指标】</p><p>一季度,全区规上工业总产值96.3亿元,同比增长8.4%。</p>
</div></div></form>
<div class="footer">版权所有 示范高新区</div></body></html>"""

NEWS_PORTAL = """<html><head><meta charset="gb2312"><title>示范高新区签约项目6个_园区观察网</title></head><body>
<div id="nav"><a href="/">首页</a><a href="/yqdt/">园区动态</a></div>
<div class="article"><h1>示范高新区签约项目6个</h1>
<div class="info"><span class="time">2024-05-09 10:20</span> <span class="source">来源:示范日报</span></div>
<div id="artibody"><p>5月8日,示范高新区集中签约项目6个,总投资31.5亿元。</p></div>
<div class="editor">(责任编辑:王某)</div></div>
<div class="related"><h3>相关阅读</h3><ul><li><a href="/a">邻市高新区新增企业</a><p>邻市高新区上半年新增企业120家,同比增长9.6%。</p></li></ul></div>
</body></html>"""


def test_vsb_page_content_inside_form():
    doc = parse_document(VSB_PAGE.encode("utf-8"), url="http://x.example/info/1061/88.htm")
    assert doc.title == "园区信息(2024年第3期)"
    assert doc.published_date == "2024-04-16" and doc.source == "示范高新区办公室"
    assert "96.3亿元" in doc.body and "当前位置" not in doc.body
    assert doc.doc_type == "bulletin"


def test_news_portal_related_teasers_excluded():
    doc = parse_document(NEWS_PORTAL.encode("gb18030"), content_type="text/html")
    assert doc.title == "示范高新区签约项目6个"
    assert doc.published_date == "2024-05-09" and doc.source == "示范日报"
    assert doc.body == "5月8日,示范高新区集中签约项目6个,总投资31.5亿元。"
    assert "metadata" and "点击" not in doc.metadata


def test_plain_text_info_table_and_tail():
    text = ("标 题: | 关于支持示范园区研发创新的若干措施 | ||||\n"
            "索 引 号: | 000000/2023-001 | 发文字号: | 示政发﹝2023﹞4号 | |\n"
            "发文机构: | 科技局 | 信息分类: | 部门文件 | |\n"
            "成文日期: | 2023-02-01 00:00:00 | 公开日期: | 2023-02-03 10:00:00 | 废止日期: | 有效性: | 有效 |\n"
            "关于支持示范园区研发创新的\n若干措施\n"
            "为加快创新发展,制定以下措施。到2025年,全区研发投入强度达到3%。\n"
            "2023年2月1日\n下载:若干措施.docx\n上一条:无\n")
    doc = parse_document(text)
    assert doc.title == "关于支持示范园区研发创新的若干措施"
    assert doc.metadata["发文字号"] == "示政发〔2023〕4号"
    assert doc.metadata["废止日期"] == "" and doc.metadata["有效性"] == "有效"
    assert doc.published_date == "2023-02-03"
    assert doc.body.startswith("为加快创新发展") and "上一条" not in doc.body and "下载" not in doc.body
    assert doc.attachments == [{"name": "若干措施.docx", "url": None}]
    assert doc.doc_type == "policy"


def test_plain_text_tail_after_hotline_is_cut():
    text = ("示范网讯 上半年,示范高新区新增企业56家。\n(示范网新闻热线:0000-1234567,投稿邮箱:news@example.com)\n"
            "7月1日,邻区高新区召开会议,部署下半年工作,新增项目12个。\n")
    doc = parse_document(text)
    assert "邻区" not in doc.body and "热线" not in doc.body


@pytest.mark.parametrize(
    "title, body, expected",
    [
        ("关于印发《某区工业用地管理办法》的通知", "", "policy"),
        ("《某区工业用地管理办法》政策解读", "", "policy_interpretation"),
        ("关于召开2024年度总结会的通知", "", "notice"),
        ("某区2024年拟认定企业名单公示", "", "notice"),
        ("示范区信息第7期", "", "bulletin"),
        ("某区工作简报(2024年第3期)", "", "bulletin"),
        ("园区新增企业56家", "上半年,园区新增企业56家,同比增长12%,发展态势良好,各项指标稳中有进。", "news"),
        ("首页", "", "other"),
    ],
)
def test_doc_type(title, body, expected):
    from parkwatch.extract.common import classify_doc_type

    assert classify_doc_type(title, body, {}) == expected


def test_script_hidden_by_interleaved_nuls_stays_out_of_the_text():
    """A UTF-16 page decoded as UTF-8 and encoded as UTF-16 again carries its markup with NULs
    between the characters: the script must still be recognised (the long fuzz run found it)."""
    page = (
        "<!DOCTYPE html><html><head><title>经济运行</title></head><body><div class=\"content\">"
        "<p>财政收入5.58亿元。</p><script>document.write(\"<p>税收999.99亿元</p>\");</script>"
        "<p>工业增加值增长9%。</p></div></body></html>"
    )
    once = page.encode("utf-16")
    twice = once.decode("utf-8", "replace").encode("utf-16")
    doc = parse_document(twice, url="http://example.org/a.html", content_type="text/html")
    assert doc.error is None
    assert "999.99" not in doc.body + doc.title
