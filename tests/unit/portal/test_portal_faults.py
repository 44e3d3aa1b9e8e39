"""The faulty site: every failure mode answers as specified, each on its own linked URL."""

from __future__ import annotations

import gzip
import http.client
import re
import socket
import time
import zlib
from urllib.parse import urlsplit

import pytest

from parkwatch.portal import Portal
from tests.helpers.http import fetch

SITE = "faulty-demo"


@pytest.fixture(scope="module")
def portal():
    with Portal(slow_seconds=1.5) as p:
        yield p


@pytest.fixture(scope="module")
def base(portal):
    url = portal.site_urls[SITE]
    assert url == f"http://127.0.1.6:{portal.port}/"
    return url


def raw_get(base: str, path: str, headers: dict | None = None, timeout: float = 10):
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    conn.request("GET", path, headers=headers or {})
    return conn, conn.getresponse()


def test_list_links_every_fault(base):
    html = fetch(base + "news/list.html")[2].decode("utf-8")
    for path in ("/faults/slow.html", "/faults/flaky.html", "/faults/gone.html", "/faults/forbidden.html",
                 "/faults/challenge.html", "/faults/loop-a.html", "/faults/truncated.html", "/faults/huge.html",
                 "/faults/bomb.html", "/calendar/2024-08.html", "/news/show.php?id=5001",
                 "/news/2024/0801/5001.html", "/news/2024/0805/5003.html", "/news/2024/0802/5002.html"):
        assert f'href="{path}"' in html, path
    assert b"User-agent" in fetch(base + "robots.txt")[2]


def test_slow_page_exceeds_a_short_timeout(base):
    with pytest.raises((socket.timeout, TimeoutError)):
        conn, resp = raw_get(base, "/faults/slow.html", timeout=0.5)
    t = time.monotonic()
    assert fetch(base + "faults/slow.html")[0] == 200
    assert time.monotonic() - t >= 1.4


def test_flaky_500_then_ok(base):
    assert fetch(base + "faults/flaky.html")[0] == 500
    status, _, body = fetch(base + "faults/flaky.html")
    assert status == 200 and "其中即办件213项、承诺件273项" in body.decode()


def test_status_faults(base):
    assert fetch(base + "faults/gone.html")[0] == 404
    assert fetch(base + "faults/forbidden.html")[0] == 403
    status, _, body = fetch(base + "faults/challenge.html")
    assert status == 412 and b"document.cookie" in body and b"__jsl_clearance_s" in body
    conn, resp = raw_get(base, "/faults/challenge.html", {"Cookie": "__jsl_clearance_s=1723000000.731|0|x"})
    assert resp.status == 200
    conn.close()


def test_redirect_loop(base):
    conn, resp = raw_get(base, "/faults/loop-a.html")
    assert resp.status == 302 and resp.getheader("Location") == "/faults/loop-b.html"
    resp.read()
    conn.request("GET", "/faults/loop-b.html")
    resp = conn.getresponse()
    assert resp.status == 302 and resp.getheader("Location") == "/faults/loop-a.html"
    conn.close()


def test_truncated_body(base):
    conn, resp = raw_get(base, "/faults/truncated.html")
    assert int(resp.getheader("Content-Length")) > 0
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    conn.close()


def test_huge_body(base):
    conn, resp = raw_get(base, "/faults/huge.html")
    assert int(resp.getheader("Content-Length")) > 8 * 1024 * 1024
    conn.close()


def test_gzip_bomb(base):
    conn, resp = raw_get(base, "/faults/bomb.html", {"Accept-Encoding": "gzip"})
    assert resp.getheader("Content-Encoding") == "gzip"
    wire = resp.read()
    conn.close()
    assert len(wire) < 200 * 1024
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    unpacked = len(d.decompress(wire, 9 * 1024 * 1024))
    assert unpacked > 8 * 1024 * 1024  # stopped at our own limit: bigger than any sane page
    assert len(gzip.decompress(wire)) == 64 * 1024 * 1024


def test_calendar_trap(base):
    url, seen = base + "calendar/2024-08.html", []
    for _ in range(30):
        html = fetch(url)[2].decode()
        seen.append(url)
        url = base + re.search(r'<a href="/([^"]+)">下个月</a>', html).group(1)
    assert len(set(seen)) == 30 and seen[-1].endswith("2027-01.html")


def test_duplicate_malformed_soft404(base):
    a = fetch(base + "news/2024/0801/5001.html")
    b = fetch(base + "news/show.php?id=5001")
    assert a[0] == b[0] == 200 and a[2] == b[2]
    assert fetch(base + "news/show.php?id=5002")[0] == 404
    status, _, body = fetch(base + "news/2024/0805/5003.html")
    text = body.decode()
    assert status == 200 and "规上工业企业实现营业收入312.46亿元,同比增长11.3%" in text
    assert text.count("<p>") > text.count("</p>")  # unclosed tags
    lxml_html = pytest.importorskip("lxml.html")
    assert "312.46亿元" in lxml_html.fromstring(body).text_content()
    status, _, body = fetch(base + "news/2024/0802/5002.html")
    assert status == 200 and "页面不存在" in body.decode()


def test_request_log_records_faults(portal, base):
    fetch(base + "faults/forbidden.html")
    entry = portal.requests_for(SITE)[-1]
    assert entry["path"] == "/faults/forbidden.html" and entry["status"] == 403
