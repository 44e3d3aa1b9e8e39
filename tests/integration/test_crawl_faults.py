"""Acceptance 3: every fault of the faulty demo site ends with its expected recorded outcome, in a
bounded number of requests; the crawl finishes and no good page is lost. Also: a site on a private
address that does not allowlist it is not crawled at all.

The faulty site has no sites/*.yaml (the demo never crawls it): the test writes its own registry.
"""
from collections import Counter

import pytest

from parkwatch import config
from parkwatch.crawl.launcher import crawl_site
from parkwatch.land import RawStore, read_manifests
from parkwatch.portal import Portal

FAULTY_YAML = """id: faulty-demo
name: 金河经开区政务服务网(故障演示)
parks: [jinhe-etdz]
base_url: "http://127.0.1.6:${PARKWATCH_PORTAL_PORT}/"
sections:
  - kind: news
    start_urls: ["news/list.html", "search/list.html"]   # the second is disallowed by robots.txt
limits: {max_pages: 100, max_depth: 2, max_list_pages: 20, max_bytes: 8000000}
politeness: {concurrency: 4, delay_s: 0, timeout_s: 1.5, retries: 2, retry_backoff_s: 0.1}
allow_networks: ["127.0.0.0/8"]
"""
STRICT_YAML = """id: strict-demo
name: 未放行回环地址的站点
parks: [jinhe-etdz]
base_url: "http://127.0.1.2:${PARKWATCH_PORTAL_PORT}/"
sections:
  - kind: news
    start_urls: ["news/list.html"]
politeness: {delay_s: 0}
"""

# path → (outcome, reason, at most this many requests)
EXPECTED = {
    "/faults/slow.html": ("failed", "timeout", 3),           # 3 attempts (2 retries with backoff)
    "/faults/flaky.html": ("landed", None, 2),               # 500, then OK on the retry
    "/faults/gone.html": ("failed", "http_404", 1),
    "/faults/forbidden.html": ("failed", "http_403", 1),
    "/faults/challenge.html": ("failed", "js_challenge", 1),  # parked, not retried in a loop
    "/faults/loop-a.html": ("failed", "redirect_loop", 6),
    "/faults/truncated.html": ("failed", "truncated", 3),
    "/faults/huge.html": ("failed", "too_large", 1),
    "/faults/bomb.html": ("failed", "too_large_unpacked", 1),
    "/calendar/2024-08.html": ("landed", None, 1),           # listed once; its endless months never followed
    "/news/2024/0801/5001.html": ("landed", None, 1),
    "/news/show.php?id=5001": ("landed", None, 1),           # same article, second URL: same bytes, stored once
    "/news/2024/0805/5003.html": ("landed", None, 1),        # malformed HTML is still a page
    "/news/2024/0802/5002.html": ("failed", "soft_404", 1),
    "/news/2024/0730/4990.html": ("landed", None, 1),
    "/search/list.html": ("failed", "robots", 0),
}


def path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def env(tmp_path, monkeypatch):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "faulty-demo.yaml").write_text(FAULTY_YAML, encoding="utf-8")
    (sites / "strict-demo.yaml").write_text(STRICT_YAML, encoding="utf-8")
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PARKWATCH_SITES_DIR", str(sites))
    return tmp_path


def test_each_fault_has_its_recorded_outcome_and_good_pages_land(env, monkeypatch):
    from parkwatch.portal.content import SITES

    jinhe = [c for c in SITES if c.id == "jinhe-etdz"]
    with Portal(port=0, sites=jinhe, slow_seconds=3) as portal:
        monkeypatch.setenv("PARKWATCH_PORTAL_PORT", str(portal.port))
        summary = crawl_site("faulty-demo", "2024-08-10")
        strict = crawl_site("strict-demo", "2024-08-10")
        requests = Counter(r["path"] + (f"?{r['query']}" if r["query"] else "") for r in portal.requests_for("faulty-demo"))
        jinhe_requests = portal.requests_for("jinhe-etdz")
    assert summary["error"] is None and summary["finished"], summary.get("log_tail")
    rows = [r for r in read_manifests(config.raw_dir(), "faulty-demo") if r.get("kind") != "list" or r["outcome"] == "failed"]
    by_path = {path_of(r["url"]): r for r in rows}
    assert set(by_path) == set(EXPECTED), set(by_path) ^ set(EXPECTED)
    for path, (outcome, reason, max_requests) in EXPECTED.items():
        row = by_path[path]
        assert (row["outcome"], row.get("reason")) == (outcome, reason), (path, row)
        assert requests[path] <= max_requests, (path, requests[path])
    assert requests["/faults/loop-b.html"] <= 6
    assert sum(n for p, n in requests.items() if p.startswith("/calendar/")) == 1
    assert by_path["/faults/flaky.html"]["retries"] == 1
    assert by_path["/news/show.php?id=5001"]["sha256"] == by_path["/news/2024/0801/5001.html"]["sha256"]
    assert by_path["/faults/challenge.html"]["status"] == 412 and by_path["/faults/challenge.html"]["sha256"]
    store = RawStore(config.raw_dir())
    assert b"__jsl_clearance_s" in store.read(by_path["/faults/challenge.html"]["object_path"])  # evidence kept
    assert sum(1 for r in rows if r["outcome"] == "landed") == 6
    assert summary["skipped_robots"] == 1 and "robots" not in summary["failed"]
    assert summary["failed"] == {"http_403": 1, "http_404": 1, "js_challenge": 1, "redirect_loop": 1, "soft_404": 1,
                                 "timeout": 1, "too_large": 1, "too_large_unpacked": 1, "truncated": 1}
    assert summary["new"] == 6 and summary["retries"] >= 5
    # loopback not allowlisted: nothing requested, the refusal recorded, the crawl still finishes
    assert strict["error"] is None and strict["finished"] and jinhe_requests == []
    assert strict["skipped_offsite"] == 1 and strict["pages_landed"] == 0
    [line] = read_manifests(config.raw_dir(), "strict-demo")
    assert (line["outcome"], line["reason"]) == ("failed", "private_address")
