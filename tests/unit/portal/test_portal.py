"""The demo portal: origins, lists → details, pagination, attachments, robots, clock, log."""

from __future__ import annotations

import datetime as dt
import http.client
import re
import socket
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from parkwatch.portal import PARKS, Portal
from parkwatch.portal.content import SITES
from tests.helpers.http import fetch

ROOT = Path(__file__).resolve().parents[3]
HREF = re.compile(r'href="([^"#]+)"')


def text(url: str) -> str:
    status, headers, body = fetch(url)
    assert status == 200, url
    assert "charset=utf-8" in headers["content-type"]
    return body.decode("utf-8")


def links(page_url: str, html: str) -> list[str]:
    """Same-origin links of a page, resolved."""
    origin = urlsplit(page_url).netloc
    out = []
    for href in HREF.findall(html):
        if href.startswith("javascript:"):
            continue
        u = urljoin(page_url, href.replace("&amp;", "&"))
        if urlsplit(u).netloc == origin:
            out.append(u)
    return out


@pytest.fixture(scope="module")
def portal():
    with Portal(port=0) as p:
        yield p


LIST_PAGES = {
    "qingchuan-hitech": {
        "bulletin": ["jb/index.html", "jb/index_1.html"],
        "policy": ["zcwj/index.html"],
        "news": ["xwdt/index.html", "xwdt/index_1.html"],
    },
    "jinhe-etdz": {
        "bulletin": ["gzjb/list.html", "gzjb/list.html?page=2"],
        "policy": ["zwgk/zcwj/list.html"],
        "news": ["news/list.html", "news/list.html?page=2"],
    },
}

DETAIL = {
    "qingchuan-hitech": {
        "bulletin": "jb/202407/t20240712_486213.html",
        "policy": "zcwj/202405/t20240528_479562.html",
        "news": "xwdt/202407/t20240709_485530.html",
        "attachment": "zcwj/202405/P020240528367512094318.pdf",
    },
    "jinhe-etdz": {
        "bulletin": "gzjb/2024/0913/1302.html",
        "policy": "zwgk/zcwj/2024/0605/1188.html",
        "news": "news/2024/0715/1234.html",
        "attachment": "uploadfiles/202406/20240605093817526.pdf",
    },
}


def test_addresses_and_origins(portal):
    assert portal.port > 0
    assert portal.directory_url == f"http://127.0.0.1:{portal.port}/"
    assert portal.site_urls["qingchuan-hitech"] == f"http://127.0.1.1:{portal.port}/"
    assert portal.site_urls["jinhe-etdz"] == f"http://127.0.1.2:{portal.port}/"
    assert set(portal.site_urls) == {c.id for c in SITES} | {"faulty-demo"}
    origins = {urlsplit(u).netloc for u in [portal.directory_url, *portal.site_urls.values()]}
    assert len(origins) == len(SITES) + 2


def test_directory_links_every_site(portal):
    html = text(portal.directory_url)
    for url in portal.site_urls.values():
        assert f'href="{url}"' in html
    assert fetch(portal.directory_url + "nope")[0] == 404


@pytest.mark.parametrize("site", ["qingchuan-hitech", "jinhe-etdz"])
def test_home_links_column_lists(portal, site):
    base = portal.site_urls[site]
    home = text(base)
    found = set(links(base, home))
    for kind, pages in LIST_PAGES[site].items():
        assert urljoin(base, pages[0]) in found, (site, kind)
    assert "<title>" in home


@pytest.mark.parametrize("site", ["qingchuan-hitech", "jinhe-etdz"])
def test_robots_per_origin(portal, site):
    status, headers, body = fetch(portal.site_urls[site] + "robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert b"User-agent: *" in body and b"Disallow: /search/" in body


def crawl_lists(portal, site: str) -> dict[str, set[str]]:
    """Follow each section's pagination; return detail URLs per kind."""
    base = portal.site_urls[site]
    out = {}
    for kind, pages in LIST_PAGES[site].items():
        details = set()
        for rel in pages:
            page_url = urljoin(base, rel)
            for u in links(page_url, text(page_url)):
                if u.endswith(".html") and re.search(r"/(t\d{8}_\d+|\d{4}/\d{4}/\d+)\.html$", u):
                    details.add(u)
        out[kind] = details
    return out


def test_trs_pagination_script(portal):
    base = portal.site_urls["qingchuan-hitech"]
    first = text(base + "jb/index.html")
    assert 'createPageHTML(countPage, currentPage, "index", "html")' in first
    assert "var countPage = 2" in first and "var currentPage = 0" in first
    assert "var currentPage = 1" in text(base + "jb/index_1.html")
    assert fetch(base + "jb/index_2.html")[0] == 404
    assert text(base + "jb/") == first
    assert "function createPageHTML" in fetch(base + "images/page.js")[2].decode()


def test_generic_pagination_links(portal):
    base = portal.site_urls["jinhe-etdz"]
    first = text(base + "news/list.html")
    assert '<a href="list.html?page=2">下一页</a>' in first
    second = text(base + "news/list.html?page=2")
    assert "下一页" not in second and "上一页" in second
    assert fetch(base + "news/list.html?page=3")[0] == 404


@pytest.mark.parametrize("site", ["qingchuan-hitech", "jinhe-etdz"])
def test_every_detail_page(portal, site):
    base = portal.site_urls[site]
    found = crawl_lists(portal, site)
    content = next(c for c in SITES if c.id == site)
    all_details = set().union(*found.values())
    assert len(all_details) == len(content.articles)
    for kind, rel in DETAIL[site].items():
        if kind != "attachment":
            assert urljoin(base, rel) in found[kind], (site, kind)
    for url in all_details:
        html = text(url)
        assert '<meta charset="utf-8"' in html
        m = re.search(r"<title>([^<]+)</title>", html)
        assert m and m.group(1).strip()
        date = re.search(r"发布(?:时间|日期):(\d{4})[-年](\d{2})[-月](\d{2})", html)
        assert date, url
        d = dt.date(*map(int, date.groups()))
        assert d.year in (2024, 2025) and d <= dt.date(2026, 11, 22)
        assert "来源:" in html


def test_list_order_newest_first(portal):
    base = portal.site_urls["qingchuan-hitech"]
    html = text(base + "xwdt/index.html") + text(base + "xwdt/index_1.html")
    dates = re.findall(r"<span>(\d{4}-\d{2}-\d{2})</span></li>", html)
    assert len(dates) == 6 and dates == sorted(dates, reverse=True)


def test_trs_bulletin_page(portal):
    html = text(portal.site_urls["qingchuan-hitech"] + DETAIL["qingchuan-hitech"]["bulletin"])
    editor = html.split('<div class="TRS_Editor">', 1)[1].split("</div>", 1)[0]
    for s in ("【主要指标】", "【重点工作】", "【工作动态】", "2024年第7期"):
        assert s in editor
    for s in (
        "完成财政收入8.36亿元,完成年度预算的52.7%",
        "规模以上工业增加值同比增长9.1%,增速较一季度提高1.4个百分点",
        "新增市场主体512户,其中企业147户、个体工商户365户",
        "高新技术企业43家",
        "83.46万元,其中高龄津贴31.20万元、困难群众临时救助18.75万元、稳岗补贴33.51万元",
        "开复工项目40个",
    ):
        assert s in editor
    assert "您当前的位置:" in html and "发布时间:2024-07-12" in html


def test_breakdowns_add_up():
    """Every 新增市场主体 N户,其中企业a户、个体工商户b户 in our content has a + b = N."""
    pat = re.compile(r"新增市场主体(\d+)户,其中企业(\d+)户、个体工商户(\d+)户")
    seen = 0
    for site in SITES:
        for a in site.articles:
            for total, x, y in pat.findall(a.body):
                assert int(x) + int(y) == int(total), (site.id, a.id)
                seen += 1
    assert seen >= 8


@pytest.mark.parametrize("site", ["qingchuan-hitech", "jinhe-etdz"])
def test_policy_page_and_attachment(portal, site):
    base = portal.site_urls[site]
    url = base + DETAIL[site]["policy"]
    html = text(url)
    for field in ("索引号", "主题分类", "发文机构", "发文字号", "成文日期", "发布日期", "有效性"):
        assert field in html
    assert re.search(r"(青川高新管发|金开管发)〔2024〕\d+号", html)
    assert "到2025年" in html and "责任单位:" in html
    att = urljoin(url, DETAIL[site]["attachment"].rsplit("/", 1)[-1]) if site == "qingchuan-hitech" else base + DETAIL[site]["attachment"]
    assert att in links(url, html)
    status, headers, body = fetch(att)
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    # the xref table points at the objects
    xref = int(body.rsplit(b"startxref", 1)[1].split()[0])
    assert body[xref:].startswith(b"xref")
    entries = body[xref:].split(b"\n")[3:]
    for n, line in enumerate(entries, start=1):
        if not line.endswith(b" n "):
            break
        off = int(line[:10])
        assert body[off:].startswith(b"%d 0 obj" % n)


@pytest.mark.parametrize("site", ["qingchuan-hitech", "jinhe-etdz"])
def test_news_page(portal, site):
    html = text(portal.site_urls[site] + DETAIL[site]["news"])
    assert "年产15万吨" in html and "总投资" in html and "亿元" in html
    assert re.search(r"开复工项目\d+个,其中新开工项目\d+个、续建项目\d+个", html)
    assert re.search(r"(开工|投产)", html)


def test_head_and_missing(portal):
    base = portal.site_urls["qingchuan-hitech"]
    status, headers, body = fetch(base + DETAIL["qingchuan-hitech"]["news"], method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    assert "last-modified" in headers
    assert fetch(base + "xwdt/202407/t20240709_999999.html")[0] == 404


def test_request_log(portal):
    base = portal.site_urls["jinhe-etdz"]
    fetch(base + "news/list.html?page=2")
    fetch(base + "no/such/page.html")
    log = portal.requests_for("jinhe-etdz")
    assert {"site", "method", "path", "status"} <= set(log[-1])
    assert log[-1]["path"] == "/no/such/page.html" and log[-1]["status"] == 404
    assert log[-2]["path"] == "/news/list.html" and log[-2]["query"] == "page=2"
    sites = {r["site"] for r in portal.request_log}
    assert {"qingchuan-hitech", "jinhe-etdz"} <= sites


def test_clock_hides_future_pages():
    with Portal(today="2024-07-10") as p:
        base = p.site_urls["qingchuan-hitech"]
        first = text(base + "jb/index.html")
        assert "t20240614_482907.html" in first
        assert "t20240712_486213.html" not in first
        listed = re.findall(r"<span>(\d{4}-\d{2}-\d{2})</span></li>", first)
        assert listed and max(listed) <= "2024-07-10"
        assert fetch(base + "jb/202407/t20240712_486213.html")[0] == 404
        assert fetch(base + "xwdt/202407/t20240709_485530.html")[0] == 200
        later = text(p.site_urls["jinhe-etdz"] + "news/list.html")
        assert "1234.html" not in later and "1169.html" in later


def test_stop_cleanly():
    p = Portal().start()
    url = p.site_urls["jinhe-etdz"]
    # leave a keep-alive connection open across stop()
    conn = http.client.HTTPConnection(urlsplit(url).hostname, p.port, timeout=5)
    conn.request("GET", "/")
    assert conn.getresponse().read()
    p.stop()
    conn.close()
    with pytest.raises(OSError):
        socket.create_connection((urlsplit(url).hostname, p.port), timeout=1).close()
    assert not p._errors


@pytest.mark.parametrize("site", [c.id for c in SITES])
def test_site_yaml_matches_portal(portal, site):
    spec = yaml.safe_load((ROOT / "sites" / f"{site}.yaml").read_text(encoding="utf-8"))
    content = next(c for c in SITES if c.id == site)
    assert spec["id"] == site and content.park_id in spec["parks"]
    assert all(p in PARKS for p in spec["parks"])
    assert spec["cms"] == "auto" and spec["encoding"] is None
    assert {"id", "name", "parks", "base_url", "cms", "sections"} <= set(spec)
    assert spec.get("allow_networks") == ["127.0.0.0/8"]  # loopback is allowed by configuration only
    base = spec["base_url"].replace("${PARKWATCH_PORTAL_PORT:-8700}", str(portal.port))
    assert base == portal.site_urls[site]
    kinds = [s["kind"] for s in spec["sections"]]
    assert kinds == [c.kind for c in content.columns]
    for sec in spec["sections"]:
        for rel in sec["start_urls"]:
            assert fetch(base + rel)[0] == 200


def test_parks_constant():
    assert PARKS["qingchuan-hitech"]["short_name"] == "青川高新区"
    assert PARKS["jinhe-etdz"]["short_name"] == "金河经开区"
    for park in PARKS.values():
        assert {"name", "short_name", "level", "province", "city"} <= set(park)
        assert park["level"] in ("national", "provincial")
