"""The marts against the portal generator's ground truth: crawl generated park sites, build,
and compare every indicator fact (same page, measure, unit and value). Prints P/R/F1."""
from collections import Counter
from urllib.parse import urlsplit

import duckdb
import pytest

from parkwatch.warehouse.build import build
from parkwatch.pipeline import crawl
from parkwatch.portal import Portal

SITES, PAGES, SEED = 3, 12, 2
FLOOR = 0.95


def key(measure, unit, value):
    return measure, unit, round(float(value), 6)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    home = tmp_path_factory.mktemp("accuracy")
    sites_dir = home / "sites"
    sites_dir.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    mp.setenv("PARKWATCH_SITES_DIR", str(sites_dir))
    with Portal(port=0, sites=(), generated=SITES, pages_per_site=PAGES, seed=SEED) as portal:
        mp.setenv("PARKWATCH_PORTAL_PORT", str(portal.port))
        generated = [s for s in portal.site_urls if s != "faulty-demo"]
        truth = {}
        for site_id in generated:
            (sites_dir / f"{site_id}.yaml").write_text(portal.site_yaml(site_id), encoding="utf-8")
            for page in portal.ground_truth(site_id):
                truth[(site_id, page["path"])] = page["facts"]
        summaries = crawl("2026-01-01")
    assert all(not s["error"] for s in summaries), summaries
    build()
    with duckdb.connect(str(home / "build.duckdb"), read_only=True) as con:
        rows = con.execute("select d.site_id, i.url, i.measure, i.unit, i.value from marts.indicators i "
                           "join marts.documents d using (doc_id)").fetchall()
    mp.undo()
    return truth, rows


def test_marts_agree_with_ground_truth(corpus):
    truth, rows = corpus
    got: dict[tuple, Counter] = {}
    for site_id, url, measure, unit, value in rows:
        got.setdefault((site_id, urlsplit(url).path), Counter())[key(measure, unit, value)] += 1
    tp = fp = fn = 0
    for page, facts in truth.items():
        expected = Counter(key(f["measure"], f["unit"], f["value"]) for f in facts)
        found = got.get(page, Counter())
        tp += sum((expected & found).values())
        fn += sum((expected - found).values())
        fp += sum((found - expected).values())
    fp += sum(sum(c.values()) for page, c in got.items() if page not in truth)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    pages_found = sum(1 for page in truth if page in got)
    print(f"\nwarehouse vs ground truth: {len(truth)} pages ({pages_found} with facts in the marts), "
          f"{tp + fn} true facts: P={precision:.3f} R={recall:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn})")
    assert precision >= FLOOR and recall >= FLOOR
