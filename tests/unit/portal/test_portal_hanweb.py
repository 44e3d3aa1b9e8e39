"""Hanweb (大汉) style site: list only through the XML data proxy, GET and POST."""

from __future__ import annotations

import re
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from parkwatch.portal import Portal
from tests.helpers.http import fetch

SITE = "qingchuan-gov"
ROOT = Path(__file__).resolve().parents[3]
PROXY = "module/web/jpage/dataproxy.jsp"


@pytest.fixture(scope="module")
def base(portal):
    url = portal.site_urls[SITE]
    assert url == f"http://127.0.1.3:{portal.port}/"
    return url


def post(url: str, form: dict) -> tuple[int, bytes]:
    req = urllib.request.Request(
        url, data=urlencode(form).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read()


def records(xml: bytes) -> tuple[int, int, list[str]]:
    root = ET.fromstring(xml)
    hrefs = [re.search(r'href="([^"]+)"', r.text).group(1) for r in root.iter("record")]
    return int(root.findtext("totalrecord")), int(root.findtext("totalpage")), hrefs


def test_column_page_has_no_list_but_a_jpage_config(base):
    status, headers, body = fetch(base + "col/col1229/index.html")
    html = body.decode("utf-8")
    assert status == 200 and '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">' in html
    assert "/art/" not in html  # the list is not in the HTML
    assert "proxyUrl: '/module/web/jpage/dataproxy.jsp'" in html
    assert "columnid: 1229" in html and "unitid: 4589" in html and "perPage: 3" in html


def test_proxy_post_pages_through_every_record(base):
    seen = []
    start = 1
    while True:
        status, xml = post(
            base + PROXY + "?col=1&appid=1&webid=12&path=/&columnid=1229&unitid=4589&permissiontype=0",
            {"startrecord": start, "endrecord": start + 2, "perpage": 3},
        )
        total, pages, hrefs = records(xml)
        assert status == 200 and total == 4 and pages == 2
        seen += hrefs
        start += 3
        if start > total:
            break
    assert len(seen) == len(set(seen)) == 4
    dates = [tuple(map(int, re.search(r"/art/(\d+)/(\d+)/(\d+)/", h).groups())) for h in seen]
    assert dates == sorted(dates, reverse=True)
    assert seen[0] == "/art/2025/2/13/art_1229_3917408.html"


def test_proxy_get_and_unknown_column(base):
    status, headers, xml = fetch(base + PROXY + "?columnid=1231&startrecord=1&endrecord=45&perpage=15")
    assert status == 200 and headers["content-type"].startswith("text/xml")
    total, pages, hrefs = records(xml)
    assert (total, pages, len(hrefs)) == (4, 1, 4)
    assert b"<![CDATA[" in xml and b"<totalrecord>4</totalrecord>" in xml
    assert records(fetch(base + PROXY + "?columnid=9999")[2])[0] == 0


def test_articles_and_attachment(base):
    _, _, xml = fetch(base + PROXY + "?columnid=1229&startrecord=1&endrecord=10&perpage=10")
    hrefs = records(xml)[2]
    policy = "/art/2024/4/25/art_1229_3842260.html"
    assert policy in hrefs
    html = fetch(base + policy.lstrip("/"))[2].decode("utf-8")
    assert '<meta name="ContentStart">' in html and '<meta name="ContentEnd">' in html
    for label in ("索 引 号", "主题分类", "发布机构", "成文日期", "文　　号", "发布日期", "有 效 性"):
        assert f">{label}<" in html
    assert "青府发〔2024〕9号" in html and "到2025年" in html and "责任单位:" in html
    assert "发布日期:2024-04-25 16:30" in html and "信息来源:青川市人民政府办公室" in html
    att = re.search(r'href="(/module/download/downfile\.jsp\?[^"]+)"', html).group(1)
    status, headers, body = fetch(base + att.replace("&amp;", "&").lstrip("/"))
    assert status == 200 and body.startswith(b"%PDF") and "attachment" in headers["content-disposition"]
    expired = fetch(base + "art/2024/1/18/art_1229_3809811.html")[2].decode()
    assert ">失效<" in expired


def test_bulletin_parts_add_up(base):
    html = fetch(base + "art/2024/8/2/art_1235_3876123.html")[2].decode()
    assert "【主要指标】" in html and "528.6亿元" in html
    assert "其中A类企业128家、B类企业317家、C类企业164家、D类企业43家" in html
    assert round(274.3 + 168.9 + 85.4, 1) == 528.6 and 128 + 317 + 164 + 43 == 652


def test_clock_applies_to_the_proxy():
    with Portal(today="2024-06-30") as p:
        total, _, hrefs = records(fetch(p.site_urls[SITE] + PROXY + "?columnid=1229")[2])
        assert total == 3 and all("/2025/" not in h for h in hrefs)


def test_yaml(portal, base):
    spec = yaml.safe_load((ROOT / "sites" / f"{SITE}.yaml").read_text(encoding="utf-8"))
    assert spec["base_url"].replace("${PARKWATCH_PORTAL_PORT:-8700}", str(portal.port)) == base
    for sec in spec["sections"]:
        for rel in sec["start_urls"]:
            assert fetch(base + rel)[0] == 200
