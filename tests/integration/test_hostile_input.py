"""Hostile input on the parse side: page scripts are never run, YAML is loaded safely, and page
text is never pasted into SQL.

The SQL part is a real pipeline run: hostile pages (quotes, backslashes, ``'); drop table
marts.indicators; --``, Jinja braces, NUL bytes, a binary body) are landed with the raw store and a
manifest, exactly as a crawl lands them, then ``build → validate → publish`` runs on them. The marts
must survive with the hostile text intact, and unparseable pages must come out as documents with
a ``parse_error`` reason.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from parkwatch.extract import parse_document
from parkwatch.extract.facts import extract_indicators
from parkwatch.land import ManifestLine, ManifestWriter, RawStore
from parkwatch.extract.rows import parse_page
from tests.helpers.pages import html_page

RUN = "2024-08-02T000000000000"
SITE = "qingchuan-hitech"
BASE = "http://127.0.1.1:8700/xwdt/202408/"
DROP = "'); drop table marts.indicators; --"
# ASCII punctuation survives text cleaning unchanged, so it must come out of the marts byte for byte
HOSTILE_TITLE = f"青川高新区简报{DROP}\\\"x\\'y"
HOSTILE_SENTENCE = (f"截至7月末,园区财政收入5.58亿元,同比增长9%。备注:{DROP} \\\\ \" ' ; /* */ $$ {{{{ var('x') }}}} "
                    f"{{% raw %}} %s :name,园区税收收入3.27亿元。")
INJECTED = "999.99"


SCRIPT_PAGE = html_page("青川高新区经济运行情况", f"""
<p>上半年,园区规上工业增加值同比增长6.5%。</p>
<script>document.write("<p>财政收入{INJECTED}亿元,同比增长88%。</p>");</script>
<script>document.getElementById("x").innerHTML = "固定资产投资{INJECTED}亿元。";</script>
<script>eval(atob("6LSi5pS/5pS25YWlOTk5Ljk55Lq/5YWD"));</script>
<p id="x" onload="this.innerText='税收收入{INJECTED}亿元'">税收收入3.27亿元,同比增长4%。</p>
<noscript><p>营业收入{INJECTED}亿元。</p></noscript>
<template><p>工业总产值{INJECTED}亿元。</p></template>
<iframe srcdoc="&lt;p&gt;进出口总额{INJECTED}亿元&lt;/p&gt;"></iframe>""")

PAGES = {
    "sql": html_page(HOSTILE_TITLE.replace("<", "&lt;"), f"<p>{HOSTILE_SENTENCE}</p>"),
    "script": SCRIPT_PAGE,
    "nul": html_page("青川高新区民生情况", "<p>截至7月末,园区\x00累计发放补贴\x0012.5万元。</p>"),
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "gbk_lie": html_page("青川高新区招商情况", "<p>上半年,园区新签约项目12个,总投资45.6亿元。</p>",
                         charset="gb18030").replace(b'charset="gb18030"', b'charset="utf-8"'),
}
URLS = {name: f"{BASE}t20240802_99{i:04d}.html" for i, name in enumerate(PAGES)}
URLS["sql"] += f"?q={DROP.replace(' ', '%20')}"


def land(home: Path) -> None:
    store = RawStore(home / "raw")
    writer = ManifestWriter(store, SITE, RUN)
    for name, body in PAGES.items():
        sha, rel = store.put(body)
        writer.write(ManifestLine(
            run_id=RUN, site_id=SITE, url=URLS[name], section="news", outcome="landed", status=200,
            sha256=sha, size=len(body), object_path=rel, logical_date="2024-08-02",
            content_type="image/png" if name == "binary" else f"text/html; charset=\"utf-8{DROP}\"",
            park_ids=[SITE], referer=f"{BASE}index.html?{DROP}", list_title=HOSTILE_TITLE))
    writer.close()


# ---------------------------------------------------------------- scripts are never executed


JS_ENGINES = ("js2py", "execjs", "py_mini_racer", "quickjs", "dukpy", "pyppeteer", "playwright", "selenium",
              "splash", "scrapy_playwright", "scrapy_splash", "PyV8", "v8")


def test_page_scripts_never_run_in_the_extractor():
    for body, ct in ((SCRIPT_PAGE, "text/html"), (SCRIPT_PAGE, None), (SCRIPT_PAGE, "text/plain; charset=utf-8")):
        doc = parse_document(body, url=URLS["script"], content_type=ct)
        assert doc.error is None
        assert INJECTED not in doc.body and INJECTED not in (doc.title or "")
        facts = extract_indicators(doc)
        assert {f["raw"] for f in facts} >= {"6.5%", "3.27亿元"}, facts  # the page's own text is read
        assert not any(INJECTED in f["raw"] for f in facts), facts
        row = parse_page("d", body, URLS["script"], ct)
        assert INJECTED not in row["indicators_json"] and INJECTED not in (row["body"] or "")


def test_no_javascript_engine_is_loaded():
    """Parsing and fact extraction import no JS engine or headless browser (checked in a fresh
    interpreter, so other tests' imports do not count)."""
    code = textwrap.dedent(f"""
        import sys
        from parkwatch.extract.rows import parse_page
        from parkwatch.extract.facts import extract_file
        parse_page("d", {SCRIPT_PAGE!r}, None, None)
        engines = {JS_ENGINES!r}
        print(sorted(m for m in sys.modules if m.split(".")[0] in engines))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout


def test_script_figures_do_not_come_from_a_text_page():
    """A page mislabelled text/plain: the script source is neither run nor read as text."""
    text = f"园区经济运行情况\n<script>var s = '财政收入{INJECTED}亿元,同比增长88%。';</script>\n上半年,税收收入3.27亿元。"
    doc = parse_document(text.encode("utf-8"), content_type="text/plain")
    assert INJECTED not in doc.body and "3.27亿元" in doc.body


# ---------------------------------------------------------------- YAML loaded safely


@pytest.mark.parametrize("payload", [
    "name: !!python/object/apply:os.system [\"touch {marker}\"]",
    "name: !!python/object/new:subprocess.check_output [[\"touch\", \"{marker}\"]]",
    "name: !!python/name:os.system",
    "parks: !!python/object:builtins.list []",
    "name: !!python/module:os",
])
def test_yaml_python_tags_fail_cleanly_and_run_nothing(tmp_path, payload):
    from parkwatch.sites import load_sites

    marker = tmp_path / "PWNED"
    good = ('id: evil\nname: x\nparks: [p]\nbase_url: "http://127.0.1.9:8700/"\n'
            'sections:\n  - kind: news\n    start_urls: ["a/"]\n')
    lines = [ln for ln in good.splitlines() if not ln.startswith(payload.split(":")[0] + ":")]
    sites_dir = tmp_path / "sites"
    sites_dir.mkdir()
    (sites_dir / "evil.yaml").write_text("\n".join(lines) + "\n" + payload.format(marker=marker) + "\n")
    sites, errors = load_sites(sites_dir)
    assert sites == [] and not marker.exists()
    [err] = errors
    assert err.file.endswith("evil.yaml") and err.field == "(file)"
    assert "not valid YAML" in err.reason and "python/" in err.reason, err


def test_yaml_loaders_in_the_code_are_safe():
    """No yaml.load / unsafe_load / full_load / UnsafeLoader anywhere in the project's code."""
    root = Path(__file__).resolve().parents[2]
    unsafe = []
    for path in [*root.glob("parkwatch/**/*.py"), *root.glob("scrapers/**/*.py"), *root.glob("dags/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for bad in ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "UnsafeLoader", "yaml.Loader", "FullLoader"):
            if bad in text:
                unsafe.append(f"{path.relative_to(root)}: {bad}")
    assert unsafe == []


# ---------------------------------------------------------------- no SQL built from page content


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory):
    from parkwatch.pipeline import build_step, publish_step, validate_step

    home = tmp_path_factory.mktemp("hostile")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    try:
        land(home)
        build_step()
        summary = validate_step()
        assert summary["success"], json.dumps(summary, ensure_ascii=False, default=str)[:3000]
        publish_step()
        yield home
    finally:
        mp.undo()


def published(home: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(home / "parks.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def built_body(home: Path, url: str) -> str:
    """The parsed body of a page (kept in build.duckdb; the published documents mart has no body)."""
    with duckdb.connect(str(home / "build.duckdb"), read_only=True) as con:
        [(body,)] = con.execute("select body from intermediate.int_documents where url = ?", [url]).fetchall()
    return body


def test_marts_survive_hostile_text(hostile_warehouse):
    tables = {r[0] for r in published(hostile_warehouse,
                                       "select table_name from information_schema.tables where table_schema = 'marts'")}
    assert {"indicators", "projects", "policies", "documents", "crawl_health"} <= tables
    assert published(hostile_warehouse, "select count(*) from marts.indicators")[0][0] > 0
    with duckdb.connect(str(hostile_warehouse / "build.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.indicators").fetchone()[0] > 0


def test_hostile_text_comes_through_intact(hostile_warehouse):
    [(title,)] = published(hostile_warehouse, "select title from marts.documents where url = ?", [URLS["sql"]])
    assert title == HOSTILE_TITLE
    assert HOSTILE_SENTENCE in built_body(hostile_warehouse, URLS["sql"])
    facts = published(hostile_warehouse, "select raw, value, sentence from marts.indicators where url = ? "
                                         "order by value", [URLS["sql"]])
    assert [(raw, value) for raw, value, _ in facts] == [("9%", 9.0), ("3.27亿元", 327000000.0), ("5.58亿元", 558000000.0)]
    [hostile_sentence] = [s for raw, _, s in facts if raw == "3.27亿元"]
    assert hostile_sentence == HOSTILE_SENTENCE.split("。")[1] + "。"  # the 备注 sentence, byte for byte


def test_script_figures_never_reach_the_marts(hostile_warehouse):
    assert published(hostile_warehouse, "select count(*) from marts.indicators where raw like ?",
                     [f"%{INJECTED}%"]) == [(0,)]
    assert INJECTED not in built_body(hostile_warehouse, URLS["script"])
    raws = {r[0] for r in published(hostile_warehouse, "select raw from marts.indicators where url = ?",
                                    [URLS["script"]])}
    assert {"6.5%", "3.27亿元"} <= raws


def test_unparseable_pages_are_documents_with_reasons(hostile_warehouse):
    [(err, n_facts)] = published(
        hostile_warehouse,
        "select d.parse_error, (select count(*) from marts.indicators i where i.url = d.url) "
        "from marts.documents d where d.url = ?", [URLS["binary"]])
    assert err and "PNG" in err
    assert n_facts == 0
    body = built_body(hostile_warehouse, URLS["nul"])
    assert "\x00" not in body and "12.5万元" in body
    assert published(hostile_warehouse, "select raw from marts.indicators where url = ?", [URLS["nul"]]) == [("12.5万元",)]
    assert ("45.6亿元",) in published(hostile_warehouse, "select raw from marts.indicators where url = ?",
                                     [URLS["gbk_lie"]])
