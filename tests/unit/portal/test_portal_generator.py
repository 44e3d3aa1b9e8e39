"""Generated sites: deterministic, every ground-truth figure on its page, totals add up, scale."""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from parkwatch.portal import Portal
from parkwatch.portal.cms import build_site
from parkwatch.portal.generator import FAMILIES, generate
from tests.helpers.http import fetch

CONTRACT = {"doc", "indicator_text", "measure", "value", "unit", "raw", "approx", "is_target",
            "period_start", "period_end", "sentence"}


@pytest.fixture(scope="module")
def portal():
    with Portal(generated=5, pages_per_site=40, seed=7) as p:
        yield p


def page_text(url: str, cms: str) -> str:
    status, headers, body = fetch(url)
    assert status == 200, url
    return html.unescape(body.decode("gbk" if cms == "newsportal" else "utf-8"))


def test_deterministic_and_seeded():
    a = generate(3, 30, seed=1)
    b = generate(3, 30, seed=1)
    c = generate(3, 30, seed=2)
    assert [s.content for s in a] == [s.content for s in b]
    assert [s.truth for s in a] == [s.truth for s in b]
    assert [s.content.articles for s in a] != [s.content.articles for s in c]


def test_every_family_and_distinct_origins(portal):
    gen = portal.generated
    assert {g.content.cms for g in gen} == set(FAMILIES)
    assert [portal.site_urls[g.content.id] for g in gen] == [
        f"http://127.0.1.{10 + i}:{portal.port}/" for i in range(5)
    ]
    for g in gen:
        assert g.park["id"] in portal.parks and portal.parks[g.park["id"]]["short_name"]


def test_every_truth_figure_is_on_its_page(portal):
    for g in portal.generated:
        truth = portal.ground_truth(g.content.id)
        assert len(truth) == 40
        for entry in truth:
            text = page_text(entry["url"], g.content.cms)
            assert entry["title"] in text
            for f in entry["facts"]:
                assert CONTRACT <= set(f)
                assert f["doc"] == entry["path"]
                assert f["sentence"] in text and f["raw"] in f["sentence"], (entry["url"], f)


def test_truth_is_consistent():
    kinds = defaultdict(int)
    for g in generate(8, 60, seed=11):
        for entry in g.truth.values():
            kinds[entry["kind"]] += 1
            d = dt.date.fromisoformat(entry["published"][:10])
            assert dt.date(2024, 1, 1) <= d <= dt.date(2025, 12, 31)
            facts = entry["facts"]
            parts = defaultdict(list)
            for f in facts:
                assert f["measure"] in ("amount", "count", "growth_pct", "share_pct", "pp_change")
                assert f["unit"] in ("CNY", "%", "pp", "count", "t", "kWh", "CNY/mu")
                if f["part_of"] is not None:
                    parts[f["part_of"]].append(f["value"])
                if f["is_target"]:
                    assert entry["kind"] == "policy" and f["period_start"].endswith("-01-01")
            for total, values in parts.items():
                assert len(values) >= 2
                assert abs(sum(values) - facts[total]["value"]) < 1e-6 * max(1.0, abs(facts[total]["value"])), entry["path"]
            shares = defaultdict(list)
            for f in facts:
                if f["indicator_code"] == "industry_share" and not f["is_target"]:
                    shares[f["sentence"]].append(f["value"])
            for values in shares.values():
                assert round(sum(values), 1) == 100.0
            if entry["kind"] == "policy":
                pol = entry["policy"]
                assert pol["written_date"] <= pol["published_date"] and pol["targets"]
                assert re.fullmatch(r".+发〔20\d\d〕\d+号", pol["doc_number"])
            if entry["kind"] == "news":
                assert entry["projects"] and entry["projects"][0]["investment_cny"] > 0
    assert min(kinds.values()) > 50


def test_signs_and_units():
    for g in generate(4, 60, seed=5):
        for entry in g.truth.values():
            for f in entry["facts"]:
                if f["measure"] in ("growth_pct", "pp_change") and not f["is_target"]:
                    clause = f["sentence"]
                    if f["value"] < 0:
                        assert any(w in clause for w in ("下降", "回落"))
                if f["unit"] == "CNY" and f["raw"].endswith("亿元"):
                    num = float(re.search(r"[\d.]+", f["raw"]).group())
                    assert abs(f["value"] - num * 1e8) < 1


def test_truth_and_yaml_endpoints(portal):
    sid = portal.generated[2].content.id
    status, headers, body = fetch(portal.directory_url + f"_truth/{sid}.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert json.loads(body) == portal.ground_truth(sid)
    spec = yaml.safe_load(fetch(portal.directory_url + f"_sites/{sid}.yaml")[2])
    assert set(spec) == {"id", "name", "parks", "base_url", "cms", "encoding", "sections", "limits", "politeness",
                         "allow_networks"}
    base = spec["base_url"].replace("${PARKWATCH_PORTAL_PORT:-8700}", str(portal.port))
    assert base == portal.site_urls[sid]
    for sec in spec["sections"]:
        assert fetch(base + sec["start_urls"][0])[0] == 200
    assert fetch(portal.directory_url + "_truth/qingchuan-hitech.json")[0] == 404
    assert b"Disallow: /_truth/" in fetch(portal.directory_url + "robots.txt")[2]


def test_clock_limits_generated_lists():
    with Portal(generated=2, pages_per_site=50, today="2024-12-31", sites=()) as p:
        for g in p.generated:
            truth = p.ground_truth(g.content.id)
            assert 0 < len(truth) < 50
            assert all(e["published"] <= "2024-12-31 99" for e in truth)


def test_fifty_sites_of_two_hundred_pages():
    sites = generate(50, 200, seed=0)
    paths = set()
    for g in sites:
        site = build_site(g.content, base_url="http://x/", today=None)
        paths |= {(g.content.id, p) for p in site.detail_paths().values()}
    assert len(paths) == 10_000
    with Portal(generated=50, pages_per_site=200, sites=()) as p:
        rng = random.Random(3)
        sample = [(g, e) for g in p.generated for e in rng.sample(p.ground_truth(g.content.id), 2)]

        def check(item):
            g, e = item
            text = page_text(e["url"], g.content.cms)
            return all(f["sentence"] in text for f in e["facts"])

        with ThreadPoolExecutor(8) as ex:
            assert all(ex.map(check, sample))
