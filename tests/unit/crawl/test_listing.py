import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from parkwatch.crawl.listing import (ListPage, attachment_links, challenge_reason, classify_link, detect_cms, find_date,
                                     generic_items, hanweb_proxy, hanweb_window_url, is_attachment, is_soft_404,
                                     normalise_url, parse_hanweb_records, parse_hanweb_window, parse_list,
                                     same_origin, trs_page_urls, trs_pager, url_pattern)
from parkwatch.extract.decode import decode_html
from parkwatch.portal.cms import build_site
from parkwatch.portal.content import SITES
from parkwatch.portal.model import Request
from parkwatch.sites import Selectors


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
    proxy = hanweb_proxy("http://gov/col/col1235/index.html", HANWEB_PAGE)
    assert proxy["url"] == "http://gov/module/web/jpage/dataproxy.jsp"
    assert proxy["params"]["columnid"] == "1235" and proxy["batch"] == 9
    url = hanweb_window_url(proxy, 10)
    assert "startrecord=10&endrecord=18&perpage=3" in url and "columnid=1235" in url
    assert parse_hanweb_records(HANWEB_XML) == (20, ["/art/2024/7/12/art_1235_101.html", "/art/2024/6/1/art_1235_99.html"])
    assert hanweb_proxy("http://x/", "<p>plain</p>") is None


# ---------------------------------------------------------------------------- CMS profiles on portal pages
START = {"trs": "/{slug}/index.html", "generic": "/{slug}/list.html", "hanweb": "/col/{slug}/index.html",
         "vsb": "/{slug}.htm", "newsportal": "/{slug}/index.shtml"}
EXPECTED_PROFILE = {"trs": "trs", "generic": "generic", "hanweb": "hanweb", "vsb": "vsb", "newsportal": "generic"}


def fetch(site, url):
    parts = urlsplit(url)
    resp = site.handle(Request(method="GET", path=parts.path, query=parse_qs(parts.query)))
    return resp.status, decode_html(resp.body, None)[0]


def walk(site, start_url):
    """Every entry of a column, following the profile's pagination the way the spider does."""
    status, html = fetch(site, start_url)
    profile = detect_cms(start_url, html)
    page = parse_list(html, start_url, profile, start_url=start_url)
    entries, pages = {}, 0
    if page.proxy:
        url = hanweb_window_url(page.proxy, 1)
        while url:
            xml = fetch(site, url)[1]
            window = parse_hanweb_window(xml, url, page.proxy)
            entries.update({i.url: i for i in window.items if i.date or i.url not in entries})
            url, pages = window.next_url, pages + 1
        return profile, entries, pages
    while True:
        pages += 1
        entries.update({i.url: i for i in page.items if i.date or i.url not in entries})
        if not page.next_url or pages > 50:
            return profile, entries, pages
        status, html = fetch(site, page.next_url)
        assert status == 200
        page = parse_list(html, page.next_url, profile, start_url=start_url)


@pytest.mark.parametrize("content", SITES, ids=[c.id for c in SITES])
def test_profiles_list_every_published_page_with_its_date(content):
    site = build_site(content, base_url=f"http://127.0.1.{content.host_index}:8700/", today=None)
    published = {site.url(p) for p in site.detail_paths().values()}
    dates = {site.url(site.article_path(a)): a.date for a in content.articles}
    listed = {}
    for col in content.columns:
        profile, entries, pages = walk(site, site.url(START[content.cms].format(slug=col.slug)))
        assert profile == EXPECTED_PROFILE[content.cms]
        listed.update(entries)
    assert published <= set(listed)
    for url in published:  # the list shows each entry's publication date
        assert listed[url].date == dates[url], url
    assert set(listed) <= published  # nothing but articles (hot lists link articles too)


def test_detect_cms_from_url_shapes_alone():
    links = "".join(f'<a href="/art/2024/7/{d}/art_1_{d}.html">x</a>' for d in (1, 2, 3))
    assert detect_cms("http://a/x.html", links) == "hanweb"
    assert detect_cms("http://a/x.html", '<a href="./202406/t20240614_1.html">a</a><a href="t20240615_2.html">b</a>') == "trs"
    assert detect_cms("http://a/list.htm", '<a href="info/1052/1.htm">a</a><a href="info/1052/2.htm">b</a>') == "vsb"
    assert detect_cms("http://a/col/col12/index.html", "<p>empty</p>") == "hanweb"
    assert detect_cms("http://a/news/", "<p>nothing</p>") == "generic"


def test_trs_pager_reads_variables_and_literals():
    assert trs_pager('var currentPage = 1;\nvar countPage = 5//共多少页\ncreatePageHTML(countPage, currentPage, "index", "html");') == (5, 1, "index", "html")
    assert trs_pager('createPageHTML(3, 2, "index", "shtml")') == (3, 2, "index", "shtml")
    last = parse_list('<script>createPageHTML(3, 2, "index", "html")</script>', "http://a/jb/index_2.html", "trs")
    assert last.next_url is None and last.total_pages == 3
    first = parse_list('<script>createPageHTML(3, 0, "index", "html")</script>', "http://a/jb/index.html", "trs")
    assert first.next_url == "http://a/jb/index_1.html"


def test_hanweb_window_next_and_last():
    proxy = {"url": "http://gov/module/web/jpage/dataproxy.jsp", "params": {"columnid": "1235"}, "per_page": 3, "batch": 9}
    first = parse_hanweb_window(HANWEB_XML, hanweb_window_url(proxy, 1), proxy)
    assert [i.date for i in first.items] == [dt.date(2024, 7, 12), None]
    assert "startrecord=10" in first.next_url and first.total_pages == 3
    last = parse_hanweb_window(HANWEB_XML, hanweb_window_url(proxy, 19), proxy)
    assert last.next_url is None


def test_generic_items_dates_beside_titles_not_inside():
    html = """<ul>
    <li><a href="/news/2024/0701/11.html">2023年12月31日前完成的项目</a><span>2024-07-01</span></li>
    <li><span class="date">2024/06/30</span> <a href="/a/b/list.html">往期</a></li>
    <li><a href="/about.html">关于</a></li>
    <li><a href="/x/y.php?id=5">无日期的链接</a></li>
    <li><a href="/notice/p5.aspx">通知</a> (2024.06.28)</li>
    <li><a href="/files/plan.pdf">规划全文.pdf</a></li>
    </ul><a href="list_2.html">下一页</a>"""
    items = {i.url: i for i in generic_items(parse_list.__globals__["_tree"](html), "http://s/news/list.html")}
    assert items["http://s/news/2024/0701/11.html"].date == dt.date(2024, 7, 1)
    assert items["http://s/notice/p5.aspx"].date == dt.date(2024, 6, 28)
    assert items["http://s/files/plan.pdf"].kind == "attachment"
    assert "http://s/a/b/list.html" not in items and "http://s/about.html" not in items
    assert "http://s/x/y.php?id=5" not in items  # undated and not article-shaped
    assert parse_list(html, "http://s/news/list.html").next_url == "http://s/news/list_2.html"


def test_selectors_override_the_heuristics():
    html = """<div class="row"><h4><a href="/p?id=1">甲</a></h4><i>发布:2024-05-06</i></div>
              <div class="row"><h4><a href="/p?id=2">乙</a></h4><i>发布:2024-05-05</i></div>
              <a class="pg-next" href="/list?p=2">›</a><a href="/list?p=9">more</a>"""
    sel = Selectors(list_item="div.row", link="h4 a", date="i", next_page="a.pg-next")
    page = parse_list(html, "http://s/list", "generic", sel)
    assert [(i.url, i.date) for i in page.items] == [("http://s/p?id=1", dt.date(2024, 5, 6)),
                                                     ("http://s/p?id=2", dt.date(2024, 5, 5))]
    assert page.next_url == "http://s/list?p=2"
    assert parse_list(html, "http://s/list", "generic").items == []  # the heuristics alone find nothing


def test_column_index_pages_yield_their_sub_lists():
    html = '<a href="/zwgk/zcwj/list.html">政策文件</a><a href="/zwgk/ghjh/index.html">规划</a><a href="/news/list.html">新闻</a>'
    page = parse_list(html, "http://s/zwgk/index.html", "generic", start_url="http://s/zwgk/index.html")
    assert page.items == [] and page.sub_lists == ["http://s/zwgk/zcwj/list.html", "http://s/zwgk/ghjh/index.html"]
    vsb = parse_list('<a href="/index.htm">首页</a><a href="/zcfg/sub/1.htm">x</a>', "http://s/zcfg.htm", "vsb",
                     start_url="http://s/zcfg.htm")
    assert vsb.sub_lists == ["http://s/zcfg/sub/1.htm"]  # the home page is not a sub-list


@pytest.mark.parametrize("text,when", [
    ("发布时间:2024-07-12", dt.date(2024, 7, 12)), ("(2024/7/2)", dt.date(2024, 7, 2)),
    ("2024年6月14日", dt.date(2024, 6, 14)), ("2024.06.30 10:00", dt.date(2024, 6, 30)),
    ("2024-13-45 then 2024-02-29", dt.date(2024, 2, 29)), ("2024年1-6月", None), ("[07-15]", None), ("", None),
])
def test_find_date(text, when):
    assert find_date(text) == when


@pytest.mark.parametrize("url,text,expected", [
    ("http://a/zcwj/202405/P020240528367512094318.pdf", "清单", True),
    ("http://a/module/download/downfile.jsp?classid=0&filename=2024042516305127.pdf", "分解表", True),
    ("http://a/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=8", "目录.pdf", True),
    ("http://a/download.jsp?id=3", "附件1.docx", True),
    ("http://a/download.jsp?id=3", "下载中心", False),
    ("http://a/files/a.WPS", "", True), ("http://a/files/b.xlsx", "", True),
    ("http://a/files/c.zip", "", False), ("http://a/t20240101_1.html", "", False),
])
def test_is_attachment(url, text, expected):
    assert is_attachment(url, text) is expected


def test_attachment_links_of_a_vsb_page():
    content = next(c for c in SITES if c.cms == "vsb")
    site = build_site(content, base_url="http://127.0.1.4:8700/", today=None)
    art = next(a for a in content.articles if a.attachments)
    url = site.url(site.article_path(art))
    links = attachment_links(fetch(site, url)[1], url)
    assert len(links) == 1 and "wbfileid=" in links[0][0] and links[0][1].endswith(".pdf")
    assert fetch(site, links[0][0])[0] == 200


def test_challenges_and_soft_404s():
    from parkwatch.portal.cms.faulty import CHALLENGE, SOFT_404

    assert challenge_reason(412, CHALLENGE.encode()) == "js_challenge"
    assert challenge_reason(200, CHALLENGE.encode()) == "js_challenge"  # the same cookie page answered 200
    assert challenge_reason(521, b"<script>document.cookie='__jsl_clearance=1';location.reload()</script>") == "js_challenge"
    assert challenge_reason(200, "<html><body><p>正文</p><script>document.cookie='a=1'</script></body></html>".encode()) is None
    assert challenge_reason(403, b"<h1>403 Forbidden</h1>") is None
    assert is_soft_404(SOFT_404)
    assert is_soft_404("<html><head><title>404 Not Found</title></head><body>...</body></html>")
    content = SITES[0]
    site = build_site(content, base_url="http://127.0.1.1:8700/", today=None)
    for a in content.articles:
        assert not is_soft_404(fetch(site, site.url(site.article_path(a)))[1])


def test_url_pattern_masks_digits():
    assert url_pattern("http://a:80/calendar/2024-08.html") == url_pattern("http://a:80/calendar/2031-12.html")
    assert url_pattern("http://a/list.html?page=2") == "a/list.html?page=#"
    assert isinstance(ListPage("generic").dated, list)
