"""The crawl's decisions without a network: what to fetch, when to stop paging, what to retry,
which addresses and hosts are refused, how failures are named, how a site's politeness becomes
Scrapy settings."""
import json
from datetime import date

import pytest

from parkwatch.crawl.health import load_done_lists
from parkwatch.crawl.listing import ListItem, ListPage
from parkwatch.crawl.plan import CrawlPlan
from parkwatch.land import RawStore, SiteState
from parkwatch.sites import Site

TODAY = date(2024, 6, 20)


def site(**over):
    spec = {"id": "s", "name": "s", "parks": ["p"], "base_url": "http://a.example/",
            "sections": [{"kind": "news", "start_urls": ["news/index.html"]}],
            "politeness": {"delay_s": 0}}
    for key, value in over.items():
        spec[key] = {**spec.get(key, {}), **value} if isinstance(value, dict) else value
    return Site.model_validate(spec)


def state_with(*pages):
    """pages: (url, list_date, fetched_day)"""
    state = SiteState()
    for url, listed, fetched in pages:
        state.observe({"run_id": f"{fetched}T000000", "url": url, "outcome": "landed", "kind": "page",
                       "sha256": "f" * 64, "object_path": "objects/ff/x", "list_date": listed,
                       "logical_date": fetched, "etag": '"e1"', "last_modified": "Wed, 19 Jun 2024 00:00:00 GMT"})
    return state


def listing(*items, next_url="http://a.example/news/index_1.html"):
    return ListPage("trs", items=[ListItem(u, "t", d) for u, d in items], next_url=next_url)


START = "http://a.example/news/index.html"
OLD = ("http://a.example/news/old.html", "2024-01-05", "2024-06-19")
RECENT = ("http://a.example/news/recent.html", "2024-06-14", "2024-06-19")


def test_new_known_newer_and_due_pages():
    plan = CrawlPlan(site(), state_with(OLD, RECENT), TODAY)
    step = plan.read_listing(START, 0, listing(
        ("http://a.example/news/new.html", date(2024, 6, 20)),
        ("http://a.example/news/old.html", date(2024, 1, 5)),          # known, unchanged date: not fetched
        ("http://a.example/news/recent.html", date(2024, 6, 14)),      # known, recent: revisit (conditional)
        ("http://other.example/news/x.html", date(2024, 6, 20)),       # not the site's host
    ))
    assert step.why == {"http://a.example/news/new.html": "new", "http://a.example/news/recent.html": "revisit"}
    assert plan.conditional_headers("http://a.example/news/recent.html") == {
        "If-None-Match": '"e1"', "If-Modified-Since": "Wed, 19 Jun 2024 00:00:00 GMT"}
    assert plan.conditional_headers("http://a.example/news/new.html") == {}
    again = plan.read_listing(START, 1, listing(("http://a.example/news/old.html", date(2024, 6, 18))))
    assert again.why == {"http://a.example/news/old.html": "listed_newer"}
    assert plan.counts["offsite_links"] == 1


def test_revisit_policy_is_configurable():
    for rv, expected in [({"recent_days": 0}, False), ({"recent_days": 5}, False), ({"every_days": 2}, False),
                         ({}, True)]:
        plan = CrawlPlan(site(revisit=rv), state_with(RECENT), TODAY)
        assert plan.due(RECENT[0]) is expected, rv
    plan = CrawlPlan(site(), state_with(RECENT), date(2024, 6, 19))  # fetched today: not due yet
    assert not plan.due(RECENT[0])


def test_carry_over_revisits_and_bounded_retries():
    state = state_with(OLD, RECENT, ("http://a.example/news/r2.html", "2024-06-10", "2024-06-18"))
    for reason, count in (("timeout", 1), ("http_404", 1), ("js_challenge", 3), ("http_503", 2)):
        url = f"http://a.example/news/{reason}.html"
        for _ in range(count):
            state.observe({"run_id": "r", "url": url, "outcome": "failed", "kind": "page", "reason": reason})
    plan = CrawlPlan(site(revisit={"max_per_run": 1}), state, TODAY)
    out = {url: why for url, _, why in plan.carry_over()}
    assert out == {"http://a.example/news/timeout.html": "retry", "http://a.example/news/http_503.html": "retry",
                   "http://a.example/news/recent.html": "revisit"}  # newest due page only; 404s and 3rd failures stay
    step = plan.read_listing(START, 0, listing(("http://a.example/news/recent.html", date(2024, 6, 14))))
    assert step.fetch == []  # already requested this run


def test_pagination_walks_everything_until_the_backfill_is_complete():
    known = listing(("http://a.example/news/old.html", date(2024, 1, 5)))
    first = CrawlPlan(site(), state_with(OLD), TODAY)
    assert first.read_listing(START, 0, known).next_url  # no finished walk yet: keep paging
    done = CrawlPlan(site(), state_with(OLD), TODAY, done_lists={START: None})
    step = done.read_listing(START, 0, known)
    assert step.next_url is None and step.stop == "known"
    mixed = done.read_listing(START, 0, listing(("http://a.example/news/new.html", date(2024, 6, 20)),
                                                ("http://a.example/news/old.html", date(2024, 1, 5))))
    assert mixed.next_url  # something new on the page: the next page may hold more


def test_date_floor_stops_the_backfill_and_skips_older_entries():
    plan = CrawlPlan(site(limits={"date_floor": "2024-03-01"}), SiteState(), TODAY)
    step = plan.read_listing(START, 0, listing(("http://a.example/n/1.html", date(2024, 3, 2)),
                                               ("http://a.example/n/2.html", date(2024, 2, 28))))
    assert [i.url for i in step.fetch] == ["http://a.example/n/1.html"] and step.next_url
    last = plan.read_listing(START, 1, listing(("http://a.example/n/3.html", date(2024, 2, 1))))
    assert last.fetch == [] and last.next_url is None and last.list_end
    assert plan.below_floor == {"http://a.example/n/2.html", "http://a.example/n/3.html"}
    # a later, lower floor means the listing must be walked again
    lower = CrawlPlan(site(limits={"date_floor": "2023-01-01"}), SiteState(), TODAY, done_lists={START: "2024-03-01"})
    assert not lower.backfilled(START)
    same = CrawlPlan(site(limits={"date_floor": "2024-03-01"}), SiteState(), TODAY, done_lists={START: "2024-03-01"})
    assert same.backfilled(START)
    assert not CrawlPlan(site(), SiteState(), TODAY, done_lists={START: "2024-03-01"}).backfilled(START)


def test_traps_are_bounded():
    plan = CrawlPlan(site(limits={"max_list_pages": 3}), SiteState(), TODAY)
    steps = [plan.read_listing(START, n, listing((f"http://a.example/n/{n}.html", date(2024, 6, 1))))
             for n in range(3)]
    assert steps[1].next_url and steps[2].next_url is None and steps[2].stop == "max_list_pages"
    plan = CrawlPlan(site(), SiteState(), TODAY)
    page = listing(("http://a.example/n/1.html", date(2024, 6, 1)))
    plan.read_listing(START, 0, page)
    assert plan.read_listing(START, 1, page).stop == "repeated_list"  # ?page=N past the end repeating itself
    plan = CrawlPlan(site(limits={"max_list_pages": 5}), SiteState(), TODAY)
    plan.list_patterns[(START, "a.example/calendar/#-#.html?")] = 5
    step = plan.read_listing(START, 1, listing(("http://a.example/n/9.html", date(2024, 6, 1)),
                                               next_url="http://a.example/calendar/2031-01.html"))
    assert step.stop == "trap_pattern"
    assert plan.read_listing(START, 2, ListPage("generic", next_url="http://a.example/x_2.html")).stop == "empty_list"


def test_page_budget():
    plan = CrawlPlan(site(limits={"max_pages": 2}), SiteState(), TODAY)
    step = plan.read_listing(START, 0, listing(*[(f"http://a.example/n/{i}.html", date(2024, 6, 1)) for i in range(5)]))
    assert len(step.fetch) == 2 and step.stop == "max_pages" and plan.health("finished")["max_pages_reached"]
    assert plan.should_fetch_attachment("http://a.example/f.pdf") is None


def test_health_counts_and_done_lists(tmp_path):
    store = RawStore(tmp_path)
    plan = CrawlPlan(site(), state_with(OLD), TODAY)
    plan.read_listing(START, 0, listing(("http://a.example/n/new.html", date(2024, 6, 20)),
                                        ("http://a.example/news/old.html", date(2024, 1, 5)), next_url=None))
    plan.record({"kind": "page", "outcome": "landed", "change": "new"})
    plan.record({"kind": "list", "outcome": "landed"})
    plan.record({"kind": "page", "outcome": "failed", "reason": "robots"})
    plan.record({"kind": "page", "outcome": "failed", "reason": "timeout"})
    health = plan.finish("finished", store, "2024-06-20T000001")
    assert (health["seen"], health["new"], health["unchanged"], health["skipped_robots"]) == (2, 1, 1, 0 + 1)
    assert health["failed"] == {"timeout": 1} and health["lists"] == 1
    assert json.loads(store.health_path("s", "2024-06-20T000001").read_text())["lists_done"] == {START: None}
    plan.finish("shutdown", store, "2024-06-21T000001")  # an interrupted run claims nothing
    assert load_done_lists(store, "s") == {START: None}
    assert load_done_lists(store, "unknown-site") == {}


def test_request_kinds_and_meta():
    from parkwatch.crawl.plan import RequestKind, RequestMeta

    assert RequestKind.LIST.priority > RequestKind.PAGE.priority == RequestKind.ATTACHMENT.priority > RequestKind.REVISIT.priority
    assert RequestKind.LIST.callback == "parse_list" and RequestKind.REVISIT.callback == "parse_page"
    first = RequestMeta.for_list("news", START)
    second = first.next_list(START, "trs", None)
    assert (first.request_kind, second.page_no, second.start_url, second.profile) == (RequestKind.LIST, 1, START, "trs")
    entry = RequestMeta.for_entry(ListItem("http://a.example/n/1.html", "标题", date(2024, 6, 1)), "news", "new", START)
    assert entry.request_kind is RequestKind.PAGE and entry.line_fields() == {
        "kind": "page", "section": "news", "referer": START, "list_title": "标题", "list_date": "2024-06-01",
        "cited_by": None, "why": "new"}
    page = "http://a.example/n/1.html"
    assert RequestMeta.for_attachment("news", "new", page).request_kind is RequestKind.ATTACHMENT
    retry = RequestMeta.carried_over({"kind": "attachment", "section": "news", "cited_by": page}, "retry")
    assert retry.request_kind is RequestKind.REVISIT and retry.kind == "attachment" and retry.cited_by == page


def test_one_health_summary_from_counters_or_manifest(tmp_path):
    """A finished run is summarised from the spider's counters, a killed one from its manifest,
    through the same derivation (policy skips apart from failures in both)."""
    from parkwatch.crawl.health import derive, manifest_counters, summarise

    rows = [{"url": "http://a.example/l.html", "kind": "list", "outcome": "landed"},
            {"url": "http://a.example/1.html", "kind": "page", "outcome": "landed", "change": "new"},
            {"url": "http://a.example/f.pdf", "kind": "attachment", "outcome": "landed", "change": "revised"},
            {"url": "http://a.example/2.html", "kind": "page", "outcome": "failed", "reason": "robots"},
            {"url": "http://b.example/x.html", "kind": "page", "outcome": "failed", "reason": "private_address"},
            {"url": "http://a.example/3.html", "kind": "page", "outcome": "failed", "reason": "timeout"}]
    killed = summarise("s", "r", rows)
    assert (killed["pages_landed"], killed["attachments"], killed["lists"], killed["seen"]) == (2, 1, 1, 5)
    assert (killed["skipped_robots"], killed["skipped_offsite"], killed["failed"]) == (1, 1, {"timeout": 1})
    assert not killed["finished"] and "requests" not in killed
    assert {k: killed[k] for k in ("new", "revised", "failed")} == {
        k: derive(manifest_counters(rows))[k] for k in ("new", "revised", "failed")}
    plan = CrawlPlan(site(), state_with(OLD), TODAY)
    plan.read_listing(START, 0, listing(("http://a.example/news/old.html", date(2024, 1, 5)), next_url=None))
    for row in rows:
        plan.record(row)
    counters = plan.counters("finished", {"downloader/request_count": 9})
    assert counters["failed"] == {"robots": 1, "private_address": 1, "timeout": 1}  # raw: skips included
    done = summarise("s", "r", rows, counters)
    assert done["finished"] and done["requests"] == 9 and done["unchanged"] == 1  # seen in the list, not fetched
    health = plan.health("finished", {"downloader/request_count": 9})
    keys = ("seen", "new", "unchanged", "skipped_robots", "skipped_offsite", "failed", "requests")
    assert done["failed"] == {"timeout": 1} and {k: done[k] for k in keys} == {k: health[k] for k in keys}


# ---------------------------------------------------------------------------- middlewares and settings

def test_addresses_private_unless_allowlisted():
    from scrapers.middlewares import address_allowed

    for public in ("1.1.1.1", "220.181.38.148", "2400:3200::1"):
        assert address_allowed(public, [])
    for private in ("127.0.0.1", "127.0.1.3", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"):
        assert not address_allowed(private, []), private
    assert address_allowed("127.0.1.3", ["127.0.0.0/8"]) and not address_allowed("10.0.0.1", ["127.0.0.0/8"])


def test_site_guard_refuses_other_hosts_and_private_addresses():
    from scrapy import Request

    from scrapers.middlewares import Blocked, SiteGuardMiddleware

    class Crawler:
        spider = type("S", (), {"site": site(base_url="http://127.0.0.1:9/")})()

    guard = SiteGuardMiddleware(Crawler())
    with pytest.raises(Blocked) as exc:
        guard.process_request(Request("http://127.0.0.1:9/x.html"))
    assert exc.value.reason == "private_address"
    with pytest.raises(Blocked) as exc:
        guard.process_request(Request("http://elsewhere.example/x.html"))
    assert exc.value.reason == "offsite"
    Crawler.spider.site = site(base_url="http://127.0.0.1:9/", allow_networks=["127.0.0.0/8"])
    assert SiteGuardMiddleware(Crawler()).process_request(Request("http://127.0.0.1:9/x.html")) is None


def test_site_guard_pins_the_checked_address_against_dns_rebinding(monkeypatch):
    """A host that resolves to a public address when checked and to loopback afterwards (DNS
    rebinding) is connected to at the checked address: the guard pins it in Scrapy's DNS cache."""
    from scrapy import Request
    from scrapy.resolver import dnscache

    from scrapers import middlewares
    from scrapers.middlewares import Blocked, SiteGuardMiddleware

    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    monkeypatch.setattr(middlewares, "resolve", lambda host: next(answers))

    class Crawler:
        spider = type("S", (), {"site": site(base_url="http://rebind.parkwatch.test/")})()

    guard = SiteGuardMiddleware(Crawler())
    try:
        assert guard.process_request(Request("http://rebind.parkwatch.test/a.html")) is None
        assert dnscache["rebind.parkwatch.test"] == "93.184.216.34"
        assert guard.process_request(Request("http://rebind.parkwatch.test/b.html")) is None  # not re-resolved
        assert dnscache["rebind.parkwatch.test"] == "93.184.216.34"
        # a fresh crawl resolves again and refuses the loopback answer
        with pytest.raises(Blocked):
            SiteGuardMiddleware(Crawler()).process_request(Request("http://rebind.parkwatch.test/c.html"))
    finally:
        dnscache.pop("rebind.parkwatch.test", None)


def test_failure_reasons():
    from scrapy import Request
    from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
    from twisted.python.failure import Failure

    from parkwatch.crawl.reasons import failure_reason
    from scrapers.middlewares import Blocked

    def reason(exc):
        try:
            raise exc
        except Exception:
            f = Failure()
        f.request = Request("http://a/")
        return failure_reason(f)

    assert reason(IgnoreRequest("Forbidden by robots.txt")) == "robots"
    assert reason(IgnoreRequest("max redirections reached")) == "redirect_loop"
    assert reason(IgnoreRequest("Ignored response because its body (67108864 B compressed) exceeded "
                                "DOWNLOAD_MAXSIZE (8388608 B) during decompression.")) == "too_large_unpacked"
    assert reason(DownloadCancelledError("Expected to receive 10485760 bytes which is larger than download max size")) == "too_large"
    assert reason(DownloadTimeoutError()) == "timeout"
    assert reason(ResponseDataLossError()) == "truncated"
    assert reason(Blocked("offsite")) == "offsite"


def test_settings_follow_the_registry():
    from scrapers.run import settings_for

    real = settings_for(site(politeness={"delay_s": 2.5, "concurrency": 1, "timeout_s": 15, "retries": 4}))
    assert real.getbool("ROBOTSTXT_OBEY") and real.getbool("AUTOTHROTTLE_ENABLED")
    assert real.getfloat("DOWNLOAD_DELAY") == 2.5 and real.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert real.getint("RETRY_TIMES") == 4 and real.getfloat("DOWNLOAD_TIMEOUT") == 15
    assert 1024 * 1024 <= real.getint("DOWNLOAD_MAXSIZE") <= 8 * 1024 * 1024
    assert "parkwatch" in real.get("USER_AGENT") and "http" in real.get("USER_AGENT")
    assert not real.getbool("COOKIES_ENABLED")
    local = settings_for(site())
    assert not local.getbool("AUTOTHROTTLE_ENABLED") and local.getfloat("DOWNLOAD_DELAY") == 0


def test_the_bench_floor_crawls_with_the_same_politeness():
    from bench.bare_spider import settings_for as bare_settings_for
    from scrapers.run import politeness_settings, settings_for

    polite = site(politeness={"delay_s": 2.5, "concurrency": 3, "timeout_s": 15, "retries": 4})
    ours, bare = settings_for(polite), bare_settings_for(polite)
    for key in politeness_settings(polite):
        assert ours[key] == bare[key], key
    assert bare.getbool("ROBOTSTXT_OBEY") and bare["TWISTED_REACTOR"] == ours["TWISTED_REACTOR"]


def test_backoff_doubles_and_honours_retry_after():
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from scrapers.middlewares import BackoffRetryMiddleware

    settings = Settings({"RETRY_ENABLED": True, "RETRY_TIMES": 3, "PARKWATCH_RETRY_BACKOFF_S": 1.0,
                         "RETRY_HTTP_CODES": [500, 503], "RETRY_PRIORITY_ADJUST": -1, "RETRY_EXCEPTIONS": [],
                         "RETRY_GIVE_UP_LOG_LEVEL": "ERROR"})

    class Crawler:
        def __init__(self):
            self.settings = settings
            self.stats = MemoryStatsCollector(self)
            self.spider = type("S", (), {"crawler": self, "settings": settings})()

    mw = BackoffRetryMiddleware.from_crawler(Crawler())
    req = Request("http://a/")
    waits = []
    for _ in range(3):
        req = mw.process_response(req, Response(req.url, status=500, request=req))
        waits.append(req.meta["retry_delay"])
    assert 0.8 <= waits[0] <= 1.2 and 1.6 <= waits[1] <= 2.4 and 3.2 <= waits[2] <= 4.8
    last = mw.process_response(req, Response(req.url, status=500, request=req))
    assert isinstance(last, Response)  # retries exhausted: the 500 goes to the spider, which records it
    busy = mw.process_response(Request("http://a/b"), Response("http://a/b", status=503, headers={"Retry-After": "7"}))
    assert busy.meta["retry_delay"] == 7


def test_decode_body_reports_declared_and_detected():
    from scrapy.http import HtmlResponse

    from parkwatch.crawl.decode import decode_body

    words = "青川高新区上半年规模以上工业增加值同比增长9.3%,固定资产投资完成42.6亿元。"
    gbk = f'<html><head><meta charset="utf-8"></head><body>{words}</body></html>'.encode("gbk")
    text, declared, detected = decode_body(HtmlResponse("http://a/", body=gbk, headers={"Content-Type": "text/html"}))
    assert words in text and declared == "utf-8" and detected == "gb18030"
    text, declared, detected = decode_body(HtmlResponse("http://a/", body="<p>园区</p>".encode("gbk"),
                                                        headers={"Content-Type": "text/html"}), hint="gbk")
    assert text == "<p>园区</p>" and declared is None and detected == "gb18030"  # GBK read as its superset


def test_a_second_crawl_of_the_same_site_refuses_to_start(tmp_path):
    import fcntl

    from scrapers.run import main

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "s.yaml").write_text("id: s\nname: s\nparks: [p]\nbase_url: 'http://a.example/'\n"
                                  "sections: [{kind: news, start_urls: [news/index.html]}]\n", encoding="utf-8")
    lock = tmp_path / "raw" / "locks" / "s.lock"
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["--site", "s", "--run-id", "2024-01-01T000000", "--raw-root", str(tmp_path / "raw"),
                     "--sites-dir", str(sites)]) == 3
    assert not (tmp_path / "raw" / "manifests").exists()
