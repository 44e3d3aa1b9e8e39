import pytest

from parkwatch.listing import classify_link, normalise_url, same_origin, trs_page_urls


@pytest.mark.parametrize("url,text,kind", [
    ("http://a/jb/202406/t20240712_1001.html", "", "article"),
    ("http://a/art/2024/7/12/art_1234_56789.html", "", "article"),
    ("http://a/info/1021/3456.htm", "", "article"),
    ("http://a/news/2024/0715/1234.html", "", "article"),
    ("http://a/jb/index_1.html", "", "list"),
    ("http://a/list/page3", "下一页", "list"),
    ("http://a/files/P020220811123456789012.pdf", "附件", "attachment"),
    ("http://a/about.html", "关于我们", None),
])
def test_classify_link(url, text, kind):
    assert classify_link(url, text) == kind


def test_normalise_url_drops_fragments_and_scripts():
    assert normalise_url("http://a/b/c.html", "../d.html#top") == "http://a/d.html"
    assert normalise_url("http://a/", "javascript:void(0)") is None
    assert normalise_url("http://a/", "mailto:x@y") is None


def test_same_origin():
    assert same_origin("http://127.0.1.1:80/a", "http://127.0.1.1:80/b")
    assert not same_origin("http://127.0.1.1:80/a", "http://127.0.1.2:80/a")


def test_trs_pagination_from_create_page_html():
    html = '<script>createPageHTML(3, 0, "index", "html");</script>'
    assert trs_page_urls("http://a/jb/index.html", html) == ["http://a/jb/index_1.html", "http://a/jb/index_2.html"]
    assert trs_page_urls("http://a/jb/index.html", "<p>none</p>") == []


HANWEB_PAGE = """<div id="4595"></div><script>$('#4595').jpage({ perPage: 3, groupSize: 3,
 proxyUrl: '/module/web/jpage/dataproxy.jsp',
 ajaxParam: {col: 1, appid: 1, webid: 12, columnid: 1235, unitid: 4595, webname: '青川市人民政府'} });</script>"""
HANWEB_XML = """<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2024/7/12/art_1235_101.html">简报第7期</a><span>2024-07-12</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2024/6/1/art_1235_99.html'>简报第6期</a></li>]]></record></recordset>
<totalrecord>20</totalrecord><totalpage>7</totalpage></datastore>"""


def test_hanweb_proxy_found_and_windowed():
    from parkwatch.listing import hanweb_proxy, hanweb_window_url, parse_hanweb_records

    proxy = hanweb_proxy("http://gov/col/col1235/index.html", HANWEB_PAGE)
    assert proxy["url"] == "http://gov/module/web/jpage/dataproxy.jsp"
    assert proxy["params"]["columnid"] == "1235" and proxy["batch"] == 9
    url = hanweb_window_url(proxy, 10)
    assert "startrecord=10&endrecord=18&perpage=3" in url and "columnid=1235" in url
    assert parse_hanweb_records(HANWEB_XML) == (20, ["/art/2024/7/12/art_1235_101.html", "/art/2024/6/1/art_1235_99.html"])
    assert hanweb_proxy("http://x/", "<p>plain</p>") is None
