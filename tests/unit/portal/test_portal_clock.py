"""The portal clock: lists grow monotonically with ``today``; one page is revised in place."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from parkwatch.portal import Portal
from parkwatch.portal.cms import build_site
from parkwatch.portal.content import SITES
from tests.helpers.http import fetch

REVISED = "jb/202406/t20240614_482907.html"  # qingchuan-hitech 工作简报 2024年第6期


def listed(site_content, today: dt.date | None) -> set[str]:
    site = build_site(site_content, base_url="http://x/", today=today)
    return set(site.detail_paths().values())


@pytest.mark.parametrize("content", SITES, ids=lambda c: c.id)
def test_listed_set_grows_day_by_day(content):
    day = dt.date(2024, 1, 1)
    previous = listed(content, day)
    while day < dt.date(2025, 12, 31):
        day += dt.timedelta(days=1)
        current = listed(content, day)
        assert previous <= current, day
        previous = current
    assert previous == listed(content, None)


def test_lists_over_http_follow_the_clock():
    with Portal(today="2024-06-21") as p:
        base = p.site_urls["qingchuan-hitech"]
        html = fetch(base + "xwdt/index.html")[2].decode()
        assert "t20240621_483771.html" in html  # published on the day itself
        assert "t20240709_485530.html" not in html
        assert fetch(base + "xwdt/202407/t20240709_485530.html")[0] == 404
    with Portal(today="2024-07-09") as p:
        base = p.site_urls["qingchuan-hitech"]
        html = fetch(base + "xwdt/index.html")[2].decode()
        dates = re.findall(r"<span>(\d{4}-\d{2}-\d{2})</span></li>", html)
        assert dates[0] == "2024-07-09" and dates == sorted(dates, reverse=True)
        assert fetch(base + "xwdt/202407/t20240709_485530.html")[0] == 200


@pytest.mark.parametrize(
    "today,fiscal,modified",
    [
        ("2024-06-14", "完成财政收入6.92亿元,完成年度预算的43.6%,同比增长5.9%", "Fri, 14 Jun 2024 07:45:00 GMT"),
        ("2024-06-19", "完成财政收入6.92亿元,完成年度预算的43.6%,同比增长5.9%", "Fri, 14 Jun 2024 07:45:00 GMT"),
        ("2024-06-20", "完成财政收入6.95亿元,完成年度预算的43.8%,同比增长6.3%", "Thu, 20 Jun 2024 01:10:00 GMT"),
        (None, "完成财政收入6.95亿元,完成年度预算的43.8%,同比增长6.3%", "Thu, 20 Jun 2024 01:10:00 GMT"),
    ],
)
def test_revision_in_place(today, fiscal, modified):
    with Portal(today=today) as p:
        status, headers, body = fetch(p.site_urls["qingchuan-hitech"] + REVISED)
        html = body.decode()
        assert status == 200 and fiscal in html
        assert "发布时间:2024-06-14" in html  # the publication date does not move
        assert headers["last-modified"] == modified


def test_bad_today_rejected():
    with pytest.raises(ValueError):
        Portal(today="2024/06/20")
