"""Real crawls (Scrapy subprocesses over HTTP on loopback) against the demo portal.

Acceptance 1: sites of every CMS family, registered with their start URLs only (no selectors),
land exactly the set of pages and attachments the portal published.
Acceptance 2: day D, then day D+1: the second crawl requests only the new and the revised pages
(plus the list pages it needs, and conditional revisits of recent pages, answered 304), and the
revised page lands as a new version.
"""
import re
import shutil
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from parkwatch import config
from parkwatch.crawl.launcher import crawl_sites
from parkwatch.land import RawStore, read_manifests
from parkwatch.portal import Portal
from parkwatch.portal.cms.generic import GenericSite
from parkwatch.portal.cms.hanweb import HanwebSite
from parkwatch.portal.cms.vsb import VsbSite

REPO_SITES = sorted(p.stem for p in (config.PROJECT_ROOT / "sites").glob("*.yaml"))
DETAIL = re.compile(r"/t\d{8}_\d+\.html$|^/art/|^/info/|/content_\d+\.shtml$|/\d{4}/\d{4}/\d+\.html$|\.pdf$|download")


def is_detail(request: dict) -> bool:
    """A portal request for a detail page or an attachment (not a list, data proxy or robots.txt)."""
    return bool(DETAIL.search(request["path"]))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def published(portal: Portal, site_id: str) -> tuple[set[str], dict[str, str]]:
    """(paths of the detail pages and attachments the portal publishes, attachment → citing page)."""
    site = portal.sites[site_id]
    pages = set(site.detail_paths().values())
    cited = {}
    for a in site.articles():
        for att in a.attachments:
            if site.family == "trs":
                path = f"/{a.column}/{a.date:%Y%m}/{att.name}"
            elif site.family == "generic":
                path = GenericSite.attachment_path(a, att.name)
            elif site.family == "hanweb":
                path = HanwebSite.attachment_path(att.name)
            elif site.family == "vsb":
                path = VsbSite.attachment_path(att)
            else:
                raise AssertionError(f"no attachment route for {site.family}")
            cited[path] = site.article_path(a)
    return pages | set(cited), cited


def landed(raw: Path, site_id: str, run_id: str | None = None) -> list[dict]:
    return [r for r in read_manifests(raw, site_id) if r["outcome"] == "landed" and r.get("kind") != "list"
            and (run_id is None or r["run_id"] == run_id)]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PARKWATCH_CRAWL_PARALLEL", "2")
    return tmp_path / "home"


def test_every_cms_family_lands_exactly_what_the_portal_published(home, tmp_path, monkeypatch):
    sites_dir = tmp_path / "sites"
    sites_dir.mkdir()
    for name in REPO_SITES:
        shutil.copy(config.PROJECT_ROOT / "sites" / f"{name}.yaml", sites_dir)
    with Portal(port=0, generated=5, pages_per_site=50, faults=False) as portal:
        generated = [g.content.id for g in portal.generated]
        for sid in generated:
            (sites_dir / f"{sid}.yaml").write_text(portal.site_yaml(sid), encoding="utf-8")
        for path in sites_dir.glob("*.yaml"):  # start URLs only: no selectors, cms auto
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert spec.get("cms", "auto") == "auto" and "selectors" not in spec
        monkeypatch.setenv("PARKWATCH_SITES_DIR", str(sites_dir))
        monkeypatch.setenv("PARKWATCH_PORTAL_PORT", str(portal.port))
        summaries = crawl_sites(REPO_SITES + generated)
        families = {sid: portal.sites[sid].family for sid in REPO_SITES + generated}
        assert set(families.values()) == {"trs", "generic", "hanweb", "vsb", "newsportal"}
        raw = config.raw_dir()
        for summary in summaries:
            sid = summary["site_id"]
            assert summary["error"] is None and summary["finished"], summary
            assert summary["failed"] == {} and summary["skipped_robots"] == 0, summary
            expected, cited = published(portal, sid)
            rows = landed(raw, sid)
            got = Counter(path_of(r["url"]) for r in rows)
            assert set(got) == expected, f"{sid} ({families[sid]}): missing {expected - set(got)}, extra {set(got) - expected}"
            assert max(got.values()) == 1, f"{sid}: a URL landed twice in one run"
            assert summary["new"] == len(expected) == summary["pages_landed"]
            if sid in generated:
                assert {path_of(t["url"]) for t in portal.ground_truth(sid)} == expected
            store = RawStore(raw)
            for r in rows:
                assert r["change"] == "new" and r["status"] == 200 and r["sha256"] and r["size"] > 0
                body = store.read(r["object_path"])
                assert len(body) == r["size"]
                if r["kind"] == "attachment":
                    assert body.startswith(b"%PDF") and path_of(r["cited_by"]) == cited[path_of(r["url"])]
                else:
                    assert r["list_date"] and r["list_title"] and r["detected_encoding"], r
                    assert r["last_modified"] and r["etag"]
            assert sorted(r["url"] for r in rows if r["kind"] == "attachment") == sorted(
                portal.site_urls[sid].rstrip("/") + p for p in cited)
            lists = [r for r in read_manifests(raw, sid) if r.get("kind") == "list"]
            assert lists and all(r["cms"] in ("trs", "hanweb", "vsb", "generic") for r in lists)
        profiles = {sid: {r["cms"] for r in read_manifests(raw, sid) if r.get("kind") == "list"} for sid in families}
        for sid, family in families.items():
            assert profiles[sid] == {family if family != "newsportal" else "generic"}, (sid, profiles[sid])
        gbk = {r["url"].rsplit("/", 1)[1]: r for r in landed(raw, "yuanqu-news")}
        assert gbk["content_203512.shtml"]["declared_encoding"] == "utf-8"  # its meta lies
        assert gbk["content_203512.shtml"]["detected_encoding"] == "gb18030"
        assert gbk["content_203655.shtml"]["declared_encoding"] == "gbk"  # from the HTTP header only


def crawl_day(portal_port: int, day: str, sites: list[str]) -> list[dict]:
    summaries = crawl_sites(sites, day)
    assert all(s["error"] is None for s in summaries), summaries
    return summaries


def test_day_d_then_d_plus_1_requests_only_what_changed_and_lands_the_revision(home, monkeypatch):
    revised = "/jb/202406/t20240614_482907.html"  # revised in place on 2024-06-20, same list date
    with Portal(port=0, today="2024-06-19") as day1:
        port = day1.port
        monkeypatch.setenv("PARKWATCH_PORTAL_PORT", str(port))
        first = {s["site_id"]: s for s in crawl_day(port, "2024-06-19", REPO_SITES)}
        requests_d = len(day1.request_log)
    with Portal(port=port, today="2024-06-20") as day2:
        second = {s["site_id"]: s for s in crawl_day(port, "2024-06-20", REPO_SITES)}
        log = [r for r in day2.request_log if r["site"] != "directory"]
    raw = config.raw_dir()
    details = [r for r in log if is_detail(r)]
    fetched_again = {(r["site"], r["path"]) for r in details if r["status"] == 200}
    assert fetched_again == {("qingchuan-hitech", revised)}, details
    for r in details:  # everything else was a conditional revisit of a recent page: 304, no body
        if (r["site"], r["path"]) != ("qingchuan-hitech", revised):
            assert r["status"] == 304, r
    lists = Counter(r["site"] for r in log if r not in details and r["path"] != "/robots.txt")
    for sid in REPO_SITES:  # the first page of each column (Hanweb: column page + first window)
        columns = len(yaml.safe_load((config.PROJECT_ROOT / "sites" / f"{sid}.yaml").read_text())["sections"])
        assert lists[sid] == columns * (2 if sid == "qingchuan-gov" else 1), (sid, lists[sid])
    assert len(log) < requests_d
    versions = [r for r in landed(raw, "qingchuan-hitech") if r["url"].endswith(revised)]
    assert [r["change"] for r in versions] == ["new", "revised"]
    assert versions[0]["sha256"] != versions[1]["sha256"]
    assert RawStore(raw).read(versions[1]["object_path"]).decode("utf-8").count("6.95亿元") >= 1
    assert second["qingchuan-hitech"]["revised"] == 1 and second["qingchuan-hitech"]["new"] == 0
    assert sum(s["new"] for s in second.values()) == 0 and sum(s["new"] for s in first.values()) > 20


def test_new_pages_on_day_d_plus_1_are_the_only_pages_fetched(home, tmp_path, monkeypatch):
    sites_dir = tmp_path / "sites"
    sites_dir.mkdir()
    monkeypatch.setenv("PARKWATCH_SITES_DIR", str(sites_dir))
    probe = Portal(generated=5, pages_per_site=60, sites=(), faults=False)
    by_day = defaultdict(set)
    for g in probe.generated:
        for truth in g.truth.values():
            by_day[truth["published"][:10]].add((g.content.id, truth["path"]))
    busy = max(d for d in by_day if len(by_day[d]) >= 2)  # the last day several sites publish on
    d1 = date.fromisoformat(busy)
    d0 = (d1 - timedelta(days=1)).isoformat()
    with Portal(port=0, today=d0, generated=5, pages_per_site=60, sites=(), faults=False) as day0:
        port = day0.port
        ids = [g.content.id for g in day0.generated]
        for sid in ids:
            (sites_dir / f"{sid}.yaml").write_text(day0.site_yaml(sid), encoding="utf-8")
        monkeypatch.setenv("PARKWATCH_PORTAL_PORT", str(port))
        crawl_day(port, d0, ids)
        before = {sid: {t["path"] for t in day0.ground_truth(sid)} for sid in ids}
        requests_d0 = len(day0.request_log)
    with Portal(port=port, today=busy, generated=5, pages_per_site=60, sites=(), faults=False) as day1:
        summaries = {s["site_id"]: s for s in crawl_day(port, busy, ids)}
        after = {sid: {t["path"] for t in day1.ground_truth(sid)} for sid in ids}
        log = [r for r in day1.request_log if r["site"] != "directory"]
        day1_family = {sid: day1.sites[sid].family for sid in ids}
    new = {(sid, p) for sid in ids for p in after[sid] - before[sid]}
    assert len(new) >= 2
    got = {(r["site"], r["path"]) for r in log if r["status"] == 200 and is_detail(r)}
    raw = config.raw_dir()
    changed = {(r["site_id"], path_of(r["url"])) for sid in ids for r in landed(raw, sid)
               if r["logical_date"] == busy and r["change"] == "revised"}
    # news portals repeat the newest headlines on every page, so a recent page's bytes change when a
    # new article appears: its conditional revisit answers 200 and it lands as a new version
    assert {day1_family[sid] for sid, _ in changed} <= {"newsportal"}
    assert got == new | changed
    conditional = [r for r in log if r["status"] == 304]
    assert all(is_detail(r) for r in conditional)
    list_requests = [r for r in log if (r["site"], r["path"]) not in new and r["status"] == 200 and r["path"] != "/robots.txt"]
    assert len(list_requests) <= 2 * 3 * len(ids) + 3  # at most two list pages per column (+ Hanweb column pages)
    assert len(log) < requests_d0 / 3
    for sid in ids:
        assert summaries[sid]["new"] == len(after[sid] - before[sid])
        assert summaries[sid]["revised"] == sum(1 for s, _ in changed if s == sid)
